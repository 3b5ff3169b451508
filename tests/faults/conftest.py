"""A small built project for the fault tests: two seed documents, one annotated document, an export."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from helpers import REPO

SEEDS = ("000_17a8eb7dc5290d52.txt", "001_01c6e4c94616b3f2.txt")
GOLD = "17a8eb7dc5290d52"


def cli(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def run_process(*args, timeout: float = 120) -> tuple[int, str, int]:
    """``counterclaim ARGS`` in a process of its own; returns its exit code, its output and its peak memory in
    bytes (``ru_maxrss`` of that very child, from ``wait4``). A command that hangs fails the test at ``timeout``."""
    proc = subprocess.Popen([sys.executable, "-m", "counterclaim", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=dict(os.environ))
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise AssertionError(f"counterclaim {' '.join(map(str, args))} did not finish in {timeout:.0f} s")
        time.sleep(0.02)
    reader.join(10)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace"), usage.ru_maxrss * 1024


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
