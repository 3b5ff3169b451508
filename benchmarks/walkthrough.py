"""A measured annotation walk-through: one claim, with its event, number and speaker, labelled in a real browser.

    .venv/bin/python benchmarks/walkthrough.py [--scope small|reference|full] [--predictor aliases|oracle]
        [--proposals PROPOSALS.json] [--artifacts DIR] [--json]

1. Starts the embedded Label Studio in a scratch copy of the project (``counterclaim studio serve
   --background``; the tests call :func:`run` with their session's server instead) and pushes the corpus with
   ``studio push``: the predictions the annotator starts from are the ``--predictor``'s (today's alias matcher;
   ``oracle`` = the gold annotation itself, the floor) or, with ``--proposals``, a pre-annotator's output
   (``counterclaim preannotate DOC_ID`` prints it).
2. Plans what an annotator must change (``walkthrough_plan.plan``) to turn the prelabelled annotation into the
   reference claim of the article 17a8eb7dc5290d52 ("Moscow today revealed it had hit an astonishing 1,623
   jihadi targets ... since raids began a month ago") as its gold annotation has it, within ``--scope``.
3. Does it in Debian Chromium through Playwright, at 1600×1000, counting every interaction: each click, each
   key press (a chord such as Alt+R is one), each character typed, each drag (mouse down, move, up) and each
   hover an action needs (the relation buttons appear on hover). Scrolling is not counted (the claim is at the
   top of the article; the script scrolls without counting only when something is out of view). The state of
   the screen is read from Label Studio's own store (``window.Htx``) to wait for each action's effect; that
   reading is not an interaction.
4. Submits, pulls with ``counterclaim studio pull``, and checks that the pulled claim equals the gold claim
   in the scope (``walkthrough_plan.claim_view``). Prints the count and each step.

Exit status 0 when the pulled claim equals the gold one, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from walkthrough_plan import (SCOPES, Key, Step, claim_view, find_claim, plan, regions_of,  # noqa: E402
                              scoped_annotation)

DOC_ID = "17a8eb7dc5290d52"
CLAIM_QUOTE = "it had hit an astonishing 1,623 jihadi targets"  # the start of the reference claim's content
VIEWPORT = {"width": 1600, "height": 1000}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
WAIT_MS = 60_000  # generous: a busy two-core machine
REPEAT_AFTER_S = 15  # an input with no effect after this long is made again (see Screen._until_taken)


class WalkthroughError(Exception):
    """The walk-through cannot go on (the screen is not what the step expects)."""


@dataclass(frozen=True)
class Server:
    url: str
    username: str
    password: str = field(repr=False)
    api_key: str = field(repr=False)


@dataclass
class Result:
    scope: str
    predictor: str
    interactions: int
    steps: list[tuple[str, int]]
    equal: bool
    expected: dict
    got: dict | None
    seconds: float
    project_id: int
    task_id: int
    repeated: list[str] = field(default_factory=list)  # inputs made again because the first had no effect

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# -- the browser side ---------------------------------------------------------------------------------------------

_CHAR_BOX = """([line, col]) => {
  const lines = document.querySelectorAll('.lsf-htx-richtext .lsf-richtext__line');
  const el = lines[line];
  if (!el) return null;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    const length = node.textContent.length;
    if (col < seen + length) {
      const range = document.createRange();
      range.setStart(node, col - seen);
      range.setEnd(node, col - seen + 1);
      const box = range.getBoundingClientRect();
      return {x: box.x, y: box.y, w: box.width, h: box.height};
    }
    seen += length;
  }
  return null;
}"""
_ACTIVE_LABEL = ".lsf-label.lsf-label_selected"
_REGIONS = """() => window.Htx.annotationStore.selected.regions.filter(r => r.globalOffsets)
  .map(r => [r.labels[0] || '', r.globalOffsets.start, r.globalOffsets.end])"""
_SCROLL_TO_LINE = """([line]) => document.querySelectorAll('.lsf-htx-richtext .lsf-richtext__line')[line]
  .scrollIntoView({block: 'center'})"""


class Screen:
    """Label Studio's labeling screen for one task, driven like an annotator, every interaction counted."""

    def __init__(self, page, text: str, regions: list[Key], ont):
        from counterclaim.labelstudio.config import CONTROL_BY_NAME, REGION_KINDS, mode_controls

        self.page = page
        self.text = text
        self.present = list(regions)
        self.selected: Key | None = None
        self.count = 0
        self.log: list[tuple[str, int]] = []
        self.hotkeys = {k.label: str(i + 1) for i, k in enumerate(REGION_KINDS)}
        self.controls = {**CONTROL_BY_NAME, **{c.name: c for c in mode_controls(ont)}}
        self.actor_labels = [f"{a.name} ({a.id})".lower() for a in ont.actors]
        self.relations_tab_open = False
        self.repeated: list[str] = []
        self.annotation_posts: list = []  # Playwright requests that create an annotation (the submit)
        page.on("request", lambda r: self.annotation_posts.append(r) if _creates_annotation(r) else None)

    # counted primitives
    def _click(self, x: float, y: float) -> None:
        self.page.mouse.click(x, y)
        self.count += 1

    def _press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def _type(self, text: str) -> None:
        for ch in text:
            self.page.keyboard.press(ch)
            self.count += 1

    def _click_on(self, locator) -> None:
        locator.click(timeout=WAIT_MS)
        self.count += 1

    def _hover(self, locator) -> None:
        locator.hover(timeout=WAIT_MS)
        self.count += 1

    def _drag(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        self.page.mouse.move(*a)
        self.page.mouse.down()
        self.page.mouse.move(*b, steps=6)
        self.page.mouse.up()
        self.count += 1

    def _until_taken(self, act, taken, what: str) -> None:
        """``act()``, then wait for ``taken()``; made again when it has had no effect after REPEAT_AFTER_S.

        On a busy machine Label Studio can let an input pass without effect (a submit seen by nothing but a
        closing list, a click on an option it is re-rendering). An annotator who sees nothing happen does it
        again; so does the walk-through, and counts the repeat as the interactions it takes
        (``Result.repeated`` names each)."""
        act()
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            patience = time.monotonic() + REPEAT_AFTER_S
            while time.monotonic() < patience:
                if taken():
                    return
                self.page.wait_for_timeout(100)
            if time.monotonic() > deadline:
                raise WalkthroughError(f"{what} had no effect, {len(self.repeated)} repeats included")
            self.repeated.append(what)
            act()

    # where things are
    def _line_col(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset)
        col_start = self.text.rfind("\n", 0, offset) + 1
        return line, len(self.text[col_start:offset].encode("utf-16-le")) // 2

    def _box(self, offset: int) -> dict:
        line, col = self._line_col(offset)
        box = self.page.evaluate(_CHAR_BOX, [line, col])
        if box is None or box["y"] < 120 or box["y"] + box["h"] > VIEWPORT["height"] - 80:
            self.page.evaluate(_SCROLL_TO_LINE, [line])  # not counted: see the module docstring
            box = self.page.evaluate(_CHAR_BOX, [line, col])
        if box is None:
            raise WalkthroughError(f"character {offset} is not on the labeling screen")
        return box

    def _edge(self, offset: int, *, before: bool) -> tuple[float, float]:
        """Where a drag starts (``before`` the character at ``offset``) or ends (before ``offset``, the end of a
        span). Pressed or released over the neighbouring character where there is one on the line: released
        over another region, the new region would take that region's label (Label Studio selects it)."""
        if before:
            neighbour = offset - 1 if offset > 0 and self.text[offset - 1] != "\n" else None
            own = self._box(offset)
            if neighbour is None:
                return own["x"] + 1, own["y"] + own["h"] / 2
            box = self._box(neighbour)
            if abs(box["y"] - own["y"]) > own["h"] / 2:  # the neighbour ends the line above
                return own["x"] + 1, own["y"] + own["h"] / 2
            return box["x"] + box["w"] * 0.75, box["y"] + box["h"] / 2
        last = self._box(offset - 1)
        if offset < len(self.text) and self.text[offset] != "\n":
            box = self._box(offset)
            if abs(box["y"] - last["y"]) <= last["h"] / 2:
                return box["x"] + box["w"] * 0.25, box["y"] + box["h"] / 2
        return last["x"] + last["w"] - 1, last["y"] + last["h"] / 2

    def _point(self, key: Key) -> tuple[float, float]:
        """The middle of a character of ``key`` that no smaller region covers (a click there selects it)."""
        size = key.end - key.start
        for offset in range(key.start, key.end):
            inner = [r for r in self.present if r != key and r.start <= offset < r.end and r.end - r.start <= size]
            if not inner and not self.text[offset].isspace():
                box = self._box(offset)
                return box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
        raise WalkthroughError(f"no character of {key} can be clicked without hitting a smaller region")

    def _field(self, title: str):
        """The control under the header ``title`` in the fields column."""
        header = self.page.get_by_role("heading", name=title, exact=True)
        header.wait_for(timeout=WAIT_MS)
        return header.locator("xpath=following-sibling::*[1]")

    def regions(self) -> list[Key]:
        """The regions of the annotation on screen, read from the labeling interface's store (no interaction)."""
        return [Key(*r) for r in self.page.evaluate(_REGIONS)]

    def _wait_regions(self, test, message: str) -> None:
        deadline = time.monotonic() + WAIT_MS / 1000
        while not test(made := self.regions()):
            if time.monotonic() > deadline:
                raise WalkthroughError(f"{message}; the regions near it: {[k for k in made if k.start < 400]}")
            self.page.wait_for_timeout(100)

    # actions
    def open(self, url: str, project_id: int, task_id: int) -> None:
        self.page.goto(f"{url}/projects/{project_id}/data?task={task_id}", timeout=WAIT_MS)
        self.page.locator(".lsf-htx-richtext .lsf-richtext__line").first.wait_for(timeout=WAIT_MS)
        self.page.get_by_role("button", name="Submit current annotation").wait_for(timeout=WAIT_MS)

    def select(self, key: Key) -> None:
        if self.selected != key:
            self._click(*self._point(key))
            self.page.locator(".lsf-detailed-region").first.wait_for(timeout=WAIT_MS)
            self.selected = key

    def unselect(self) -> None:
        if self.selected is not None:
            self._press("Escape")
            self.selected = None

    def create(self, key: Key) -> None:
        self.unselect()  # a label chosen while a region is selected would relabel that region
        # no label active (none left from the last region, no region selected), then only this one
        self.page.wait_for_function(f"() => !document.querySelector('{_ACTIVE_LABEL}')", timeout=WAIT_MS)
        self._press(self.hotkeys[key.kind])
        self.page.wait_for_function(
            f"() => [...document.querySelectorAll('{_ACTIVE_LABEL}')].map(e => e.textContent).join() === "
            f"{json.dumps(key.kind + self.hotkeys[key.kind])}", timeout=WAIT_MS)
        self._drag(self._edge(key.start, before=True), self._edge(key.end, before=False))
        self._wait_regions(lambda made: made.count(key) == self.present.count(key) + 1,
                           f"dragging over {key} made no such region")
        self.present.append(key)

    def delete(self, key: Key) -> None:
        self.select(key)
        self._press("Backspace")
        self._wait_regions(lambda made: made.count(key) == self.present.count(key) - 1, f"{key} was not deleted")
        self.present.remove(key)
        self.selected = None

    def set_value(self, key: Key, control: str, value: Any) -> None:
        self.select(key)
        spec = self.controls[control]
        setter = getattr(self, f"_set_{spec.tag.lower()}", None)
        if setter is None:  # TextArea, DateTime: no reference claim needs them yet
            raise WalkthroughError(f"setting a {spec.tag} field ({control}) is not automated")
        setter(self._field(spec.title), spec, value)

    def _set_choices(self, field_, spec, value) -> None:
        box = field_.locator(f"input[name='{value}']")
        self._click_on(box)
        self.page.wait_for_function("(el) => el.checked", arg=box.element_handle(), timeout=WAIT_MS)

    def _set_number(self, field_, spec, value) -> None:
        box = field_ if field_.evaluate("e => e.tagName") == "INPUT" else field_.locator("input")
        self._click_on(box)
        if box.input_value():
            self._press("Control+a")
        self._type(f"{value:g}" if isinstance(value, float) else str(value))
        box.blur()  # not an interaction: the next click blurs it anyway

    def _set_taxonomy(self, field_, spec, value) -> None:
        if field_.locator(".ant-select-selection-item").count():
            self._click_on(field_.locator(".ant-select-selection-item-remove").first)
        self._click_on(field_.locator(".ant-select-selector"))
        self.page.wait_for_function(  # the search box takes the focus once the list is open
            "() => document.activeElement && document.activeElement.closest('.ant-select-dropdown')", timeout=WAIT_MS)
        self._type(self._query(value))
        option = self.page.locator(".ant-select-tree-treenode", has_text=f"({value})").last
        self._click_on(option.locator(".ant-select-tree-checkbox"))
        self._press("Escape")
        field_.locator(".ant-select-selection-item", has_text=f"({value})").wait_for(timeout=WAIT_MS)

    def _query(self, actor: str) -> str:
        """What an annotator types to find an actor: the shortest start of its id (3 characters or more) that
        only its entry contains."""
        for n in range(3, len(actor) + 1):
            if sum(actor[:n].lower() in label for label in self.actor_labels) == 1:
                return actor[:n]
        return actor

    def relate(self, head: Key, tail: Key, label: str) -> None:
        rows = self.page.locator(".lsf-relations__item")
        if not self.relations_tab_open:
            self._click_on(self.page.get_by_text("Relations", exact=True).first)
            self.relations_tab_open = True
        before = rows.count()
        self.select(head)
        self._press("Alt+r")
        self._click(*self._point(tail))
        self.selected = None
        self.page.wait_for_function(f"() => document.querySelectorAll('.lsf-relations__item').length > {before}",
                                    timeout=WAIT_MS)
        row = rows.nth(before)  # relations are listed oldest first
        self._hover(row)
        self._click_on(row.get_by_role("button", name="Show Relation Labels"))
        trigger = row.locator(".lsf-relation-meta button").first

        def choose() -> None:
            self._click_on(trigger)
            self.page.wait_for_function("(el) => el.getAttribute('data-state') === 'open'",
                                        arg=trigger.element_handle(), timeout=WAIT_MS)
            popup = self.page.locator(f"[id='{trigger.get_attribute('aria-controls')}']")
            self._click_on(popup.locator(f"[data-testid='select-option-{label}']"))
            self._press("Escape")
            self.page.wait_for_function("(el) => el.getAttribute('data-state') === 'closed'",
                                        arg=trigger.element_handle(), timeout=WAIT_MS)
            # gone, not only closing: while the list fades out it keeps the focus, and the next key (Ctrl+Enter
            # to submit) would toggle its highlighted label off instead of submitting
            popup.wait_for(state="detached", timeout=WAIT_MS)

        self._until_taken(choose, lambda: trigger.get_by_text(label, exact=True).count() > 0,
                          f"choosing the relation label {label}")

    def submit(self) -> None:
        """Ctrl+Enter, repeated with a click on Submit if Label Studio sent no annotation; the server's answer is
        awaited and an error status raised with its body."""
        sent, tries = len(self.annotation_posts), []

        def press() -> None:
            if tries:
                self._click_on(self.page.get_by_role("button", name="Submit current annotation"))
            else:
                self._press("Control+Enter")
            tries.append(press)

        self._until_taken(press, lambda: len(self.annotation_posts) > sent, "submitting")
        request = self.annotation_posts[sent]
        response = request.response()  # waits for it
        if response is None or not response.ok:
            status = "no response" if response is None else f"{response.status} {response.text()[:500]}"
            raise WalkthroughError(f"Label Studio did not take the annotation: {request.method} {request.url} "
                                   f"answered {status}")

    def do(self, step: Step) -> None:
        before = self.count
        if step.action == "create_region":
            self.create(step.key)
        elif step.action == "delete_region":
            self.delete(step.key)
        elif step.action == "set_value":
            self.set_value(step.key, step.control, step.value)
        elif step.action == "relate":
            self.relate(step.key, step.tail, step.label)
        elif step.action == "submit":
            self.submit()
        else:
            raise WalkthroughError(f"the walk-through cannot {step.action} yet")
        self.log.append((describe(step, self.text), self.count - before))


def _creates_annotation(request) -> bool:
    path = request.url.split("?", 1)[0]
    return request.method == "POST" and path.endswith("/annotations") and "/api/tasks/" in path


def describe(step: Step, text: str) -> str:
    def quote(key: Key) -> str:
        words = text[key.start:key.end]
        return f"{key.kind} “{words if len(words) <= 40 else words[:37] + '…'}”"

    if step.action == "create_region":
        return f"create {quote(step.key)}"
    if step.action == "delete_region":
        return f"delete the wrong {quote(step.key)}"
    if step.action == "set_value":
        value = f"{step.value:g}" if isinstance(step.value, float) else step.value
        return f"{quote(step.key)}: {step.control} = {value}"
    if step.action == "relate":
        return f"link {quote(step.key)} → {quote(step.tail)} as `{step.label}`"
    return step.action


# -- one run ------------------------------------------------------------------------------------------------------


def _oracle(gold_doc: dict):
    """A predictor that proposes the gold annotation itself (the floor of the walk-through)."""
    from counterclaim.labelstudio.predictions import ScoredAnnotation
    from counterclaim.studio.predictors import Predictor

    def propose(text: str, ont):
        if text != gold_doc["text"]:
            return ScoredAnnotation({"mentions": [], "events": [], "claims": []}, {}, "oracle")
        return ScoredAnnotation(gold_doc["annotations"][0], {}, "oracle")

    return Predictor(lambda ont: "oracle", propose)


def _from_file(path: Path, documents: dict[str, dict]):
    """A predictor that replays proposals printed by a pre-annotator (a JSON list of {doc_id, annotation,
    evidence: {objects: {id: {confidence}}}})."""
    from counterclaim.labelstudio.predictions import ScoredAnnotation
    from counterclaim.studio.predictors import Predictor

    by_text = {}
    for item in json.loads(path.read_text(encoding="utf-8")):
        confidence = {k: v["confidence"] for k, v in (item.get("evidence") or {}).get("objects", {}).items()}
        by_text[documents[item["doc_id"]]["text"]] = ScoredAnnotation(item["annotation"], confidence, path.stem)
    empty = ScoredAnnotation({"mentions": [], "events": [], "claims": []}, {}, path.stem)
    return Predictor(lambda ont: path.stem, lambda text, ont: by_text.get(text, empty))


@contextlib.contextmanager
def _registered(name: str, predictor) -> Iterator[None]:
    from counterclaim.studio.predictors import PREDICTORS

    PREDICTORS[name] = predictor
    try:
        yield
    finally:
        PREDICTORS.pop(name, None)


def run(server: Server, project_dir: Path, browser, *, scope: str = "reference", predictor: str = "aliases",
        proposals: Path | None = None, gold_path: Path = REPO / "corpus" / "annotations" / f"{DOC_ID}.json",
        artifacts: Path | None = None) -> Result:
    """Push, plan, label in the browser, submit, pull, compare. ``browser``: a Playwright browser."""
    from click.testing import CliRunner

    from counterclaim.cli import main
    from counterclaim.corpus.store import BuiltCorpus
    from counterclaim.io.layout import Layout
    from counterclaim.labelstudio.results import annotation_to_results
    from counterclaim.model.ontology import default_ontology
    from counterclaim.studio.client import connect
    from counterclaim.studio.push import push_project

    began = time.monotonic()
    the_scope = SCOPES[scope]
    layout = Layout(project_dir)
    ont = default_ontology(layout.schema_dir)
    documents = BuiltCorpus.open(layout.corpus_dir).by_id()
    gold_doc = json.loads(gold_path.read_text(encoding="utf-8"))
    text, gold = gold_doc["text"], gold_doc["annotations"][0]
    if documents[DOC_ID]["text"] != text:
        raise WalkthroughError(f"{gold_path} was annotated on another text than the corpus document {DOC_ID}")
    start = text.index(CLAIM_QUOTE)
    claim_id = next(c["id"] for c in gold["claims"] if c["content"][0]["start"] == start)
    expected = claim_view(gold, claim_id, the_scope)

    name = predictor
    if proposals is not None:
        name, chosen = "proposals", _from_file(proposals, documents)
    elif predictor == "oracle":
        chosen = _oracle(gold_doc)
    else:
        chosen = None
    ls = connect(server.url, server.api_key)
    title = f"walkthrough {scope} {name} {uuid.uuid4().hex[:6]}"
    with _registered(name, chosen) if chosen is not None else contextlib.nullcontext():
        report = push_project(ls, layout, title=title, predictor=name)
    task = next(t for t in ls.tasks.list(project=report.project_id, include="id,data") if t.data["doc_id"] == DOC_ID)
    (prediction,) = [p for p in ls.predictions.list(task=task.id) if p.model_version == report.model_version]

    target = annotation_to_results(text, scoped_annotation(gold, claim_id, the_scope), ont)
    steps = plan(prediction.result, target, annotation_to_results(text, gold, ont), ont, the_scope)

    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(f"{server.url}/user/login/", timeout=WAIT_MS)
        page.fill("input[name=email]", server.username)
        page.fill("input[name=password]", server.password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle", timeout=WAIT_MS)
        screen = Screen(page, text, list(regions_of(prediction.result, ont).values), ont)
        screen.open(server.url, report.project_id, task.id)
        try:
            for step in steps:
                if step.action == "submit" and artifacts is not None:
                    artifacts.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(artifacts / f"walkthrough-{scope}-{name}.png"))
                screen.do(step)
            deadline = time.monotonic() + WAIT_MS / 1000
            while not list(ls.annotations.list(id=task.id)):
                if time.monotonic() > deadline:
                    raise WalkthroughError("the submitted annotation did not reach Label Studio")
                page.wait_for_timeout(250)
        except Exception:
            if artifacts is not None:
                artifacts.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(artifacts / f"walkthrough-{scope}-{name}-failed.png"), full_page=True)
            raise
    finally:
        page.close()

    with tempfile.TemporaryDirectory(prefix="walkthrough-") as tmp:
        out = Path(tmp) / "pulled"
        pulled = CliRunner().invoke(main, ["studio", "pull", "--project", str(project_dir), "--url", server.url,
                                           "--api-key", server.api_key, "--title", title, "--out", str(out),
                                           "--quiet"])
        if pulled.exit_code != 0:
            raise WalkthroughError(f"studio pull failed: {pulled.output}")
        doc = json.loads((out / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    (annotation,) = doc["annotations"]
    first = gold["claims"][[c["id"] for c in gold["claims"]].index(claim_id)]["content"][0]
    found = find_claim(annotation, first["start"], first["end"])
    got = None if found is None else claim_view(annotation, found, the_scope)
    return Result(scope, name, screen.count, screen.log, got == expected, expected, got,
                  round(time.monotonic() - began, 1), report.project_id, task.id, screen.repeated)


# -- the command --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def embedded_server() -> Iterator[tuple[Server, Path]]:
    """The embedded Label Studio in a scratch copy of this project (schema, guidelines, raw corpus), stopped after."""
    from click.testing import CliRunner

    from counterclaim.cli import main
    from counterclaim.io.layout import Layout
    from counterclaim.studio import server as ls_server
    from counterclaim.studio.credentials import read_credentials

    with tempfile.TemporaryDirectory(prefix="walkthrough-project-") as tmp:
        project = Path(tmp)
        for name in ("schema", "guidelines"):
            shutil.copytree(REPO / name, project / name)
        shutil.copytree(REPO / "corpus" / "raw", project / "corpus" / "raw")
        built = CliRunner().invoke(main, ["corpus", "build", "--project", str(project), "--version", "0.0.1"])
        if built.exit_code != 0:
            raise WalkthroughError(built.output)
        served = CliRunner().invoke(main, ["studio", "serve", "--background", "--project", str(project),
                                           "--port", str(ls_server.free_port())])
        if served.exit_code != 0:
            raise WalkthroughError(f"Label Studio did not start:\n{served.output}")
        try:
            info = ls_server.running(ls_server.default_data_dir(Layout(project)))
            credentials = read_credentials(Layout(project).credentials_path)
            yield Server(info["url"], credentials.username, credentials.password, credentials.api_key), project
        finally:
            CliRunner().invoke(main, ["studio", "stop", "--project", str(project)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scope", choices=sorted(SCOPES), default="reference")
    parser.add_argument("--predictor", choices=("aliases", "oracle"), default="aliases",
                        help="aliases (what studio push sends today), or oracle (the gold itself: the floor)")
    parser.add_argument("--proposals", type=Path, help="a pre-annotator's proposals (JSON) instead of --predictor")
    parser.add_argument("--artifacts", type=Path, help="where to save a screenshot before submitting")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with embedded_server() as (server, project), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            result = run(server, project, browser, scope=args.scope, predictor=args.predictor,
                         proposals=args.proposals, artifacts=args.artifacts)
        finally:
            browser.close()
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"scope {result.scope} ({SCOPES[result.scope].description}), predictions: {result.predictor}")
        for what, n in result.steps:
            print(f"  {n:3d}  {what}")
        print(f"interactions: {result.interactions}")
        if result.repeated:
            print(f"  of which repeats (the first input had no effect): {', '.join(result.repeated)}")
        print(f"pulled claim equals the gold claim: {'yes' if result.equal else 'NO'}  ({result.seconds} s)")
        if not result.equal:
            print(json.dumps({"expected": result.expected, "got": result.got}, indent=1))
    return 0 if result.equal else 1


if __name__ == "__main__":
    sys.exit(main())
