"""Build ``export/``: parquet files per config and split, and the dataset card.

One streaming pass over the corpus in ``doc_id`` order: each document's annotated file is read and validated,
and so is its line of the stored silver annotations (``corpus/silver/documents.jsonl``, read beside the corpus,
when the project has one); its rows are built (:mod:`counterclaim.hf.rows`: the gold configs from the gold
annotation, the silver configs from the silver one, never mixed) and appended to the buffer of their (config,
split), and its event reports are kept for the incidents, which need every document (:mod:`counterclaim.incidents`;
slim in memory, whole on disk: :class:`_ReportSpool`; the ``incidents`` rows from the gold reports and the
``silver_incidents`` rows from the silver ones are written after the pass, each in the split of its document, and
the incident of each number is then filled into ``quantities`` / ``silver_quantities``); a buffer of
:data:`CHUNK_ROWS` rows becomes an Arrow table (``pa.Table.from_pylist`` with the config's schema), one row
group of that split's parquet, spooled to disk (:class:`_Spool`); after the pass the parquet files are written
from the spools one (config, split) after the other, cut into shards of at most 500 MB
(:mod:`counterclaim.hf.shards`). Memory holds one chunk per (config, split) and one open parquet writer, not the
corpus; a row has no size limit. What the card needs of every document is kept as counters (and the split of each
document, which the card lists).
Everything is written to a staging folder beside the target, and then, in one transaction
(:mod:`counterclaim.io.transaction`), each new file replaces its old one and the files the new export no longer
has are removed: a failed export leaves the previous one intact, and a crash in the commit is completed by the
next command, so ``export/`` is never missing and never half old, half new. The same inputs give the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import gc
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from counterclaim import __version__
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CorpusError, ValidationFailed
from counterclaim.hf.card import LICENSE_FILE, CardContext, render_card, render_license
from counterclaim.hf.card_research import BASELINES_RESULTS, load_baselines
from counterclaim.hf.features import CONFIGS, DEFAULT_CONFIG, ConfigFeatures
from counterclaim.hf.incident_rows import incident_rows
from counterclaim.hf.rows import RowBuilder
from counterclaim.hf.shards import DEFAULT_MAX_SHARD_SIZE, ShardWriter
from counterclaim.hf.splits import SALT, SPLITS, split_of
from counterclaim.incidents import (Incident, Member, Report, event_incidents, event_reports, find_incidents,
                                    gold_annotation, silver_annotation)
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout, annotation_file_name
from counterclaim.io.progress import Progress
from counterclaim.io.scratch import scratch_db
from counterclaim.io.transaction import DISK, DiskView, Transaction, joined
from counterclaim.model.ontology import Ontology
from counterclaim.model.schema import INTEGER_KEYS
from counterclaim.model.selection import select_gold
from counterclaim.hf.card_silver import SilverCard
from counterclaim.hf.gids import gid
from counterclaim.silver.store import SilverStore, gold_digest
from counterclaim.validation import Problem, document_problems

# Rows per row group: documents-sized rows (a whole text each) in small chunks, per-object rows in larger ones.
CHUNK_ROWS = {"documents": 64, "ner": 64, "annotations": 64, "events": 1024, "claims": 1024, "incidents": 1024,
              "ner_sentences": 1024, "quantities": 1024, "bigbio_kb": 64, "silver_documents": 64,
              "silver_claims": 1024, "silver_quantities": 1024, "silver_incidents": 1024}
# Configs whose `incident_id` is filled after the pass, from the incidents of the same annotations.
INCIDENT_COLUMNS = {"quantities": "incidents", "silver_quantities": "silver_incidents"}
COMPRESSION = "snappy"  # what `datasets` itself writes
STAMP = ".counterclaim-export.json"  # what the export was built from, to tell whether it is fresh


@dataclass
class ExportReport:
    out_dir: Path
    documents: int = 0
    rows: dict[str, Counter] = field(default_factory=dict)
    no_gold: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"out_dir": str(self.out_dir), "documents": self.documents,
                "rows": {c: dict(sorted(n.items())) for c, n in sorted(self.rows.items())},
                "documents_without_gold": self.no_gold}


class _Spool:
    """The row groups of one (config, split), kept on disk until the split's parquet is written: an Arrow IPC
    stream (LZ4-compressed buffers), one record batch per row group, and each group's Arrow size as built.

    Why: a ``pq.ParquetWriter`` holds the metadata of every row group of its open file until it closes (column
    statistics, several times the footer's size on disk), and an export that wrote every (config, split) at
    once kept some 25 of them open and growing with the number of documents. Spooled, the parquet files are
    written one after the other from the same row groups, so at most one writer is open and its memory is
    bounded by one shard (:data:`counterclaim.hf.shards.MAX_FOOTER_BYTES`). An IPC stream keeps the Arrow data
    as is (no footer held in memory), so the parquet bytes are the same as when written directly."""

    OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.sizes: list[int] = []  # Arrow size of each row group as built (ShardWriter's estimate uses it)
        self._sink = pa.OSFile(str(path), "wb")
        self._writer = pa.ipc.new_stream(self._sink, schema, options=self.OPTIONS)

    def write(self, table: pa.Table) -> None:
        (batch,) = table.to_batches()  # a table built from rows is one chunk: one batch, one row group
        self._writer.write_batch(batch)
        self.sizes.append(table.nbytes)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            self._writer = None

    def groups(self):
        """``(table, Arrow size as built)`` of each row group, in order; one group in memory at a time."""
        self.close()
        with pa.OSFile(str(self.path), "rb") as source, pa.ipc.open_stream(source) as reader:
            for batch, size in zip(reader, self.sizes, strict=True):
                yield pa.Table.from_batches([batch]), size


class _Writers:
    """The parquet files of each (config, split), in shards of at most ``max_shard_size`` bytes
    (:mod:`counterclaim.hf.shards`). A chunk of rows becomes one row group, spooled to ``spool_dir`` (see
    :class:`_Spool`); :meth:`close` writes the parquet files from the spools, one (config, split) at a time."""

    def __init__(self, root: Path, spool_dir: Path, features: ConfigFeatures,
                 max_shard_size: int = DEFAULT_MAX_SHARD_SIZE):
        self.root = root
        self.spool_dir = Path(spool_dir)  # not under ``root``: the spools are not part of the export
        self.features = features
        self.max_shard_size = max_shard_size
        self.schemas = {config: features.schema(config) for config in CONFIGS}
        self.buffers: dict[tuple[str, str], list[dict]] = {}
        self.spools: dict[tuple[str, str], _Spool] = {}
        self.writers: dict[tuple[str, str], ShardWriter] = {}
        self.counts: dict[str, Counter] = {c: Counter() for c in CONFIGS}

    def add(self, config: str, split: str, row: dict) -> None:
        buffer = self.buffers.setdefault((config, split), [])
        buffer.append(row)
        self.counts[config][split] += 1
        if len(buffer) >= CHUNK_ROWS[config]:
            self._flush(config, split)

    def _flush(self, config: str, split: str) -> None:
        rows = self.buffers.get((config, split))
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=self.schemas[config])
        key = (config, split)
        if key not in self.spools:
            self.spools[key] = _Spool(self.spool_dir / f"{config}.{split}.arrows", self.schemas[config])
        self.spools[key].write(table)
        rows.clear()

    def close(self, fills: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str | list[str]]]:
        """Write every file from its spool, name it by its content, and return the files per config and split: a
        name, or the list of a split's shards in row order.

        ``fills`` (config -> event global id -> incident id) sets the ``incident_id`` of those configs' rows in
        each shard before it is named (:func:`_fill_incidents`). An empty split has no file (`datasets` cannot
        load a 0-row parquet split), and a config with no rows at all is left out of the card."""
        for config, split in list(self.buffers):
            self._flush(config, split)
        files: dict[str, dict[str, str | list[str]]] = {}
        for config in CONFIGS:
            for split in SPLITS:
                spool = self.spools.get((config, split))
                if spool is None:
                    continue
                writer = self.writers[(config, split)] = ShardWriter(
                    self.root, config, split, self.schemas[config], compression=COMPRESSION,
                    max_shard_size=self.max_shard_size)
                for table, size in spool.groups():
                    writer.write(table, nbytes=size)
                fill = (fills or {}).get(config)
                names = writer.close(rewrite=(lambda path, fill=fill: _fill_incidents(path, fill)) if fill else None)
                del self.writers[(config, split)]
                spool.path.unlink()
                files.setdefault(config, {})[split] = names[0] if len(names) == 1 else names
        return files

    def abort(self) -> None:
        for spool in self.spools.values():
            try:
                spool.close()
            except Exception:  # noqa: BLE001 - the spool folder is removed anyway
                pass
        for writer in self.writers.values():
            writer.abort()


class _ReportSpool:
    """The event reports of every document, kept for the incidents (which need all of them at once).

    What the incident rule compares (type, days, place, governorates, actors) stays in memory; the whole report
    — mostly its claims, with their numbers and culprits, and the document's source — is pickled into a SQLite
    table in the spool folder, and read back only for the reports that join an incident. Grouping the slim
    reports gives the same incidents (the rule never reads claims or source), and the incidents then carry the
    whole reports, as before. SQLite (:mod:`counterclaim.io.scratch`) because it looks a report up by key."""

    _NO_SOURCE: dict = {}  # the slim reports' source: shared, never written to

    def __init__(self, path: Path):
        self._db = scratch_db(path)
        self._db.execute("CREATE TABLE reports (key TEXT PRIMARY KEY, report BLOB NOT NULL)")
        self.slim: list[Report] = []

    def add(self, reports: list[Report]) -> None:
        self._db.executemany("INSERT INTO reports VALUES (?, ?)",
                             [(r.key, pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) for r in reports])
        self.slim += (dataclasses.replace(r, claims=(), source=self._NO_SOURCE) for r in reports)

    def _whole(self, key: str) -> Report:
        (blob,) = self._db.execute("SELECT report FROM reports WHERE key = ?", (key,)).fetchone()
        return pickle.loads(blob)

    def incidents(self) -> list[Incident]:
        """:func:`counterclaim.incidents.find_incidents` over the reports, each member with its whole report."""
        return [Incident(found.id, found.type, tuple(Member(self._whole(m.report.key), m.confidence)
                                                     for m in found.members))
                for found in find_incidents(self.slim)]

    def close(self) -> None:
        self._db.close()


def _fill_incidents(path: Path, incident_of: dict[str, str]) -> None:
    """Rewrite a parquet file of ``quantities`` rows with ``incident_id`` set from each row's ``event_gid``, row
    group by row group (the same groups, schema and metadata: memory holds one group). Incidents need every
    document, so they are known only after the rows were written."""
    filled = path.with_name(path.name + ".filled")
    with pq.ParquetFile(path) as source:
        schema = source.schema_arrow
        column = schema.get_field_index("incident_id")
        with pq.ParquetWriter(filled, schema, compression=COMPRESSION) as writer:
            for group in range(source.num_row_groups):
                table = source.read_row_group(group)
                ids = pa.array([incident_of.get(e) for e in table.column("event_gid").to_pylist()], pa.string())
                writer.write_table(table.set_column(column, schema.field(column), ids))
    os.replace(filled, path)


def read_annotated(path: Path) -> tuple[Any, bytes]:
    """An annotated-document file, read strictly (located errors), and its bytes."""
    with jsonio.open_input(path) as fh:
        raw = fh.read()
    try:
        return jsonio.loads(raw.decode("utf-8"), integers=INTEGER_KEYS), raw
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except jsonio.JSONProblem as exc:
        raise CorpusError(exc.located(str(path)) + "; fix the file at that place") from None


def _annotated(path: Path, doc: dict) -> tuple[dict | None, str | None]:
    """The annotated document of ``doc`` and the sha256 of its file (both None when there is none)."""
    if not path.exists():
        return None, None
    annotated, raw = read_annotated(path)
    if not isinstance(annotated, dict):
        raise CorpusError(f"{path}: not an annotated document (a JSON {type(annotated).__name__}, not an object); "
                          "check it with `counterclaim validate`")
    if annotated.get("doc_id") != doc["doc_id"] or annotated.get("text_sha256") != doc["text_sha256"]:
        raise CorpusError(f"{path}: made for another text than corpus document {doc['doc_id']} "
                          "(doc_id or text_sha256 differ); re-pull or migrate it before exporting")
    return annotated, jsonio.sha256_bytes(raw)


def _without_cyclic_gc(fn):
    """Run ``fn`` with Python's cyclic garbage collector paused. Rows are plain, acyclic dicts and lists (freed by
    reference counting alone), but the collector re-scans every live container — the buffered rows, spaCy's
    vocabulary — after each burst of allocations: about a third of the export's time at 5,000 documents."""
    @functools.wraps(fn)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


