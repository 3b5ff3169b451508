"""Ingestion: check an input against itself and the corpus, store the usable rows in ``raw/``, rebuild.

Every row is either ingested or reported with its location and reason; nothing is half-written: the raw
files and the rebuilt corpus are staged and committed in one transaction (:mod:`counterclaim.io.transaction`),
so a crash or a failing rebuild leaves the corpus as it was, and running the command again does the whole job.
``.txt`` files are copied byte for byte under their own names; the usable records of a JSONL or CSV input go to
``raw/<input stem>.jsonl``, one per line: the record's original fields plus ``"_source": {"file", "row",
"format"}`` (and ``"reliability_map"`` when ``--reliability-map`` filled in the reliability; ``"merged"``, the
rows merged into a FA-KES record). A JSONL or CSV input larger than ``Limits.raw_copy_bytes`` (50 MiB) is not
copied: ``raw/<input stem>.input.json`` records its name, size, sha256, reader and skipped rows
(:mod:`counterclaim.corpus.references`), and builds read it from the input itself or a ``--raw-from`` folder.
Re-adding an identical input changes nothing.
A row merged into another one's document (FA-KES repeated rows) is listed under ``merged``, apart from the
rows that could not be ingested (``problems``).
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from counterclaim.corpus.build import BuildReport, DocumentChecker, Progress, build_corpus, load_documents
from counterclaim.corpus.limits import DEFAULT_LIMITS, Limits
from counterclaim.corpus.references import RawInput, RawSources, reference_name
from counterclaim.corpus.reliability import domain_key, load_reliability_map, reliability_from_map
from counterclaim.corpus.spool import Spool
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.corpus.readers import READERS, ROW_COUNTERS, SOURCE_KEY, RawRecord, RowProblem, input_kind
from counterclaim.errors import CorpusError
from counterclaim.io.layout import RAW_DIR, Layout
from counterclaim.io.jsonio import dumps, sha256_file
from counterclaim.io.transaction import Transaction, joined


@dataclass
class AddReport:
    """What ``add_to_corpus`` did with each row of one input."""

    input: str
    kind: str
    corpus_dir: Path
    rows: int = 0
    ingested: list[str] = field(default_factory=list)  # ids of the new documents
    already_present: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    merged: list[RowProblem] = field(default_factory=list)  # rows recorded on another row's document
    raw_written: list[str] = field(default_factory=list)
    build: BuildReport | None = None

    @property
    def ok(self) -> bool:
        """False when the input is unusable: nothing ingested and nothing already there."""
        return bool(self.ingested) or self.already_present > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "kind": self.kind,
            "corpus": str(self.corpus_dir),
            "ok": self.ok,
            "rows": self.rows,
            "ingested": len(self.ingested),
            "ingested_ids": self.ingested,
            "already_present": self.already_present,
            "skipped": len(self.problems),
            "problems": [p.to_dict() for p in self.problems],
            "merged": len(self.merged),
            "merged_rows": [p.to_dict() for p in self.merged],
            "raw_written": self.raw_written,
            "build": self.build.to_dict() if self.build else None,
        }


# --- reliability map -------------------------------------------------------------------------------


def _fill_reliability(
    item: RawRecord | RowProblem, mapping: dict[str, str], map_name: str
) -> tuple[RawRecord | RowProblem, dict[str, Any]]:
    """The record with its reliability filled from the map, and the note for the raw store."""
    value = reliability_from_map(item.metadata, mapping) if isinstance(item, RawRecord) else None
    if value is None:
        return item, {}
    note = {"reliability_map": {"file": map_name, "reliability": value}}
    return replace(item, metadata={**item.metadata, "reliability": value}), note


# --- ingestion -------------------------------------------------------------------------------------


def _no_progress(items: Iterable[Any], total: int | None) -> Iterable[Any]:
    return items


def add_to_corpus(
    path: Path,
    corpus_dir: Path,
    *,
    reliability_map: Path | None = None,
    name: str | None = None,
    progress: Progress | None = None,
    tx: Transaction | None = None,
    raw_from: RawSources | Iterable[str | Path] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> AddReport:
    """Ingest a folder of ``.txt`` files, a ``.jsonl`` file or a FakeNewsCorpus ``.csv`` into ``corpus_dir``.

    The corpus is created when missing (version 0.0.0, called ``name``). Rows that cannot be ingested are
    listed in the report's ``problems``; the rest are stored in ``raw/`` (or, for an input larger than
    ``limits.raw_copy_bytes``, referenced there) and the corpus is rebuilt, in one transaction (``tx`` if given):
    the raw files and the rebuilt outputs appear together or not at all. Rows are read one at a time.
    ``raw_from`` names the folders holding inputs that ``raw/`` already refers to (the rebuild reads them).
    ``progress(iterable, total)`` may wrap the per-row loop, e.g. with a progress bar (``total`` comes from a quick
    first pass that counts the rows).
    """
    path, corpus_dir = Path(path), Path(corpus_dir)
    kind = input_kind(path)
    mapping = load_reliability_map(reliability_map) if reliability_map is not None else {}
    raw_dir = corpus_dir / RAW_DIR
    report = AddReport(input=str(path), kind=kind, corpus_dir=corpus_dir)
    wrap = progress or _no_progress
    total = ROW_COUNTERS[kind](path) if progress is not None else None
    sources = RawSources.of(raw_from)
    referenced = kind != "txt-folder" and path.stat().st_size > limits.raw_copy_bytes
    input_sha256 = sha256_file(path) if referenced else None

    with joined(tx, Layout.around(corpus_dir).state_dir, "corpus add") as tx:
        items = _counted(READERS[kind](path), report)
        stored = None if kind == "txt-folder" else f"{RAW_DIR}/{_stored_name(path, referenced)}"
        with DocumentChecker(_existing(corpus_dir, tx, leave_out=stored, sources=sources),
                             spool=Spool(tx.staging_dir(corpus_dir / "add"))) as checker:
            try:
                if kind == "txt-folder":
                    staged = _stage_txt_files(path, raw_dir, wrap(items, total), checker, report, tx)
                else:
                    staged = _stage_records(path, raw_dir, kind, wrap(items, total), checker, report, mapping,
                                            reliability_map, tx, input_sha256)
            finally:
                checker.spool.close()
        if staged:
            if input_sha256 is not None:
                sources = sources.with_file(path, input_sha256)
            report.build = build_corpus(corpus_dir, name=name, tx=tx, raw_from=sources, limits=limits)
    return report


def _stored_name(path: Path, referenced: bool) -> str:
    """The name in ``raw/`` of a record input's copy, or of its reference when it is too large to copy."""
    return reference_name(path.stem) if referenced else f"{path.stem}.jsonl"


