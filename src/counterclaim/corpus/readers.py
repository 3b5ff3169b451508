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
  ``,id,domain,type,url,content,scraped_at,inserted_at,updated_at,title,authors,keywords,...``;
- ``fakes-csv``: FA-KES, ``unit_id,article_title,article_content,source,date,location,labels`` (its fields,
  ids and rules for repeated rows are in :mod:`counterclaim.corpus.readers_fakes`).

A ``.csv`` file's kind is chosen from its header row: FA-KES when it names the FA-KES columns, otherwise
FakeNewsCorpus (whose header check then says what is missing).

``read_raw_store`` reads a corpus's ``raw/`` folder: ``.txt`` files as above, the ``.jsonl`` files that
``corpus add`` writes (each record's original fields plus ``"_source": {"file", "row", "format"}``), and the
``.input.json`` references to inputs too large to copy, read from where the user says
(:mod:`counterclaim.corpus.references`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from counterclaim.corpus import readers_fakes as fakes
from counterclaim.corpus.ids import id_from_filename
from counterclaim.corpus.normalize import decode_utf8
from counterclaim.corpus.references import RawSources, load_reference
from counterclaim.corpus.reliability import reliability_from_map
from counterclaim.errors import CorpusError, InputError
from counterclaim.io.jsonio import LineError, iter_jsonl, open_input, sha256_bytes, sha256_text
from counterclaim.io.layout import RAW_INPUT_SUFFIX
from counterclaim.io.transaction import DISK, DiskView

METADATA_KEYS = ("url", "domain", "published", "retrieved_at", "reliability", "authors")
FAKENEWSCORPUS_REQUIRED = ("id", "domain", "type", "url", "content", "title")
SOURCE_KEY = "_source"
ACCEPTED = "a folder of .txt files, a .jsonl file, or a FakeNewsCorpus or FA-KES .csv file"


def locate(file: str, row: int | None, source_id: str | None) -> str:
    """``FILE: row N (id X)``, leaving out what is unknown."""
    where = file if row is None else f"{file}: row {row}"
    return where if source_id is None else f"{where} (id {source_id})"


@dataclass(frozen=True)
class RawRecord:
    """One article as read, before normalisation."""

    file: str  # the input file's name, or ``raw/NAME`` for the raw store
    row: int | None  # CSV record number or JSONL line; None for a .txt file
    kind: str  # "txt", "jsonl", "fakenewscorpus-csv" or "fakes-csv"
    source_id: str | None  # the source's own id, None when it has none
    title: str | None  # None: the title is the first line of ``body`` (.txt)
    body: str
    raw_sha256: str
    metadata: dict[str, Any] = field(default_factory=dict)  # METADATA_KEYS, None when unknown
    fields: dict[str, Any] | None = None  # a record's original fields, written to the raw store
    source_note: dict[str, Any] = field(default_factory=dict)  # more for its ``_source`` (FA-KES merged rows)

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
    merged_into: str | None = None  # the document this row was merged into (FA-KES repeated rows)

    @property
    def location(self) -> str:
        return locate(self.file, self.row, self.source_id)

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        out = {"file": self.file, "row": self.row, "id": self.source_id, "reason": self.reason}
        if self.merged_into is not None:
            out["merged_into"] = self.merged_into
        return out


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


def jsonl_fields(fields: dict[str, Any], source: dict[str, Any] | None = None
                 ) -> tuple[str | None, str, str, dict[str, Any]]:
    """``(source_id, title, content, metadata)`` of a JSONL record (``source``, its ``_source`` note, is not
    needed: the record carries all its metadata)."""
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


def fakenewscorpus_fields(fields: dict[str, Any], source: dict[str, Any] | None = None
                          ) -> tuple[str | None, str, str, dict[str, Any]]:
    """``(source_id, title, content, metadata)`` of a FakeNewsCorpus row (every value a string; ``source``
    is not needed)."""

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


def fakes_csv_fields(fields: dict[str, Any], source: dict[str, Any] | None = None
                     ) -> tuple[str | None, str, str, dict[str, Any]]:
    """``(source_id, title, content, metadata)`` of a kept FA-KES row and the rows merged into it."""
    try:
        return fakes.fakes_fields(fields, source)
    except fakes.FakesFieldError as exc:
        raise _BadRow(str(exc)) from None


# Each maps a record's fields and its ``_source`` note to ``(source_id, title, content, metadata)``.
RECORD_FORMATS: dict[str, Callable[[dict[str, Any], dict[str, Any] | None],
                                   tuple[str | None, str, str, dict[str, Any]]]] = {
    "jsonl": jsonl_fields,
    "fakenewscorpus-csv": fakenewscorpus_fields,
    fakes.KIND: fakes_csv_fields,
}


def record_from_fields(
    fields: Any, fmt: str, file: str, row: int, *, reliability: str | None = None,
    source: dict[str, Any] | None = None,
) -> RawRecord | RowProblem:
    """Map one record's fields; ``reliability`` fills in when the record has none; ``source`` is the
    record's ``_source`` note (FA-KES reads its original row and merged rows from it)."""
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
        source_id, title, content, metadata = RECORD_FORMATS[fmt](fields, source)
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
        source_note={"merged": source["merged"]} if source and source.get("merged") else {},
    )


# --- readers ------------------------------------------------------------------------------------


def read_txt_file(path: Path, display: str, name: str | None = None) -> RawRecord | RowProblem:
    """One article file, kept byte for byte: its hash is of the file's bytes. ``name`` is the file's name where
    it differs from ``path``'s (a staged copy)."""
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
        source_id=id_from_filename(name or path.name),
        title=None,
        body=body,
        raw_sha256=sha256_bytes(data),
        metadata=_metadata(),
    )


