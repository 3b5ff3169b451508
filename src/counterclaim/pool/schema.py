"""The pool's tables as Arrow schemas, declared once.

- ``RAW``: one row per input row as a reader yielded it (a ``RawRecord`` or a ``RowProblem``), numbered by
  ``ord`` in input order. The Spark engine stages these before normalising them on the cluster.
- ``STAGED``: a raw row after the per-record checks and the normalisation: a document's columns, or a
  ``problem`` (the reason, as ``corpus add`` words it).
- ``DOCUMENT``: the columns of the pool's parquet files, one row per ingested document.

Metadata columns follow ``corpus.readers.METADATA_KEYS``, so metadata a reader adds there reaches the pool.
"""

from __future__ import annotations

import pyarrow as pa

from counterclaim.corpus.readers import METADATA_KEYS

_STRING = pa.string()

RAW = pa.schema(
    [
        pa.field("ord", pa.int64(), nullable=False),
        pa.field("file", _STRING),
        pa.field("row", pa.int64()),
        pa.field("kind", _STRING),
        pa.field("source_id", _STRING),
        pa.field("title", _STRING),  # null: the title is the first line of the body (.txt)
        pa.field("body", _STRING),
        pa.field("raw_sha256", _STRING),
        *(pa.field(key, _STRING) for key in METADATA_KEYS),
        pa.field("problem", _STRING),  # a reader's RowProblem: its reason, and no record fields
    ]
)

# Columns of a document in the pool, in file order.
DOCUMENT = pa.schema(
    [
        pa.field("doc_id", _STRING),
        pa.field("title", _STRING),
        pa.field("text", _STRING),
        pa.field("text_sha256", _STRING),
        pa.field("body_sha256", _STRING),  # the content-duplicate key, as in the corpus
        pa.field("raw_sha256", _STRING),
        pa.field("normalisation", _STRING),
        pa.field("kind", _STRING),
        pa.field("source_file", _STRING),
        pa.field("source_row", pa.int64()),
        *(pa.field(key, _STRING) for key in METADATA_KEYS),
        pa.field("published_date", pa.date32()),  # `published` when it starts with an ISO date
        pa.field("retrieved_date", pa.date32()),  # likewise `retrieved_at`
        pa.field("ingest", _STRING),  # the ingest that added it (pool.json)
    ]
)

STAGED = pa.schema(
    [
        pa.field("ord", pa.int64()),
        pa.field("bucket", pa.int32()),
        pa.field("problem", _STRING),
        pa.field("problem_id", _STRING),  # the id a problem names, if any
        pa.field("id_from_source", pa.bool_()),  # the id is the source's own (else the content id)
        *(field for field in DOCUMENT if field.name != "ingest"),
    ]
)

# What the dedup rule reads of staged rows and of the documents already in the pool.
KEY_COLUMNS = ("ord", "doc_id", "body_sha256", "source_file", "source_row", "kind")


def empty(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)
