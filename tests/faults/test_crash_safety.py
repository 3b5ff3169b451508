"""Crash safety: each command that changes several files is killed (SIGKILL) before each of its durable operations
in turn; the next command must find the old state or the new one, and running the command again must give exactly
the state of an uninterrupted run (tests/faults/crash.py). Small projects keep the few dozen runs per command fast.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from counterclaim.io.jsonio import sha256_text
from counterclaim.labelstudio.results import annotation_to_results
from counterclaim.model.ontology import load_ontology
from crash import Zygote, crash_everywhere, snapshot

GOLD = "17a8eb7dc5290d52"


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    z = Zygote(tmp_path_factory.mktemp("zygote"))
    yield z
    z.close()


@pytest.fixture()
def base(built_project) -> Path:
    """Two seed documents, built, one annotated document, exported (tests/faults/conftest.py)."""
    return built_project


def _copy(base: Path, tmp_path: Path) -> Path:
    project = tmp_path / "base"
    shutil.copytree(base, project, symlinks=True)
    return project


def _gold(project: Path) -> Path:
    return project / "corpus" / "annotations" / f"{GOLD}.json"


def test_corpus_add(zygote, base, tmp_path):
    project = _copy(base, tmp_path)
    source = tmp_path / "incoming.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "n1", "title": "First new article", "text": "Jets struck a depot near Idlib on Monday."},
        {"id": "n2", "title": "Second new article", "text": "The ministry denied that any civilians died."},
    ]), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work, lambda p: ["corpus", "add", source, "--project", p, "--quiet"])
    assert report.old_states and report.new_states


def test_corpus_add_of_an_input_too_large_to_copy(zygote, base, tmp_path):
    """The input is referenced in raw/ (``raw/incoming.input.json``) instead of copied (--copy-limit 0)."""
    project = _copy(base, tmp_path)
    source = tmp_path / "incoming.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "n1", "title": "First new article", "text": "Jets struck a depot near Idlib on Monday."},
        {"id": "n2", "title": "Second new article", "text": "The ministry denied that any civilians died."},
    ]), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work, lambda p: ["corpus", "add", source, "--project", p, "--quiet",
                                                                "--copy-limit", "0"])
    assert report.old_states and report.new_states
    assert (work / "clean" / "corpus" / "raw" / "incoming.input.json").exists()
    assert not (work / "clean" / "corpus" / "raw" / "incoming.jsonl").exists()


def test_export(zygote, base, tmp_path):
    project = _copy(base, tmp_path)
    doc = json.loads(_gold(project).read_text(encoding="utf-8"))
    doc["annotations"][0]["claims"][0]["certainty"] = "probable"
    _gold(project).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work, lambda p: ["export", "--project", p, "--quiet"])
    assert report.old_states and report.new_states


def test_silver_build(zygote, base, tmp_path):
    project = _copy(base, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work, lambda p: ["silver", "build", "--project", p, "--quiet"])
    assert report.old_states and report.new_states


def test_release(zygote, base, tmp_path):
    project = _copy(base, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work, lambda p: ["release", "0.1.0", "--project", p],
                              rerun_exits=(0, 1))  # after a completed commit: "not greater than 0.1.0"
    assert report.old_states and report.new_states


def _export_file(project: Path, path: Path) -> Path:
    """A Label Studio JSON export of both documents: annotator 3 labelled them, with counterclaim's config."""
    ont = load_ontology(project / "schema")
    docs = [json.loads(line) for line in (project / "corpus" / "documents.jsonl").read_text().splitlines()]
    gold = json.loads(_gold(project).read_text(encoding="utf-8"))["annotations"][0]
    tasks = []
    for i, doc in enumerate(docs, start=1):
        ann = copy.deepcopy(gold) if doc["doc_id"] == GOLD else {"id": "x", "mentions": [], "events": [], "claims": []}
        if doc["doc_id"] != GOLD:
            ann["mentions"] = [{"id": "m1", "span": {"start": 0, "end": 6, "text": doc["text"][:6]}, "actor": None,
                                "type": "other"}]
        tasks.append({"id": i, "project": 7, "data": {"doc_id": doc["doc_id"], "text": doc["text"],
                                                     "text_sha256": sha256_text(doc["text"])},
                      "annotations": [{"id": 100 + i, "completed_by": 3, "was_cancelled": False, "ground_truth": False,
                                       "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
                                       "lead_time": 10.0, "result": annotation_to_results(doc["text"], ann, ont)}]})
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_studio_pull(zygote, base, tmp_path):
    project = _copy(base, tmp_path)
    export = _export_file(project, tmp_path / "export.json")
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work,
                              lambda p: ["studio", "pull", "--from-file", export, "--project", p, "--quiet"],
                              run_reports=(".counterclaim/pull-report.json",))
    assert report.old_states and report.new_states


def test_adjudicate(zygote, base, tmp_path):
    project = _copy(base, tmp_path)
    doc = json.loads(_gold(project).read_text(encoding="utf-8"))
    second = copy.deepcopy(doc["annotations"][0])
    second["id"] = "second"
    second["provenance"]["annotator"] = "another"
    second["claims"][0]["certainty"] = "probable"
    second["claims"][1]["stance"] = "deny"
    third = copy.deepcopy(second)
    third["id"], third["provenance"]["annotator"] = "third", "a-third"
    doc["annotations"] += [second, third]
    _gold(project).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = snapshot(project)
    work = tmp_path / "work"
    work.mkdir()
    report = crash_everywhere(zygote, project, work, lambda p: ["adjudicate", "--project", p])
    assert report.old_states and report.new_states
    assert snapshot(project) == before  # the base copy itself was never run on
