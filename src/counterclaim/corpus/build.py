"""Build ``documents.jsonl``, ``manifest.json`` and ``CHANGELOG.md`` from a corpus's ``raw/`` folder.

The build is a pure function of ``raw/`` and the previous manifest: no timestamps, canonical JSON, documents
sorted by id, so two builds give the same bytes. It compares the new documents with the previous manifest;
a document whose text changed, or that disappeared, would invalidate annotations (they index the text), so
that needs an explicit new version. Everything is computed in memory first and written atomically, data
files before the manifest, so a failing build leaves the previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

import orjson

from counterclaim.corpus.ids import content_id, id_problem
from counterclaim.corpus.normalize import POLICY_VERSION, TITLE_SEPARATOR, compose_text, split_article, split_record
from counterclaim.corpus.readers import RawRecord, RowProblem, read_raw_store
from counterclaim.corpus.spool import Spool
from counterclaim.errors import CorpusError, DuplicateIdError, VersionError
from counterclaim.io.layout import CHANGELOG_FILE, DOCUMENTS_FILE, MANIFEST_FILE, RAW_DIR, Layout
from counterclaim.io.jsonio import read_json, sha256_file, sha256_text
from counterclaim.io.transaction import DISK, DiskView, Transaction, joined

DOCUMENTS_SCHEMA = "counterclaim.documents/1"
DEFAULT_NAME = "counterclaim"
INITIAL_VERSION = "0.0.0"

EMPTY_CONTENT = "empty content: no article text after normalisation"
MISSING_TITLE = "missing title: the title is empty after normalisation"

Progress = Callable[[Iterable[Any], int], Iterable[Any]]

_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")

CHANGELOG_HEADER = """\
# Changelog

Releases of this corpus, newest first, written by `counterclaim corpus build`. A new version is required
whenever the text of an existing document changes or a document is removed, because annotations index
the old text; added documents keep the version and are listed under "Unreleased" until the next one.
"""


# --- versions -------------------------------------------------------------------------------------


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``; anything else is a ``VersionError``."""
    match = _SEMVER.fullmatch(text)
    if not match:
        raise VersionError(f"{text!r} is not a version of the form MAJOR.MINOR.PATCH (e.g. 0.1.0)")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def next_minor(version: str) -> str:
    major, minor, _ = parse_version(version)
    return f"{major}.{minor + 1}.0"


# --- documents ------------------------------------------------------------------------------------


def _ref(file: str, row: int | None) -> str:
    return file if row is None else f"{file} row {row}"


def sha256_bytes_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _body_key(text: str, title: str) -> bytes:
    """What two documents with the same article text share: the digest of the text after the title."""
    return sha256_bytes_digest(text[len(title) + len(TITLE_SEPARATOR) :])


@dataclass(frozen=True)
class _Seen:
    doc_id: str
    file: str
    row: int | None
    in_corpus: bool

    def describe(self, file: str) -> str:
        """Where this document comes from, as seen from a record of ``file``."""
        if self.in_corpus:
            return f"already in the corpus from {_ref(self.file, self.row)}"
        if self.file == file and self.row is not None:
            return f"row {self.row}"
        return _ref(self.file, self.row)


def make_document(record: RawRecord) -> tuple[dict[str, Any], str] | RowProblem:
    """``(document, sha256 of its body)`` made from one record alone, or why it cannot be one.

    The checks that need no other record (id syntax, empty content, missing title); the duplicate checks
    are ``DocumentChecker``'s. Pure, so it runs anywhere a batch of records is (e.g. the pool's engines).
    """

    def problem(reason: str) -> RowProblem:
        return RowProblem(record.file, record.row, record.source_id, reason)

    if record.source_id is not None and (reason := id_problem(record.source_id)):
        return problem(reason)
    if record.title is None:
        title, body = split_article(record.body)
    else:
        title, body = split_record(record.title, record.body)
    if not body:
        return problem(EMPTY_CONTENT)
    if not title:
        return problem(MISSING_TITLE)
    text = compose_text(title, body)
    doc = {
        "doc_id": record.source_id or content_id(text),
        "title": title,
        "text": text,
        "source": {"kind": record.kind, "path": record.file, "row": record.row, **record.metadata},
        "raw_sha256": record.raw_sha256,
        "text_sha256": sha256_text(text),
        "normalisation": POLICY_VERSION,
    }
    return doc, sha256_text(body)


