"""What a pool holds: its ingests, and how many documents per value of a column (to plan a sample)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from counterclaim.pool import engines, store
from counterclaim.pool.query import STRATA
from counterclaim.pool.select import query_engine


@dataclass
class PoolSummary:
    root: str
    buckets: int
    normalisation: str
    documents: int
    ingests: list[dict[str, Any]]
    counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # column -> [(value, n)], largest first

    def to_dict(self) -> dict[str, Any]:
        return {"pool": self.root, "buckets": self.buckets, "normalisation": self.normalisation,
                "documents": self.documents,
                "ingests": [{k: v for k, v in i.items() if k != "files"} for i in self.ingests],
                "counts": {column: [{"value": value, "documents": n} for value, n in rows]
                           for column, rows in self.counts.items()}}


def summarise(pool_dir: str | os.PathLike, *, columns: tuple[str, ...] = ("reliability", "domain"), top: int = 10,
              engine: str = engines.DEFAULT, options: Any = None) -> PoolSummary:
    """The pool's ingests and, for each of ``columns`` (keys of ``query.STRATA``), its ``top`` values."""
    pool = store.open_pool(pool_dir)
    summary = PoolSummary(root=str(pool.root), buckets=pool.buckets, normalisation=pool.normalisation,
                          documents=pool.document_count, ingests=[i.to_dict() for i in pool.ingests])
    if not columns or not pool.document_count:
        return summary
    with query_engine(pool, engine, options) as runner:
        runner.documents("pool_docs", pool.files())
        for column in columns:
            expr = STRATA[column]
            sql = (f"SELECT {expr} AS value, count(*) AS n FROM pool_docs GROUP BY {expr} "
                   f"ORDER BY n DESC, value LIMIT {int(top)}")
            summary.counts[column] = [(row["value"], row["n"]) for batch in runner.stream(sql)
                                      for row in batch.to_pylist()]
    return summary