@_without_cyclic_gc
def export_dataset(layout: Layout, ont: Ontology, *, out_dir: Path | None = None, validate: bool = True,
                   progress: Progress | None = None, tx: Transaction | None = None,
                   max_shard_size: int = DEFAULT_MAX_SHARD_SIZE) -> ExportReport:
    """Write the dataset folder; see the module docstring. The silver configs are built from the project's stored
    silver annotations (``counterclaim silver build``) when it has them, and are empty otherwise. In ``tx`` if
    given (the export then reads the corpus as ``tx`` will leave it), else in a transaction of its own. A split's
    parquet is cut into shards of at most ``max_shard_size`` bytes (:mod:`counterclaim.hf.shards`)."""
    with joined(tx, layout.state_dir, "export") as tx:
        return _export(layout, ont, Path(out_dir or layout.export_dir), validate, progress, tx, max_shard_size)


def _export(layout: Layout, ont: Ontology, out_dir: Path, validate: bool, progress: Progress | None,
            tx: Transaction, max_shard_size: int = DEFAULT_MAX_SHARD_SIZE) -> ExportReport:
    corpus = BuiltCorpus.open(layout.corpus_dir, view=tx)
    silver_store = SilverStore.open_if_built(layout, view=tx)
    silver = silver_store.follow() if silver_store is not None else None
    # The card shows the manifest's version and counts, not its entry per document: not kept for the whole export.
    manifest = {key: value for key, value in corpus.manifest().items() if key != "documents"}
    annotations_dir = layout.annotations_dir
    features = ConfigFeatures(ont)
    builder = RowBuilder(ont, features)
    report = ExportReport(out_dir)
    problems: list[Problem] = []
    stats = CardContext.new_stats()
    choices = (yaml.safe_load(layout.card_choices_path.read_text(encoding="utf-8")) or {}) \
        if layout.card_choices_path.exists() else {}
    if choices.get("worked_example"):
        stats.wanted_example = (choices["worked_example"]["doc_id"], choices["worked_example"]["claim"])
    stats.research.baselines = load_baselines(layout.root)
    assignment: dict[str, str] = {}
    digests: dict[str, str] = {}  # annotation file name -> sha256, for the freshness stamp
    staging = tx.staging_dir(out_dir)
    spool_dir = tx.staging_dir(out_dir)  # rows and reports waiting for the end of the pass; not published
    writers = _Writers(staging, spool_dir, features, max_shard_size)
    reports = _ReportSpool(spool_dir / "reports.sqlite")  # every gold annotation's event reports, for the incidents
    silver_reports = _ReportSpool(spool_dir / "silver-reports.sqlite")  # and the silver ones'
    try:
        for lineno, doc in corpus.numbered_documents():
            split = assignment[doc["doc_id"]] = split_of(doc["doc_id"])
            report.documents += 1
            name = annotation_file_name(doc["doc_id"])
            annotated, digest = _annotated(annotations_dir / name, doc)
            if digest is not None:
                digests[name] = digest
            found = []
            if annotated is not None and validate:
                index = {doc["doc_id"]: doc["text_sha256"]}
                found = [Problem(str(annotations_dir / name), p, m) for p, m in document_problems(annotated, ont, index)]
                problems += found
            chosen = gold_annotation(doc, None if found else annotated)
            if chosen is not None:
                reports.add(event_reports(chosen, ont))
            silver_ann = None
            if silver is not None:
                silver_doc = silver.of(doc)
                wrong = []
                if validate:
                    index = {doc["doc_id"]: doc["text_sha256"]}
                    wrong = [Problem(str(silver.path), p, m, line=silver.line)
                             for p, m in document_problems(silver_doc, ont, index)]
                    problems += wrong
                if not wrong:
                    silver_ann = silver.annotation(silver_doc)
                    silver_reports.add(event_reports(silver_annotation(doc, silver_ann), ont))
            gold = select_gold(annotated) if annotated else None
            gold_ann = gold.annotation if gold else None
            if gold_ann is None:
                report.no_gold.append(f"{doc['doc_id']}: {gold.reason if gold else 'not annotated'}")
            for config, row in builder.rows(doc, annotated, gold_ann, gold.source if gold else "none", silver_ann):
                writers.add(config, split, row)
            if gold_ann is not None:
                stats.add(split, gold_ann, ont, doc["doc_id"], rank=lineno)
            if annotated is not None:
                stats.add_annotations(split, annotated)
            stats.add_document(split, doc)
            if progress is not None:
                progress.update(1)
        if annotations_dir.exists():
            # a file is `<doc_id>.json` (annotation_file_name): the split assignment already names every document
            report.orphans = sorted(p.name for p in annotations_dir.glob("*.json") if p.stem not in assignment)
        if report.orphans:
            shown = ", ".join(report.orphans[:10]) + (f" and {len(report.orphans) - 10} more" if len(report.orphans) > 10 else "")
            raise CorpusError(f"{len(report.orphans)} annotated document(s) without a corpus document: {shown}; "
                              "add the documents or remove the files")
        if silver is not None:
            silver.finish()
        if problems:
            raise ValidationFailed(problems)
        found_incidents = {"incidents": reports.incidents(), "silver_incidents": silver_reports.incidents()}
        for config, incidents in found_incidents.items():
            for doc_id, row in incident_rows(incidents, builder):
                writers.add(config, assignment[doc_id], row)
        fills = {config: {gid(doc_id, event_id): incident for (doc_id, event_id), incident
                          in event_incidents(found_incidents[source]).items()}
                 for config, source in INCIDENT_COLUMNS.items()}
        splits = [s for s in SPLITS if s in set(assignment.values())]
        data_files = writers.close(fills)
        report.rows = writers.counts
        context = CardContext(
            ontology=ont, features=features, manifest=manifest, splits=splits, rows=writers.counts,
            stats=stats, assignment=assignment, salt=SALT, tool_version=__version__,
            data_files=data_files, default_config=DEFAULT_CONFIG,
            no_gold=report.no_gold, example=stats.example, incidents=found_incidents["incidents"],
            silver=SilverCard.of(silver_store, found_incidents["silver_incidents"], gold_digest(layout, tx)),
            agreement=_read_if_present(layout.agreement_path), annotator_notes=choices.get("annotators") or {},
            draft_evaluation=_read_if_present(layout.draft_evaluation_path),
        )
        (staging / "README.md").write_bytes(render_card(context).encode("utf-8"))
        (staging / LICENSE_FILE).write_bytes(render_license(context).encode("utf-8"))
        stamp = freshness_stamp(layout, annotation_digests=digests, view=tx)
        (staging / STAMP).write_bytes(jsonio.dump_bytes(stamp, indent=2))
        _publish(tx, staging, out_dir)
    except BaseException:
        writers.abort()
        raise
    finally:
        reports.close()
        silver_reports.close()
    return report


