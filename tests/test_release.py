"""`counterclaim release`: refuses stale, invalid or backwards states; logs what changed."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from counterclaim.cli import main
from helpers import EXAMPLE_JSON, REPO


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "p"
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, root / name,
                        ignore=shutil.ignore_patterns("annotations", "adjudication", "releases"))
    (root / "corpus" / "annotations").mkdir()
    shutil.copy(EXAMPLE_JSON, root / "corpus" / "annotations" / EXAMPLE_JSON.name)
    assert run("export", "--project", root, "--quiet").exit_code == 0
    return root


def test_release_bumps_manifest_card_and_changelog(project):
    result = run("release", "0.1.0", "--project", project)
    assert result.exit_code == 0, result.output
    assert json.loads((project / "corpus" / "manifest.json").read_text())["version"] == "0.1.0"
    changelog = (project / "corpus" / "CHANGELOG.md").read_text()
    assert changelog.index("## 0.1.0") < changelog.index("## 0.0.1")
    assert "- annotations: 1 added, 0 changed, 0 removed (17a8eb7dc5290d52)" in changelog
    assert "- schema: ontology 0.1.0 (first release)" in changelog
    assert "Corpus version: **0.1.0**" in (project / "export" / "README.md").read_text()
    assert (project / "corpus" / "releases" / "0.1.0.json").exists()
    # the export is fresh again after a release: an annotation-only change is a patch
    path = project / "corpus" / "annotations" / EXAMPLE_JSON.name
    doc = json.loads(path.read_text())
    doc["annotations"][0]["claims"][0]["certainty"] = "probable"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    assert run("export", "--project", project, "--quiet").exit_code == 0
    result = run("release", "0.1.1", "--project", project)
    assert result.exit_code == 0, result.output
    assert "- annotations: 0 added, 1 changed, 0 removed (17a8eb7dc5290d52)" in result.output


def test_release_refuses_to_go_backwards(project):
    result = run("release", "0.0.1", "--project", project)
    assert result.exit_code == 1
    assert "refusing to go backwards: 0.0.1 is not greater than the current version 0.0.1" in result.output
    assert run("release", "banana", "--project", project).exit_code == 1


def test_release_refuses_a_stale_export(project):
    path = project / "corpus" / "annotations" / EXAMPLE_JSON.name
    doc = json.loads(path.read_text())
    doc["annotations"][0]["claims"][0]["stance"] = "neutral"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = run("release", "0.1.0", "--project", project)
    assert result.exit_code == 1
    assert "is missing or stale" in result.output and "run `counterclaim export`" in result.output
    assert json.loads((project / "corpus" / "manifest.json").read_text())["version"] == "0.0.1"


def test_release_refuses_invalid_annotations(project):
    path = project / "corpus" / "annotations" / EXAMPLE_JSON.name
    doc = json.loads(path.read_text())
    doc["annotations"][0]["mentions"][0]["actor"] = "NOBODY"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = run("release", "0.1.0", "--project", project)
    assert result.exit_code == 1
    assert "/annotations/0/mentions/0/actor: unknown actor `NOBODY`" in result.output
    assert "nothing released" in result.output


def test_a_changed_closed_label_set_needs_a_major_release(project):
    assert run("release", "0.1.0", "--project", project).exit_code == 0
    ontology = project / "schema" / "ontology.yaml"
    data = yaml.safe_load(ontology.read_text())
    data["claim_attributes"]["stance"] = [s for s in data["claim_attributes"]["stance"] if s["id"] != "neutral"]
    ontology.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert run("export", "--project", project, "--quiet").exit_code == 0
    result = run("release", "0.2.0", "--project", project)
    assert result.exit_code == 1
    assert "0.1.0 → 0.2.0 is a minor step, but the changes need a major release (`stance` removed ['neutral'])" in result.output
    result = run("release", "1.0.0", "--project", project)
    assert result.exit_code == 0, result.output
    assert "`stance`: removed ['neutral'] (breaking: ClassLabel codes change)" in result.output
