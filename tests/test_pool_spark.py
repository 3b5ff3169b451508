"""The Spark engine gives the DuckDB engine's pool byte for byte, and the same selections; a selection loads
with ``datasets.Dataset.from_spark``. One local Spark session serves the whole test session (it takes
30-60 s to start), and the Spark work is kept to one ingest and one selection."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the spark engine is an optional extra: pip install -e '.[spark]'")
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

from counterclaim.pool import ingest  # noqa: E402
from counterclaim.pool.duckdb_engine import DuckDBOptions  # noqa: E402
from counterclaim.pool.query import Query  # noqa: E402
from counterclaim.pool.select import cluster_rows, select_rows  # noqa: E402
from counterclaim.pool.spark_engine import SparkOptions, selection_dataframe, session  # noqa: E402
from helpers import REALDATA  # noqa: E402

FNC_SAMPLE = REALDATA / "news" / "fakenewscorpus_news_sample.csv"
QUERY = Query(domains=("beforeitsnews.com", "canadafreepress.com", "washingtonexaminer.com", "christianpost.com"),
              keywords=("the",), one_per_cluster=True, sample=40, stratify="domain", seed="spark")


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    active = session(SparkOptions(master="local[2]", config=(("spark.sql.shuffle.partitions", "4"),)),
                     tmp_path_factory.mktemp("spark"))
    yield active
    active.stop()


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "pool.lock"}


def _earlier_source(path: Path) -> None:
    """Three records that collide with sample rows: by id (row 1), by body (row 2), and a near-duplicate (row 9)."""
    csv.field_size_limit(sys.maxsize)
    with FNC_SAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [{"id": rows[0]["id"], "title": "Another title", "text": "Another body."},
               {"id": "earlier-2", "title": rows[1]["title"], "text": rows[1]["content"]},
               {"id": "earlier-3", "title": "Near", "domain": "beforeitsnews.com",
                "text": rows[8]["content"].replace(" the ", " a ", 1)}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def pools(spark, tmp_path_factory):
    base = tmp_path_factory.mktemp("pools")
    earlier = base / "earlier.jsonl"
    _earlier_source(earlier)
    ingest(base / "duckdb", earlier, options=DuckDBOptions(workers=0))
    shutil.copytree(base / "duckdb", base / "spark")
    ingest(base / "duckdb", FNC_SAMPLE, options=DuckDBOptions(workers=0))
    ingest(base / "spark", FNC_SAMPLE, engine="spark")
    return base / "duckdb", base / "spark"


def test_spark_writes_the_same_pool_as_duckdb_byte_for_byte(pools):
    duck, spark_pool = pools
    expected = files(duck)
    report = [json.loads(line) for line in expected["reports/0002.jsonl"].decode().splitlines()]
    assert sum("already in the pool" in line["reason"] for line in report) == 2
    assert len([name for name in expected if name.startswith("documents/")]) == 3 + 16
    assert files(spark_pool) == expected


def test_spark_selects_what_duckdb_selects_and_the_selection_loads_in_datasets(pools, spark, tmp_path):
    import datasets

    duck, spark_pool = pools
    filters = Query(domains=QUERY.domains, keywords=QUERY.keywords)
    assert [row["doc_id"] for row in cluster_rows(duck, filters, options=DuckDBOptions(workers=0))] == \
           ["1411", "earlier-3"]  # the near-duplicate of sample row 9: one_per_cluster drops it
    expected = list(select_rows(duck, QUERY, options=DuckDBOptions(workers=0)))
    assert len(expected) == 40
    frame = selection_dataframe(spark_pool, QUERY, spark).cache()
    assert [row.asDict() for row in frame.collect()] == expected
    dataset = datasets.Dataset.from_spark(frame, cache_dir=str(tmp_path / "hf-cache"))
    assert dataset.num_rows == 40
    assert sorted(dataset.to_list(), key=lambda row: row["doc_id"]) == expected
