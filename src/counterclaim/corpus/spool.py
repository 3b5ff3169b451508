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
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from counterclaim.io.jsonio import dumps
from counterclaim.io.scratch import scratch_db

CACHE_KIB = 16 * 1024

_SCHEMA = """
CREATE TABLE seen (doc_id TEXT PRIMARY KEY, body BLOB NOT NULL, file TEXT NOT NULL, row INTEGER,
                   in_corpus INTEGER NOT NULL);
CREATE INDEX seen_body ON seen (body);
CREATE TABLE docs (doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, raw_sha256 TEXT NOT NULL,
                   text_sha256 TEXT NOT NULL, line BLOB NOT NULL, source TEXT, outlet TEXT);
CREATE TABLE before (doc_id TEXT PRIMARY KEY, text_sha256 TEXT);
CREATE TABLE changes (change TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (change, doc_id));
"""

# What a changelog summary counts documents by: a column of ``docs``.
SUMMARY_COLUMNS = ("source", "outlet")


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
        self._db = scratch_db(name, cache_kib=CACHE_KIB)
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
        source = doc.get("source") or {}
        self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (doc["doc_id"], doc["title"], doc["raw_sha256"], doc["text_sha256"],
                          (dumps(doc) + "\n").encode("utf-8"), source.get("path"),
                          source.get("domain") or source.get("outlet")))

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

    # -- the previous build, and what changed since
    def remember_before(self, entries: Iterable[tuple[str, str | None]]) -> None:
        """The previous build's ``(doc_id, text_sha256)``, for :meth:`added`, :meth:`removed`, :meth:`changed`."""
        self._db.executemany("INSERT OR REPLACE INTO before VALUES (?, ?)", entries)

    def added(self) -> Iterator[str]:
        """Ids built now and not before, in id order."""
        for (doc_id,) in self._db.execute(
                "SELECT doc_id FROM docs WHERE doc_id NOT IN (SELECT doc_id FROM before) ORDER BY doc_id"):
            yield doc_id

    def removed(self) -> Iterator[str]:
        for (doc_id,) in self._db.execute(
                "SELECT doc_id FROM before WHERE doc_id NOT IN (SELECT doc_id FROM docs) ORDER BY doc_id"):
            yield doc_id

    def changed(self) -> Iterator[str]:
        """Ids whose text hash differs from the previous build's."""
        for (doc_id,) in self._db.execute(
                "SELECT b.doc_id FROM before b JOIN docs d ON d.doc_id = b.doc_id "
                "WHERE b.text_sha256 IS NOT d.text_sha256 ORDER BY b.doc_id"):
            yield doc_id

    def record_changes(self, change: str, ids: Iterable[str], *, built_only: bool = False) -> None:
        """Note ``ids`` under ``change`` (e.g. "added"); with ``built_only``, only those built now."""
        sql = ("INSERT OR IGNORE INTO changes SELECT ?, ? WHERE EXISTS (SELECT 1 FROM docs WHERE doc_id = ?)"
               if built_only else "INSERT OR IGNORE INTO changes VALUES (?, ?)")
        rows = ((change, i, i) for i in ids) if built_only else ((change, i) for i in ids)
        self._db.executemany(sql, rows)

    def change_count(self, change: str) -> int:
        return self._db.execute("SELECT count(*) FROM changes WHERE change = ?", (change,)).fetchone()[0]

    def change_ids(self, change: str, limit: int = -1) -> Iterator[tuple[str, str | None]]:
        """``(doc_id, title)`` of the ids noted under ``change``, in id order (title None: not built now)."""
        yield from self._db.execute(
            "SELECT c.doc_id, d.title FROM changes c LEFT JOIN docs d ON d.doc_id = c.doc_id WHERE c.change = ? "
            "ORDER BY c.doc_id LIMIT ?", (change, limit))

    def change_counts(self, change: str, column: str) -> list[tuple[str | None, int]]:
        """How many of the ids noted under ``change`` have each value of ``column`` (:data:`SUMMARY_COLUMNS`),
        most first, then by value."""
        if column not in SUMMARY_COLUMNS:
            raise ValueError(f"no summary column {column!r}")
        return self._db.execute(
            f"SELECT d.{column} AS value, count(*) AS n FROM changes c LEFT JOIN docs d ON d.doc_id = c.doc_id "
            "WHERE c.change = ? GROUP BY value ORDER BY n DESC, value", (change,)).fetchall()

    def close(self) -> None:
        self._db.close()
        self.path.unlink(missing_ok=True)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
