"""The DuckDB engine: one machine, all its cores, memory bounded whatever the number of rows.

Ingest, in three passes over data on disk:

1. **stage** — the input's rows (read by the corpus readers, ``sources``) go in batches to worker processes
   (one per core) that run ``records.stage_batch``; the results are appended in input order to one parquet
   file under the pool's ``tmp/``. At most ``2 × workers`` batches are in flight.
2. **decide** — DuckDB runs the duplicate rule (``dedup``) on the staged key columns and the pool's, spilling
   to ``tmp/`` beyond ``memory_limit``, and streams the report.
3. **write** — the staged file is read again in order, refused rows dropped, and every bucket's rows go to
   their ``writer.BucketWriter``.

Queries run in DuckDB over the files ``pool.json`` lists.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from counterclaim.pool import dedup, schema
from counterclaim.pool.dialects import DUCKDB
from counterclaim.pool.errors import PoolError
from counterclaim.pool.records import stage_batch
from counterclaim.pool.reports import write_report
from counterclaim.pool.writer import (BucketWriter, EngineResult, WrittenFile, bucket_file, group_text_bytes,
                                      to_documents)

DEFAULT_MEMORY_LIMIT = "512MB"
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
STREAM_ROWS = 2048


@dataclass(frozen=True)
class DuckDBOptions:
    """``memory_limit`` for DuckDB itself (the workers and buffers add about 300 MB); ``workers`` normalising
    processes (default: one per core; 0 normalises in this process); DuckDB ``threads`` (default: all cores)."""

    memory_limit: str = DEFAULT_MEMORY_LIMIT
    workers: int | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        if not _MEMORY.fullmatch(str(self.memory_limit)):
            raise PoolError(f"memory limit {self.memory_limit!r} is not a size such as 512MB or 2GB")
        for name in ("workers", "threads"):
            value = getattr(self, name)
            if value is not None and (value < 0 or (name == "threads" and value == 0)):
                raise PoolError(f"{name} must be {'at least 1' if name == 'threads' else '0 or more'}, not {value}")

    def worker_count(self) -> int:
        return cores() if self.workers is None else self.workers


def cores() -> int:
    """The cores this process may run on (``taskset`` and container limits included)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def connect(scratch: Path, options: DuckDBOptions):
    """A DuckDB database in ``scratch`` with bounded memory, spilling into ``scratch``."""
    import duckdb

    scratch.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(scratch / "work.duckdb"))
    con.execute(f"SET memory_limit = '{options.memory_limit}'")
    con.execute(f"SET temp_directory = '{_sql_string(scratch / 'spill')}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET threads = {options.threads or cores()}")
    return con


def _sql_string(value: Any) -> str:
    return str(value).replace("'", "''")


def parquet_list(files: Iterable[Path]) -> str:
    """A DuckDB list literal of parquet paths."""
    return "[" + ", ".join(f"'{_sql_string(f)}'" for f in files) + "]"


