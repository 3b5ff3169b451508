"""Scratch SQLite files: ordered, indexed maps on disk that keep a command's memory flat.

A corpus spool, the transaction's plan, a pull's record of which task held which document, the corpus index of
a pull: each is a SQLite file (the standard library's) that lives for one command inside a folder that command
removes. Nothing in them has to survive a crash (what makes a change durable is the transaction's commit
record), so there is no journal and no fsync; the page cache is bounded.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Iterator

DEFAULT_CACHE_KIB = 2048


def scratch_db(path: str | os.PathLike, *, cache_kib: int = DEFAULT_CACHE_KIB,
               check_same_thread: bool = True) -> sqlite3.Connection:
    """A SQLite connection to ``path`` in autocommit mode, with no journal, no fsync, temporary tables on disk
    and at most ``cache_kib`` KiB of page cache."""
    db = sqlite3.connect(os.fspath(path), isolation_level=None, check_same_thread=check_same_thread)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", f"cache_size=-{cache_kib}"):
        db.execute(f"PRAGMA {pragma}")
    return db


def text_key(text: str) -> bytes:
    """``text`` as a key column's bytes (UTF-8, lone surrogates kept): SQLite orders them as Python orders the
    strings."""
    return text.encode("utf-8", "surrogatepass")


def key_text(key: bytes) -> str:
    """The string :func:`text_key` made ``key`` from."""
    return key.decode("utf-8", "surrogatepass")


def rows(db: sqlite3.Connection, query: str, args: tuple = (), batch: int = 1024) -> Iterator[tuple]:
    """The rows of ``query``, fetched in batches on a cursor of their own (other queries may run meanwhile)."""
    cursor = db.execute(query, args)
    while batch_rows := cursor.fetchmany(batch):
        yield from batch_rows
