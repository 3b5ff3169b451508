"""Readers: one generator per input kind, each yielding a ``RawRecord`` or a ``RowProblem`` per row.

A reader only reads and maps fields; normalisation, ids and duplicate checks happen in ``build``. A row that
cannot be read is yielded as a ``RowProblem`` so one bad row never stops the others; an input that cannot
be read at all (wrong layout, invalid JSON) raises ``InputError``.

Input kinds (``READERS``), chosen from the path by ``input_kind``:

- ``txt-folder``: a folder of ``.txt`` files, one article each, the title on the first line::

      000_17a8eb7dc5290d52.txt   Russia destroys 1,600 ISIS targets in JUST one month ...

- ``jsonl``: one object per line, ``{"id": "a1", "title": "...", "text": "...", "url": "...",
  "domain": "...", "published": "2015-10-30", "reliability": "reliable", "authors": "..."}``
  (``doc_id`` may stand for ``id``, ``content`` for ``text``, ``publisher`` for ``domain``, ``date`` for
  ``published``; every field but the text and title is optional);
- ``fakenewscorpus-csv``: the FakeNewsCorpus layout
  ``,id,domain,type,url,content,scraped_at,inserted_at,updated_at,title,authors,keywords,...``.

``read_raw_store`` reads a corpus's ``raw/`` folder: ``.txt`` files as above and the ``.jsonl`` files that
``corpus add`` writes (each record's original fields plus ``"_source": {"file", "row", "format"}``).
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from counterclaim.corpus.ids import id_from_filename
from counterclaim.corpus.normalize import decode_utf8
from counterclaim.errors import CorpusError, InputError
from counterclaim.io.jsonio import LineError, iter_jsonl, sha256_bytes, sha256_text

METADATA_KEYS = ("url", "domain", "published", "retrieved_at", "reliability", "authors")
FAKENEWSCORPUS_REQUIRED = ("id", "domain", "type", "url", "content", "title")
SOURCE_KEY = "_source"
ACCEPTED = "a folder of .txt files, a .jsonl file or a FakeNewsCorpus .csv file"


def locate(file: str, row: int | None, source_id: str | None) -> str:
    """``FILE: row N (id X)``, leaving out what is unknown."""
    where = file if row is None else f"{file}: row {row}"
    return where if source_id is None else f"{where} (id {source_id})"


@dataclass(frozen=True)
class RawRecord:
    """One article as read, before normalisation."""

    file: str  # the input file's name, or ``raw/NAME`` for the raw store
    row: int | None  # CSV record number or JSONL line; None for a .txt file
    kind: str  # "txt", "jsonl" or "fakenewscorpus-csv"
    source_id: str | None  # the source's own id, None when it has none
    title: str | None  # None: the title is the first line of ``body`` (.txt)
    body: str
    raw_sha256: str
    metadata: dict[str, Any] = field(default_factory=dict)  # METADATA_KEYS, None when unknown
    fields: dict[str, Any] | None = None  # a record's original fields, written to the raw store

    @property
    def origin(self) -> str:
        return self.file if self.row is None else f"{self.file}:{self.row}"

    @property
    def location(self) -> str:
        return locate(self.file, self.row, self.source_id)


@dataclass(frozen=True)
class RowProblem:
    """A row (or .txt file) that is not ingested, and why."""

    file: str
    row: int | None
    source_id: str | None
    reason: str

    @property
    def location(self) -> str:
        return locate(self.file, self.row, self.source_id)

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "id": self.source_id, "reason": self.reason}


class _BadRow(Exception):
    """A row's fields cannot be mapped; the message is the reason."""


def _metadata(**values: Any) -> dict[str, Any]:
    return {key: values.get(key) for key in METADATA_KEYS}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_field(fields: dict[str, Any]) -> str | None:
    """The first field holding text that did not decode (lone surrogates), or None."""
    for name, value in fields.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            return name
    return None


# --- field mappings of the record formats -----------------------------------------------------------


def _optional_string(fields: dict[str, Any], *names: str) -> str | None:
    """The first of ``names`` present; conflicting values, or a non-string, make the row unusable."""
    found = [(n, fields[n]) for n in names if fields.get(n) not in (None, "")]
    for name, value in found:
        if not isinstance(value, str):
            raise _BadRow(f"field {name!r} must be a string, not {type(value).__name__}")
    if len({value for _, value in found}) > 1:
        raise _BadRow(f"fields {found[0][0]!r} and {found[1][0]!r} differ; give only one of them")
    return found[0][1] if found else None