def _read_if_present(path: Path) -> dict | None:
    """A committed JSON record the card shows (agreement, drafts' evaluation), or None without one."""
    return jsonio.read_json(path) if path.exists() else None


def freshness_stamp(layout: Layout, *, annotation_digests: dict[str, str] | None = None,
                    view: DiskView = DISK) -> dict:
    """Hashes of everything the export is built from: compared by `release` to tell a stale export.

    ``annotation_digests`` (file name -> sha256) are hashes already computed while reading the files; ``view``
    shows the inputs as a transaction will leave them (a release stamps the manifest it writes)."""
    inputs = (layout.documents_path, layout.manifest_path, layout.card_choices_path, layout.ontology_path,
              layout.root / BASELINES_RESULTS, layout.silver_manifest_path, layout.silver_documents_path,
              layout.agreement_path, layout.draft_evaluation_path)
    stamp = {}
    for path in inputs:
        seen = view.view(path)
        if seen is not None and seen.exists():
            stamp[_relative(layout, path)] = jsonio.sha256_file(seen)
    if layout.annotations_dir.exists():
        known = annotation_digests or {}
        for path in sorted(layout.annotations_dir.glob("*.json")):
            digest = known.get(path.name) or jsonio.sha256_file(path)
            stamp[_relative(layout, path)] = digest
    return stamp


def _relative(layout: Layout, path: Path) -> str:
    """A project file's name in the stamp, e.g. ``corpus/documents.jsonl`` (the schema may live elsewhere)."""
    try:
        return path.relative_to(layout.root).as_posix()
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def _publish(tx: Transaction, staging: Path, out_dir: Path) -> None:
    """Plan, in ``tx``, the files of ``staging`` replacing those of ``out_dir`` one by one, and the removal of the
    files (and then empty folders) that the new export no longer has. There is no moment without ``out_dir``."""
    new = {p.relative_to(staging) for p in staging.rglob("*") if p.is_file()}
    for rel in sorted(new):
        tx.adopt(out_dir / rel, staging / rel)
    if out_dir.is_dir():
        for path in sorted(out_dir.rglob("*"), key=lambda p: (-len(p.parts), p)):
            rel = path.relative_to(out_dir)
            if path.is_dir() and not path.is_symlink():
                if not any(n.parts[: len(rel.parts)] == rel.parts for n in new):
                    tx.remove_if_empty(path)
            elif rel not in new:
                tx.delete(path)
