"""Pure conversions between a reader's items and Arrow batches, and the per-record work of an ingest.

``raw_batch`` packs what a reader of ``corpus.readers.READERS`` yields (``RawRecord`` or ``RowProblem``) into a
``schema.RAW`` batch; ``stage_batch`` turns such a batch into a ``schema.STAGED`` batch: the rows
``staged_row`` gives (``corpus.build.make_document`` — the very checks and normalisation of ``corpus add`` —
plus the pool's own columns: bucket, dates), computed over whole columns where it can (``vectorised``).
Both engines run ``stage_batch`` unchanged (DuckDB's in worker processes, Spark's in ``mapInArrow``), which
is why their outputs are the same. No I/O here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from counterclaim.corpus.build import EMPTY_CONTENT, MISSING_TITLE, make_document
from counterclaim.corpus.ids import CONTENT_ID_LENGTH, id_problem
from counterclaim.corpus.normalize import POLICY_VERSION, TITLE_SEPARATOR
from counterclaim.corpus.readers import METADATA_KEYS, RawRecord, RowProblem
from counterclaim.pool import schema, vectorised

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SEPARATOR = TITLE_SEPARATOR.encode("utf-8")


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


def raw_batch(items: Iterable[RawRecord | RowProblem], first_ord: int) -> pa.RecordBatch:
    """Items numbered from ``first_ord``, as a ``schema.RAW`` batch (built column by column: one list per
    column, no dictionary per row, as this runs for every input row in the reading process)."""
    items = list(items)
    problem = [isinstance(item, RowProblem) for item in items]
    columns: dict[str, list[Any]] = {
        "ord": list(range(first_ord, first_ord + len(items))),
        "file": [item.file for item in items],
        "row": [item.row for item in items],
        "source_id": [item.source_id for item in items],
        "problem": [item.reason if bad else None for item, bad in zip(items, problem)],
    }
    for name in ("kind", "title", "body", "raw_sha256"):
        columns[name] = [None if bad else getattr(item, name) for item, bad in zip(items, problem)]
    for key in METADATA_KEYS:
        columns[key] = [None if bad else item.metadata.get(key) for item, bad in zip(items, problem)]
    return pa.RecordBatch.from_arrays([pa.array(columns[f.name], type=f.type) for f in schema.RAW],
                                      schema=schema.RAW)


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


def _utf8(values: pa.Array) -> list[bytes | None]:
    return values.cast(pa.binary()).to_pylist()


# The STAGED columns computed row by row; the others are the raw batch's (for documents) or constant.
_COMPUTED = ("bucket", "problem", "problem_id", "id_from_source", "doc_id", "title", "text", "text_sha256",
             "body_sha256", "published_date", "retrieved_date")
_FROM_RAW = {"ord": "ord", "source_file": "file", "source_row": "row"}  # for documents and problems alike
_DOCUMENT_ONLY = ("kind", "raw_sha256", *METADATA_KEYS)  # null for problems


def stage_batch(batch: pa.RecordBatch, buckets: int) -> pa.RecordBatch:
    """A ``schema.RAW`` batch in, the ``schema.STAGED`` batch of the same rows out (same order).

    The same rows as ``staged_row`` of every item, computed faster: the normalisation runs over whole columns
    (``vectorised``); what is left per row (the repeated title, checks, ids, hashes, buckets, dates) works on
    UTF-8 bytes, whose prefixes and hashes are those of the strings; the columns a document copies from its
    record are copied as columns. Rows without a title (.txt articles) take ``staged_row``."""
    columns = {name: batch.column(name) for name in schema.RAW.names}
    titles = _utf8(vectorised.normalize_titles(columns["title"]))
    bodies = _utf8(vectorised.normalize_texts(columns["body"]))
    values = {name: columns[name].to_pylist() for name in ("ord", "source_id", "problem", "published",
                                                            "retrieved_at")}
    out: dict[str, list[Any]] = {name: [None] * batch.num_rows for name in _COMPUTED}
    for i, ord_ in enumerate(values["ord"]):
        if values["problem"][i] is not None or titles[i] is None:
            row = staged_row(ord_, _raw_item(columns, i), buckets)
            for name in _COMPUTED:
                value = row.get(name)
                out[name][i] = value.encode("utf-8") if name in ("title", "text") and value is not None else value
            continue
        source_id = values["source_id"][i]
        reason = id_problem(source_id) if source_id is not None else None
        title, body = titles[i], bodies[i]
        if body == title or body.startswith(title + b"\n"):  # corpus.normalize.drop_repeated_title
            body = body[len(title):].lstrip(b"\n")
        if reason is None and not body:
            reason = EMPTY_CONTENT
        if reason is None and not title:
            reason = MISSING_TITLE
        if reason is not None:
            out["problem"][i], out["problem_id"][i] = reason, source_id
            continue
        text = title + _SEPARATOR + body
        text_sha = hashlib.sha256(text).hexdigest()
        doc_id = source_id or text_sha[:CONTENT_ID_LENGTH]
        out["bucket"][i] = doc_bucket(doc_id, buckets)
        out["id_from_source"][i] = source_id is not None
        out["doc_id"][i], out["title"][i], out["text"][i] = doc_id, title, text
        out["text_sha256"][i], out["body_sha256"][i] = text_sha, hashlib.sha256(body).hexdigest()
        out["published_date"][i] = iso_date(values["published"][i])
        out["retrieved_date"][i] = iso_date(values["retrieved_at"][i])
    is_document = pa.array([reason is None for reason in out["problem"]], pa.bool_())
    arrays = []
    for field in schema.STAGED:
        if field.name in _FROM_RAW:  # cast: an engine may hand over other string or integer types
            arrays.append(columns[_FROM_RAW[field.name]].cast(field.type))
        elif field.name in _DOCUMENT_ONLY:
            arrays.append(pc.if_else(is_document, columns[field.name].cast(field.type), pa.scalar(None, field.type)))
        elif field.name == "normalisation":
            arrays.append(pc.if_else(is_document, pa.scalar(POLICY_VERSION), pa.scalar(None, field.type)))
        elif field.name in ("title", "text"):
            arrays.append(pa.array(out[field.name], pa.binary()).cast(field.type))
        else:
            arrays.append(pa.array(out[field.name], field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema.STAGED)


def _raw_item(columns: dict[str, pa.Array], i: int) -> RawRecord | RowProblem:
    """Row ``i`` of a ``schema.RAW`` batch's columns, as ``raw_items`` gives it."""
    value = {name: column[i].as_py() for name, column in columns.items()}
    if value["problem"] is not None:
        return RowProblem(value["file"], value["row"], value["source_id"], value["problem"])
    return RawRecord(file=value["file"], row=value["row"], kind=value["kind"], source_id=value["source_id"],
                     title=value["title"], body=value["body"], raw_sha256=value["raw_sha256"],
                     metadata={key: value[key] for key in METADATA_KEYS})
