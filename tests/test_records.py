"""The shared suite every produced record must pass: corpus annotations, gold sources, and the export.

Offsets reproduce the text, ids are unique, references resolve — failing hard, for every record.
"""

from __future__ import annotations

import datasets
import pytest
from click.testing import CliRunner

from counterclaim.io import jsonio
from counterclaim.cli import main
from counterclaim.hf.export import CONFIGS, STAMP, freshness_stamp
from counterclaim.model.ontology import load_ontology
from counterclaim.io.layout import Layout
from counterclaim.corpus.store import corpus_index as load_corpus_index
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")
DOCS = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")}
ANNOTATED = sorted((REPO / "corpus" / "annotations").glob("*.json"))
EXPORT = REPO / "export"


def test_every_seed_article_has_a_gold_annotation():
    assert {p.stem for p in ANNOTATED} == set(DOCS)


@pytest.mark.parametrize("path", ANNOTATED, ids=lambda p: p.stem)
def test_annotated_document_validates_against_schema_and_corpus(path):
    doc = jsonio.read_json(path)
    assert document_problems(doc, ONT, load_corpus_index(REPO / "corpus")) == []
    (gold,) = [a for a in doc["annotations"] if a["ground_truth"]]
    assert gold["provenance"]["annotator"] == "maintainers" and gold["provenance"]["guidelines_version"]


@pytest.mark.parametrize("path", sorted((REPO / "corpus" / "gold").glob("*.yaml")), ids=lambda p: p.stem)
def test_gold_json_is_compiled_from_its_yaml(path, tmp_path):
    result = CliRunner().invoke(main, ["author", "compile", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{path.stem}.json").read_bytes() == (REPO / "corpus" / "annotations" / f"{path.stem}.json").read_bytes()


def test_committed_export_is_fresh():
    assert jsonio.read_json(EXPORT / STAMP) == freshness_stamp(Layout(REPO)), "run `counterclaim export`"


def _span_ok(text: str, start, end, covered) -> bool:
    return start is not None and 0 <= start < end <= len(text) and text[start:end] == covered


@pytest.fixture(scope="module")
def export_rows():
    return {config: [r for split in datasets.load_dataset(str(EXPORT), config).values() for r in split]
            for config in CONFIGS}


def test_every_exported_span_reproduces_the_text(export_rows):
    for row in export_rows["documents"]:
        text = row["text"]
        assert text == DOCS[row["doc_id"]]["text"]
        for m in row["mentions"]:
            assert _span_ok(text, m["start"], m["end"], m["text"])
        for e in row["events"]:
            assert _span_ok(text, e["trigger"]["start"], e["trigger"]["end"], e["trigger"]["text"])
            for a in e["arguments"]:
                assert _span_ok(text, a["start"], a["end"], a["text"])
            for q in e["quantities"]:
                assert _span_ok(text, q["start"], q["end"], q["text"])
        for c in row["claims"]:
            for s in c["content"]:
                assert _span_ok(text, s["start"], s["end"], s["text"])
    for row in export_rows["ner"]:
        text = DOCS[row["doc_id"]]["text"]
        for token, start, end in zip(row["tokens"], row["token_starts"], row["token_ends"]):
            assert text[start:end] == token
    for row in export_rows["events"]:
        text = DOCS[row["doc_id"]]["text"]
        assert text[row["context_start"]:row["context_start"] + len(row["context"])] == row["context"]
        assert row["context_start"] <= row["trigger"]["start"] < row["context_start"] + len(row["context"])


def test_ids_are_unique_and_references_resolve(export_rows):
    for row in export_rows["documents"]:
        ids = [m["id"] for m in row["mentions"]] + [e["id"] for e in row["events"]] + \
              [q["id"] for e in row["events"] for q in e["quantities"]] + [c["id"] for c in row["claims"]]
        assert len(ids) == len(set(ids)), row["doc_id"]
        mentions = {m["id"] for m in row["mentions"]}
        events = {e["id"] for e in row["events"]}
        quantities = {q["id"] for e in row["events"] for q in e["quantities"]}
        claims = {c["id"] for c in row["claims"]}
        for e in row["events"]:
            assert e["part_of"] is None or e["part_of"] in events
            for a in e["arguments"]:
                assert a["mention_id"] is None or a["mention_id"] in mentions
                assert a["event_id"] is None or a["event_id"] in events
        for c in row["claims"]:
            assert set(c["about_events"]) <= events and set(c["about_quantities"]) <= quantities
            assert set(c["supports"]) | set(c["contests"]) <= claims
            for source in ([c["claimant"]] if c["claimant"] else []) + c["reported_via"]:
                assert source["mention_id"] is None or source["mention_id"] in mentions
    by_doc = {r["doc_id"]: r for r in export_rows["documents"]}
    for row in export_rows["claims"]:
        assert row["claim_id"] in {c["id"] for c in by_doc[row["doc_id"]]["claims"]}
    for row in export_rows["events"]:
        assert row["event_id"] in {e["id"] for e in by_doc[row["doc_id"]]["events"]}


def test_claims_of_the_five_articles_have_claimants_and_linked_events(export_rows):
    rows = export_rows["claims"]
    assert {r["doc_id"] for r in rows} == set(DOCS)
    assert all(r["claimant"] is not None or r["claimant_kind"] == 1 for r in rows)  # 1 = outlet
    moscow = next(r for r in rows if r["content_text"].startswith("it had hit an astonishing 1,623"))
    assert moscow["claimant"]["text"] == "Moscow" and moscow["claimant_actor_name"] == "Government of Russia"
    assert moscow["quantities"][0]["value"] == 1623.0 and moscow["events"]


def test_card_states_who_annotated_and_the_worked_example():
    card = (EXPORT / "README.md").read_text(encoding="utf-8")
    assert "by `maintainers` (written by hand, guidelines 0.2.0)" in card
    assert "no document is double-annotated" in card
    assert "> it had hit an astonishing 1,623 jihadi targets" in card
