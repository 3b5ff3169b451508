"""A real browser: an annotator labels a word after an emoji in Label Studio, and pull gets it right.

Debian's Chromium (/usr/bin/chromium) driven by Playwright; `make test` installs it. The labeling screen is
saved as test-artifacts/labeling.png.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from helpers import EMOJI_DOC_ID, REPO

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
WORD = "civilians"  # after the emoji, not pre-annotated; labelled ACTOR with actor type `civilians`
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]

FIND_WORD = """(word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.textContent.indexOf(word);
    if (i >= 0 && node.parentElement.closest('.htx-richtext, [class*=richtext]')) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + word.length);
      const box = range.getBoundingClientRect();
      return {x: box.x, y: box.y, w: box.width, h: box.height};
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing: run `make test` (it installs it) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_label_a_word_after_an_emoji_in_the_browser(label_studio, project_dir, browser, tmp_path):
    title = f"browser {uuid.uuid4().hex[:6]}"
    common = ["--project", str(project_dir), "--url", label_studio.url, "--api-key", label_studio.api_key,
              "--title", title, "--quiet"]
    # the alias matcher leaves WORD unlabelled (the engine would propose it)
    assert CliRunner().invoke(main, ["studio", "push", *common, "--predictor", "aliases"]).exit_code == 0
    ls = label_studio.client()
    (project,) = [p for p in ls.projects.list(title=title) if p.title == title]
    task = next(t for t in ls.tasks.list(project=project.id, include="id,data") if t.data["doc_id"] == EMOJI_DOC_ID)
    text = task.data["text"]

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{label_studio.url}/user/login/")
    page.fill("input[name=email]", label_studio.username)
    page.fill("input[name=password]", label_studio.password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{label_studio.url}/projects/{project.id}/data?task={task.id}")
    try:
        page.wait_for_function(f"({FIND_WORD})({json.dumps(WORD)}) !== null", timeout=30_000)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "labeling-failed.png"), full_page=True)
        print(page.evaluate("() => document.body.innerText.slice(0, 3000)"))
        raise
    # the guidelines are the project's instructions
    page.get_by_role("button", name="Instructions").click()
    page.wait_for_selector("text=counterclaim annotation guidelines", timeout=10_000)
    page.keyboard.press("Escape")
    page.locator(".lsf-label", has_text="ACTOR").first.click()
    box = page.evaluate(FIND_WORD, WORD)
    assert box is not None, "the word is not on the labeling screen"
    y = box["y"] + box["h"] / 2
    page.mouse.move(box["x"] + 1, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, y, steps=5)
    page.mouse.up()
    page.locator(".htx-highlight", has_text=WORD).last.click()
    page.locator("input[name=civilians]").check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "labeling.png"), full_page=True)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => !document.querySelector('.ant-modal-confirm')", timeout=10_000)  # no validation warning
    for _ in range(40):
        if list(ls.annotations.list(id=task.id)):
            break
        page.wait_for_timeout(250)
    page.close()

    out = tmp_path / "annotations"
    result = CliRunner().invoke(main, ["studio", "pull", *common, "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / f"{EMOJI_DOC_ID}.json").read_text(encoding="utf-8"))
    (annotation,) = doc["annotations"]
    labelled = [m for m in annotation["mentions"] if m["span"]["text"] == WORD]
    assert len(labelled) == 1, annotation["mentions"]
    start = text.index(WORD)
    assert labelled[0]["span"] == {"start": start, "end": start + len(WORD), "text": WORD}
    assert labelled[0]["type"] == "civilians" and labelled[0]["actor"] is None
    # the accepted pre-annotations came along with their canonical actors
    moscow = [m for m in annotation["mentions"] if m["span"]["text"] == "Moscow"]
    assert moscow and moscow[0]["actor"] == "RUS_GOV"


def _walkthrough():
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    import walkthrough

    return walkthrough


@pytest.mark.parametrize("scope,predictor", [("small", "aliases"), ("reference", "oracle")])
def test_the_walkthrough_labels_the_reference_claim_and_pulls_it_back(label_studio, project_dir, browser, scope,
                                                                     predictor):
    """benchmarks/walkthrough.py keeps working: from today's predictions (small scope: claim, cue, claimant drawn
    by hand, links included), and from predictions that hold every layer and link (nothing left but submit)."""
    walkthrough = _walkthrough()
    server = walkthrough.Server(label_studio.url, label_studio.username, label_studio.password, label_studio.api_key)
    result = walkthrough.run(server, project_dir, browser, scope=scope, predictor=predictor, artifacts=ARTIFACTS)
    assert result.equal, (result.steps, result.expected, result.got)
    if predictor == "oracle":
        # regions, values and relations all came from the prediction (a submit Label Studio dropped is made again)
        assert result.steps == [("submit", 1 + len(result.repeated))]
    else:
        assert [n for what, n in result.steps if what.startswith("link")] and result.interactions > 1


def test_fields_sit_beside_the_text_and_the_instructions_read_well(label_studio, project_dir, browser,
                                                                   monkeypatch):
    """At 1600×1000, a selected region's fields (numbers included) are in view beside the text, each under its
    name; an event offers the modes of its type only. The guidelines read well under Instructions."""
    from counterclaim.io.layout import Layout
    from counterclaim.studio.predictors import PREDICTORS
    from counterclaim.studio.push import push_project

    walkthrough = _walkthrough()
    gold = json.loads((REPO / "corpus" / "annotations" / "17a8eb7dc5290d52.json").read_text(encoding="utf-8"))
    monkeypatch.setitem(PREDICTORS, "oracle", walkthrough._oracle(gold))  # every layer proposed: the gold
    ls = label_studio.client()
    report = push_project(ls, Layout(project_dir), title=f"layout {uuid.uuid4().hex[:6]}", predictor="oracle")
    task = next(t for t in ls.tasks.list(project=report.project_id, include="id,data")
                if t.data["doc_id"] == gold["doc_id"])

    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{label_studio.url}/user/login/")
    page.fill("input[name=email]", label_studio.username)
    page.fill("input[name=password]", label_studio.password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{label_studio.url}/projects/{report.project_id}/data?task={task.id}")
    text_box = page.locator(".lsf-htx-richtext")
    text_box.wait_for(timeout=60_000)

    def beside_and_in_view(title: str):
        header = page.get_by_role("heading", name=title, exact=True)
        header.wait_for(timeout=60_000)
        box, text = header.bounding_box(), text_box.bounding_box()
        assert box["x"] > text["x"] + text["width"] and 0 < box["y"] and box["y"] + box["height"] < 1000, title
        return header.locator("xpath=following-sibling::*[1]")

    page.locator('.htx-highlight[data-start="136"]').first.click()  # the quantity "1,623"
    assert beside_and_in_view("Value").locator("input").first.input_value() == "1623"
    for title in ("What is counted", "Qualifier", "Low (for ranges and bounds)", "High (for ranges and bounds)"):
        beside_and_in_view(title)
    page.locator('.htx-highlight[data-start="117"]').first.click()  # the event "hit"
    assert beside_and_in_view("Mode of ATTACK").locator("input[name=aerial]").is_checked()
    assert page.get_by_role("heading", name="Mode of CLASH", exact=True).count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "fields-beside-the-text.png"))

    page.get_by_role("button", name="Instructions").click()
    guidelines = page.locator(".cc-guidelines")
    guidelines.wait_for(timeout=30_000)
    shown = guidelines.inner_text()
    assert "<!--" not in shown and "GENERATED" not in shown and "doc_id:" not in shown
    sections = page.locator(".cc-toc > li")
    assert sections.count() == len(re.findall(r"^## ", (REPO / "guidelines" / "guidelines.md").read_text(), re.M))
    page.locator(".cc-section > summary", has_text="Actor mentions").click()
    page.locator(".cc-sub > summary", has_text="Spans").first.click()  # subsections fold in turn
    example = page.locator(".cc-example:not(.cc-counter)").first
    example.wait_for(timeout=30_000)
    assert example.locator("mark.cc-k-ACTOR").first.is_visible()
    page.locator(".cc-sub > summary", has_text="Titles and job descriptions").first.click()
    assert page.locator(".cc-counter").first.is_visible()
    # list markers survive Label Studio's styles
    marker = page.evaluate("() => getComputedStyle(document.querySelector('.cc-guidelines ul li')).listStyleType")
    assert marker == "disc"
    page.screenshot(path=str(ARTIFACTS / "instructions.png"))
    page.close()
