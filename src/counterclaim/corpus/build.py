"""Build ``documents.jsonl``, ``manifest.json`` and ``CHANGELOG.md`` from a corpus's ``raw/`` folder.

The build is a pure function of ``raw/`` (with the inputs it refers to) and the previous build: no timestamps,
canonical JSON, documents sorted by id, so two builds give the same bytes. It compares the new documents with the
previous build's (:func:`counterclaim.corpus.manifest.previous_entries`); a document whose text changed, or that
disappeared, would invalidate annotations (they index the text), so that needs an explicit new version.
Documents go to a SQLite spool on disk and every output is written from it, streamed, so memory does not grow
with the documents; the outputs are staged and committed in one transaction, so a failing build leaves the
previous ones as they were.

What the outputs look like at scale — the manifest's shards, the changelog's summaries, references to large
inputs — is set by :class:`~counterclaim.corpus.limits.Limits`.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from counterclaim.corpus.changelog import (
    CHANGELOG_HEADER,
    RELEASE_GROUPS,
    UNRELEASED,
    UNRELEASED_GROUPS,
    change_list_name,
    needs_list,
    read_pending,
    section_lines,
    split_changelog,
    without_trailing_blanks,
    write_change_list,
    write_changelog,
)
from counterclaim.corpus.ids import content_id, id_problem
from counterclaim.corpus.limits import DEFAULT_LIMITS, Limits
from counterclaim.corpus.manifest import (
    SHARD_SCHEME,
    is_sharded,
    previous_entries,
    read_manifest,
    shard_digests,
    write_manifest,
)
from counterclaim.corpus.normalize import POLICY_VERSION, TITLE_SEPARATOR, compose_text, split_article, split_record
from counterclaim.corpus.readers import RawRecord, RowProblem, read_raw_store
from counterclaim.corpus.references import RawSources
from counterclaim.corpus.spool import Spool
from counterclaim.corpus.versions import next_minor, parse_version
from counterclaim.errors import CorpusError, DuplicateIdError, VersionError
from counterclaim.io.layout import CHANGELOG_FILE, DOCUMENTS_FILE, MANIFEST_FILE, RAW_DIR, Layout
from counterclaim.io.jsonio import sha256_file, sha256_text
from counterclaim.io.transaction import DISK, DiskView, Transaction, joined

DOCUMENTS_SCHEMA = "counterclaim.documents/1"
DEFAULT_NAME = "counterclaim"
INITIAL_VERSION = "0.0.0"

EMPTY_CONTENT = "empty content: no article text after normalisation"
MISSING_TITLE = "missing title: the title is empty after normalisation"

Progress = Callable[[Iterable[Any], int], Iterable[Any]]




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


def load_documents(corpus_dir: Path, view: DiskView = DISK,
                   raw_from: RawSources | Iterable[str | Path] = ()) -> list[dict[str, Any]]:
    """The documents ``raw/`` yields, sorted by id; any problem in ``raw/`` is a ``CorpusError``."""
    docs: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for result in make_documents(read_raw_store(Path(corpus_dir) / RAW_DIR, view, RawSources.of(raw_from))):
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


def _stage_or_remove(tx: Transaction, path: Path, write: Callable[[IO[bytes]], None] | None) -> bool:
    """Stage ``path`` (see :func:`_stage`), or, with no ``write``, plan its removal if it exists."""
    if write is not None:
        return _stage(tx, path, write)
    current = tx.view(path)
    if current is not None and current.exists():
        tx.delete(path)
        return True
    return False


def build_corpus(corpus_dir: Path, *, version: str | None = None, name: str | None = None,
                 notes: Sequence[str] = (), tx: Transaction | None = None,
                 raw_from: RawSources | Iterable[str | Path] = (), limits: Limits = DEFAULT_LIMITS) -> BuildReport:
    """Build ``corpus_dir``'s outputs from its ``raw/`` folder.

    ``version`` releases a new corpus version (required when an existing document's text changes or a
    document is removed); ``name`` names a corpus that has no manifest yet; ``notes`` (Markdown lines) are added
    to the changelog section of ``version`` — `release` lists annotation and schema changes there. The outputs
    change together or not at all, in ``tx`` if given (committed by its owner) or in a transaction of their own.
    ``raw_from``: the folders holding the inputs ``raw/`` refers to (:mod:`counterclaim.corpus.references`);
    ``limits``: where the manifest and the changelog switch to their summarised forms
    (:mod:`counterclaim.corpus.limits`). Documents go through a :class:`~counterclaim.corpus.spool.Spool` on disk,
    so memory does not grow with them.
    """
    corpus_dir = Path(corpus_dir)
    with joined(tx, Layout.around(corpus_dir).state_dir, "corpus build") as tx:
        spool = Spool(tx.staging_dir(corpus_dir / "build"))
        try:
            return _build(corpus_dir, version, name, notes, tx, spool, RawSources.of(raw_from), limits)
        finally:
            spool.close()


def spool_raw_store(corpus_dir: Path, spool: Spool, view: DiskView = DISK, raw_from: RawSources | None = None) -> None:
    """Every document ``raw/`` yields, into ``spool``; any problem in ``raw/`` is a ``CorpusError``."""
    problems: list[RowProblem] = []
    with DocumentChecker(spool=spool) as checker:
        for item in read_raw_store(Path(corpus_dir) / RAW_DIR, view, raw_from):
            result = item if isinstance(item, RowProblem) else checker.check(item)
            if isinstance(result, RowProblem):
                problems.append(result)
            else:
                spool.put(result)
    _refuse_raw_problems(corpus_dir, problems)


def _listed(ids: list[str], shown: int = 20) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def _build(corpus_dir: Path, version: str | None, name: str | None, notes: Sequence[str], tx: Transaction,
           spool: Spool, sources: RawSources, limits: Limits) -> BuildReport:
    previous = read_manifest(corpus_dir, tx)
    if version is not None:
        parse_version(version)
    spool_raw_store(corpus_dir, spool, tx, sources)
    current_version = previous["version"] if previous else INITIAL_VERSION
    count = spool.count()
    sharded = count > limits.manifest_documents
    shards = shard_digests(spool.entries()) if sharded else None

    if previous is not None and not (is_sharded(previous) and shards == previous["document_shards"]["shards"]):
        spool.remember_before(previous_entries(corpus_dir, previous, tx))
        added, removed, changed = list(spool.added()), list(spool.removed()), list(spool.changed())
    elif previous is None:
        added, removed, changed = [doc_id for doc_id, _, _ in spool.entries()], [], []
    else:  # every shard as it was: nothing changed, no need to read the previous documents
        added, removed, changed = [], [], []

    if version is not None and parse_version(version) <= parse_version(current_version):
        raise VersionError(
            f"version {version} is not greater than the corpus's current version {current_version}; "
            f"use e.g. {next_minor(current_version)}"
        )
    if (changed or removed) and version is None:
        groups = (("text changed", changed), ("removed", removed))
        listing = "; ".join(f"{label}: {_listed(ids)}" for label, ids in groups if ids)
        raise CorpusError(
            f"{len(changed) + len(removed)} existing document(s) would change ({listing}). Annotations index the "
            f"old text, so this needs a new corpus version: re-run with --version {next_minor(current_version)} "
            f"(the next minor version), or restore the previous sources."
        )

    if previous is not None:
        spool.record_changes("added", read_pending(corpus_dir, previous.get("unreleased_added", []), tx),
                             built_only=True)
    spool.record_changes("added", added)
    changelog_path = tx.view(corpus_dir / CHANGELOG_FILE)
    old_changelog = changelog_path.read_text(encoding="utf-8") if changelog_path and changelog_path.exists() else None
    header, _, released = split_changelog(old_changelog if old_changelog is not None else CHANGELOG_HEADER)
    older = released.rstrip("\n").split("\n") if released else []
    parts: list[Iterable[str]] | None = None
    lists: dict[str, Callable[[IO[bytes]], None] | None] = {}  # change list file -> its writer (None: remove it)
    if version is not None:
        spool.record_changes("changed", changed)
        spool.record_changes("removed", removed)
        section: Iterable[str] = section_lines(version, RELEASE_GROUPS, spool, limits.changelog_ids,
                                               say_empty=not notes)
        if notes:  # one blank line between the section and the notes
            section = itertools.chain(without_trailing_blanks(section), [""],
                                      "\n".join(notes).rstrip("\n").split("\n"))
        parts = [section, older]
        if needs_list(RELEASE_GROUPS, spool, limits.changelog_ids):
            lists[change_list_name(version)] = lambda fh: write_change_list(fh, RELEASE_GROUPS, spool)
        lists[change_list_name(UNRELEASED)] = None
    elif added:
        parts = [section_lines(UNRELEASED, UNRELEASED_GROUPS, spool, limits.changelog_ids), older]
    pending_listed = version is None and needs_list(UNRELEASED_GROUPS, spool, limits.changelog_ids)
    if version is None:
        lists[change_list_name(UNRELEASED)] = (
            (lambda fh: write_change_list(fh, UNRELEASED_GROUPS, spool)) if pending_listed else None)

    report = BuildReport(
        corpus_dir=corpus_dir,
        name=previous["name"] if previous else (name or DEFAULT_NAME),
        version=version or current_version,
        previous_version=previous["version"] if previous else None,
        document_count=count,
        added=added,
        changed=changed,
        removed=removed,
    )
    digest = hashlib.sha256()

    def documents(fh: IO[bytes]) -> None:
        for line in spool.lines():
            fh.write(line)
            digest.update(line)

    fields: dict[str, Any] = {
        "name": report.name,
        "version": report.version,
        "documents_file": DOCUMENTS_FILE,
        "documents_schema": DOCUMENTS_SCHEMA,
        "document_count": report.document_count,
        "documents_sha256": "",
        "normalisation": POLICY_VERSION,
    }
    if shards is not None:
        fields["document_shards"] = {"scheme": SHARD_SCHEME, "shards": shards}
    if _stage(tx, corpus_dir / DOCUMENTS_FILE, documents):
        report.written.append(DOCUMENTS_FILE)
    else:
        digest = None
    if parts is not None and _stage(tx, corpus_dir / CHANGELOG_FILE, lambda fh: write_changelog(fh, header, parts)):
        report.written.append(CHANGELOG_FILE)
    for list_name, write in lists.items():
        if _stage_or_remove(tx, corpus_dir / list_name, write):
            report.written.append(list_name)
    fields["documents_sha256"] = digest.hexdigest() if digest is not None else sha256_file(
        tx.view(corpus_dir / DOCUMENTS_FILE))
    pending: Iterable[str] | dict[str, Any] = [] if version is not None else (
        doc_id for doc_id, _ in spool.change_ids("added"))
    if pending_listed:
        list_name = change_list_name(UNRELEASED)
        pending = {"count": spool.change_count("added"), "file": list_name,
                   "sha256": sha256_file(tx.view(corpus_dir / list_name))}
    entries = None if shards is not None else spool.entries()
    if _stage(tx, corpus_dir / MANIFEST_FILE, lambda fh: write_manifest(fh, fields, entries, pending)):
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
