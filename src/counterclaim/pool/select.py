"""Selections: run a ``Query`` on an engine, and write the chosen documents for ``corpus add``.

The selection file is JSONL in the corpus's input layout, one document per line in ``doc_id`` order::

    {"id": "20749", "title": "…", "text": "<the body>", "url": "…", "domain": "…", "reliability": "fake", …}

``counterclaim corpus add selection.jsonl`` then adds them with the same ids, titles, texts and metadata:
the corpus normalises the title and body again, which leaves a normalised text as it is. A document whose
text would still change (the normalisation is not idempotent on some contrived texts, e.g. a body whose
first two lines both repeat the title) is left out and listed in the report rather than altered.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any, Iterator

import pyarrow as pa

from counterclaim.corpus.normalize import TITLE_SEPARATOR, split_record
from counterclaim.io.jsonio import atomic_write, dumps
from counterclaim.pool import engines, neardup, store
from counterclaim.pool.query import STRATA, Query, where_clause
from counterclaim.pool.sample import draw_key, equal_quotas, proportional_quotas

OUTPUT_COLUMNS = ("doc_id", "title", "text", "kind", "source_file", "source_row", "url", "domain", "published",
                  "retrieved_at", "reliability", "authors")
RECORD_FIELDS = ("url", "domain", "published", "retrieved_at", "reliability", "authors")
NOT_IDEMPOTENT = ("not written: normalising its title and body again would change its text, so `corpus add` "
                  "would not reproduce it; add its source with `corpus add` instead")
QUOTA_SCHEMA = pa.schema([pa.field("stratum", pa.string()), pa.field("quota", pa.int64())])


@contextlib.contextmanager
def query_engine(pool: store.Pool, engine: str, options: Any = None) -> Iterator[Any]:
    """The engine's query side, with a scratch folder inside the pool."""
    module = engines.module(engine)
    with store.scratch(pool.root) as scratch:
        runner = module.QueryEngine(scratch, options)
        try:
            yield runner
        finally:
            runner.close()


def plan(engine: Any, pool: store.Pool, query: Query) -> str:
    """Create the engine's tables for ``query``; return the SQL of the selected rows in ``doc_id`` order."""
    engine.documents("pool_docs", pool.files())
    engine.view("selection_filtered", f"SELECT * FROM pool_docs WHERE {where_clause(query, engine.dialect)}")
    current = "selection_filtered"
    if query.one_per_cluster:
        engine.map_batches("signatures", f"SELECT doc_id, title, text FROM {current}", neardup.signature_batch,
                           neardup.SIGNATURE_SCHEMA)
        clusters = neardup.cluster(engine)
        engine.view("selection_distinct", f"SELECT s.* FROM {current} s WHERE NOT EXISTS "
                                          f"(SELECT 1 FROM {clusters} c WHERE c.doc_id = s.doc_id AND c.cluster <> s.doc_id)")
        current = "selection_distinct"
    columns = ", ".join(OUTPUT_COLUMNS)
    if not query.samples:
        limit = f" LIMIT {query.limit}" if query.limit else ""
        return f"SELECT {columns} FROM {current} ORDER BY doc_id{limit}"
    stratum = STRATA[query.stratify] if query.stratify else "''"
    sizes = {row["stratum"]: row["n"] for batch in engine.stream(
        f"SELECT {stratum} AS stratum, count(*) AS n FROM {current} GROUP BY {stratum}") for row in batch.to_pylist()}
    quotas = (equal_quotas(sizes, query.per_stratum) if query.per_stratum is not None
              else proportional_quotas(sizes, query.sample))
    engine.register("sample_quotas", pa.table({"stratum": list(quotas), "quota": list(quotas.values())},
                                              schema=QUOTA_SCHEMA))
    # Rank ids only (the texts stay out of the window), then fetch the chosen documents.
    engine.view("selection_ranked", f"SELECT doc_id, {stratum} AS sample_stratum, row_number() OVER "
                                    f"(PARTITION BY {stratum} ORDER BY {draw_key(engine.dialect, query.seed)}) "
                                    f"AS draw_rank FROM {current}")
    engine.table("selection_chosen", "SELECT r.doc_id FROM selection_ranked r JOIN sample_quotas q "
                                     "ON q.stratum = r.sample_stratum WHERE r.draw_rank <= q.quota")
    return (f"SELECT {columns} FROM {current} WHERE doc_id IN (SELECT doc_id FROM selection_chosen) "
            f"ORDER BY doc_id")


def select_rows(pool_dir: str | os.PathLike, query: Query, *, engine: str = engines.DEFAULT,
                options: Any = None) -> Iterator[dict[str, Any]]:
    """The selected documents (``OUTPUT_COLUMNS``), streamed in ``doc_id`` order."""
    pool = store.open_pool(pool_dir)
    with query_engine(pool, engine, options) as runner:
        for batch in runner.stream(plan(runner, pool, query)):
            yield from batch.to_pylist()


def selection_record(row: dict[str, Any]) -> dict[str, Any] | str:
    """The corpus input record of a selected document, or why it cannot be one."""
    title = row["title"]
    body = row["text"][len(title) + len(TITLE_SEPARATOR):]
    if split_record(title, body) != (title, body):
        return NOT_IDEMPOTENT
    record = {"id": row["doc_id"], "title": title, "text": body}
    record.update({key: row[key] for key in RECORD_FIELDS if row.get(key) is not None})
    return record


@dataclass
class SelectReport:
    out: str
    written: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {"id", "reason"}

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "written": self.written, "skipped": len(self.skipped),
                "skipped_documents": self.skipped}


def write_selection(pool_dir: str | os.PathLike, query: Query, out: str | os.PathLike, *,
                    engine: str = engines.DEFAULT, options: Any = None) -> SelectReport:
    """Write the selected documents to ``out`` (JSONL, the corpus input layout), atomically."""
    report = SelectReport(out=str(out))
    with atomic_write(out) as fh:
        for row in select_rows(pool_dir, query, engine=engine, options=options):
            record = selection_record(row)
            if isinstance(record, str):
                report.skipped.append({"id": row["doc_id"], "reason": record})
                continue
            fh.write(dumps(record))
            fh.write("\n")
            report.written += 1
    return report


def cluster_rows(pool_dir: str | os.PathLike, query: Query, *, engine: str = engines.DEFAULT,
                 options: Any = None) -> Iterator[dict[str, Any]]:
    """The near-duplicate clusters (two documents or more) among the documents ``query`` filters:
    ``{"cluster", "size", "doc_id", "title", "domain"}`` by cluster, then ``doc_id``."""
    pool = store.open_pool(pool_dir)
    with query_engine(pool, engine, options) as runner:
        runner.documents("pool_docs", pool.files())
        runner.view("selection_filtered", f"SELECT * FROM pool_docs WHERE {where_clause(query, runner.dialect)}")
        runner.map_batches("signatures", "SELECT doc_id, title, text FROM selection_filtered",
                           neardup.signature_batch, neardup.SIGNATURE_SCHEMA)
        clusters = neardup.cluster(runner)
        sql = (f"SELECT c.cluster, z.size, d.doc_id, d.title, d.domain FROM {clusters} c "
               f"JOIN (SELECT cluster, count(*) AS size FROM {clusters} GROUP BY cluster) z ON z.cluster = c.cluster "
               f"JOIN selection_filtered d ON d.doc_id = c.doc_id ORDER BY c.cluster, d.doc_id")
        for batch in runner.stream(sql):
            yield from batch.to_pylist()
