"""Ingestion: check an input against itself and the corpus, store the usable rows in ``raw/``, rebuild.

Every row is either ingested or reported with its location and reason; nothing is half-written: the raw
files and the rebuilt corpus are staged and committed in one transaction (:mod:`counterclaim.io.transaction`),
so a crash or a failing rebuild leaves the corpus as it was, and running the command again does the whole job. ``.txt`` files are copied byte for byte under their own names; the usable records of a
JSONL or CSV input go to ``raw/<input stem>.jsonl``, one per line: the record's original fields plus
``"_source": {"file", "row", "format"}`` (and ``"reliability_map"`` when ``--reliability-map`` filled in the
reliability; ``"merged"``, the rows merged into a FA-KES record). Re-adding an identical input changes nothing.
A row merged into another one's document (FA-KES repeated rows) is listed under ``merged``, apart from the
rows that could not be ingested (``problems``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from counterclaim.corpus.build import BuildReport, DocumentChecker, Progress, build_corpus, load_documents
from counterclaim.corpus.spool import Spool
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.corpus.readers import READERS, ROW_COUNTERS, SOURCE_KEY, RawRecord, RowProblem, input_kind
from counterclaim.errors import CorpusError, InputError
from counterclaim.io.layout import RAW_DIR, Layout
from counterclaim.io.jsonio import dumps, open_input, sha256_file
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


def _domain_key(domain: str) -> str:
    domain = domain.strip().lower()
    return domain[4:] if domain.startswith("www.") else domain


def load_reliability_map(path: Path) -> dict[str, str]:
    """Domain -> reliability type from a FakeNewsCorpus ``websites.csv`` (columns ``url`` and ``type``).

    Domains are matched case-insensitively, with and without ``www.``. A domain listed with different types
    is left out: the map cannot say which one applies.
    """
    path = Path(path)
    try:
        with io.TextIOWrapper(open_input(path), encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    if rows and not {"url", "type"} <= set(rows[0]):
        raise InputError(f"{path}: a reliability map needs the columns 'url' (the domain) and 'type'")
    seen: dict[str, set[str]] = {}
    for row in rows:
        if row.get("url") and row.get("type"):
            seen.setdefault(_domain_key(row["url"]), set()).add(row["type"].strip())
    return {domain: next(iter(types)) for domain, types in seen.items() if len(types) == 1}


def _fill_reliability(
    item: RawRecord | RowProblem, mapping: dict[str, str], map_name: str
) -> tuple[RawRecord | RowProblem, dict[str, Any]]:
    """The record with its reliability filled from the map, and the note for the raw store."""
    if not isinstance(item, RawRecord) or item.metadata.get("reliability") or not item.metadata.get("domain"):
        return item, {}
    value = mapping.get(_domain_key(item.metadata["domain"]))
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
) -> AddReport:
    """Ingest a folder of ``.txt`` files, a ``.jsonl`` file or a FakeNewsCorpus ``.csv`` into ``corpus_dir``.

    The corpus is created when missing (version 0.0.0, called ``name``). Rows that cannot be ingested are
    listed in the report's ``problems``; the rest are stored in ``raw/`` and the corpus is rebuilt, in one
    transaction (``tx`` if given): the raw files and the rebuilt outputs appear together or not at all. Rows are
    read one at a time. ``progress(iterable, total)`` may wrap the per-row loop, e.g. with a progress bar
    (``total`` comes from a quick first pass that counts the rows).
    """
    path, corpus_dir = Path(path), Path(corpus_dir)
    kind = input_kind(path)
    mapping = load_reliability_map(reliability_map) if reliability_map is not None else {}
    raw_dir = corpus_dir / RAW_DIR
    report = AddReport(input=str(path), kind=kind, corpus_dir=corpus_dir)
    wrap = progress or _no_progress
    total = ROW_COUNTERS[kind](path) if progress is not None else None

    with joined(tx, Layout.around(corpus_dir).state_dir, "corpus add") as tx:
        items = _counted(READERS[kind](path), report)
        stored = None if kind == "txt-folder" else f"{RAW_DIR}/{path.stem}.jsonl"
        with DocumentChecker(_existing(corpus_dir, tx, leave_out=stored),
                             spool=Spool(tx.staging_dir(corpus_dir / "add"))) as checker:
            try:
                if kind == "txt-folder":
                    staged = _stage_txt_files(path, raw_dir, wrap(items, total), checker, report, tx)
                else:
                    staged = _stage_records(path, raw_dir, kind, wrap(items, total), checker, report, mapping,
                                            reliability_map, tx)
            finally:
                checker.spool.close()
        if staged:
            report.build = build_corpus(corpus_dir, name=name, tx=tx)
    return report


def _existing(corpus_dir: Path, view: Transaction, leave_out: str | None) -> Iterator[dict[str, Any]]:
    """The corpus's documents, streamed, for the duplicate checks: those of the built corpus, or, if it was never
    built, those ``raw/`` gives. Re-adding an input: its own earlier records (``leave_out``) are not duplicates
    of themselves."""
    built = BuiltCorpus.open_if_built(corpus_dir, view)
    if built is not None:
        docs: Iterable[dict[str, Any]] = built.documents()
    elif view.is_dir(corpus_dir / RAW_DIR):
        docs = load_documents(corpus_dir, view)
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
) -> bool:
    target = raw_dir / f"{path.stem}.jsonl"
    stored = f"{RAW_DIR}/{target.name}"
    ids: list[str] = []
    refused: dict[str, int] = {}  # id -> row, of records that merged rows point to but were not ingested
    digest = hashlib.sha256()
    present = tx.view(target)
    staged = tx.stage_file(target)
    with open(staged, "wb") as fh:
        for item in items:
            item, note = _fill_reliability(item, mapping, map_path.name if map_path else "")
            result = item if isinstance(item, RowProblem) else checker.check(item)
            if isinstance(result, RowProblem):
                (report.merged if result.merged_into else report.problems).append(result)
                if isinstance(item, RawRecord) and item.source_note.get("merged"):
                    refused[item.source_id] = item.row
                continue
            source = {"file": path.name, "row": item.row, "format": kind, **note, **item.source_note}
            line = (dumps({**item.fields, SOURCE_KEY: source}) + "\n").encode("utf-8")
            fh.write(line)
            digest.update(line)
            ids.append(result["doc_id"])
    for merged in [m for m in report.merged if m.merged_into in refused]:
        report.merged.remove(merged)
        reason = f"{merged.reason}; but row {refused[merged.merged_into]} was not ingested, so neither is this one"
        report.problems.append(replace(merged, reason=reason, merged_into=None))
    report.problems.sort(key=lambda p: (p.row is None, p.row or 0))
    if not ids:
        tx.discard(target)
        return False
    if present is not None and present.exists():
        if sha256_file(present) == digest.hexdigest():
            report.already_present = len(ids)
            tx.discard(target)
            return False
        raise CorpusError(
            f"{stored} already exists with different content (from an earlier `corpus add` of a file named "
            f"{path.name}, or of this one with other options); rename the input file to add it as a separate "
            "source"
        )
    tx.adopt(target, staged)
    report.ingested = ids
    report.raw_written.append(stored)
    return True
