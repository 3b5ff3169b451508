"""The shared suite every produced record must pass: corpus annotations, gold sources, and the export.

Offsets reproduce the text, ids are unique, references resolve — failing hard, for every record.
"""

from __future__ import annotations

import json

import datasets
import pytest
from click.testing import CliRunner

from counterclaim.io import jsonio
from counterclaim.cli import main
from counterclaim.hf.export import CONFIGS, STAMP, freshness_stamp
from counterclaim.model.ontology import load_ontology
from counterclaim.model.selection import select_gold
from counterclaim.io.layout import Layout
from counterclaim.corpus.store import corpus_index as load_corpus_index
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")
DOCS = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")}
ANNOTATED = sorted((REPO / "corpus" / "annotations").glob("*.json"))
EXPORT = REPO / "export"


def test_every_seed_article_has_a_gold_annotation():
    seeds = {doc_id for doc_id, doc in DOCS.items() if doc["source"]["kind"] == "txt"}
    assert len(seeds) == 5 and seeds <= {p.stem for p in ANNOTATED} <= set(DOCS)


@pytest.mark.parametrize("path", ANNOTATED, ids=lambda p: p.stem)
def test_annotated_document_validates_against_schema_and_corpus(path):
    doc = jsonio.read_json(path)
    assert document_problems(doc, ONT, load_corpus_index(REPO / "corpus")) == []
    gold = select_gold(doc).annotation
    assert gold is not None and gold["provenance"]["guidelines_version"] == "0.2.0"
    assert gold["provenance"]["annotator"] in ("maintainers", "maintainer-a", "adjudicator", "counterclaim-adjudicate")


GOLD = REPO / "corpus" / "gold"


