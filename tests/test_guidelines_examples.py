"""Every example in the guidelines is a real annotation: compiled against the corpus text and validated."""

from __future__ import annotations

import re

from counterclaim.io import jsonio
from counterclaim.quality.guidelines import check_examples, examples
from counterclaim.model.ontology import load_ontology
from helpers import REPO

GUIDELINES = (REPO / "guidelines" / "guidelines.md").read_text(encoding="utf-8")
DOCUMENTS = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")}
ONT = load_ontology(REPO / "schema")


def test_every_example_compiles_and_validates_against_the_corpus():
    assert check_examples(GUIDELINES, DOCUMENTS, ONT, "0.0.1") == []


def test_examples_cover_every_event_type_and_the_hard_cases():
    found = examples(GUIDELINES)
    assert len([e for e in found if e.kind == "example"]) >= 40
    assert len([e for e in found if e.kind == "counterexample"]) >= 15
    types = {ev["type"] for e in found if e.kind == "example" for ev in e.data.get("events", [])}
    assert types == set(ONT.ids("event_types")), set(ONT.ids("event_types")) - types
    realis = {ev.get("realis", "actual") for e in found if e.kind == "example" for ev in e.data.get("events", [])}
    assert {"actual", "negated", "future", "hypothetical", "generic"} <= realis
    claims = [c for e in found if e.kind == "example" for c in e.data.get("claims", [])]
    assert any(c["claimant"]["kind"] == "outlet" for c in claims)
    unnamed = [c["claimant"] for c in claims if c["claimant"]["kind"] == "unnamed"]
    assert any("mention" in u for u in unnamed) and any("mention" not in u for u in unnamed)
    assert any(len(c.get("co_claimants", [])) >= 2 for c in claims)
    assert any(c.get("reported_via") for c in claims)
    assert any(c["claimant"]["kind"] == "unnamed" and c.get("reported_via") for c in claims)
    assert {link["type"] for c in claims for link in c.get("links", [])} == {"supports", "contests"}
    for heading in ("### Reported speech and nested attribution", "### Numbers and aggregates",
                    "### Denials and negation", "### Contested claims about the same events",
                    "### Unsourced assertions and the outlet's framing",
                    "### Planned, hypothetical and future events", "### Scraped residue and truncated sentences",
                    "### How far an attribution extends", "### Unnamed sources", "### Several sources",
                    "### Claims referred to by a noun", "### Quotations with no speaker", "## Order of precedence"):
        assert heading in GUIDELINES


def test_every_rule_is_written_once_and_precedence_comes_first():
    """Rules are numbered R1, R2, ... without gaps or duplicates, so reviews and the gold changelog can cite them."""
    numbers = [int(n) for n in re.findall(r"^\*\*R(\d+)\b", GUIDELINES, re.M)]
    assert sorted(numbers) == list(range(1, len(numbers) + 1)) and len(numbers) >= 20
    precedence = GUIDELINES[GUIDELINES.index("## Order of precedence"):GUIDELINES.index("## Purpose")]
    assert precedence.index("decision rules") < precedence.index("the examples") < precedence.index("registry hints")


def test_a_broken_example_is_reported_with_its_line():
    broken = "intro\n\n```yaml example\ndoc_id: 17a8eb7dc5290d52\nmentions:\n  - {id: m1, span: Moskva, actor: RUS_GOV}\n```\n"
    problems = check_examples(broken, DOCUMENTS, ONT, "0.0.1")
    assert problems == ["guidelines.md:3.mentions[0].span: 'Moskva' does not occur in the document text"]
    wrong = "```yaml counterexample\ndoc_id: 17a8eb7dc5290d52\nquote: nowhere to be found\nwhy: x\n```\n"
    assert check_examples(wrong, DOCUMENTS, ONT, "0.0.1") == [
        "guidelines.md:1: quote 'nowhere to be found' does not occur in 17a8eb7dc5290d52"]
