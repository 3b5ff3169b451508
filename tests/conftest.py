"""Shared pytest setup: the real Label Studio server plugin and a scratch counterclaim project."""

from __future__ import annotations

import json
import os
import shutil
import tempfile

# Keep `datasets` off the network and out of the user's cache (set before it is imported).
os.environ.setdefault("HF_DATASETS_CACHE", tempfile.mkdtemp(prefix="counterclaim-hf-cache-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from helpers import EMOJI_DOC_ID, EMOJI_TEXT_BODY, REPO

pytest_plugins = ["labelstudio_server"]


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


@pytest.fixture(scope="session")
def project_dir(tmp_path_factory):
    """A scratch counterclaim project: the real schema and guidelines, the seeds plus an emoji document."""
    root = tmp_path_factory.mktemp("project")
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, root / name)
    # the seed articles only: records added with `corpus add` (raw/*.jsonl, e.g. FA-KES) stay out
    shutil.copytree(REPO / "corpus" / "raw", root / "corpus" / "raw", ignore=shutil.ignore_patterns("*.jsonl"))
    assert run("corpus", "build", "--project", root, "--version", "0.0.1").exit_code == 0
    extra = root / "extra.jsonl"
    extra.write_text(json.dumps({"id": EMOJI_DOC_ID, "title": "Emoji test", "text": EMOJI_TEXT_BODY},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("corpus", "add", extra, "--project", root, "--quiet")
    assert result.exit_code == 0, result.output
    return root
