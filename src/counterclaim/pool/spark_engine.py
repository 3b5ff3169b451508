"""The Spark engine: the same pipeline on a Spark cluster (``local[*]`` by default, any master by URL).

Ingest:

1. the input is read in order by the corpus readers on the driver (row numbers and "first one wins"
   need the order) and staged as RAW parquet under the pool's ``tmp/``;
2. ``mapInArrow`` runs ``records.stage_batch`` — the same function the DuckDB engine's workers run — on the
   cluster, and Spark writes the staged rows;
3. Spark SQL runs the duplicate rule (``dedup``, the same queries) and the report streams back in order;
4. the accepted rows are partitioned by bucket, sorted by input order and handed, in ``mapInArrow``, to the
   same ``writer`` as DuckDB's: the files are byte for byte those the DuckDB engine writes.

On a cluster the pool folder must be on storage every executor sees at the same path (e.g. NFS); executors
need this package (``pip install 'counterclaim[spark]'``) and Java 17 or later.

Queries run as Spark SQL over the pool's files; ``selection_dataframe`` gives the selection as a DataFrame
(e.g. for ``datasets.Dataset.from_spark``).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from counterclaim.pool import dedup, schema
from counterclaim.pool.dialects import SPARK
from counterclaim.pool.errors import EngineUnavailable
from counterclaim.pool.records import stage_batch
from counterclaim.pool.reports import write_report
from counterclaim.pool.writer import EngineResult, WrittenFile, to_documents, write_buckets

DEFAULT_MASTER = "local[*]"
FILES_SCHEMA = "bucket int, path string, rows bigint"


@dataclass(frozen=True)
class SparkOptions:
    """``master``: where Spark runs (``local[*]``, ``spark://host:7077``, ``yarn``…); ``config``: extra Spark
    settings. When a Spark session is already active in this process, it is used as it is."""

    master: str = DEFAULT_MASTER
    driver_memory: str = "2g"
    config: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# Articles are large rows (a few kB to a few MB): smaller batches than Spark's defaults keep the JVM heap small.
ROW_SETTINGS = (
    ("spark.sql.execution.arrow.maxRecordsPerBatch", "1024"),
    ("spark.sql.parquet.columnarReaderBatchSize", "1024"),
    ("spark.sql.files.maxPartitionBytes", str(64 * 1024 * 1024)),
)


def session(options: SparkOptions, scratch: Path):
    """The active Spark session, or a new one for ``options`` (local, loopback only, no UI)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - engines.py checks first
        raise EngineUnavailable("the spark engine needs pyspark: pip install 'counterclaim[spark]'") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(options.master).appName("counterclaim-pool")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", options.driver_memory)
               .config("spark.local.dir", str(scratch / "spark"))
               .config("spark.sql.warehouse.dir", str(scratch / "spark-warehouse"))  # not in the current folder
               .config("spark.sql.session.timeZone", "UTC"))
    if options.master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    for key, value in (*ROW_SETTINGS, *options.config):
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_schema(arrow_schema: pa.Schema):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow_schema)


class SparkSql:
    """``dedup.Sql`` on Spark: each table is computed once and kept (local checkpoint), then named."""

    def __init__(self, spark):
        self.spark = spark

    def table(self, name: str, query: str) -> None:
        self.spark.sql(query).localCheckpoint(eager=True).createOrReplaceTempView(name)

    def view(self, name: str, query: str) -> None:
        self.spark.sql(query).createOrReplaceTempView(name)

    def count(self, name: str) -> int:
        return self.spark.table(name).count()

    def scalar(self, query: str) -> Any:
        return self.spark.sql(query).collect()[0][0]


# --- functions run on the executors ---------------------------------------------------------------------


def _stage(batches: Iterable[pa.RecordBatch], buckets: int) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        yield stage_batch(batch, buckets)


