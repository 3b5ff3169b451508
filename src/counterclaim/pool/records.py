"""Pure conversions between a reader's items and Arrow batches, and the per-record work of an ingest.

``raw_batch`` packs what a reader of ``corpus.readers.READERS`` yields (``RawRecord`` or ``RowProblem``) into a
``schema.RAW`` batch; ``stage_batch`` turns such a batch into a ``schema.STAGED`` batch with
``corpus.build.make_document`` — the very checks and normalisation of ``corpus add`` — plus the pool's own
columns (bucket, dates). Both engines run ``stage_batch`` unchanged (DuckDB's in worker processes, Spark's in
``mapInArrow``), which is why their outputs are the same. No I/O here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, Iterable, Iterator

import pyarrow as pa

from counterclaim.corpus.build import make_document
from counterclaim.corpus.readers import METADATA_KEYS, RawRecord, RowProblem
from counterclaim.pool import schema

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def doc_bucket(doc_id: str, buckets: int) -> int:
    """The partition of a document: the first 8 bytes of sha256(doc_id), modulo the pool's bucket count."""
    return int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big") % buckets


def iso_date(value: str | None) -> dt.date | None:
    """The date a string starts with in ISO form (``2015-10-30``, ``2015-10-30T…``, ``2015-10-30 16:17``), or None."""
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    if match is None:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def _batch(rows: list[dict[str, Any]], target: pa.Schema) -> pa.RecordBatch:
    """Rows as a batch of ``target``, built column by column (missing keys are nulls)."""
    return pa.RecordBatch.from_arrays(
        [pa.array([row.get(f.name) for row in rows], type=f.type) for f in target], schema=target)


def raw_batch(items: Iterable[RawRecord | RowProblem], first_ord: int) -> pa.RecordBatch:
    """Items numbered from ``first_ord``, as a ``schema.RAW`` batch."""
    rows: list[dict[str, Any]] = []
    for ord_, item in enumerate(items, start=first_ord):
        if isinstance(item, RowProblem):
            rows.append({"ord": ord_, "file": item.file, "row": item.row, "source_id": item.source_id,
                         "problem": item.reason})
        else:
            rows.append({"ord": ord_, "file": item.file, "row": item.row, "kind": item.kind,
                         "source_id": item.source_id, "title": item.title, "body": item.body,
                         "raw_sha256": item.raw_sha256, **item.metadata})
    return _batch(rows, schema.RAW)


def raw_items(batch: pa.RecordBatch | pa.Table) -> Iterator[tuple[int, RawRecord | RowProblem]]:
    """``(ord, item)`` for every row of a ``schema.RAW`` batch: the inverse of ``raw_batch``."""
    columns = {name: batch.column(name).to_pylist() for name in schema.RAW.names}
    metadata = [columns[key] for key in METADATA_KEYS]
    for i, ord_ in enumerate(columns["ord"]):
        if columns["problem"][i] is not None:
            yield ord_, RowProblem(columns["file"][i], columns["row"][i], columns["source_id"][i],
                                   columns["problem"][i])
        else:
            yield ord_, RawRecord(
                file=columns["file"][i], row=columns["row"][i], kind=columns["kind"][i],
                source_id=columns["source_id"][i], title=columns["title"][i], body=columns["body"][i],
                raw_sha256=columns["raw_sha256"][i],
                metadata={key: values[i] for key, values in zip(METADATA_KEYS, metadata)},
            )


def staged_row(ord_: int, item: RawRecord | RowProblem, buckets: int) -> dict[str, Any]:
    """One ``schema.STAGED`` row: the document ``corpus add`` would make of ``item`` alone, or its problem."""
    if isinstance(item, RawRecord):
        made = make_document(item)
        if not isinstance(made, RowProblem):
            doc, body_sha = made
            source = doc["source"]
            return {
                "ord": ord_,
                "bucket": doc_bucket(doc["doc_id"], buckets),
                "id_from_source": item.source_id is not None,
                "doc_id": doc["doc_id"],
                "title": doc["title"],
                "text": doc["text"],
                "text_sha256": doc["text_sha256"],
                "body_sha256": body_sha,
                "raw_sha256": doc["raw_sha256"],
                "normalisation": doc["normalisation"],
                "kind": source["kind"],
                "source_file": source["path"],
                "source_row": source["row"],
                **{key: source.get(key) for key in METADATA_KEYS},
                "published_date": iso_date(source.get("published")),
                "retrieved_date": iso_date(source.get("retrieved_at")),
            }
        item = made
    return {"ord": ord_, "problem": item.reason, "problem_id": item.source_id, "source_file": item.file,
            "source_row": item.row}


def stage_batch(batch: pa.RecordBatch, buckets: int) -> pa.RecordBatch:
    """A ``schema.RAW`` batch in, the ``schema.STAGED`` batch of the same rows out (same order)."""
    return _batch([staged_row(o, item, buckets) for o, item in raw_items(batch)], schema.STAGED)
