"""The built corpus as other packages read it: its documents, its version, and the text hash of each id.

This is the one place that opens ``documents.jsonl`` and ``manifest.json`` of a built corpus; the build itself
(:mod:`counterclaim.corpus.build`) writes them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import ijson

from counterclaim.errors import CorpusError
from counterclaim.io import jsonio
from counterclaim.io.layout import DOCUMENTS_FILE, MANIFEST_FILE
from counterclaim.io.scratch import key_text, scratch_db, text_key
from counterclaim.io.transaction import DISK, DiskView


@dataclass(frozen=True)
class BuiltCorpus:
    """A corpus folder with ``documents.jsonl`` and ``manifest.json``; ``view`` shows them as a transaction will
    leave them (a release reads the manifest it is about to write)."""

    corpus_dir: Path
    view: DiskView = field(default=DISK, compare=False, repr=False)

    @classmethod
    def open(cls, corpus_dir: str | Path, view: DiskView = DISK) -> "BuiltCorpus":
        """The built corpus in ``corpus_dir``; a ``CorpusError`` saying how to build it if it is not built."""
        corpus = cls(Path(corpus_dir), view)
        if not _exists(corpus.documents_path) or not _exists(corpus.manifest_path):
            raise CorpusError(f"{corpus.corpus_dir}: no built corpus ({DOCUMENTS_FILE}, {MANIFEST_FILE}); "
                              "run `counterclaim corpus build` (or `corpus add PATH`) first")
        return corpus

    @classmethod
    def open_if_built(cls, corpus_dir: str | Path, view: DiskView = DISK) -> "BuiltCorpus | None":
        corpus = cls(Path(corpus_dir), view)
        return corpus if _exists(corpus.manifest_path) and _exists(corpus.documents_path) else None

    @property
    def documents_path(self) -> Path | None:
        return self.view.view(self.corpus_dir / DOCUMENTS_FILE)

    @property
    def manifest_path(self) -> Path | None:
        return self.view.view(self.corpus_dir / MANIFEST_FILE)

    def manifest(self) -> dict[str, Any]:
        manifest = jsonio.read_json(self.manifest_path)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("version"), str):
            raise CorpusError(f"{self.manifest_path}: no 'version'; restore the file from version control")
        return manifest

    @property
    def version(self) -> str:
        """The manifest's ``version``, read by an event parser (ijson): the manifest lists every document, and
        parsed whole it costs about 1.7 KB of memory a document (85 MB for 50,000). A manifest that is not one
        object with one ``version`` string is read whole, for the error that names what is wrong."""
        path = self.manifest_path
        try:
            with open(path, "rb") as fh:
                found = list(ijson.items(fh, "version"))
        except (OSError, ijson.JSONError, ValueError, TypeError):
            found = []
        if len(found) == 1 and isinstance(found[0], str):
            return found[0]
        return self.manifest()["version"]

    def documents(self) -> Iterator[dict[str, Any]]:
        """The documents in ``doc_id`` order, streamed."""
        for _, doc in jsonio.iter_jsonl(self.documents_path):
            yield doc

    def numbered_documents(self, only: set[int] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line number, document)``, streamed (only the lines in ``only`` if given)."""
        return jsonio.iter_jsonl(self.documents_path, only=only)

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {doc["doc_id"]: doc for doc in self.documents()}

    def index(self) -> dict[str, str]:
        """``doc_id -> text_sha256``: what annotated documents are checked against."""
        return {doc["doc_id"]: doc["text_sha256"] for doc in self.documents()}

    def index_on_disk(self, folder: str | os.PathLike) -> "DiskIndex":
        """:meth:`index` in a SQLite file in ``folder`` (a scratch folder the caller removes), for a command whose
        memory must not grow with the corpus."""
        return DiskIndex(Path(folder) / "corpus-index.sqlite3",
                         ((doc["doc_id"], doc["text_sha256"]) for doc in self.documents()))


class DiskIndex(Mapping):
    """``doc_id -> text_sha256`` read from a SQLite file: the mapping :meth:`BuiltCorpus.index` gives, without its
    memory (as a dict about 220 bytes a document: 11 MB for 50,000, the largest part of a pull's memory then). The
    file is scratch (no journal, no fsync); ids are stored as UTF-8 bytes."""

    def __init__(self, path: Path, pairs: Iterator[tuple[str, str]]):
        self._db = scratch_db(path)
        self._db.execute("CREATE TABLE docs (doc_id BLOB PRIMARY KEY, text_sha256 TEXT NOT NULL)")
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)",
                             ((text_key(doc_id), sha) for doc_id, sha in pairs))
        self._db.execute("COMMIT")

    def __getitem__(self, doc_id: str) -> str:
        row = self._db.execute("SELECT text_sha256 FROM docs WHERE doc_id = ?", (text_key(doc_id),)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._db.execute(
            "SELECT 1 FROM docs WHERE doc_id = ?", (text_key(doc_id),)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        for (doc_id,) in self._db.execute("SELECT doc_id FROM docs ORDER BY doc_id"):
            yield key_text(doc_id)

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM docs").fetchone()[0]

    def close(self) -> None:
        self._db.close()


def _exists(path: Path | None) -> bool:
    return path is not None and path.exists()


def corpus_index(corpus_dir: str | Path) -> dict[str, str]:
    """``doc_id -> text_sha256`` of a built corpus."""
    return BuiltCorpus.open(corpus_dir).index()
