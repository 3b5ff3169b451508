"""A small built project for the fault tests: two seed documents, one annotated document, an export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from faultkit import GOLD, SEEDS, cli
from helpers import REPO


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults-base") / "project"
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, root / name)
    (root / "corpus" / "raw").mkdir(parents=True)
    for name in SEEDS:
        shutil.copy(REPO / "corpus" / "raw" / name, root / "corpus" / "raw" / name)
    cli("corpus", "build", "--project", root, "--version", "0.0.1")
    (root / "corpus" / "annotations").mkdir()
    shutil.copy(REPO / "corpus" / "annotations" / f"{GOLD}.json", root / "corpus" / "annotations")
    cli("export", "--project", root, "--quiet")
    return root


@pytest.fixture()
def project(built_project, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    return root