def _jsonl_id(fields: dict[str, Any]) -> str | None:
    values = []
    for name in ("id", "doc_id"):
        value = fields.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise _BadRow(f"invalid id {value!r}: field {name!r} must be a string or an integer")
        if value is not None:
            values.append((name, value))
    if len({v for _, v in values}) > 1:
        raise _BadRow(f"fields 'id' and 'doc_id' differ ({values[0][1]!r}, {values[1][1]!r}); give only one")
    return values[0][1] if values else None


def _authors(fields: dict[str, Any]) -> str | None:
    value = fields.get("authors")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) or None
    return _optional_string(fields, "authors")


def jsonl_fields(fields: dict[str, Any]) -> tuple[str | None, str, str, dict[str, Any]]:
    """``(source_id, title, content, metadata)`` of a JSONL record."""
    return (
        _jsonl_id(fields),
        _optional_string(fields, "title") or "",
        _optional_string(fields, "text", "content") or "",
        _metadata(
            url=_optional_string(fields, "url"),
            domain=_optional_string(fields, "domain", "publisher"),
            published=_optional_string(fields, "published", "date"),
            retrieved_at=_optional_string(fields, "retrieved_at"),
            reliability=_optional_string(fields, "reliability"),
            authors=_authors(fields),
        ),
    )


def fakenewscorpus_fields(fields: dict[str, Any]) -> tuple[str | None, str, str, dict[str, Any]]:
    """``(source_id, title, content, metadata)`` of a FakeNewsCorpus row (every value a string)."""

    def get(name: str) -> str | None:
        return fields.get(name) or None

    return (
        get("id"),
        fields.get("title") or "",
        fields.get("content") or "",
        # FakeNewsCorpus has no publication date; scraped_at is when the page was fetched.
        _metadata(
            url=get("url"),
            domain=get("domain"),
            published=None,
            retrieved_at=get("scraped_at"),
            reliability=get("type"),
            authors=get("authors"),
        ),
    )


RECORD_FORMATS: dict[str, Callable[[dict[str, Any]], tuple[str | None, str, str, dict[str, Any]]]] = {
    "jsonl": jsonl_fields,
    "fakenewscorpus-csv": fakenewscorpus_fields,
}


def record_from_fields(
    fields: Any, fmt: str, file: str, row: int, *, reliability: str | None = None
) -> RawRecord | RowProblem:
    """Map one record's fields; ``reliability`` fills in when the record has none."""
    if not isinstance(fields, dict):
        return RowProblem(file, row, None, f"not a JSON object but {type(fields).__name__}")
    raw_id = fields.get("id", fields.get("doc_id"))
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    shown_id = raw_id if isinstance(raw_id, str) and raw_id and _surrogate_field({"id": raw_id}) is None else None
    bad = _surrogate_field(fields)
    if bad is not None:
        return RowProblem(file, row, shown_id, f"undecodable bytes: not valid UTF-8 (field {bad!r})")
    try:
        source_id, title, content, metadata = RECORD_FORMATS[fmt](fields)
    except _BadRow as exc:
        return RowProblem(file, row, shown_id, str(exc))
    if metadata["reliability"] is None:
        metadata["reliability"] = reliability
    return RawRecord(
        file=file,
        row=row,
        kind=fmt,
        source_id=source_id,
        title=title,
        body=content,
        raw_sha256=sha256_text(content),
        metadata=metadata,
        fields=fields,
    )


# --- readers ------------------------------------------------------------------------------------


def read_txt_file(path: Path, display: str) -> RawRecord | RowProblem:
    """One article file, kept byte for byte: its hash is of the file's bytes."""
    data = path.read_bytes()
    try:
        body = decode_utf8(data)
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        return RowProblem(display, None, None, f"undecodable bytes: not valid UTF-8 (byte {offset})")
    return RawRecord(
        file=display,
        row=None,
        kind="txt",
        source_id=id_from_filename(path.name),
        title=None,
        body=body,
        raw_sha256=sha256_bytes(data),
        metadata=_metadata(),
    )


def read_txt_folder(path: Path) -> Iterator[RawRecord | RowProblem]:
    """Every ``*.txt`` file directly in ``path``, in name order."""
    files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file() and not p.name.startswith("."))
    if not files:
        raise InputError(f"{path}: no .txt files in this folder; corpus add accepts {ACCEPTED}")
    for file in files:
        yield read_txt_file(file, file.name)


