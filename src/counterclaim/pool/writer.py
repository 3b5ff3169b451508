"""The pool's parquet files, written the same way by every engine.

A bucket's file holds its documents in input order. Row groups are cut by a rule on the row sequence alone
(at ``ROW_GROUP_ROWS`` rows, or earlier once their texts reach ``group_text_bytes(buckets)``), and the file
is written by pyarrow with fixed settings, so the same rows give the same bytes whichever engine computed
them and however it batched them. The byte limit shrinks as buckets grow, so that an engine filling every
bucket at once holds about ``BUFFER_BYTES`` of pending rows in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from counterclaim.pool import schema

ROW_GROUP_ROWS = 8192
BUFFER_BYTES = 128 * 1024 * 1024
MIN_GROUP_BYTES = 1024 * 1024
MAX_GROUP_BYTES = 16 * 1024 * 1024
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3


def group_text_bytes(buckets: int) -> int:
    """The text bytes at which a row group is cut, for a pool of ``buckets`` buckets."""
    return max(MIN_GROUP_BYTES, min(MAX_GROUP_BYTES, BUFFER_BYTES // buckets))


def bucket_dir(bucket: int) -> str:
    return f"bucket={bucket:03d}"


def bucket_file(bucket: int, ingest: str) -> str:
    """A bucket file's path inside the documents folder: ``bucket=007/0001.parquet``."""
    return f"{bucket_dir(bucket)}/{ingest}.parquet"


def to_documents(staged: pa.RecordBatch | pa.Table, ingest: str) -> pa.Table:
    """Staged rows (without problems) as ``schema.DOCUMENT`` rows of ingest ``ingest``."""
    table = pa.Table.from_batches([staged]) if isinstance(staged, pa.RecordBatch) else staged
    columns = [table.column(f.name).cast(f.type) if f.name != "ingest" else
               pa.array([ingest] * table.num_rows, pa.string()) for f in schema.DOCUMENT]
    return pa.Table.from_arrays(columns, schema=schema.DOCUMENT)


class BucketWriter:
    """One bucket file, fed ``schema.DOCUMENT`` rows in order; row groups cut by the fixed rule."""

    def __init__(self, path: Path, group_bytes: int):
        self.path = Path(path)
        self.group_bytes = group_bytes
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._pending_bytes = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        start = 0
        text_sizes = pc.binary_length(table.column("text")).to_numpy(zero_copy_only=False)
        for i, size in enumerate(text_sizes):
            self._pending_rows += 1
            self._pending_bytes += int(size)
            if self._pending_rows >= ROW_GROUP_ROWS or self._pending_bytes >= self.group_bytes:
                self._pending.append(table.slice(start, i + 1 - start))
                start = i + 1
                self._flush()
        if start < table.num_rows:
            self._pending.append(table.slice(start))

    def _flush(self) -> None:
        if not self._pending:
            return
        group = pa.concat_tables(self._pending).combine_chunks()
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, schema.DOCUMENT, compression=COMPRESSION,
                                            compression_level=COMPRESSION_LEVEL)
        self._writer.write_table(group, row_group_size=group.num_rows)
        self.rows += group.num_rows
        self._pending, self._pending_rows, self._pending_bytes = [], 0, 0

    def close(self) -> None:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None


@dataclass(frozen=True)
class WrittenFile:
    bucket: int
    path: str  # relative to the documents folder
    rows: int


@dataclass
class EngineResult:
    """What an engine's ingest did (DuckDB and Spark alike)."""

    rows: int
    files: list[WrittenFile]
    refused: int
    rounds: int
    seconds: dict[str, float]  # wall time per phase: (read, on Spark's driver), stage, decide, write


def write_buckets(tables: Iterable[tuple[int, pa.Table]], documents_dir: Path, ingest: str,
                  buckets: int) -> Iterator[WrittenFile]:
    """Write ``(bucket, rows)`` pieces, grouped by bucket and in order within each, to the bucket files."""
    current: BucketWriter | None = None
    current_bucket = None
    for bucket, table in tables:
        if bucket != current_bucket:
            if current is not None:
                current.close()
                yield WrittenFile(current_bucket, bucket_file(current_bucket, ingest), current.rows)
            current_bucket, current = bucket, BucketWriter(documents_dir / bucket_file(bucket, ingest),
                                                               group_text_bytes(buckets))
        current.write(table)
    if current is not None:
        current.close()
        yield WrittenFile(current_bucket, bucket_file(current_bucket, ingest), current.rows)