def _existing(corpus_dir: Path, view: Transaction, leave_out: str | None,
              sources: RawSources) -> Iterator[dict[str, Any]]:
    """The corpus's documents, streamed, for the duplicate checks: those of the built corpus, or, if it was never
    built, those ``raw/`` gives. Re-adding an input: its own earlier records (``leave_out``) are not duplicates
    of themselves."""
    built = BuiltCorpus.open_if_built(corpus_dir, view)
    if built is not None:
        docs: Iterable[dict[str, Any]] = built.documents()
    elif view.is_dir(corpus_dir / RAW_DIR):
        docs = load_documents(corpus_dir, view, raw_from=sources)
    else:
        docs = ()
    for doc in docs:
        if doc["source"]["path"] != leave_out:
            yield doc


def _counted(items: Iterable[RawRecord | RowProblem], report: AddReport) -> Iterator[RawRecord | RowProblem]:
    for item in items:
        report.rows += 1
        yield item


def _stage_txt_files(
    folder: Path,
    raw_dir: Path,
    items: Iterable[RawRecord | RowProblem],
    checker: DocumentChecker,
    report: AddReport,
    tx: Transaction,
) -> bool:
    staged = False
    for item in items:
        if isinstance(item, RowProblem):
            report.problems.append(item)
            continue
        data = (folder / item.file).read_bytes()
        target = raw_dir / item.file
        present = tx.view(target)
        if present is not None and present.exists():
            if present.read_bytes() == data:
                report.already_present += 1
            else:
                report.problems.append(
                    RowProblem(
                        item.file,
                        None,
                        item.source_id,
                        f"file name clash: {RAW_DIR}/{item.file} already exists with different bytes; "
                        "rename the file to add it",
                    )
                )
            continue
        result = checker.check(item)
        if isinstance(result, RowProblem):
            report.problems.append(result)
        else:
            report.ingested.append(result["doc_id"])
            tx.write_bytes(target, data)
            report.raw_written.append(f"{RAW_DIR}/{target.name}")
            staged = True
    return staged


