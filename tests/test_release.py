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
                        ignore=shutil.ignore_patterns("annotations", "adjudication", "releases", "silver"))
    (root / "corpus" / "annotations").mkdir()
    shutil.copy(EXAMPLE_JSON, root / "corpus" / "annotations" / EXAMPLE_JSON.name)
    assert run("export", "--project", root, "--quiet").exit_code == 0
    return root


def current(project) -> tuple[int, int, int]:
    return tuple(int(x) for x in json.loads((project / "corpus" / "manifest.json").read_text())["version"].split("."))


def version(major, minor, patch) -> str:
    return f"{major}.{minor}.{patch}"


def test_release_bumps_manifest_card_and_changelog(project):
    major, minor, _ = current(project)
    old, new = version(*current(project)), version(major, minor + 1, 0)
    result = run("release", new, "--project", project)
    assert result.exit_code == 0, result.output
    assert json.loads((project / "corpus" / "manifest.json").read_text())["version"] == new
    changelog = (project / "corpus" / "CHANGELOG.md").read_text()
    assert changelog.index(f"## {new}") < changelog.index(f"## {old}")
    assert "- annotations: 1 added, 0 changed, 0 removed (17a8eb7dc5290d52)" in changelog
    assert "- schema: ontology 0.1.0 (first release)" in changelog
    assert f"Corpus version: **{new}**" in (project / "export" / "README.md").read_text()
    assert (project / "corpus" / "releases" / f"{new}.json").exists()
    # the export is fresh again after a release: an annotation-only change is a patch
    path = project / "corpus" / "annotations" / EXAMPLE_JSON.name
    doc = json.loads(path.read_text())
    doc["annotations"][0]["claims"][0]["certainty"] = "probable"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    assert run("export", "--project", project, "--quiet").exit_code == 0
    result = run("release", version(major, minor + 1, 1), "--project", project)
    assert result.exit_code == 0, result.output
    assert "- annotations: 0 added, 1 changed, 0 removed (17a8eb7dc5290d52)" in result.output


def test_release_refuses_to_go_backwards(project):
    now = version(*current(project))
    result = run("release", now, "--project", project)
    assert result.exit_code == 1
    assert f"refusing to go backwards: {now} is not greater than the current version {now}" in result.output
    assert run("release", "0.0.1", "--project", project).exit_code == 1
    assert run("release", "banana", "--project", project).exit_code == 1


def test_release_refuses_a_stale_export(project):
    path = project / "corpus" / "annotations" / EXAMPLE_JSON.name
    doc = json.loads(path.read_text())
    doc["annotations"][0]["claims"][0]["stance"] = "neutral"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    before = version(*current(project))
    result = run("release", "9.0.0", "--project", project)
    assert result.exit_code == 1
    assert "is missing or stale" in result.output and "run `counterclaim export`" in result.output
    assert version(*current(project)) == before


def test_release_refuses_invalid_annotations(project):
    path = project / "corpus" / "annotations" / EXAMPLE_JSON.name
    doc = json.loads(path.read_text())
    doc["annotations"][0]["mentions"][0]["actor"] = "NOBODY"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = run("release", "9.0.0", "--project", project)
    assert result.exit_code == 1
    assert "/annotations/0/mentions/0/actor: unknown actor `NOBODY`" in result.output
    assert "nothing released" in result.output


def test_a_changed_closed_label_set_needs_a_major_release(project):
    major, minor, _ = current(project)
    first, minor_step, major_step = version(major, minor + 1, 0), version(major, minor + 2, 0), version(major + 1, 0, 0)
    assert run("release", first, "--project", project).exit_code == 0
    ontology = project / "schema" / "ontology.yaml"
    data = yaml.safe_load(ontology.read_text())
    data["claim_attributes"]["stance"] = [s for s in data["claim_attributes"]["stance"] if s["id"] != "neutral"]
    ontology.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert run("export", "--project", project, "--quiet").exit_code == 0
    result = run("release", minor_step, "--project", project)
    assert result.exit_code == 1
    assert (f"{first} → {minor_step} is a minor step, but the changes need a major release "
            "(`stance` removed ['neutral'])") in result.output
    result = run("release", major_step, "--project", project)
    assert result.exit_code == 0, result.output
    assert "`stance`: removed ['neutral'] (breaking: ClassLabel codes change)" in result.output
