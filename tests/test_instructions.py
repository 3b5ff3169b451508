"""The guidelines as Label Studio's instructions: clean, self-contained HTML with rendered examples."""

from __future__ import annotations

import re

import pytest

from counterclaim.io import jsonio
from counterclaim.labelstudio.config import REGION_KINDS
from counterclaim.model.ontology import load_ontology
from counterclaim.quality.guidelines import examples
from counterclaim.quality.instructions import render_instructions
from helpers import REPO

GUIDELINES = (REPO / "guidelines" / "guidelines.md").read_text(encoding="utf-8")
DOCUMENTS = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")}


@pytest.fixture(scope="module")
def ont():
    return load_ontology(REPO / "schema")


@pytest.fixture(scope="module")
def page(ont):
    return render_instructions(GUIDELINES, DOCUMENTS, ont)


def test_no_comment_survives_and_every_section_is_in_the_contents(page):
    assert "<!--" not in page and "GENERATED" not in page
    toc = page[page.index('<ol class="cc-toc">'):]
    sections = re.findall(r"^## (.+)$", GUIDELINES, re.M)
    assert re.findall(r'<details class="cc-section"><summary><h2>(.*?)</h2>', toc) == sections
    assert "ATTACK · CLASH · TERRITORY_CHANGE" in toc  # subsections named in their section's summary


def test_every_example_is_drawn_on_the_text_not_shown_as_yaml(page):
    found = examples(GUIDELINES)
    assert page.count('<div class="cc-example">') == len([e for e in found if e.kind == "example"])
    assert page.count('<div class="cc-example cc-counter">') == len([e for e in found if e.kind == "counterexample"])
    assert "<pre>" not in page and "doc_id:" not in page
    assert "Counterexample — do not annotate it this way" in page and "<b>Why:</b>" in page
    # "Russian jets" is marked as an ACTOR, tagged m1, in the colour of ACTOR regions
    assert '<span class="cc-tag cc-t-ACTOR">m1</span><mark class="cc-k-ACTOR" title="ACTOR">Russian jets</mark>' in page
    assert "attacker → <b>m1</b> “Russian jets”" in page
    actor = next(k for k in REGION_KINDS if k.label == "ACTOR")
    assert f".cc-k-ACTOR {{ background: {actor.color}26; border-bottom: 2px solid {actor.color}; }}" in page


def test_text_is_escaped_never_injected(ont):
    doc = {"doc_id": "d1", "title": "<b>T</b>", "text": "Moscow said <script>x</script> & more.",
           "text_sha256": "0" * 64}
    markdown = ("# G\n\n<img src=x onerror=alert(1)>\n\n```yaml example\ndoc_id: d1\nmentions:\n"
                "  - {id: m1, span: Moscow, actor: RUS_GOV}\n```\n\n```yaml counterexample\ndoc_id: d1\n"
                "quote: <script>x</script>\nwhy: \"<i>no</i>\"\n```\n")
    page = render_instructions(markdown, {"d1": doc}, ont)
    assert "<script>" not in page and "<img" not in page and "<i>no</i>" not in page and "<b>T</b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more." in page and "&lt;i&gt;no&lt;/i&gt;" in page


def test_an_example_whose_document_is_missing_is_shown_as_written(ont):
    page = render_instructions("# G\n\n## S\n\n```yaml example\ndoc_id: nowhere\nmentions: []\n```\n", {}, ont)
    assert '<div class="cc-example"><div class="cc-head">Example</div><pre>doc_id: nowhere\nmentions: []\n</pre>' in page


def test_label_studio_keeps_the_instructions_exactly(page):
    """Label Studio cleans instructions with bleach when they are saved: nothing of ours may be lost (and an
    unchanged project is not updated on every push)."""
    bleach = pytest.importorskip("bleach")
    constants = pytest.importorskip("label_studio.constants")
    assert bleach.clean(page, tags=constants.SAFE_HTML_TAGS, attributes=constants.SAFE_HTML_ATTRIBUTES) == page