def shown_name(name: str) -> str:
    """A file name as it can be shown and stored: bytes that are not UTF-8 written as ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _txt_entry_problem(file: Path, root: Path) -> str | None:
    """Why an entry of a .txt folder is not read as an article (None: it is read)."""
    if shown_name(file.name) != file.name:
        return "the file name is not valid UTF-8; rename the file to add it"
    if file.name.startswith("."):
        return "hidden file (the name starts with '.'), which the corpus's raw store ignores; rename it to add it"
    if file.is_symlink():
        target = file.resolve()
        if not target.is_relative_to(root):
            return "a symbolic link to a file outside the folder, which corpus add does not follow; copy the file " \
                   "into the folder to add it"
    try:
        mode = file.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not stat.S_ISREG(mode):
        return "not a regular file (a folder, a FIFO or a device); only .txt files are read"
    return None


def read_txt_folder(path: Path) -> Iterator[RawRecord | RowProblem]:
    """Every ``*.txt`` file directly in ``path``, in name order. Entries that are not read are reported: hidden
    files, names that are not UTF-8, anything but a regular file, and symbolic links that lead out of the folder
    (an input never makes corpus add read outside what was given)."""
    root = path.resolve()
    files = sorted(p for p in path.iterdir() if p.suffix == ".txt")
    if not files:
        raise InputError(f"{path}: no .txt files in this folder; corpus add accepts {ACCEPTED}")
    for file in files:
        problem = _txt_entry_problem(file, root)
        if problem is not None:
            yield RowProblem(shown_name(file.name), None, None, problem)
            continue
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


def _open_csv(path: Path):
    """The file as text for ``csv``, decoded with ``surrogateescape`` so that invalid UTF-8 in one row is
    reported for that row (as lone surrogates in its fields) instead of stopping the whole file."""
    csv.field_size_limit(sys.maxsize)
    return io.TextIOWrapper(open_input(path), encoding="utf-8-sig", errors="surrogateescape", newline="")


def _csv_rows(path: Path, layout: str, required: tuple[str, ...], id_field: str
              ) -> Iterator[tuple[int, dict[str, str]] | RowProblem]:
    """``(record number, fields)`` of every non-empty row (1 = the first row after the header), or a
    ``RowProblem`` for a row whose field count differs from the header's."""
    with _open_csv(path) as fh:
        reader = csv.reader(fh)
        number = 0
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: empty file; expected a {layout} CSV with a header row")
            _check_header(path, header, layout, required)
            for values in reader:
                if not values:
                    continue
                number += 1
                fields = dict(zip(header, values))
                if len(values) != len(header):
                    shown = fields.get(id_field) if _surrogate_field({"id": fields.get(id_field)}) is None else None
                    yield RowProblem(
                        path.name, number, shown or None, f"{len(values)} fields where the header has {len(header)}"
                    )
                    continue
                yield number, fields
        except csv.Error as exc:
            raise InputError(f"{path}: CSV record {number + 1}: {exc}; fix the quoting there") from None


