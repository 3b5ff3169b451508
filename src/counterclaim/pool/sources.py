"""An input as a stream of ``schema.RAW`` batches, read by the corpus's own readers.

Any reader in ``corpus.readers.READERS`` works here unchanged: the pool reads exactly what ``corpus add``
reads, row for row, problems included. CSV is read with Python's csv module, as ``corpus add`` reads it:
DuckDB's ``read_csv`` gives the same rows on well-formed files such as the FakeNewsCorpus sample, but on
malformed ones it silently differs (it trims spaces around quoted values and accepts a trailing comma that
makes a row one field too long), so it would change what is ingested.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from counterclaim.corpus.readers import READERS, input_kind
from counterclaim.pool.errors import PoolError
from counterclaim.pool.records import raw_batch

BATCH_ROWS = 1024


def resolve_kind(path: Path, kind: str | None) -> str:
    """``kind`` if given (a ``READERS`` key), else the kind ``corpus add`` would pick for ``path``."""
    if kind is None:
        return input_kind(path)
    if kind not in READERS:
        raise PoolError(f"unknown input format {kind!r}; use one of {', '.join(sorted(READERS))}")
    if not path.exists():
        raise PoolError(f"{path}: no such file or folder")
    return kind


def raw_batches(path: Path, kind: str, batch_rows: int | None = None) -> Iterator[pa.RecordBatch]:
    """The input's rows in order, ``batch_rows`` (default ``BATCH_ROWS``) at a time, numbered from 0 (``ord``)."""
    batch_rows = batch_rows or BATCH_ROWS
    items = READERS[kind](Path(path))
    first = 0
    while True:
        chunk = list(islice(items, batch_rows))
        if not chunk:
            return
        yield raw_batch(chunk, first)
        first += len(chunk)
