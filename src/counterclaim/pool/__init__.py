"""The pool: millions of raw articles in partitioned parquet, to search, deduplicate and sample.

Articles from any input ``corpus add`` reads are normalised and identified exactly as the corpus does it,
deduplicated by id and content, and stored by bucket of their id (``store``). Queries select by domain,
reliability, dates, keywords and near-duplicate clusters, draw stratified samples, and write the chosen
documents in the corpus's JSONL input layout for ``corpus add``. Two engines do the work: DuckDB on one
machine (the default) and Spark beyond it; they give the same files.
"""

from counterclaim.pool.errors import EngineUnavailable, PoolError
from counterclaim.pool.ingest import IngestReport, ingest
from counterclaim.pool.store import Pool, open_pool

__all__ = ["EngineUnavailable", "IngestReport", "Pool", "PoolError", "ingest", "open_pool"]
