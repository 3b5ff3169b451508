"""`counterclaim preannotate`: exit codes, messages and the JSON shapes of proposals and evaluations."""

from __future__ import annotations

import json

from click.testing import CliRunner

from counterclaim.cli import COMMANDS, main
from counterclaim.model.ontology import load_ontology
from counterclaim.preannotate import DEV_DOCS, HELDOUT_DOCS
from counterclaim.validation import document_problems
from helpers import EMOJI_DOC_ID, REPO

LAYERS = ["mention", "event", "quantity", "claim", "cue"]


def run(*args):
    return CliRunner().invoke(main, ["preannotate", *map(str, args)])


def test_the_command_is_registered_and_its_help_shows_examples():
    assert "preannotate" in COMMANDS
    result = run("--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "counterclaim preannotate --evaluate" in result.output


def test_proposals_are_printed_as_json_with_their_evidence():
    result = run(DEV_DOCS[1], "--project", REPO)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)
    assert item["doc_id"] == DEV_DOCS[1]
    assert set(item) == {"doc_id", "annotation", "evidence"}
    assert item["annotation"]["provenance"]["origin"] == "prediction"
    assert set(item["evidence"]["objects"]) == {m["id"] for m in item["annotation"]["mentions"]} | \
        {e["id"] for e in item["annotation"]["events"]} | \
        {q["id"] for e in item["annotation"]["events"] for q in e["quantities"]} | \
        {c["id"] for c in item["annotation"]["claims"]}
    assert {"source", "relation", "target", "rule", "confidence"} == set(item["evidence"]["links"][0])


def test_a_split_without_evaluate_prints_its_documents():
    result = run("--split", "heldout", "--project", REPO)
    assert result.exit_code == 0, result.output
    assert [item["doc_id"] for item in json.loads(result.output)] == list(HELDOUT_DOCS)


def test_evaluate_scores_dev_and_heldout_separately():
    result = run("--evaluate", "--json", "--project", REPO)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert list(scores) == ["dev", "heldout"]
    assert scores["dev"]["documents"] == list(DEV_DOCS) and scores["heldout"]["documents"] == list(HELDOUT_DOCS)
    for split in scores.values():
        assert [layer["name"] for layer in split["layers"]] == LAYERS
        assert {"arguments", "claimant", "cue", "about_events", "about_quantities"} <= {link["name"] for link in split["links"]}
        assert 0 < split["layers"][0]["overlap"]["f1"] <= 1


def test_evaluate_one_split_as_tables():
    result = run("--evaluate", "--split", "dev", "--project", REPO)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"dev: 3 document(s): {', '.join(DEV_DOCS)}")
    assert "heldout" not in result.output
    for heading in ("Layers", "Links", "Attributes", "Rules"):
        assert heading in result.output


def test_evaluate_named_documents():
    result = run("--evaluate", "--json", DEV_DOCS[0], "--project", REPO)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"]["documents"] == [DEV_DOCS[0]]


def test_unknown_documents_are_named():
    result = run("nope", "--project", REPO)
    assert result.exit_code == 1
    assert result.output.startswith("Error: not in the corpus: nope; check the ids in ")


def test_conflicting_options_are_usage_errors():
    result = run(DEV_DOCS[0], "--split", "dev", "--project", REPO)
    assert result.exit_code == 2 and "give DOC_IDs or --split, not both" in result.output
    result = run("--json", "--project", REPO)
    assert result.exit_code == 2 and "--json goes with --evaluate" in result.output
    result = run("--split", "train", "--project", REPO)
    assert result.exit_code == 2 and "'train' is not one of 'dev', 'heldout', 'all'" in result.output


def test_a_document_without_gold_can_be_proposed_but_not_evaluated(project_dir):
    result = run(EMOJI_DOC_ID, "--project", project_dir)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)
    documents = {json.loads(line)["doc_id"]: json.loads(line)
                 for line in (project_dir / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()}
    text = documents[EMOJI_DOC_ID]["text"]
    doc = {"schema_version": load_ontology(REPO / "schema").version, "doc_id": EMOJI_DOC_ID, "corpus_version": "0.1.0", "text": text,
           "text_sha256": documents[EMOJI_DOC_ID]["text_sha256"], "annotations": [item["annotation"]]}
    assert document_problems(doc, load_ontology(REPO / "schema")) == []  # offsets count code points
    assert any(m["span"]["text"] == "Moscow" for m in item["annotation"]["mentions"])
    result = run("--evaluate", EMOJI_DOC_ID, "--project", project_dir)
    assert result.exit_code == 1
    assert f"Error: no gold annotation for {EMOJI_DOC_ID}.json" in result.output
