"""Scratch SQLite files: ordered, indexed maps on disk that keep a command's memory flat.

A corpus spool, the transaction's plan, a pull's record of which task held which document, the corpus index of
a pull: each is a SQLite file (the standard library's) that lives for one command inside a folder that command
removes. Nothing in them has to survive a crash (what makes a change durable is the transaction's commit
record), so there is no journal and no fsync; the page cache is bounded.
"""

from __future__ import annotations

import os
import sqlite3

DEFAULT_CACHE_KIB = 2048


def scratch_db(path: str | os.PathLike, *, cache_kib: int = DEFAULT_CACHE_KIB,
               check_same_thread: bool = True) -> sqlite3.Connection:
    """A SQLite connection to ``path`` in autocommit mode, with no journal, no fsync, temporary tables on disk
    and at most ``cache_kib`` KiB of page cache."""
    db = sqlite3.connect(os.fspath(path), isolation_level=None, check_same_thread=check_same_thread)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", f"cache_size=-{cache_kib}"):
        db.execute(f"PRAGMA {pragma}")
    return db
