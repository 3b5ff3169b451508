"""The crash harness: run a command, kill it (SIGKILL) at each of its durable operations in turn, and check that
the next command finds the old state or the new one, and that running the command again gives exactly the state
of an uninterrupted run.

The kill comes from the fault hook of the io layer (``counterclaim.io.faults``: ``COUNTERCLAIM_FAULT_AT=N`` makes the
process SIGKILL itself just before its Nth durable operation — staged write, commit record, rename, unlink, removal
of a staging folder). Commands run in children forked from one process that imported counterclaim once
(``zygote.py``), so a crash run costs milliseconds of start-up, not seconds.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

ZYGOTE = Path(__file__).with_name("zygote.py")
# Local state that is not an output: the lock file (its holder line) and the folder of transaction records (the
# records inside it are outputs: none may be left).
IGNORED = {".counterclaim/lock"}
IGNORED_DIRS = {".counterclaim", ".counterclaim/tx"}


@dataclass
class Outcome:
    exit: int | None
    signal: int | None
    output: str


class Zygote:
    """A long-lived process that forks one child per command (see zygote.py)."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.proc = subprocess.Popen([sys.executable, str(ZYGOTE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=dict(os.environ))
        self.runs = 0

    def run(self, args: Iterable, *, cwd: Path, env: dict | None = None) -> Outcome:
        self.runs += 1
        out = self.scratch / f"run-{self.runs}.out"
        request = {"args": [str(a) for a in args], "cwd": str(cwd), "env": env or {}, "out": str(out)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        output = out.read_text(encoding="utf-8", errors="replace")
        out.unlink()
        return Outcome(answer.get("exit"), answer.get("signal"), output)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file (and folder) under ``root`` with its bytes; the project's path inside files made neutral."""
    state: dict[str, bytes] = {}
    marker = os.fsencode(str(root))
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel in IGNORED:
            continue
        if path.is_dir() and not path.is_symlink():
            if rel not in IGNORED_DIRS:
                state[rel + "/"] = b""
            continue
        state[rel] = path.read_bytes().replace(marker, b"<PROJECT>")
    return state


def describe(state: dict[str, bytes], expected: dict[str, bytes], name: str) -> str:
    """What differs between two snapshots, readably."""
    lines = [f"state differs from the {name} state:"]
    for key in sorted(set(state) | set(expected)):
        if key not in expected:
            lines.append(f"  extra: {key}")
        elif key not in state:
            lines.append(f"  missing: {key}")
        elif state[key] != expected[key]:
            lines.append(f"  changed: {key}")
            try:
                diff = difflib.unified_diff(expected[key].decode().splitlines(), state[key].decode().splitlines(),
                                            lineterm="", n=0)
                lines.extend("    " + line for line in list(diff)[2:8])
            except UnicodeDecodeError:
                pass
    return "\n".join(lines)


@dataclass
class CrashReport:
    operations: int
    old_states: int  # crashes after which the old state was found
    new_states: int  # crashes after which the new state was found (the commit was completed)


def crash_everywhere(zygote: Zygote, base: Path, work: Path, command: Callable[[Path], list],
                     *, rerun_exits: tuple[int, ...] = (0,), run_reports: tuple[str, ...] = ()) -> CrashReport:
    """Run ``command(project)`` uninterrupted on a copy of ``base``, then once per durable operation on a fresh
    copy, killed just before that operation; after each kill the next command (``studio stop``, which only
    reads here) must find the old or the new state, and running ``command`` again must give the new state exactly.

    ``run_reports`` are files that report what the run itself did (the pull report lists the files *this* run
    wrote): part of the state after a crash, but a rerun may rightly say it wrote nothing."""
    old = snapshot(base)
    clean = work / "clean"
    shutil.copytree(base, clean, symlinks=True)
    log = work / "operations.log"
    done = zygote.run(command(clean), cwd=clean, env={"COUNTERCLAIM_FAULT_LOG": str(log)})
    assert done.exit == 0, done.output
    new = snapshot(clean).copy()
    assert new != old, "the command changed nothing"
    operations = len(log.read_text(encoding="utf-8").splitlines())
    assert operations > 0
    report = CrashReport(operations, 0, 0)
    for k in range(1, operations + 1):
        project = work / f"crash-{k}"
        shutil.copytree(base, project, symlinks=True)
        killed = zygote.run(command(project), cwd=project, env={"COUNTERCLAIM_FAULT_AT": str(k)})
        assert killed.signal == signal.SIGKILL, f"operation {k} of {operations}: not killed: {killed}"
        # the next command, one that only reads (no server runs: it says so), finds what the crash left
        after = zygote.run(["studio", "stop", "--project", project], cwd=project)
        assert after.exit == 0, after.output
        state = snapshot(project)
        if state == old:
            report.old_states += 1
        elif state == new:
            report.new_states += 1
        else:
            raise AssertionError(f"killed before operation {k} of {operations}: neither the old nor the new state "
                                 f"after recovery\n{describe(state, new, 'new')}\n{describe(state, old, 'old')}")
        again = zygote.run(command(project), cwd=project)
        assert again.exit in rerun_exits, f"rerun after a kill before operation {k}: {again.output}"
        state = snapshot(project)
        expected = new
        if run_reports:
            state = {key: value for key, value in state.items() if key not in run_reports}
            expected = {key: value for key, value in new.items() if key not in run_reports}
        assert state == expected, f"rerun after a kill before operation {k}:\n{describe(state, expected, 'new')}"
        shutil.rmtree(project)
    return report
