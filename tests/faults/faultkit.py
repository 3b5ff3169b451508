"""Helpers of the fault suite: the small project's files, running a command in-process or in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from counterclaim.cli import main

PEAK = Path(__file__).with_name("peak.py")
SEEDS = ("000_17a8eb7dc5290d52.txt", "001_01c6e4c94616b3f2.txt")
GOLD = "17a8eb7dc5290d52"


def cli(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def run_process(*args, timeout: float = 120) -> tuple[int, str, int]:
    """``counterclaim ARGS`` in a process of its own; returns its exit code, its output and its peak memory in
    bytes (its own ``ru_maxrss``, measured by peak.py). A command that hangs fails the test at ``timeout``."""
    with tempfile.TemporaryDirectory() as scratch:
        result = Path(scratch) / "result.json"
        try:
            done = subprocess.run([sys.executable, str(PEAK), str(result), sys.executable, "-m", "counterclaim",
                                   *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env=dict(os.environ), timeout=timeout, start_new_session=True)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"counterclaim {' '.join(map(str, args))} did not finish in {timeout:.0f} s") from exc
        measured = json.loads(result.read_text())
    return measured["exit"], done.stdout.decode("utf-8", "replace"), measured["maxrss"]