class DuckSql:
    """``dedup.Sql`` over a DuckDB connection: tables live in the scratch database (out of core)."""

    def __init__(self, con):
        self.con = con

    def table(self, name: str, query: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {query}")

    def view(self, name: str, query: str) -> None:
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS {query}")

    def count(self, name: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]

    def stream(self, query: str, rows: int = STREAM_ROWS) -> Iterator[pa.RecordBatch]:
        yield from self.con.sql(query).to_arrow_reader(rows)


# --- batches through worker processes ------------------------------------------------------------


def _to_ipc(batch: pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _from_ipc(data: bytes) -> pa.RecordBatch:
    return pa.ipc.open_stream(pa.py_buffer(data)).read_next_batch()


def _apply_ipc(fn: Callable[[pa.RecordBatch], pa.RecordBatch], data: bytes) -> bytes:
    """Worker side: a batch in Arrow IPC bytes in, ``fn`` of it out."""
    return _to_ipc(fn(_from_ipc(data)))


def map_batches(batches: Iterable[pa.RecordBatch], fn: Callable[[pa.RecordBatch], pa.RecordBatch],
                workers: int) -> Iterator[pa.RecordBatch]:
    """``fn`` over ``batches`` on ``workers`` processes (0: in this one), results in input order.

    ``fn`` must be picklable (a module-level function or a ``functools.partial`` of one). At most
    ``2 × workers`` batches are in flight, so memory does not grow with the input.
    """
    batches = iter(batches)
    first = list(itertools.islice(batches, 2))
    if workers <= 0 or len(first) < 2:  # one batch: not worth starting processes (about a second each)
        for batch in itertools.chain(first, batches):
            yield fn(batch)
        return
    context = multiprocessing.get_context("spawn")  # never fork a process that runs DuckDB or Arrow threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        pending: deque[Future] = deque()
        for batch in itertools.chain(first, batches):
            pending.append(executor.submit(_apply_ipc, fn, _to_ipc(batch)))
            if len(pending) >= 2 * workers:
                yield _from_ipc(pending.popleft().result())
        while pending:
            yield _from_ipc(pending.popleft().result())


# --- 1. stage -------------------------------------------------------------------------------------


def stage(raw: Iterable[pa.RecordBatch], path: Path, buckets: int, workers: int, progress=None) -> int:
    """Write the staged rows of ``raw`` to the parquet file ``path``; return the number of rows."""
    rows = 0
    with pq.ParquetWriter(path, schema.STAGED, compression="lz4") as out:
        for batch in map_batches(raw, partial(stage_batch, buckets=buckets), workers):
            out.write_batch(batch)
            rows += batch.num_rows
            if progress is not None:
                progress.update(batch.num_rows)
    return rows


# --- 3. write -------------------------------------------------------------------------------------


def _rows(batches: Iterable[pa.RecordBatch]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        yield from batch.to_pylist()


def _accepted_masks(staged: Iterable[pa.RecordBatch], accepted: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The staged batches with only their accepted rows, matching ``ord``s against a sorted stream of them."""
    window = np.empty(0, dtype=np.int64)
    source = (b.column(0).to_numpy() for b in accepted)
    exhausted = False
    for batch in staged:
        ords = batch.column(batch.schema.get_field_index("ord")).to_numpy()
        if len(ords) == 0:
            continue
        high = ords[-1]
        while not exhausted and (len(window) == 0 or window[-1] <= high):
            chunk = next(source, None)
            if chunk is None:
                exhausted = True
            else:
                window = np.concatenate([window, chunk])
        mask = np.isin(ords, window[window <= high], assume_unique=True)
        window = window[window > high]
        if mask.any():
            yield batch.filter(pa.array(mask))


def write_documents(batches: Iterable[pa.RecordBatch], documents_dir: Path, ingest: str,
                    buckets: int) -> list[WrittenFile]:
    """Route accepted staged rows (in input order) to one ``BucketWriter`` per bucket."""
    writers: dict[int, BucketWriter] = {}
    try:
        for batch in batches:
            table = to_documents(batch, ingest)
            column = batch.column(batch.schema.get_field_index("bucket"))
            for bucket in pc.unique(column).to_pylist():
                if bucket not in writers:
                    writers[bucket] = BucketWriter(documents_dir / bucket_file(bucket, ingest),
                                                   group_text_bytes(buckets))
                writers[bucket].write(table.filter(pc.equal(column, bucket)))
    finally:
        for writer in writers.values():
            writer.close()
    return [WrittenFile(b, bucket_file(b, ingest), writers[b].rows) for b in sorted(writers)]


# --- the whole ingest -----------------------------------------------------------------------------


def ingest(raw: Iterable[pa.RecordBatch], *, pool_files: list[Path], buckets: int, ingest_id: str, tmp: Path,
           documents_dir: Path, report_path: Path, options: DuckDBOptions, progress=None) -> EngineResult:
    staged_path = tmp / "staged.parquet"
    clock = time.perf_counter()
    rows = stage(raw, staged_path, buckets, options.worker_count(), progress)
    seconds = {"stage": time.perf_counter() - clock}
    clock = time.perf_counter()
    con = connect(tmp / "duckdb", options)
    try:
        sql = DuckSql(con)
        key_columns = "ord, doc_id, body_sha256, id_from_source, source_file, source_row, problem, problem_id"
        sql.view("staged_keys", f"SELECT {key_columns} FROM read_parquet('{_sql_string(staged_path)}')")
        if pool_files:
            sql.view("pool_keys", f"SELECT doc_id, body_sha256, source_file, source_row FROM "
                                  f"read_parquet({parquet_list(pool_files)})")
        else:
            sql.view("pool_keys", "SELECT CAST(NULL AS VARCHAR) AS doc_id, CAST(NULL AS VARCHAR) AS body_sha256, "
                                  "CAST(NULL AS VARCHAR) AS source_file, CAST(NULL AS BIGINT) AS source_row "
                                  "WHERE false")
        rounds = dedup.decide(sql)
        refused = write_report(_rows(sql.stream(f"SELECT * FROM ({dedup.REPORT_QUERY}) ORDER BY ord")), report_path)
        accepted_path = tmp / "accepted.parquet"
        con.execute(f"COPY (SELECT ord FROM dedup_accepted ORDER BY ord) TO '{_sql_string(accepted_path)}' "
                    "(FORMAT parquet)")
    finally:
        con.close()  # DuckDB's memory is given back before the write
    seconds["decide"] = time.perf_counter() - clock
    clock = time.perf_counter()
    accepted = pq.ParquetFile(accepted_path).iter_batches(batch_size=65536, columns=["ord"])
    staged = pq.ParquetFile(staged_path).iter_batches(batch_size=STREAM_ROWS)
    files = write_documents(_accepted_masks(staged, accepted), documents_dir, ingest_id, buckets)
    seconds["write"] = time.perf_counter() - clock
    return EngineResult(rows=rows, files=files, refused=refused, rounds=rounds, seconds=seconds)


# --- queries --------------------------------------------------------------------------------------


class QueryEngine:
    """What ``select`` needs of an engine, on DuckDB: named tables in a scratch database, SQL, and Python
    functions mapped over a query's batches by worker processes."""

    dialect = DUCKDB

    def __init__(self, scratch: Path, options: DuckDBOptions | None = None):
        self.options = options or DuckDBOptions()
        self.scratch = Path(scratch)
        self.con = connect(self.scratch, self.options)
        self._sql = DuckSql(self.con)

    def close(self) -> None:
        self.con.close()

    def table(self, name: str, query: str) -> None:
        self._sql.table(name, query)

    def view(self, name: str, query: str) -> None:
        self._sql.view(name, query)

    def count(self, name: str) -> int:
        return self._sql.count(name)

    def scalar(self, query: str) -> Any:
        return self.con.execute(query).fetchone()[0]

    def stream(self, query: str) -> Iterator[pa.RecordBatch]:
        return self._sql.stream(query)

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(f"{name}__arrow", table)
        try:
            self.table(name, f"SELECT * FROM {name}__arrow")
        finally:
            self.con.unregister(f"{name}__arrow")

    def documents(self, name: str, files: list[Path]) -> None:
        if files:
            self.view(name, f"SELECT * FROM read_parquet({parquet_list(files)})")
        else:
            self.register(name, schema.DOCUMENT.empty_table())

    def map_batches(self, name: str, query: str, fn: Callable[[pa.RecordBatch], pa.RecordBatch],
                    out_schema: pa.Schema) -> None:
        path = self.scratch / f"{name}.parquet"
        with pq.ParquetWriter(path, out_schema, compression="lz4") as out:
            for batch in map_batches(self.stream(query), fn, self.options.worker_count()):
                out.write_batch(batch)
        self.table(name, f"SELECT * FROM read_parquet('{_sql_string(path)}')")