def _stage_records(
    path: Path,
    raw_dir: Path,
    kind: str,
    items: Iterable[RawRecord | RowProblem],
    checker: DocumentChecker,
    report: AddReport,
    mapping: dict[str, str],
    map_path: Path | None,
    tx: Transaction,
    input_sha256: str | None,
) -> bool:
    """Check every record; stage ``raw/<stem>.jsonl`` (the usable records) or, for an input too large to copy
    (``input_sha256`` given), ``raw/<stem>.input.json`` (the reference). False when nothing is staged."""
    referenced = input_sha256 is not None
    target = raw_dir / _stored_name(path, referenced)
    other = raw_dir / _stored_name(path, not referenced)
    stored = f"{RAW_DIR}/{target.name}"
    ids: list[str] = []
    refused: dict[str, int] = {}  # id -> row, of records that merged rows point to but were not ingested
    used_map: dict[str, str] = {}  # domain -> reliability the map gave an ingested record (references)
    digest = hashlib.sha256()
    present = tx.view(target)
    staged = None if referenced else tx.stage_file(target)
    with open(staged, "wb") if staged is not None else nullcontext() as fh:
        for item in items:
            item, note = _fill_reliability(item, mapping, map_path.name if map_path else "")
            result = item if isinstance(item, RowProblem) else checker.check(item)
            if isinstance(result, RowProblem):
                (report.merged if result.merged_into else report.problems).append(result)
                if isinstance(item, RawRecord) and item.source_note.get("merged"):
                    refused[item.source_id] = item.row
                continue
            if fh is not None:
                source = {"file": path.name, "row": item.row, "format": kind, **note, **item.source_note}
                line = (dumps({**item.fields, SOURCE_KEY: source}) + "\n").encode("utf-8")
                fh.write(line)
                digest.update(line)
            elif note:
                used_map[domain_key(item.metadata["domain"])] = note["reliability_map"]["reliability"]
            ids.append(result["doc_id"])
    for merged in [m for m in report.merged if m.merged_into in refused]:
        report.merged.remove(merged)
        reason = f"{merged.reason}; but row {refused[merged.merged_into]} was not ingested, so neither is this one"
        report.problems.append(replace(merged, reason=reason, merged_into=None))
    report.problems.sort(key=lambda p: (p.row is None, p.row or 0))
    if not ids:
        if staged is not None:
            tx.discard(target)
        return False
    if referenced:
        ref = RawInput(name=path.name, kind=kind, size=path.stat().st_size, sha256=input_sha256,
                       rows=report.rows, skipped_rows=tuple(sorted(p.row for p in report.problems + report.merged
                                                                   if p.row is not None)),
                       reliability_map={"file": map_path.name, "domains": dict(sorted(used_map.items()))}
                       if used_map and map_path else None)
        data = ref.to_bytes()
        digest = hashlib.sha256(data)
    clash = other if (seen := tx.view(other)) is not None and seen.exists() else None
    if clash is None and present is not None and present.exists():
        if sha256_file(present) == digest.hexdigest():
            report.already_present = len(ids)
            if staged is not None:
                tx.discard(target)
            return False
        clash = target
    if clash is not None:
        raise CorpusError(
            f"{RAW_DIR}/{clash.name} already exists with different content (from an earlier `corpus add` of a file "
            f"named {path.name}, or of this one with other options); rename the input file to add it as a separate "
            "source"
        )
    if referenced:
        tx.write_bytes(target, data)
    else:
        tx.adopt(target, staged)
    report.ingested = ids
    report.raw_written.append(stored)
    return True