def _map(batches: Iterable[pa.RecordBatch], fn: Callable[[pa.RecordBatch], pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        yield fn(batch)


def _write(batches: Iterable[pa.RecordBatch], documents_dir: str, ingest: str, buckets: int) -> Iterator[pa.RecordBatch]:
    """One partition of accepted rows, sorted by (bucket, ord): its bucket files, written by ``writer``."""

    def pieces() -> Iterator[tuple[int, pa.Table]]:
        for batch in batches:
            table = pa.Table.from_batches([batch])
            bucket_column = table.column("bucket").to_pylist()
            start = 0
            for i in range(1, len(bucket_column) + 1):
                if i == len(bucket_column) or bucket_column[i] != bucket_column[start]:
                    yield bucket_column[start], to_documents(table.slice(start, i - start), ingest)
                    start = i

    written = list(write_buckets(pieces(), Path(documents_dir), ingest, buckets))
    yield pa.RecordBatch.from_pylist([{"bucket": w.bucket, "path": w.path, "rows": w.rows} for w in written],
                                     schema=pa.schema([("bucket", pa.int32()), ("path", pa.string()),
                                                       ("rows", pa.int64())]))


# --- ingest ---------------------------------------------------------------------------------------------


def _pool_keys(spark, pool_files: list[Path]):
    columns = ["doc_id", "body_sha256", "source_file", "source_row"]
    if pool_files:
        return spark.read.parquet(*map(str, pool_files)).select(*columns)
    return spark.createDataFrame([], "doc_id string, body_sha256 string, source_file string, source_row bigint")


def ingest(raw: Iterable[pa.RecordBatch], *, pool_files: list[Path], buckets: int, ingest_id: str, tmp: Path,
           documents_dir: Path, report_path: Path, options: SparkOptions, progress=None) -> EngineResult:
    clock = time.perf_counter()
    spark = session(options, tmp)
    raw_path = tmp / "raw.parquet"
    rows = 0
    with pq.ParquetWriter(raw_path, schema.RAW, compression="lz4") as out:
        for batch in raw:
            out.write_batch(batch)
            rows += batch.num_rows
            if progress is not None:
                progress.update(batch.num_rows)
    seconds = {"read": time.perf_counter() - clock}
    clock = time.perf_counter()
    staged_dir = str(tmp / "staged")
    (spark.read.parquet(str(raw_path))
        .mapInArrow(partial(_stage, buckets=buckets), spark_schema(schema.STAGED))
        .write.parquet(staged_dir))
    staged = spark.read.parquet(staged_dir)
    seconds["stage"] = time.perf_counter() - clock
    clock = time.perf_counter()
    sql = SparkSql(spark)
    staged.select("ord", "doc_id", "body_sha256", "id_from_source", "source_file", "source_row", "problem",
                  "problem_id").createOrReplaceTempView("staged_keys")
    _pool_keys(spark, pool_files).createOrReplaceTempView("pool_keys")
    rounds = dedup.decide(sql)
    report = spark.sql(f"SELECT * FROM ({dedup.REPORT_QUERY}) ORDER BY ord")
    refused = write_report((row.asDict() for row in report.toLocalIterator()), report_path)
    seconds["decide"] = time.perf_counter() - clock
    clock = time.perf_counter()
    accepted = staged.join(spark.table("dedup_accepted").select("ord"), "ord", "left_semi")
    partitions = max(1, min(buckets, spark.sparkContext.defaultParallelism * 4))
    written = (accepted.repartition(partitions, "bucket").sortWithinPartitions("bucket", "ord")
               .mapInArrow(partial(_write, documents_dir=str(documents_dir), ingest=ingest_id, buckets=buckets),
                           FILES_SCHEMA)
               .collect())
    files = sorted((WrittenFile(r["bucket"], r["path"], r["rows"]) for r in written), key=lambda f: f.bucket)
    seconds["write"] = time.perf_counter() - clock
    for name in [n.name for n in spark.catalog.listTables() if n.isTemporary]:
        spark.catalog.dropTempView(name)
    return EngineResult(rows=rows, files=files, refused=refused, rounds=rounds, seconds=seconds)


# --- queries --------------------------------------------------------------------------------------------


class QueryEngine:
    """What ``select`` needs of an engine, on Spark."""

    dialect = SPARK

    def __init__(self, scratch: Path, options: SparkOptions | None = None):
        self.options = options or SparkOptions()
        self.spark = session(self.options, Path(scratch))
        self._sql = SparkSql(self.spark)
        self._views: list[str] = []

    def close(self) -> None:
        for name in self._views:
            self.spark.catalog.dropTempView(name)

    def _named(self, name: str) -> None:
        self._views.append(name)

    def table(self, name: str, query: str) -> None:
        self._sql.table(name, query)
        self._named(name)

    def view(self, name: str, query: str) -> None:
        self._sql.view(name, query)
        self._named(name)

    def count(self, name: str) -> int:
        return self._sql.count(name)

    def scalar(self, query: str) -> Any:
        return self._sql.scalar(query)

    def dataframe(self, query: str):
        return self.spark.sql(query)

    def stream(self, query: str) -> Iterator[pa.RecordBatch]:
        rows = []
        for row in self.spark.sql(query).toLocalIterator():
            rows.append(row.asDict())
            if len(rows) >= 1024:
                yield pa.RecordBatch.from_pylist(rows)
                rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows)

    def register(self, name: str, table: pa.Table) -> None:
        self.spark.createDataFrame(table.to_pylist(), spark_schema(table.schema)).createOrReplaceTempView(name)
        self._named(name)

    def documents(self, name: str, files: list[Path]) -> None:
        if files:
            frame = self.spark.read.parquet(*map(str, files))
        else:
            frame = self.spark.createDataFrame([], spark_schema(schema.DOCUMENT))
        frame.createOrReplaceTempView(name)
        self._named(name)

    def map_batches(self, name: str, query: str, fn: Callable[[pa.RecordBatch], pa.RecordBatch],
                    out_schema: pa.Schema) -> None:
        frame = self.spark.sql(query).mapInArrow(partial(_map, fn=fn), spark_schema(out_schema))
        frame.localCheckpoint(eager=True).createOrReplaceTempView(name)
        self._named(name)


def selection_dataframe(pool_dir: str | os.PathLike, query, spark=None):
    """The selection of ``query`` as a Spark DataFrame (columns ``select.OUTPUT_COLUMNS``, by ``doc_id``).

    Its temporary views stay registered in the session while the DataFrame is used."""
    from counterclaim.pool import store
    from counterclaim.pool.select import plan

    pool = store.open_pool(pool_dir)
    engine = QueryEngine(pool.root / store.TMP, SparkOptions())
    if spark is not None:
        engine.spark, engine._sql = spark, SparkSql(spark)
    return engine.dataframe(plan(engine, pool, query))
