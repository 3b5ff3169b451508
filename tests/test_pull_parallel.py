"""Converting an export with worker processes gives exactly what one process gives."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from counterclaim.errors import InputError
from counterclaim.ontology import load_ontology
from counterclaim.studio.convert import ConvertOptions
from counterclaim.studio.pull import pull_export
from helpers import REALDATA, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate_export  # noqa: E402

ONT = load_ontology(REPO / "schema")


def _pull(export, out, workers, **options):
    report = pull_export(export, ont=ONT, options=ConvertOptions(schema_version=ONT.version, corpus_version="0.1.0",
                                                                 **options),
                         out_dir=out, corpus_index=None, workers=workers)
    files = {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}
    summary = report.to_dict()
    summary.pop("written")
    return summary, files


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    _, export, _ = generate_export.write(40, tmp_path_factory.mktemp("gen"), 3, ONT)
    return export


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_give_the_same_files_and_report(generated, tmp_path, workers):
    serial = _pull(generated, tmp_path / "serial", 0)
    parallel = _pull(generated, tmp_path / "parallel", workers)
    assert len(serial[1]) == 40 and serial[0]["tasks"] == 40
    assert parallel == serial


@pytest.mark.skipif(not (REALDATA / "labelstudio").exists(), reason="../shared/realdata is not beside the repository")
def test_workers_merge_tasks_of_the_same_text_like_one_process(tmp_path):
    export = REALDATA / "labelstudio" / "labic_multi_annotator_ner_pt" / "all_annotations_export.json"
    label_map = {label: ("ACTOR", "other") for label in ("MEDICATION", "DISEASE", "SYMPTOM", "ANATOMY")}
    serial = _pull(export, tmp_path / "serial", 0, label_map=label_map)
    parallel = _pull(export, tmp_path / "parallel", 2, label_map=label_map)
    assert any("their annotations are merged" in item["reason"] for item in serial[0]["items"])
    assert parallel == serial


def test_a_truncated_export_is_an_error_and_writes_nothing(generated, tmp_path):
    broken = tmp_path / "broken.json"
    data = generated.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "out"
    with pytest.raises(InputError, match="invalid or truncated JSON: truncated in item"):
        _pull(broken, out, 1)
    assert not list(out.glob("*.json")) and not list(out.glob(".pull-*"))


def test_an_empty_export_converts_nothing(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps([]))
    summary, files = _pull(empty, tmp_path / "out", 1)
    assert summary["tasks"] == 0 and not files


def test_cli_takes_a_worker_count(generated, tmp_path):
    from click.testing import CliRunner

    from counterclaim.cli import main

    project = tmp_path / "project"  # a project without a corpus: the generated documents are not checked against one
    shutil.copytree(REPO / "schema", project / "schema")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["studio", "pull", "--quiet", "--json", "--from-file", str(generated),
                                       "--project", str(project), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["tasks"] == 40 and len(list(out.glob("*.json"))) == 40


def test_a_failure_in_any_process_stops_the_pull_and_writes_nothing(generated, tmp_path, monkeypatch):
    import counterclaim.studio.pull as pull_module
    from counterclaim.studio.errors import StudioError

    real = pull_module.convert_task

    def failing(task, ont, options):
        if task.get("id") == 1030:
            raise RuntimeError("converter bug on task 1030")
        return real(task, ont, options)

    monkeypatch.setattr(pull_module, "convert_task", failing)  # forked workers inherit it
    out = tmp_path / "out"
    with pytest.raises((RuntimeError, StudioError), match="task 1030|converter bug"):
        _pull(generated, out, 1)
    assert not list(out.glob("*.json")) and not list(out.glob(".pull-*"))