class DocumentChecker:
    """Turns raw records into documents, refusing invalid ids, empty texts and duplicates.

    ``existing`` documents (already in the corpus) take part in the duplicate checks and are named in the
    messages; records checked earlier take part too (duplicates within one input). What was seen is kept in a
    :class:`~counterclaim.corpus.spool.Spool` (``spool``, or one of its own), so memory does not grow with the rows.
    """

    def __init__(self, existing: Iterable[dict[str, Any]] = (), *, spool: Spool | None = None):
        self._own = spool is None
        self.spool = spool if spool is not None else Spool()
        for doc in existing:
            self.spool.remember(doc["doc_id"], _body_key(doc["text"], doc["title"]), doc["source"]["path"],
                                doc["source"]["row"], True)

    def close(self) -> None:
        if self._own:
            self.spool.close()

    def __enter__(self) -> "DocumentChecker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _seen(self, found: tuple | None) -> _Seen | None:
        return None if found is None else _Seen(*found)

    def check(self, record: RawRecord) -> dict[str, Any] | RowProblem:
        """The document made from ``record``, or the reason it cannot be one."""

        def problem(reason: str, doc_id: str | None = record.source_id) -> RowProblem:
            return RowProblem(record.file, record.row, doc_id, reason)

        made = make_document(record)
        if isinstance(made, RowProblem):
            return made
        doc, body_sha = made
        doc_id = doc["doc_id"]
        key = bytes.fromhex(body_sha)
        same_id, other = map(self._seen, self.spool.seen(doc_id, key))
        if record.source_id is not None and same_id is not None:
            return problem(_duplicate_id(same_id, record.file))
        if other is not None:
            where = other.describe(record.file)
            where = f", {where}" if other.in_corpus else f" in {where}"
            return problem(f"duplicate content: same text as id {other.doc_id}{where}", doc_id)
        if same_id is not None:  # a content id only repeats with its content; kept as a safeguard
            return problem(_duplicate_id(same_id, record.file), doc_id)
        self.spool.remember(doc_id, key, record.file, record.row, False)
        return doc


def _duplicate_id(seen: _Seen, file: str) -> str:
    where = seen.describe(file)
    return f"duplicate id: {where}" if seen.in_corpus else f"duplicate id: also used by {where}"


def make_documents(
    items: Iterable[RawRecord | RowProblem],
    *,
    existing: Iterable[dict[str, Any]] = (),
) -> Iterator[dict[str, Any] | RowProblem]:
    """A document or a problem for every item, in input order."""
    with DocumentChecker(existing) as checker:
        for item in items:
            yield item if isinstance(item, RowProblem) else checker.check(item)


def load_documents(corpus_dir: Path, view: DiskView = DISK) -> list[dict[str, Any]]:
    """The documents ``raw/`` yields, sorted by id; any problem in ``raw/`` is a ``CorpusError``."""
    docs: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for result in make_documents(read_raw_store(Path(corpus_dir) / RAW_DIR, view)):
        (problems if isinstance(result, RowProblem) else docs).append(result)
    _refuse_raw_problems(corpus_dir, problems)
    docs.sort(key=lambda doc: doc["doc_id"])
    return docs


def _refuse_raw_problems(corpus_dir: Path, problems: list[RowProblem]) -> None:
    if not problems:
        return
    listing = "\n".join(f"  {p}" for p in problems)
    if any(p.reason.startswith("duplicate id") for p in problems):
        raise DuplicateIdError(
            f"{len(problems)} problem(s) in {corpus_dir}/{RAW_DIR}, where two sources claim one id:\n{listing}\n"
            "Remove one of each pair, or give it another id (a .txt file's id is the hex in its name "
            "NNN_<hex>.txt, a record's is its id field)."
        )
    raise CorpusError(
        f"{len(problems)} problem(s) in {corpus_dir}/{RAW_DIR}:\n{listing}\nFix or remove these sources."
    )


# --- build ----------------------------------------------------------------------------------------


@dataclass
class BuildReport:
    """What a build did."""

    corpus_dir: Path
    name: str
    version: str
    previous_version: str | None
    document_count: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files whose bytes changed

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": str(self.corpus_dir),
            "name": self.name,
            "version": self.version,
            "previous_version": self.previous_version,
            "document_count": self.document_count,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "written": self.written,
        }


def read_manifest(corpus_dir: Path, view: DiskView = DISK) -> dict[str, Any] | None:
    """The manifest, or None for a corpus that was never built."""
    path = Path(corpus_dir) / MANIFEST_FILE
    seen = view.view(path)
    if seen is None or not seen.exists():
        return None
    manifest = read_json(seen)
    for key, kind in (("name", str), ("version", str), ("documents", dict)):
        if not isinstance(manifest, dict) or not isinstance(manifest.get(key), kind):
            raise CorpusError(f"{path}: no {key!r} ({kind.__name__}); restore the file from version control")
    parse_version(manifest["version"])
    return manifest


