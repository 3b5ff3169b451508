"""Build ``documents.jsonl``, ``manifest.json`` and ``CHANGELOG.md`` from a corpus's ``raw/`` folder.

The build is a pure function of ``raw/`` and the previous manifest: no timestamps, canonical JSON, documents
sorted by id, so two builds give the same bytes. It compares the new documents with the previous manifest;
a document whose text changed, or that disappeared, would invalidate annotations (they index the text), so
that needs an explicit new version. Everything is computed in memory first and written atomically, data
files before the manifest, so a failing build leaves the previous outputs as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from counterclaim.corpus.ids import content_id, id_problem
from counterclaim.corpus.normalize import POLICY_VERSION, TITLE_SEPARATOR, compose_text, split_article, split_record
from counterclaim.corpus.readers import RawRecord, RowProblem, read_raw_store
from counterclaim.errors import CorpusError, DuplicateIdError, VersionError
from counterclaim.io.layout import CHANGELOG_FILE, DOCUMENTS_FILE, MANIFEST_FILE, RAW_DIR
from counterclaim.io.jsonio import atomic_write, dumps, read_json, sha256_bytes, sha256_text

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


def _body_sha256(text: str, title: str) -> str:
    return sha256_text(text[len(title) + len(TITLE_SEPARATOR) :])


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
    messages; records checked earlier take part too (duplicates within one input).
    """

    def __init__(self, existing: Iterable[dict[str, Any]] = ()):
        self._ids: dict[str, _Seen] = {}
        self._bodies: dict[str, _Seen] = {}
        for doc in existing:
            seen = _Seen(doc["doc_id"], doc["source"]["path"], doc["source"]["row"], in_corpus=True)
            self._ids[doc["doc_id"]] = seen
            self._bodies[_body_sha256(doc["text"], doc["title"])] = seen

    def check(self, record: RawRecord) -> dict[str, Any] | RowProblem:
        """The document made from ``record``, or the reason it cannot be one."""

        def problem(reason: str, doc_id: str | None = record.source_id) -> RowProblem:
            return RowProblem(record.file, record.row, doc_id, reason)

        made = make_document(record)
        if isinstance(made, RowProblem):
            return made
        doc, body_sha = made
        doc_id = doc["doc_id"]
        if record.source_id is not None and doc_id in self._ids:
            return problem(self._duplicate_id(doc_id, record.file))
        if body_sha in self._bodies:
            other = self._bodies[body_sha]
            where = other.describe(record.file)
            where = f", {where}" if other.in_corpus else f" in {where}"
            return problem(f"duplicate content: same text as id {other.doc_id}{where}", doc_id)
        if doc_id in self._ids:  # a content id only repeats with its content; kept as a safeguard
            return problem(self._duplicate_id(doc_id, record.file), doc_id)
        self._ids[doc_id] = self._bodies[body_sha] = _Seen(doc_id, record.file, record.row, in_corpus=False)
        return doc

    def _duplicate_id(self, doc_id: str, file: str) -> str:
        seen = self._ids[doc_id]
        where = seen.describe(file)
        return f"duplicate id: {where}" if seen.in_corpus else f"duplicate id: also used by {where}"


def make_documents(
    items: Iterable[RawRecord | RowProblem],
    *,
    existing: Iterable[dict[str, Any]] = (),
) -> Iterator[dict[str, Any] | RowProblem]:
    """A document or a problem for every item, in input order."""
    checker = DocumentChecker(existing)
    for item in items:
        yield item if isinstance(item, RowProblem) else checker.check(item)


def load_documents(corpus_dir: Path) -> list[dict[str, Any]]:
    """The documents ``raw/`` yields, sorted by id; any problem in ``raw/`` is a ``CorpusError``."""
    docs: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for result in make_documents(read_raw_store(Path(corpus_dir) / RAW_DIR)):
        (problems if isinstance(result, RowProblem) else docs).append(result)
    if problems:
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
    docs.sort(key=lambda doc: doc["doc_id"])
    return docs


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


def read_manifest(corpus_dir: Path) -> dict[str, Any] | None:
    """The manifest, or None for a corpus that was never built."""
    path = Path(corpus_dir) / MANIFEST_FILE
    if not path.exists():
        return None
    manifest = read_json(path)
    for key, kind in (("name", str), ("version", str), ("documents", dict)):
        if not isinstance(manifest, dict) or not isinstance(manifest.get(key), kind):
            raise CorpusError(f"{path}: no {key!r} ({kind.__name__}); restore the file from version control")
    parse_version(manifest["version"])
    return manifest


