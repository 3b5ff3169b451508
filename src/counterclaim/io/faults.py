"""Fault injection for the crash tests: the process kills itself (SIGKILL) just before its Nth durable operation.

Every operation that changes a project file on disk goes through :mod:`counterclaim.io.transaction` or
:func:`counterclaim.io.jsonio.atomic_write`, and each of them calls :func:`point` first: writing a staged file,
recording a staging folder, writing and publishing a commit record, each rename and unlink of a commit, each
removal of a staging folder or record. Two environment variables, read at every call, drive it:

- ``COUNTERCLAIM_FAULT_AT=N``: at the Nth operation the process sends itself SIGKILL, before doing it (what
  ``kill -9``, a power cut of the process, or the OOM killer do: no ``finally`` block, no ``atexit``);
- ``COUNTERCLAIM_FAULT_LOG=FILE``: append one line per operation, ``N KIND PATH``, to count them.

``tests/faults/`` runs each command once with the log to count its operations, then once per operation with
``COUNTERCLAIM_FAULT_AT``, and checks what the next command finds. With neither variable set a call costs one
dictionary lookup. Writes that a library does itself (pyarrow's parquet files) land in a staging folder that a
recorded operation created first, so a kill in the middle of them leaves only what recovery removes.
"""

from __future__ import annotations

import os
import signal

FAULT_AT = "COUNTERCLAIM_FAULT_AT"
FAULT_LOG = "COUNTERCLAIM_FAULT_LOG"

_count = 0


def point(kind: str, path: str | os.PathLike = "") -> None:
    """A durable operation is about to happen: count it, log it, and die here if this is the chosen one."""
    at, log = os.environ.get(FAULT_AT), os.environ.get(FAULT_LOG)
    if not at and not log:
        return
    global _count
    _count += 1
    if log:
        with open(log, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"{_count} {kind} {os.fsdecode(path)}\n")
    if at and _count == int(at):
        os.kill(os.getpid(), signal.SIGKILL)


def reset() -> None:
    """Start counting from zero (a test harness that runs several commands in one process)."""
    global _count
    _count = 0