def _section_lines(heading: str, groups: list[tuple[str, Iterable[str], int]], titles: Spool,
                   say_empty: bool = True) -> Iterator[str]:
    """The lines of one changelog section (``groups``: label, ids, how many), streamed."""
    yield f"## {heading}"
    yield ""
    empty = True
    for label, ids, count in groups:
        if count:
            empty = False
            yield f"{label} ({count}):"
            for doc_id in ids:
                title = titles.title(doc_id)
                yield f"- `{doc_id}` {title}" if title is not None else f"- `{doc_id}`"
            yield ""
    if empty and say_empty:
        yield "No document changes."
        yield ""


def _split_changelog(text: str) -> tuple[str, str | None, str]:
    """``(header, unreleased section or None, released sections)``."""
    start = text.find("\n## ")
    if start < 0:
        return text, None, ""
    header, rest = text[: start + 1], text[start + 1 :]
    if rest.startswith("## Unreleased\n"):
        following = rest.find("\n## ")
        if following < 0:
            return header, rest, ""
        return header, rest[: following + 1], rest[following + 1 :]
    return header, None, rest


def _without_trailing_blanks(lines: Iterable[str]) -> Iterator[str]:
    blanks = 0
    for line in lines:
        if not line:
            blanks += 1
            continue
        yield from [""] * blanks
        blanks = 0
        yield line


def _write_part(fh: IO[bytes], lines: Iterable[str]) -> None:
    """A changelog part: a blank line, its lines without trailing blank lines, a newline."""
    fh.write(b"\n")
    blanks = 0
    first = True
    for line in lines:
        if not line:
            blanks += 1
            continue
        fh.write(("" if first else "\n" * (blanks + 1)).encode("utf-8") + line.encode("utf-8"))
        first, blanks = False, 0
    fh.write(b"\n")


def _write_manifest(fh: IO[bytes], fields: dict[str, Any], documents: Iterator[tuple[str, str, str]],
                    pending: Iterable[str]) -> None:
    """``dumps(manifest, indent=2) + "\\n"`` streamed: the same bytes, without the documents in memory."""
    def scalar(value: Any) -> bytes:
        return orjson.dumps(value)

    keys = sorted([*fields, "documents", "unreleased_added"])
    fh.write(b"{\n")
    for n, key in enumerate(keys):
        fh.write(b'  ' + scalar(key) + b": ")
        if key == "documents":
            first = True
            for doc_id, raw_sha, text_sha in documents:
                fh.write((b"{\n" if first else b",\n") + b"    " + scalar(doc_id) + b': {\n      "raw_sha256": '
                         + scalar(raw_sha) + b',\n      "text_sha256": ' + scalar(text_sha) + b"\n    }")
                first = False
            fh.write(b"{}" if first else b"\n  }")
        elif key == "unreleased_added":
            first = True
            for doc_id in pending:
                fh.write((b"[\n" if first else b",\n") + b"    " + scalar(doc_id))
                first = False
            fh.write(b"[]" if first else b"\n  ]")
        else:
            fh.write(scalar(fields[key]))
        fh.write(b",\n" if n < len(keys) - 1 else b"\n")
    fh.write(b"}\n")


def _stage(tx: Transaction, path: Path, write: Callable[[IO[bytes]], None]) -> bool:
    """Stage ``path``'s new content, written by ``write``; False (nothing staged) when it equals the current one."""
    current = tx.view(path)
    staged = tx.stage_file(path)
    with open(staged, "wb") as fh:
        write(fh)
    if current is not None and current.exists() and sha256_file(current) == sha256_file(staged):
        tx.discard(path)
        return False
    tx.adopt(path, staged)
    return True


def build_corpus(corpus_dir: Path, *, version: str | None = None, name: str | None = None,
                 notes: Sequence[str] = (), tx: Transaction | None = None) -> BuildReport:
    """Build ``corpus_dir``'s outputs from its ``raw/`` folder.

    ``version`` releases a new corpus version (required when an existing document's text changes or a
    document is removed); ``name`` names a corpus that has no manifest yet; ``notes`` (Markdown lines) are added
    to the changelog section of ``version`` — `release` lists annotation and schema changes there. The outputs
    change together or not at all, in ``tx`` if given (committed by its owner) or in a transaction of their own.
    Documents go through a :class:`~counterclaim.corpus.spool.Spool` on disk, so memory does not grow with them.
    """
    corpus_dir = Path(corpus_dir)
    with joined(tx, Layout.around(corpus_dir).state_dir, "corpus build") as tx:
        spool = Spool(tx.staging_dir(corpus_dir / "build"))
        try:
            return _build(corpus_dir, version, name, notes, tx, spool)
        finally:
            spool.close()


