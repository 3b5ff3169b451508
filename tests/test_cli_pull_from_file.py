"""`studio pull --from-file` on real Label Studio exports written by others (no server)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.validation import validate_files
from counterclaim.model.ontology import load_ontology
from helpers import REALDATA, REPO

LS = REALDATA / "labelstudio"
pytestmark = pytest.mark.skipif(not LS.exists(), reason="../shared/realdata is not beside the repository")


def pull(*args):
    return CliRunner().invoke(main, ["studio", "pull", "--quiet", *map(str, args)])


def test_perregion_example_converts_with_a_mapping_and_reports_the_rest(tmp_path):
    export = LS / "frontend_e2e_perregion" / "task_with_perregion_results.json"
    result = pull("--from-file", export, "--out", tmp_path, "--text-field", "reviewText",
                  "--label-map", "Person=ACTOR:person")
    assert result.exit_code == 0, result.output
    (doc_file,) = tmp_path.glob("*.json")
    doc = json.loads(doc_file.read_text())
    (ann,) = doc["annotations"]
    assert ann["mentions"] == [{"id": "dLeaKthoHb", "span": {"start": 186, "end": 192, "text": "amazon"},
                                "actor": None, "type": "person"}]
    out = result.output
    assert "region SnZmh8A4m2: dropped: label `Time` (control `ner`) is not a counterclaim region kind" in out
    assert "region dLeaKthoHb: dropped: per-region textarea `description` is not a counterclaim control; its value ['huge corp']" in out
    assert "region i4d7FDNQMF: dropped: task-level choices `sentiment` is not a counterclaim control" in out
    assert "7 result(s): 6 dropped" in out  # 7 results: 1 converted, 6 reported


def test_perregion_example_without_text_field_is_refused_clearly(tmp_path):
    result = pull("--from-file", LS / "frontend_e2e_perregion" / "task_with_perregion_results.json", "--out", tmp_path)
    assert result.exit_code == 1
    assert "nothing converted from 1 task(s): task data has no `text` text (fields: reviewText); pass --text-field" in result.output
    assert "Traceback" not in result.output and not list(tmp_path.iterdir())


def test_named_entity_example_is_refused_with_the_labels_it_uses(tmp_path):
    result = pull("--from-file", LS / "frontend_named_entity" / "annotations_1.json", "--out", tmp_path)
    assert result.exit_code == 1
    assert "its span labels (Date) are not counterclaim region kinds" in result.output
    assert "--label-map" in result.output and not list(tmp_path.iterdir())


def test_multi_annotator_export_merges_annotators_of_the_same_text(tmp_path):
    export = LS / "labic_multi_annotator_ner_pt" / "all_annotations_export.json"
    result = CliRunner().invoke(main, ["studio", "pull", "--quiet", "--json", "--from-file", str(export),
                                       "--out", str(tmp_path), "--label-map", "MEDICATION=ACTOR:other",
                                       "--label-map", "DISEASE=ACTOR:other", "--label-map", "SYMPTOM=ACTOR:other",
                                       "--label-map", "ANATOMY=ACTOR:other"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["tasks"] == 13 and report["annotations"] == 13
    docs = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("*.json"))]
    assert len(docs) < 13  # several annotators labelled the same text: one document, several annotations
    assert max(len(d["annotations"]) for d in docs) >= 2
    annotators = {a["provenance"]["annotator"] for d in docs for a in d["annotations"]}
    assert all(a.startswith("ls-user-") and "@" not in a for a in annotators)
    # messy edges are trimmed and reported, never silently
    trimmed = [i for i in report["items"] if i["action"] == "adjusted" and i["region_id"]]
    assert trimmed and all("whitespace trimmed from the span edges" in i["reason"] for i in trimmed)
    merged = [i for i in report["items"] if i["action"] == "adjusted" and not i["region_id"]]
    assert len(merged) == 13 - len(docs) and all("(the same text); their annotations are merged" in i["reason"] for i in merged)
    # every result is converted or reported
    converted = sum(len(a["mentions"]) for d in docs for a in d["annotations"])
    dropped = sum(1 for i in report["items"] if i["action"] == "dropped")
    assert converted + dropped == report["results"]
    count, problems = validate_files([tmp_path], load_ontology(REPO / "schema"))
    assert count == len(docs) and problems == []


def test_legacy_completions_export_is_refused(tmp_path):
    result = pull("--from-file", LS / "legacy_completions_format" / "348.json", "--out", tmp_path)
    assert result.exit_code == 1
    assert "pre-1.0 Label Studio export (`completions`); export again from Label Studio 1.x as JSON" in result.output


def test_import_file_with_only_predictions_converts_nothing_and_says_why(tmp_path):
    result = pull("--from-file", LS / "kiji_predictions_import" / "sample_predictions.json", "--out", tmp_path)
    assert result.exit_code == 0
    assert "1 task(s), 0 annotation(s)" in result.output and not list(tmp_path.glob("*.json"))
    assert "prediction (model_version 'coref-v1') with 7 result(s): not a submitted annotation" in result.output


def test_truncated_export_is_a_clear_error(tmp_path):
    broken = tmp_path / "export.json"
    broken.write_bytes((LS / "frontend_e2e_perregion" / "task_with_perregion_results.json").read_bytes()[:500])
    result = pull("--from-file", broken, "--out", tmp_path / "out", "--text-field", "reviewText")
    assert result.exit_code == 1
    assert "invalid or truncated JSON" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.json"))


def test_bad_label_map_is_a_usage_error(tmp_path):
    result = pull("--from-file", LS / "legacy_completions_format" / "348.json", "--label-map", "PER=PERSON")
    assert result.exit_code == 2
    assert "use LABEL=KIND or LABEL=ACTOR:actor_type" in result.output