def _render_section(heading: str, groups: list[tuple[str, list[str]]], titles: dict[str, str],
                    say_empty: bool = True) -> str:
    lines = [f"## {heading}", ""]
    for label, ids in groups:
        if ids:
            lines.append(f"{label} ({len(ids)}):")
            lines.extend(f"- `{doc_id}` {titles[doc_id]}" if doc_id in titles else f"- `{doc_id}`" for doc_id in ids)
            lines.append("")
    if len(lines) == 2 and say_empty:
        lines.extend(["No document changes.", ""])
    return "\n".join(lines)


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


def _changelog(old: str | None, section: str | None, unreleased: str | None) -> str:
    header, _, released = _split_changelog(old if old is not None else CHANGELOG_HEADER)
    parts = [header.rstrip("\n") + "\n"]
    for part in (unreleased, section, released):
        if part:
            parts.append("\n" + part.rstrip("\n") + "\n")
    return "".join(parts)


@dataclass
class BuildPlan:
    report: BuildReport
    files: list[tuple[str, bytes]]  # in write order


def plan_build(corpus_dir: Path, *, version: str | None = None, name: str | None = None,
               notes: Sequence[str] = ()) -> BuildPlan:
    """Compute every output in memory; raise before anything is written.

    ``notes`` (Markdown lines) are added to the changelog section of ``version`` — `release` lists
    annotation and schema changes there."""
    corpus_dir = Path(corpus_dir)
    previous = read_manifest(corpus_dir)
    if version is not None:
        parse_version(version)
    docs = load_documents(corpus_dir)
    current_version = previous["version"] if previous else INITIAL_VERSION

    before = previous["documents"] if previous else {}
    now = {doc["doc_id"]: doc for doc in docs}
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(i for i in set(now) & set(before) if now[i]["text_sha256"] != before[i].get("text_sha256"))

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

    titles = {doc_id: doc["title"] for doc_id, doc in now.items()}
    pending = set(previous.get("unreleased_added", [])) if previous else set()
    pending = sorted((pending | set(added)) & set(now))
    changelog_path = corpus_dir / CHANGELOG_FILE
    old_changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.exists() else None
    if version is not None:
        section = _render_section(
            version, [("Added", pending), ("Text changed", changed), ("Removed", removed)], titles,
            say_empty=not notes,
        )
        if notes:
            section = section.rstrip("\n") + "\n\n" + "\n".join(notes).rstrip("\n") + "\n"
        changelog = _changelog(old_changelog, section, None)
        pending = []
    elif added:
        changelog = _changelog(old_changelog, None, _render_section("Unreleased", [("Added", pending)], titles))
    else:
        changelog = old_changelog

    documents = "".join(dumps(doc) + "\n" for doc in docs).encode("utf-8")
    new_version = version or current_version
    manifest = {
        "name": previous["name"] if previous else (name or DEFAULT_NAME),
        "version": new_version,
        "documents_file": DOCUMENTS_FILE,
        "documents_schema": DOCUMENTS_SCHEMA,
        "document_count": len(docs),
        "documents_sha256": sha256_bytes(documents),
        "normalisation": POLICY_VERSION,
        "unreleased_added": pending,
        "documents": {d["doc_id"]: {"raw_sha256": d["raw_sha256"], "text_sha256": d["text_sha256"]} for d in docs},
    }
    files = [(DOCUMENTS_FILE, documents)]
    if changelog is not None:
        files.append((CHANGELOG_FILE, changelog.encode("utf-8")))
    files.append((MANIFEST_FILE, (dumps(manifest, indent=2) + "\n").encode("utf-8")))
    report = BuildReport(
        corpus_dir=corpus_dir,
        name=manifest["name"],
        version=new_version,
        previous_version=previous["version"] if previous else None,
        document_count=len(docs),
        added=added,
        changed=changed,
        removed=removed,
    )
    return BuildPlan(report, files)


def build_corpus(corpus_dir: Path, *, version: str | None = None, name: str | None = None,
                 notes: Sequence[str] = ()) -> BuildReport:
    """Build ``corpus_dir``'s outputs from its ``raw/`` folder.

    ``version`` releases a new corpus version (required when an existing document's text changes or a
    document is removed); ``name`` names a corpus that has no manifest yet.
    """
    plan = plan_build(corpus_dir, version=version, name=name, notes=notes)
    for filename, data in plan.files:
        path = Path(corpus_dir) / filename
        if path.exists() and path.read_bytes() == data:
            continue
        with atomic_write(path, "wb") as fh:
            fh.write(data)
        plan.report.written.append(filename)
    return plan.report


__all__ = [
    "BuildPlan",
    "BuildReport",
    "DocumentChecker",
    "build_corpus",
    "load_documents",
    "make_document",
    "make_documents",
    "next_minor",
    "parse_version",
    "plan_build",
    "read_manifest",
]
