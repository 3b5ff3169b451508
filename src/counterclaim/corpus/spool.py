"""The documents of an ingestion or a build, kept on disk (SQLite) instead of in memory.

Checking a row against every document seen (repeated id, repeated text) and writing ``documents.jsonl`` sorted by
id both need every document at once. Held in Python objects that costs kilobytes per row (a million rows took
1.2 GB); in a SQLite file it costs disk, and memory stays at SQLite's page cache (:data:`CACHE_KIB`) whatever the
number of rows. The file lives in a transaction's staging folder (removed with it, or by the next command after a
crash) or, without one, in a temporary folder.

SQLite compares ``TEXT`` as UTF-8 bytes; document ids are ASCII (``corpus.ids.ID_PATTERN`` and hex content ids), so
its ``ORDER BY doc_id`` is Python's ``sorted`` order.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Iterator

from counterclaim.io.jsonio import dumps

CACHE_KIB = 16 * 1024

_SCHEMA = """
CREATE TABLE seen (doc_id TEXT PRIMARY KEY, body BLOB NOT NULL, file TEXT NOT NULL, row INTEGER,
                   in_corpus INTEGER NOT NULL);
CREATE INDEX seen_body ON seen (body);
CREATE TABLE docs (doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, raw_sha256 TEXT NOT NULL,
                   text_sha256 TEXT NOT NULL, line BLOB NOT NULL);
"""


class Spool:
    """A scratch SQLite database of documents: who was seen (for duplicate checks) and the built documents."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self._tmp = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="counterclaim-spool-")
            folder = self._tmp.name
        fd, name = tempfile.mkstemp(prefix="documents-", suffix=".sqlite3", dir=folder)
        os.close(fd)
        self.path = Path(name)
        self._db = sqlite3.connect(name, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", f"cache_size=-{CACHE_KIB}"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(_SCHEMA)
        self._db.execute("BEGIN")

    # -- who was seen
    def seen(self, doc_id: str, body: bytes) -> tuple[tuple | None, tuple | None]:
        """``(seen with this id, seen with this body)``, each ``(doc_id, file, row, in_corpus)`` or None, in one
        query."""
        by_id = by_body = None
        for kind, *row in self._db.execute(
                "SELECT 0, doc_id, file, row, in_corpus FROM seen WHERE doc_id = ? UNION ALL "
                "SELECT * FROM (SELECT 1, doc_id, file, row, in_corpus FROM seen WHERE body = ? LIMIT 1)",
                (doc_id, body)):
            found = (row[0], row[1], row[2], bool(row[3]))
            if kind == 0:
                by_id = found
            else:
                by_body = found
        return by_id, by_body

    def seen_id(self, doc_id: str) -> tuple[str, str, int | None, bool] | None:
        row = self._db.execute("SELECT doc_id, file, row, in_corpus FROM seen WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else (row[0], row[1], row[2], bool(row[3]))

    def seen_body(self, body: bytes) -> tuple[str, str, int | None, bool] | None:
        row = self._db.execute("SELECT doc_id, file, row, in_corpus FROM seen WHERE body = ? LIMIT 1",
                               (body,)).fetchone()
        return None if row is None else (row[0], row[1], row[2], bool(row[3]))

    def remember(self, doc_id: str, body: bytes, file: str, row: int | None, in_corpus: bool) -> None:
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?, ?)", (doc_id, body, file, row, in_corpus))

    # -- built documents
    def put(self, doc: dict[str, Any]) -> None:
        self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                         (doc["doc_id"], doc["title"], doc["raw_sha256"], doc["text_sha256"],
                          (dumps(doc) + "\n").encode("utf-8")))

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM docs").fetchone()[0]

    def has(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM docs WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def title(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT title FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else row[0]

    def text_sha256(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT text_sha256 FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else row[0]

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """``(doc_id, raw_sha256, text_sha256)`` in id order, streamed."""
        yield from self._db.execute("SELECT doc_id, raw_sha256, text_sha256 FROM docs ORDER BY doc_id")

    def lines(self) -> Iterator[bytes]:
        """Each document's line of ``documents.jsonl``, in id order, streamed."""
        for (line,) in self._db.execute("SELECT line FROM docs ORDER BY doc_id"):
            yield line

    def close(self) -> None:
        self._db.close()
        self.path.unlink(missing_ok=True)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