def read_fakenewscorpus_csv(path: Path) -> Iterator[RawRecord | RowProblem]:
    """FakeNewsCorpus rows; the row number is the CSV record number (1 = the first row after the header)."""
    for item in _csv_rows(path, "FakeNewsCorpus", FAKENEWSCORPUS_REQUIRED, "id"):
        if isinstance(item, RowProblem):
            yield item
        else:
            yield record_from_fields(item[1], "fakenewscorpus-csv", path.name, item[0])


def read_fakes_csv(path: Path) -> Iterator[RawRecord | RowProblem]:
    """FA-KES rows, one ``RawRecord`` per kept article and a ``RowProblem`` for every other row, in file order.

    A row whose fields cannot be read is reported; the others go through the repeated-row rules of
    :func:`counterclaim.corpus.readers_fakes.reconcile`, whose merged rows are reported with
    ``merged_into`` set and stored with the kept record (``_source.merged``)."""
    results: dict[int, RawRecord | RowProblem] = {}
    usable: list[tuple[int, dict[str, str]]] = []
    for item in _csv_rows(path, "FA-KES", fakes.COLUMNS, "unit_id"):
        if isinstance(item, RowProblem):
            results[item.row] = _fakes_shown(item)
            continue
        number, fields = item
        shown = _fakes_id(fields)
        bad = _surrogate_field(fields)
        if bad is not None:
            results[number] = RowProblem(path.name, number, shown, f"undecodable bytes: not valid UTF-8 (field {bad!r})")
            continue
        try:
            fakes.row_facts(fields)
        except fakes.FakesFieldError as exc:
            results[number] = RowProblem(path.name, number, shown, str(exc))
            continue
        usable.append((number, fields))
    by_row = dict(usable)
    for number, outcome in fakes.reconcile(usable).items():
        if isinstance(outcome, fakes.Merged):
            results[number] = RowProblem(path.name, number, _fakes_id(by_row[number]), outcome.reason,
                                         merged_into=outcome.into)
        else:
            source = {"row": number, "merged": outcome.merged}
            results[number] = record_from_fields(outcome.fields, fakes.KIND, path.name, number, source=source)
    for number in sorted(results):
        yield results[number]


def _fakes_id(fields: dict[str, Any]) -> str | None:
    """A FA-KES row's document id as reports show it, when its unit_id is readable."""
    unit_id = (fields.get("unit_id") or "").strip()
    return fakes.doc_id(unit_id) if fakes.valid_unit_id(unit_id) else None


def _fakes_shown(problem: RowProblem) -> RowProblem:
    return replace(problem, source_id=_fakes_id({"unit_id": problem.source_id or ""}))


def _check_header(path: Path, header: list[str], layout: str, required: tuple[str, ...]) -> None:
    if _surrogate_field(dict(enumerate(header))) is not None:
        raise InputError(f"{path}: the header row is not valid UTF-8; save the file as UTF-8")
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(
            f"{path}: not in the {layout} layout: missing column(s) {', '.join(missing)}; "
            f"the header must name at least {', '.join(required)}"
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
    fakes.KIND: read_fakes_csv,
}


def _csv_kind(path: Path) -> str:
    """FA-KES when the header row names its columns, otherwise FakeNewsCorpus."""
    with _open_csv(path) as fh:
        try:
            header = next(csv.reader(fh), None) or []
        except csv.Error:
            header = []
    return fakes.KIND if fakes.is_fakes_header(header) else "fakenewscorpus-csv"


def _count_txt(path: Path) -> int:
    return sum(1 for p in path.iterdir() if p.suffix == ".txt")


def _count_lines(path: Path) -> int:
    """Non-blank lines, read in blocks (memory does not grow with the file)."""
    with open_input(path) as fh:
        return sum(1 for line in fh if line.strip())


def _count_records(path: Path) -> int | None:
    """CSV records after the header (None if the file cannot be parsed: the reader says why)."""
    try:
        with _open_csv(path) as fh:
            return max(0, sum(1 for values in csv.reader(fh) if values) - 1)
    except csv.Error:
        return None