@pytest.mark.parametrize("doc_id", sorted({p.stem for p in GOLD.rglob("*.yaml")}))
def test_gold_json_is_compiled_from_its_yaml(doc_id, tmp_path):
    """A document's JSON is the compile of all its authoring files: corpus/gold/<doc_id>.yaml and, for a
    double-annotated document, the second pass and the adjudicated gold in the folders below (one annotation
    each)."""
    files = sorted(GOLD.rglob(f"{doc_id}.yaml"))
    assert GOLD / f"{doc_id}.yaml" in files
    result = CliRunner().invoke(main, ["author", "compile", *map(str, files), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{doc_id}.json").read_bytes() == (REPO / "corpus" / "annotations" / f"{doc_id}.json").read_bytes()


def test_committed_export_is_fresh():
    assert jsonio.read_json(EXPORT / STAMP) == freshness_stamp(Layout(REPO)), "run `counterclaim export`"


def _span_ok(text: str, start, end, covered) -> bool:
    return start is not None and 0 <= start < end <= len(text) and text[start:end] == covered


@pytest.fixture(scope="module")
def export_rows():
    return {config: [r for split in datasets.load_dataset(str(EXPORT), config).values() for r in split]
            if (EXPORT / config).is_dir() else [] for config in CONFIGS}  # a config without rows has no files


def test_every_exported_span_reproduces_the_text(export_rows):
    assert len(export_rows["silver_documents"]) == len(DOCS)  # the silver of every document, checked alike
    for row in export_rows["documents"] + export_rows["silver_documents"]:
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
    for row in export_rows["documents"] + export_rows["silver_documents"]:
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
    silver_by_doc = {r["doc_id"]: r for r in export_rows["silver_documents"]}
    for config, layers in (("incidents", by_doc), ("silver_incidents", silver_by_doc),
                           ("claims", by_doc), ("silver_claims", silver_by_doc)):
        for row in export_rows[config]:
            assert row.get("event_id") is None or row["event_id"] in {e["id"] for e in layers[row["doc_id"]]["events"]}
            assert row["claim_id"] is None or row["claim_id"] in {c["id"] for c in layers[row["doc_id"]]["claims"]}


def test_claims_have_claimants_and_linked_events(export_rows):
    rows = export_rows["claims"]
    assert {r["doc_id"] for r in rows} == {p.stem for p in ANNOTATED}
    assert all(r["claimant"] is not None or r["claimant_kind"] == 1 for r in rows)  # 1 = outlet
    moscow = next(r for r in rows if r["content_text"].startswith("it had hit an astonishing 1,623"))
    assert moscow["claimant"]["text"] == "Moscow" and moscow["claimant_actor_name"] == "Government of Russia"
    assert moscow["quantities"][0]["value"] == 1623.0 and moscow["events"]


def test_card_states_who_annotated_and_the_worked_example():
    card = (EXPORT / "README.md").read_text(encoding="utf-8")
    assert "by `maintainers` (written by hand, guidelines 0.2.0)" in card
    assert "12 document(s) by `adjudicator` (written by hand, guidelines 0.2.0)" in card
    assert "> it had hit an astonishing 1,623 jihadi targets" in card


def test_card_shows_the_committed_agreement_and_how_each_pass_was_made():
    """The card's agreement table is generated from corpus/adjudication/agreement.json, and each annotator's row
    carries the description of their pass from corpus/card.yaml."""
    import yaml

    card = (EXPORT / "README.md").read_text(encoding="utf-8")
    record = jsonio.read_json(REPO / "corpus" / "adjudication" / "agreement.json")
    assert record["documents"]["compared"] == 12 and record["annotators"] == ["annotator-b", "maintainer-a"]
    for block in record["spans"]:
        total = block["total"]
        assert (f"| `{block['name']}` | {total['regions']} | {total['exact']['f1']:.3f} | {total['overlap']['f1']:.3f} "
                f"| {block['unlabelled']['overlap']['f1']:.3f} |") in card
    for row in record["attributes"]:
        assert (f"| `{row['layer']}.{row['attribute']}` | {row['alpha']:.3f}") in card
        assert f"| {row['raw_agreement']:.3f} | {row['expected_agreement']:.3f} | {row['units']} |" in card
    for block in record["links"]:
        assert f"| `{block['name']}` | {block['total']['regions']} | {block['total']['exact']['f1']:.3f} |" in card
    notes = yaml.safe_load((REPO / "corpus" / "card.yaml").read_text(encoding="utf-8"))["annotators"]
    assert set(notes) == {"maintainers", "maintainer-a", "annotator-b", "adjudicator"}
    for who, how in notes.items():
        assert f"| `{who}` |" in card and " ".join(how.split()) in card
    assert "| `annotator-b` | 12 | 0 |" in card and "| `maintainer-a` | 40 | 28 |" in card
    assert "| `adjudicator` | 12 | 12 |" in card and "| `maintainers` | 5 | 5 |" in card


@pytest.mark.parametrize("path", sorted((REPO / "corpus" / "annotations").glob("*.json")), ids=lambda p: p.stem)
def test_decompiling_an_annotation_and_compiling_it_gives_it_back(path):
    """`author draft` writes annotations as authoring YAML; compiling that YAML must give them back."""
    import yaml

    from counterclaim.quality.authoring import compile_document
    from counterclaim.quality.decompile import dump_authoring, to_authoring

    doc = json.loads(path.read_text(encoding="utf-8"))
    ann = doc["annotations"][0]
    text = dump_authoring(to_authoring(doc["doc_id"], doc["text"], ann, header={"id": ann["id"]}))
    back = compile_document(yaml.safe_load(text), doc, schema_version=ONT.version, corpus_version="0.0.1",
                            where=str(path))["annotations"][0]
    assert {k: back[k] for k in ("mentions", "events", "claims")} == {k: ann[k] for k in ("mentions", "events", "claims")}


def test_author_draft_writes_the_engines_proposal_as_yaml_that_compiles(tmp_path):
    from click.testing import CliRunner

    from counterclaim.cli import main

    result = CliRunner().invoke(main, ["author", "draft", "17a8eb7dc5290d52", "--out", str(tmp_path),
                                       "--project", str(REPO)])
    assert result.exit_code == 0, result.output
    draft = tmp_path / "17a8eb7dc5290d52.yaml"
    assert draft.read_text(encoding="utf-8").startswith("# Draft of 17a8eb7dc5290d52 from the pre-annotation engine")
    compiled = CliRunner().invoke(main, ["author", "compile", str(draft), "--out", str(tmp_path), "--project", str(REPO)])
    assert compiled.exit_code == 0, compiled.output
    again = CliRunner().invoke(main, ["author", "draft", "17a8eb7dc5290d52", "--out", str(tmp_path),
                                      "--project", str(REPO)])
    assert again.exit_code == 1 and "exists; correct it, or pass --force" in again.output
