"""The pool folder: its manifest, its files, and the lock that lets one command write at a time.

Layout::

    pool.json                        format, bucket count, normalisation policy, the ingests and their files
    documents/bucket=007/0001.parquet  the documents of ingest 0001 whose id falls in bucket 7
    reports/0001.jsonl               every row of ingest 0001 that was not ingested, and why
    tmp/                             scratch of the ingest running now (engine spill files, staging)
    .scratch-*/                      scratch of a query running now
    pool.lock                        held by the command that writes

Queries read exactly the files ``pool.json`` lists, so files of an ingest that did not finish are never seen.
An ingest writes its files under ``tmp/``, moves them into place, and then rewrites ``pool.json`` atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from counterclaim.corpus.normalize import POLICY_VERSION
from counterclaim.io.jsonio import read_json, write_json
from counterclaim.pool.errors import PoolError

FORMAT = "counterclaim.pool/1"
MANIFEST = "pool.json"
DOCUMENTS = "documents"
REPORTS = "reports"
TMP = "tmp"
LOCK = "pool.lock"
DEFAULT_BUCKETS = 16


@dataclass
class Ingest:
    """One ingest as ``pool.json`` records it."""

    id: str
    input: str
    kind: str
    rows: int
    ingested: int
    refused: int
    report: str
    files: list[dict[str, Any]] = field(default_factory=list)  # {"path", "rows"}, relative to documents/

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "input": self.input, "kind": self.kind, "rows": self.rows,
                "ingested": self.ingested, "refused": self.refused, "report": self.report, "files": self.files}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Ingest":
        return cls(**{key: data[key] for key in ("id", "input", "kind", "rows", "ingested", "refused", "report",
                                                 "files")})


@dataclass
class Pool:
    """An opened pool folder."""

    root: Path
    buckets: int
    normalisation: str
    ingests: list[Ingest]

    @property
    def documents_dir(self) -> Path:
        return self.root / DOCUMENTS

    @property
    def reports_dir(self) -> Path:
        return self.root / REPORTS

    @property
    def tmp_dir(self) -> Path:
        return self.root / TMP

    @property
    def document_count(self) -> int:
        return sum(ingest.ingested for ingest in self.ingests)

    def files(self) -> list[Path]:
        """Every document file, in ingest order then bucket order."""
        return [self.documents_dir / f["path"] for ingest in self.ingests for f in ingest.files]

    def next_ingest_id(self) -> str:
        return f"{len(self.ingests) + 1:04d}"

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "buckets": self.buckets, "normalisation": self.normalisation,
                "ingests": [ingest.to_dict() for ingest in self.ingests]}

    def save(self) -> None:
        write_json(self.root / MANIFEST, self.to_dict())


def open_pool(root: str | os.PathLike) -> Pool:
    """The pool in ``root``; a ``PoolError`` saying how to make one if there is none."""
    root = Path(root)
    path = root / MANIFEST
    if not path.is_file():
        raise PoolError(f"{root}: no pool here ({MANIFEST} is missing); create it with `counterclaim pool ingest PATH`")
    data = read_json(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PoolError(f"{path}: not a pool manifest of format {FORMAT}; restore it or start a new pool folder")
    try:
        return Pool(root=root, buckets=int(data["buckets"]), normalisation=str(data["normalisation"]),
                    ingests=[Ingest.from_dict(item) for item in data["ingests"]])
    except (KeyError, TypeError, ValueError) as exc:
        raise PoolError(f"{path}: malformed manifest ({exc}); restore it from a backup") from None


def open_or_create(root: str | os.PathLike, buckets: int | None = None) -> Pool:
    """The pool in ``root``, created (empty, with ``buckets`` buckets) when the folder holds none."""
    root = Path(root)
    if (root / MANIFEST).exists():
        pool = open_pool(root)
        if buckets is not None and buckets != pool.buckets:
            raise PoolError(f"{root} has {pool.buckets} buckets; the bucket count is fixed when a pool is created")
        return pool
    if buckets is not None and not 1 <= buckets <= 4096:
        raise PoolError(f"bucket count must be between 1 and 4096, not {buckets}")
    pool = Pool(root=root, buckets=buckets or DEFAULT_BUCKETS, normalisation=POLICY_VERSION, ingests=[])
    root.mkdir(parents=True, exist_ok=True)
    pool.save()
    return pool


def check_policy(pool: Pool) -> None:
    """Refuse to add documents normalised by another policy than the pool's."""
    if pool.normalisation != POLICY_VERSION:
        raise PoolError(
            f"{pool.root} holds documents normalised by policy {pool.normalisation}, but this version of "
            f"counterclaim normalises by policy {POLICY_VERSION}; ingest into a new pool folder"
        )


@contextlib.contextmanager
def writing(root: str | os.PathLike) -> Iterator[Path]:
    """Hold the pool's lock and a fresh ``tmp/`` (removed afterwards) for the duration of a write."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PoolError(f"{root}: another pool command is writing to this pool; wait for it to finish") from None
        tmp = root / TMP
        shutil.rmtree(tmp, ignore_errors=True)  # left by a command that was killed
        tmp.mkdir()
        try:
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def scratch(root: str | os.PathLike) -> Iterator[Path]:
    """A scratch folder inside the pool for a command that only reads it (engine spill files of a query)."""
    folder = Path(tempfile.mkdtemp(prefix=".scratch-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