def read_jsonl(path: Path) -> Iterator[RawRecord | RowProblem]:
    """One record per line; the row number is the line number."""
    for lineno, obj in iter_jsonl(path, skip_bad_lines=True):
        if isinstance(obj, LineError):
            yield RowProblem(path.name, lineno, None, obj.reason)
            continue
        if isinstance(obj, dict) and SOURCE_KEY in obj:
            yield RowProblem(path.name, lineno, None, f"field {SOURCE_KEY!r} is reserved for the corpus raw store")
            continue
        yield record_from_fields(obj, "jsonl", path.name, lineno)


def read_fakenewscorpus_csv(path: Path) -> Iterator[RawRecord | RowProblem]:
    """FakeNewsCorpus rows; the row number is the CSV record number (1 = the first row after the header).

    The file is decoded with ``surrogateescape`` so that invalid UTF-8 in one row is reported for that row
    (as lone surrogates in its fields) instead of stopping the whole file.
    """
    csv.field_size_limit(sys.maxsize)
    try:
        fh = path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    with fh:
        reader = csv.reader(fh)
        number = 0
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: empty file; expected a FakeNewsCorpus CSV with a header row")
            _check_header(path, header)
            for values in reader:
                if not values:
                    continue
                number += 1
                fields = dict(zip(header, values))
                if len(values) != len(header):
                    shown = fields.get("id") if _surrogate_field({"id": fields.get("id")}) is None else None
                    yield RowProblem(
                        path.name, number, shown or None, f"{len(values)} fields where the header has {len(header)}"
                    )
                    continue
                yield record_from_fields(fields, "fakenewscorpus-csv", path.name, number)
        except csv.Error as exc:
            raise InputError(f"{path}: CSV record {number + 1}: {exc}; fix the quoting there") from None


def _check_header(path: Path, header: list[str]) -> None:
    if _surrogate_field(dict(enumerate(header))) is not None:
        raise InputError(f"{path}: the header row is not valid UTF-8; save the file as UTF-8")
    missing = [name for name in FAKENEWSCORPUS_REQUIRED if name not in header]
    if missing:
        raise InputError(
            f"{path}: not in the FakeNewsCorpus layout: missing column(s) {', '.join(missing)}; "
            f"the header must name at least {', '.join(FAKENEWSCORPUS_REQUIRED)}"
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(
            f"{path}: column(s) {', '.join(repr(n) for n in repeated)} appear more than once in the header"
        )


READERS: dict[str, Callable[[Path], Iterator[RawRecord | RowProblem]]] = {
    "txt-folder": read_txt_folder,
    "jsonl": read_jsonl,
    "fakenewscorpus-csv": read_fakenewscorpus_csv,
}

_SUFFIX_KINDS = {".jsonl": "jsonl", ".csv": "fakenewscorpus-csv"}


def input_kind(path: Path) -> str:
    """The ``READERS`` key for ``path``: a folder, a ``.jsonl`` or a ``.csv`` file."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        return "txt-folder"
    kind = _SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: cannot read this kind of file; corpus add accepts {ACCEPTED}")
    return kind


# --- the raw store ---------------------------------------------------------------------------------


def read_raw_jsonl(path: Path, display: str) -> Iterator[RawRecord | RowProblem]:
    """Records that ``corpus add`` stored: original fields plus ``_source``."""
    for lineno, obj in iter_jsonl(path):
        source = obj.get(SOURCE_KEY) if isinstance(obj, dict) else None
        fmt = source.get("format") if isinstance(source, dict) else None
        if fmt not in RECORD_FORMATS:
            yield RowProblem(
                display,
                lineno,
                None,
                f"not a raw-store record: needs a {SOURCE_KEY!r} object whose 'format' is one of "
                f"{', '.join(RECORD_FORMATS)}",
            )
            continue
        fields = {k: v for k, v in obj.items() if k != SOURCE_KEY}
        filled = source.get("reliability_map") or {}
        yield record_from_fields(fields, fmt, display, lineno, reliability=filled.get("reliability"))


def read_raw_store(raw_dir: Path) -> Iterator[RawRecord | RowProblem]:
    """Everything in a corpus's ``raw/`` folder, files in name order; hidden files are ignored."""
    if not raw_dir.is_dir():
        raise CorpusError(f"{raw_dir}: no raw/ folder; add sources with `counterclaim corpus add PATH`")
    for path in sorted(p for p in raw_dir.iterdir() if not p.name.startswith(".")):
        display = f"{raw_dir.name}/{path.name}"
        if path.suffix == ".txt" and path.is_file():
            yield read_txt_file(path, display)
        elif path.suffix == ".jsonl" and path.is_file():
            yield from read_raw_jsonl(path, display)
        else:
            raise CorpusError(
                f"{display}: unexpected entry in the raw store, which holds only .txt and .jsonl files; "
                "move it elsewhere"
            )
