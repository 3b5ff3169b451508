"""`counterclaim baselines run`: trains on the gold train split, scores the test split, end to end, deterministic;
its committed results are what a fresh run gives, and the card shows them."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from counterclaim.baselines.crf import shape, spans_from_bio
from counterclaim.cli import main
from counterclaim.io import jsonio
from counterclaim.model.ontology import load_ontology
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("baselines-project")
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, root / name)
    result = CliRunner().invoke(main, ["baselines", "run", "--project", str(root)])
    assert result.exit_code == 0, result.output
    return root, result.output


def test_run_reports_every_system(project):
    _, output = project
    lines = output.splitlines()
    assert re.fullmatch(r"trained on \d+ document\(s\), scored on \d+ test document\(s\); wrote .+", lines[0])
    assert lines[1].startswith("crf-linear: mention F1 ")
    assert lines[2].startswith("registry-aliases: mention F1 ")
    assert lines[3].startswith("rule-preannotator: mention F1 ")


def test_committed_results_are_what_a_fresh_run_gives(project):
    root, _ = project
    assert (root / "baselines" / "results.json").read_bytes() == (REPO / "baselines" / "results.json").read_bytes(), \
        "run `counterclaim baselines run` and `counterclaim export`"
    for path in sorted((root / "baselines" / "predictions").rglob("*.json")):
        assert path.read_bytes() == (REPO / "baselines" / path.relative_to(root / "baselines")).read_bytes()


def test_a_second_run_gives_the_same_bytes(project, tmp_path):
    root, _ = project
    result = CliRunner().invoke(main, ["baselines", "run", "--project", str(root), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["systems"][0]["name"] == "crf-linear"
    assert (tmp_path / "results.json").read_bytes() == (root / "baselines" / "results.json").read_bytes()


def test_predictions_validate_and_score_as_recorded(project):
    root, _ = project
    results = jsonio.read_json(root / "baselines" / "results.json")
    from counterclaim.hf.splits import split_of

    assert all(split_of(d) == split for split, docs in results["splits"].items() for d in docs)
    assert "b9349cabdf37dc18" in results["splits"]["test"] and "17a8eb7dc5290d52" in results["splits"]["train"]
    for system in (s for s in results["systems"] if s["status"] == "ok"):
        folder = root / "baselines" / "predictions" / system["name"]
        for path in folder.glob("*.json"):
            assert document_problems(jsonio.read_json(path), ONT, None) == []
        out = CliRunner().invoke(main, ["evaluate", str(root / "corpus" / "annotations"), str(folder), "--split",
                                        "test", "--json", "--project", str(root)])
        scored = json.loads(out.output)
        mention = next(s for s in scored["spans"] if s["name"] == "mention")["total"]["exact"]["f1"]
        assert round(mention, 4) == system["scores"]["mention_exact_f1"]
    crf = results["systems"][0]["scores"]
    assert crf["mention_exact_f1"] > 0.3 and crf["claim_overlap_f1"] > 0.3  # it learnt something


def test_the_card_shows_the_baselines():
    card = (REPO / "export" / "README.md").read_text(encoding="utf-8")
    assert "## Baselines" in card and "## Evaluation: the official metric" in card
    crf = jsonio.read_json(REPO / "baselines" / "results.json")["systems"][0]["scores"]
    assert f"| `crf-linear` | {crf['mention_exact_f1']:.3f} ({crf['mention_overlap_f1']:.3f}) |" in card
    assert "**These scores are stale**" not in card


def test_no_gold_in_the_test_split_is_a_clear_error(tmp_path):
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, tmp_path / name)
    from counterclaim.hf.splits import split_of

    for path in (tmp_path / "corpus" / "annotations").glob("*.json"):
        if split_of(path.stem) == "test":
            path.unlink()
    result = CliRunner().invoke(main, ["baselines", "run", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == ("Error: no gold document in the test split; annotate more documents before training "
                             "baselines\n")


def test_bio_decoding_and_word_shapes():
    assert spans_from_bio(["B-a", "I-a", "O", "I-b", "B-b", "I-a"], [0, 2, 4, 6, 8, 10], [1, 3, 5, 7, 9, 11]) == [
        (0, 3, "a"), (6, 7, "b"), (8, 9, "b"), (10, 11, "a")]
    assert (shape("Moscow"), shape("1,623"), shape("U.S.")) == ("Xx", "d,d", "X.X.")