# How many rows a reader will yield, counted by a cheap first pass (for a progress bar's total).
ROW_COUNTERS: dict[str, Callable[[Path], int | None]] = {
    "txt-folder": _count_txt,
    "jsonl": _count_lines,
    "fakenewscorpus-csv": _count_records,
    fakes.KIND: _count_records,
}

# file suffix -> the kind, or a function of the path that tells the kind from the file's content
_SUFFIX_KINDS: dict[str, str | Callable[[Path], str]] = {".jsonl": "jsonl", ".csv": _csv_kind}


def input_kind(path: Path) -> str:
    """The ``READERS`` key for ``path``: a folder, a ``.jsonl`` file, or a ``.csv`` file by its header (regular,
    visible, named in UTF-8: what the raw store can hold and read back)."""
    shown = Path(shown_name(str(path)))
    if not path.exists():
        raise InputError(f"{shown}: no such file or folder")
    if path.is_dir():
        return "txt-folder"
    kind = _SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{shown}: cannot read this kind of file; corpus add accepts {ACCEPTED}")
    if shown_name(path.name) != path.name:
        raise InputError(f"{shown}: the file name is not valid UTF-8; rename the file (its name is stored in the "
                         "corpus)")
    if path.name.startswith("."):
        raise InputError(f"{shown}: the file name starts with '.', and the corpus's raw store ignores hidden files, "
                         f"so its rows would never reach the corpus; rename it (e.g. {path.name.lstrip('.')}) "
                         "and add it again")
    if not stat.S_ISREG(path.stat().st_mode):
        raise InputError(f"{shown}: not a regular file (a FIFO or a device would never end or never start); save "
                         "the rows to a file and add that")
    return kind if isinstance(kind, str) else kind(path)


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
        yield record_from_fields(fields, fmt, display, lineno, reliability=filled.get("reliability"), source=source)


def read_raw_reference(path: Path, display: str, sources: RawSources) -> Iterator[RawRecord | RowProblem]:
    """The records of an input that ``raw/`` refers to (``display``, e.g. ``raw/news.input.json``), read from where
    ``sources`` says, as ``corpus add`` ingested them: the skipped rows left out, the reliabilities it filled in
    filled again. A row that now fails although it was ingested then is yielded as a problem (the build stops)."""
    ref = load_reference(path, display)
    reader = READERS.get(ref.kind)
    if reader is None:
        raise CorpusError(f"{display}: unknown input kind {ref.kind!r}; it must be one of {', '.join(READERS)}")
    domains = ref.domains
    for item in reader(sources.locate(ref, display)):
        if ref.skips(item.row):
            continue
        item = replace(item, file=display)
        if isinstance(item, RawRecord) and domains:
            value = reliability_from_map(item.metadata, domains)
            if value is not None:
                item = replace(item, metadata={**item.metadata, "reliability": value})
        yield item


def read_raw_store(raw_dir: Path, view: DiskView = DISK,
                   sources: RawSources | None = None) -> Iterator[RawRecord | RowProblem]:
    """Everything in a corpus's ``raw/`` folder, files in name order; hidden files are ignored. ``view`` shows
    the folder as a transaction will leave it (files it staged included); ``sources`` are the places where
    referenced inputs may be read (none by default: a reference then stops the build, saying what to pass)."""
    if not view.is_dir(raw_dir):
        raise CorpusError(f"{raw_dir}: no raw/ folder; add sources with `counterclaim corpus add PATH`")
    for name in view.listdir(raw_dir):
        if name.startswith("."):
            continue
        target = raw_dir / name
        path = view.view(target)
        display = f"{raw_dir.name}/{name}"
        regular = path.is_file() and not path.is_symlink()
        if target.suffix == ".txt" and regular:
            yield read_txt_file(path, display, name)
        elif target.suffix == ".jsonl" and regular:
            yield from read_raw_jsonl(path, display)
        elif name.endswith(RAW_INPUT_SUFFIX) and regular:
            yield from read_raw_reference(path, display, sources or RawSources())
        else:
            raise CorpusError(
                f"{display}: unexpected entry in the raw store, which holds only .txt, .jsonl and "
                f"{RAW_INPUT_SUFFIX} files; move it elsewhere"
            )