def _build(corpus_dir: Path, version: str | None, name: str | None, notes: Sequence[str], tx: Transaction,
           spool: Spool) -> BuildReport:
    previous = read_manifest(corpus_dir, tx)
    if version is not None:
        parse_version(version)
    problems: list[RowProblem] = []
    with DocumentChecker(spool=spool) as checker:
        for item in read_raw_store(corpus_dir / RAW_DIR, tx):
            result = item if isinstance(item, RowProblem) else checker.check(item)
            if isinstance(result, RowProblem):
                problems.append(result)
            else:
                spool.put(result)
    _refuse_raw_problems(corpus_dir, problems)
    current_version = previous["version"] if previous else INITIAL_VERSION

    before = previous["documents"] if previous else {}
    added = [doc_id for doc_id, _, _ in spool.entries() if doc_id not in before]
    removed = sorted(doc_id for doc_id in before if not spool.has(doc_id))
    changed = sorted(doc_id for doc_id in before
                     if (sha := spool.text_sha256(doc_id)) is not None and sha != before[doc_id].get("text_sha256"))

    if version is not None and parse_version(version) <= parse_version(current_version):
        raise VersionError(
            f"version {version} is not greater than the corpus's current version {current_version}; "
            f"use e.g. {next_minor(current_version)}"
        )
    if (changed or removed) and version is None:
        groups = (("text changed", changed), ("removed", removed))
        listing = "; ".join(f"{label}: {', '.join(ids)}" for label, ids in groups if ids)
        raise CorpusError(
            f"{len(changed) + len(removed)} existing document(s) would change ({listing}). Annotations index the "
            f"old text, so this needs a new corpus version: re-run with --version {next_minor(current_version)} "
            f"(the next minor version), or restore the previous sources."
        )

    earlier = [i for i in (previous.get("unreleased_added", []) if previous else []) if spool.has(i)]
    pending = sorted(set(earlier) | set(added)) if earlier else added
    changelog_path = tx.view(corpus_dir / CHANGELOG_FILE)
    old_changelog = changelog_path.read_text(encoding="utf-8") if changelog_path and changelog_path.exists() else None
    parts: list[Iterable[str]] | None = None
    header, _, released = _split_changelog(old_changelog if old_changelog is not None else CHANGELOG_HEADER)
    if version is not None:
        section = _section_lines(version, [("Added", pending, len(pending)), ("Text changed", changed, len(changed)),
                                           ("Removed", removed, len(removed))], spool, say_empty=not notes)
        if notes:  # one blank line between the section and the notes
            section = itertools.chain(_without_trailing_blanks(section), [""],
                                      "\n".join(notes).rstrip("\n").split("\n"))
        parts = [section, released.rstrip("\n").split("\n") if released else []]
        pending = []
    elif added:
        parts = [_section_lines("Unreleased", [("Added", pending, len(pending))], spool),
                 released.rstrip("\n").split("\n") if released else []]

    report = BuildReport(
        corpus_dir=corpus_dir,
        name=previous["name"] if previous else (name or DEFAULT_NAME),
        version=version or current_version,
        previous_version=previous["version"] if previous else None,
        document_count=spool.count(),
        added=added,
        changed=changed,
        removed=removed,
    )
    digest = hashlib.sha256()

    def documents(fh: IO[bytes]) -> None:
        for line in spool.lines():
            fh.write(line)
            digest.update(line)

    def changelog(fh: IO[bytes]) -> None:
        fh.write((header.rstrip("\n") + "\n").encode("utf-8"))
        for part in parts:
            lines = iter(part)
            first = next(lines, None)
            if first is not None:
                _write_part(fh, itertools.chain([first], lines))

    fields = {
        "name": report.name,
        "version": report.version,
        "documents_file": DOCUMENTS_FILE,
        "documents_schema": DOCUMENTS_SCHEMA,
        "document_count": report.document_count,
        "documents_sha256": "",
        "normalisation": POLICY_VERSION,
    }
    if _stage(tx, corpus_dir / DOCUMENTS_FILE, documents):
        report.written.append(DOCUMENTS_FILE)
    else:
        digest = None
    if parts is not None and _stage(tx, corpus_dir / CHANGELOG_FILE, changelog):
        report.written.append(CHANGELOG_FILE)
    fields["documents_sha256"] = digest.hexdigest() if digest is not None else sha256_file(
        tx.view(corpus_dir / DOCUMENTS_FILE))
    if _stage(tx, corpus_dir / MANIFEST_FILE, lambda fh: _write_manifest(fh, fields, spool.entries(), pending)):
        report.written.append(MANIFEST_FILE)
    return report


__all__ = [
    "BuildReport",
    "DocumentChecker",
    "build_corpus",
    "load_documents",
    "make_document",
    "make_documents",
    "next_minor",
    "parse_version",
    "read_manifest",
]
