"""``CHANGELOG.md``: a section per version, newest first, and "Unreleased" for documents added since.

A section lists each change — added, text changed, removed — id by id with the document's title. A change list
longer than :attr:`~counterclaim.corpus.limits.Limits.changelog_ids` (1,000) would bury the changelog under
thousands of lines, so it is summarised instead: how many, by source file and by outlet (the ten largest), and
the first ids; the full list is written beside it, ``corpus/changes/<section>.jsonl`` (``unreleased.jsonl``, or
the version), one ``{"change": "added", "doc_id": "…"}`` per line in id order, every change of the section.
``changes/unreleased.jsonl`` goes away when a version is released (its ids move to that version's list).
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

from counterclaim.corpus.spool import Spool
from counterclaim.errors import CorpusError
from counterclaim.io.jsonio import dumps, iter_jsonl
from counterclaim.io.layout import CHANGES_DIR
from counterclaim.io.transaction import DISK, DiskView

CHANGELOG_HEADER = """\
# Changelog

Releases of this corpus, newest first, written by `counterclaim corpus build`. A new version is required
whenever the text of an existing document changes or a document is removed, because annotations index
the old text; added documents keep the version and are listed under "Unreleased" until the next one.
"""

UNRELEASED = "Unreleased"
# (label in the changelog, change noted in the spool), in the order of a section
RELEASE_GROUPS = (("Added", "added"), ("Text changed", "changed"), ("Removed", "removed"))
UNRELEASED_GROUPS = RELEASE_GROUPS[:1]
SUMMARY_TOP = 10  # sources and outlets named in a summary
SUMMARY_FIRST = 10  # ids shown in a summary


def change_list_name(section: str) -> str:
    """The file, relative to the corpus folder, that lists the changes of a summarised section."""
    return f"{CHANGES_DIR}/{'unreleased' if section == UNRELEASED else section}.jsonl"


def needs_list(groups: Sequence[tuple[str, str]], spool: Spool, limit: int) -> bool:
    """Whether a section of these groups is summarised (some change list is longer than ``limit``)."""
    return any(spool.change_count(change) > limit for _, change in groups)


def _counted(pairs: list[tuple[str | None, int]], label: str) -> str:
    shown = ", ".join(f"`{value}` {n}" if value is not None else f"unknown {n}" for value, n in pairs[:SUMMARY_TOP])
    more = f", and {len(pairs) - SUMMARY_TOP} more {label}" if len(pairs) > SUMMARY_TOP else ""
    return shown + more


def section_lines(heading: str, groups: Sequence[tuple[str, str]], spool: Spool, limit: int,
                  say_empty: bool = True) -> Iterator[str]:
    """The lines of one changelog section, streamed: each change list in full, or summarised beyond ``limit``."""
    yield f"## {heading}"
    yield ""
    empty = True
    for label, change in groups:
        count = spool.change_count(change)
        if not count:
            continue
        empty = False
        if count <= limit:
            yield f"{label} ({count}):"
            for doc_id, title in spool.change_ids(change):
                yield f"- `{doc_id}` {title}" if title is not None else f"- `{doc_id}`"
        else:
            yield f"{label} ({count}): too many to list here; every id is in `{change_list_name(heading)}`."
            yield ""
            for column, word in (("source", "sources"), ("outlet", "outlets")):
                counts = spool.change_counts(change, column)
                if any(value is not None for value, _ in counts):
                    yield f"- by {column}: {_counted(counts, word)}"
            first = [f"`{doc_id}`" for doc_id, _ in spool.change_ids(change, SUMMARY_FIRST)]
            yield f"- first ids: {', '.join(first)}" + (", …" if count > len(first) else "")
        yield ""
    if empty and say_empty:
        yield "No document changes."
        yield ""


def write_change_list(fh: IO[bytes], groups: Sequence[tuple[str, str]], spool: Spool) -> None:
    """The full list of a summarised section: ``{"change", "doc_id"}`` per line, group by group, ids in order."""
    for _, change in groups:
        for doc_id, _ in spool.change_ids(change):
            fh.write((dumps({"change": change, "doc_id": doc_id}) + "\n").encode("utf-8"))


def read_pending(corpus_dir: Path, pending: Any, view: DiskView = DISK) -> Iterator[str]:
    """The ids of a manifest's ``unreleased_added``: its list, or the "added" lines of the file it names (whose
    sha256 it records)."""
    if isinstance(pending, list):
        yield from pending
        return
    if not isinstance(pending, dict) or not isinstance(pending.get("file"), str):
        raise CorpusError(f"{corpus_dir}/manifest.json: 'unreleased_added' must be a list of ids or "
                          "{count, file, sha256}; restore the file from version control")
    path = Path(corpus_dir) / pending["file"]
    if Path(pending["file"]).parent.as_posix() != CHANGES_DIR:
        raise CorpusError(f"{corpus_dir}/manifest.json: 'unreleased_added' names {pending['file']}, not a file in "
                          f"{CHANGES_DIR}/; restore the manifest from version control")
    seen = view.view(path)
    if seen is None or not seen.exists():
        raise CorpusError(f"{path}: missing (manifest.json's unreleased_added lists its ids there); restore it from "
                          "version control")
    with open(seen, "rb") as fh:
        if hashlib.file_digest(fh, "sha256").hexdigest() != pending.get("sha256"):
            raise CorpusError(f"{path}: changed since the last build (its sha256 is not the one manifest.json "
                              "records); restore it from version control")
    for _, line in iter_jsonl(seen):
        if line.get("change") == "added":
            yield line["doc_id"]


# --- the file around the sections ------------------------------------------------------------------------------


def split_changelog(text: str) -> tuple[str, str | None, str]:
    """``(header, unreleased section or None, released sections)``."""
    start = text.find("\n## ")
    if start < 0:
        return text, None, ""
    header, rest = text[: start + 1], text[start + 1 :]
    if rest.startswith(f"## {UNRELEASED}\n"):
        following = rest.find("\n## ")
        if following < 0:
            return header, rest, ""
        return header, rest[: following + 1], rest[following + 1 :]
    return header, None, rest


def without_trailing_blanks(lines: Iterable[str]) -> Iterator[str]:
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


def write_changelog(fh: IO[bytes], header: str, parts: Iterable[Iterable[str]]) -> None:
    """The header, then each non-empty part (a section, the released sections) after a blank line."""
    fh.write((header.rstrip("\n") + "\n").encode("utf-8"))
    for part in parts:
        lines = iter(part)
        first = next(lines, None)
        if first is not None:
            _write_part(fh, itertools.chain([first], lines))
