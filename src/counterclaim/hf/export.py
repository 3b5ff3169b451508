"""Build ``export/``: parquet files per config and split, and the dataset card.

Streams, one split at a time: corpus documents are read one by one, their annotated document loaded, rows
serialised into a buffer per (config, split) and handed every :data:`CHUNK_BYTES` to a background thread that
converts them with Arrow and appends them to that parquet file — memory does not grow with the corpus.
Everything is written to a temporary folder beside the target and swapped in at the end, so a failed export
leaves the previous one intact. The same inputs give the same bytes.
"""

from __future__ import annotations

import ctypes
import os
import queue
import shutil
import threading
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import orjson
import yaml
import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq

from counterclaim import __version__, jsonio
from counterclaim.errors import CorpusError, ValidationFailed
from counterclaim.gold import select_gold
from counterclaim.hf.card import CardContext, render_card
from counterclaim.hf.features import ConfigFeatures
from counterclaim.hf.rows import RowBuilder
from counterclaim.hf.splits import SALT, SPLITS, split_of
from counterclaim.ontology import Ontology
from counterclaim.paths import Layout
from counterclaim.validate import Problem, document_problems
from counterclaim.validated import ValidatedFiles

CONFIGS = ("documents", "ner", "events", "claims", "annotations")
DEFAULT_CONFIG = "documents"
CHUNK_BYTES = 1 << 20  # a parquet row group holds about this many bytes of rows as JSON
BUFFERED_BYTES = 4 << 20  # at most this much JSON waits in all buffers together; then the largest is written
QUEUED = 2  # chunks waiting for the parquet thread
TRIM_EVERY = 4  # chunks between returning freed memory to the system
COMPRESSION = "snappy"  # what `datasets` itself writes; zstd is ~20% smaller and twice as slow to write
# One thread: the reader's worker threads cost more memory than the little time they save on 1 MiB chunks.
_READ_OPTIONS = pajson.ReadOptions(use_threads=False, block_size=2 * CHUNK_BYTES)  # rows are converted to Arrow in chunks of about this many bytes of JSON
# The C library's allocator: Arrow's default (mimalloc) keeps ~13 MB more resident here for no speed gain.
_POOL = pa.system_memory_pool()
STAMP = ".counterclaim-export.json"  # what the export was built from, to tell whether it is fresh


def data_file(config: str, split: str, digest: str | None = None) -> str:
    """A data file's path in the dataset folder. Final names carry a content digest: `datasets` caches a
    local dataset by its card, not by file contents, so a re-export with new data must change the card."""
    return f"{config}/{split}.parquet" if digest is None else f"{config}/{split}-{digest[:12]}.parquet"


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


class _Writers:
    """One parquet writer per (config, split). Rows are serialised to JSON lines as they come (orjson) into one
    buffer per writer; every :data:`CHUNK_BYTES` the buffer goes to a background thread that has Arrow's JSON
    reader convert it with the config's explicit schema and appends it to the parquet file. Arrow works in
    C++ without the interpreter lock, so conversion and compression overlap with building the next rows;
    memory stays bounded (at most :data:`QUEUED` chunks wait, no per-row objects are kept). One thread
    handles every file in order, so the files are the same whatever the timing."""

    def __init__(self, root: Path, features: ConfigFeatures):
        self.root = root
        self.features = features
        self.buffers: dict[tuple[str, str], bytearray] = {}
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.counts: dict[str, Counter] = {c: Counter() for c in CONFIGS}
        self.options = {c: pajson.ParseOptions(explicit_schema=features.schema(c), unexpected_field_behavior="error")
                        for c in CONFIGS}
        self.buffered = 0
        self.written = 0  # chunks written
        self.closed: list[tuple[str, str]] = []  # (config, split) of the files finished
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUED)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="counterclaim-parquet", daemon=True)
        self._thread.start()

    def add(self, config: str, split: str, row: dict) -> None:
        buf = self.buffers.get((config, split))
        if buf is None:
            buf = self.buffers[(config, split)] = bytearray()
        before = len(buf)
        buf += orjson.dumps(row)
        buf += b"\n"
        self.counts[config][split] += 1
        self.buffered += len(buf) - before
        if len(buf) >= CHUNK_BYTES:
            self._send(config, split)
        elif self.buffered > BUFFERED_BYTES:
            self._send(*max(self.buffers, key=lambda key: len(self.buffers[key])))

    def _send(self, config: str, split: str) -> None:
        buf = self.buffers[(config, split)]
        if buf:
            if self._error is not None:
                raise self._error
            self._queue.put((config, split, bytes(buf)))
            self.buffered -= len(buf)
            del buf[:]

    def end_split(self, split: str) -> None:
        """Write what is buffered for ``split`` and have its files closed (no more rows may come for it)."""
        for config in CONFIGS:
            if (config, split) in self.buffers:
                self._send(config, split)
                del self.buffers[(config, split)]
        self._queue.put((None, split, b""))

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if self._error is not None:
                continue  # drain after a failure; the error is raised in the main thread
            config, split, data = job
            if config is None:  # end of a split
                try:
                    for config in CONFIGS:
                        if (config, split) in self.writers:
                            self.writers.pop((config, split)).close()
                            self.closed.append((config, split))
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    self._error = exc
                continue
            try:
                table = pajson.read_json(pa.BufferReader(data), parse_options=self.options[config],
                                         read_options=_READ_OPTIONS, memory_pool=_POOL)
                self._writer(config, split).write_table(table.replace_schema_metadata(
                    self.features.schema(config).metadata))
                del table
                self.written += 1
                if self.written % TRIM_EVERY == 0:
                    _release_free_memory()
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                self._error = exc

    def _writer(self, config: str, split: str) -> pq.ParquetWriter:
        key = (config, split)
        if key not in self.writers:
            path = self.root / data_file(config, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[key] = pq.ParquetWriter(path, self.features.schema(config), compression=COMPRESSION,
                                                memory_pool=_POOL)
        return self.writers[key]

    def abort(self) -> None:
        """Stop the background thread (after an error in the main thread)."""
        if self._thread.is_alive():
            self._error = self._error or RuntimeError("export aborted")
            self._queue.put(None)
            self._thread.join()

    def close(self) -> dict[str, dict[str, str]]:
        """Close every file, name it by its content, and return the files per config and split.

        An empty split has no file (`datasets` cannot load a 0-row parquet split), and a config with no rows
        at all is left out of the card."""
        for split in SPLITS:
            self.end_split(split)
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        files: dict[str, dict[str, str]] = {}
        for config in CONFIGS:
            for split in SPLITS:
                if (config, split) not in self.closed:
                    continue
                temporary = self.root / data_file(config, split)
                final = data_file(config, split, jsonio.sha256_file(temporary))
                os.replace(temporary, self.root / final)
                files.setdefault(config, {})[split] = final
        return files


def _malloc_trim():
    """glibc's ``malloc_trim``, or a no-op where there is none (other C libraries, other systems)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: trim(0)


# Arrow frees its buffers to the C allocator, which keeps them; giving them back to the system every
# few chunks (:data:`TRIM_EVERY`) keeps the resident memory of a long export ~15 MB lower.
_release_free_memory = _malloc_trim()


def _annotated(path: Path, doc: dict) -> tuple[dict | None, str | None]:
    """The annotated document of ``doc`` and the sha256 of its file (both None when there is none)."""
    if not path.exists():
        return None, None
    raw = path.read_bytes()
    try:
        annotated = orjson.loads(raw)
    except ValueError:
        annotated = jsonio.read_json(path)  # raises with file, line and column
    if annotated.get("doc_id") != doc["doc_id"] or annotated.get("text_sha256") != doc["text_sha256"]:
        raise CorpusError(f"{path}: made for another text than corpus document {doc['doc_id']} "
                          "(doc_id or text_sha256 differ); re-pull or migrate it before exporting")
    return annotated, jsonio.sha256_bytes(raw)


def export_dataset(layout: Layout, ont: Ontology, *, out_dir: Path | None = None, validate: bool = True,
                   progress: Callable[[int], None] | None = None) -> ExportReport:
    """Write the dataset folder; see the module docstring."""
    out_dir = Path(out_dir or layout.export_dir)
    corpus_dir = layout.corpus_dir
    documents = corpus_dir / "documents.jsonl"
    if not documents.exists():
        raise CorpusError(f"{documents} not found; run `counterclaim corpus build` first")
    manifest = jsonio.read_json(corpus_dir / "manifest.json")
    annotations_dir = layout.annotations_dir
    features = ConfigFeatures(ont)
    builder = RowBuilder(ont, features)
    report = ExportReport(out_dir)
    problems: list[Problem] = []
    stats = CardContext.new_stats()
    card_choices = layout.corpus_dir / "card.yaml"
    if card_choices.exists():
        choice = (yaml.safe_load(card_choices.read_text(encoding="utf-8")) or {}).get("worked_example")
        if choice:
            stats.wanted_example = (choice["doc_id"], choice["claim"])
    assignment: dict[str, str] = {}
    seen_files: set[str] = set()
    validated = ValidatedFiles(layout)
    digests: dict[str, str] = {}  # annotation file name -> sha256, for the freshness stamp

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~jsonio.umask())  # mkdtemp makes it private; the dataset is not
    writers = None
    try:
        writers = _Writers(staging, features)
        # One split at a time (each split's files are finished before the next starts: fewer open files and
        # buffers); the corpus position of each document keeps reports and the card in corpus order.
        # The first split's pass reads every line and notes where the other splits' documents are.
        lines: dict[str, set[int]] = {split: set() for split in SPLITS[1:]}
        ranked_problems: list[tuple[int, list[Problem]]] = []
        no_gold: list[tuple[int, str]] = []
        for split in SPLITS:
            for lineno, doc in jsonio.iter_jsonl(documents, only=lines.get(split)):
                if split == SPLITS[0]:
                    assignment[doc["doc_id"]] = split_of(doc["doc_id"])
                    if assignment[doc["doc_id"]] != split:
                        lines[assignment[doc["doc_id"]]].add(lineno)
                        continue
                report.documents += 1
                path = annotations_dir / f"{doc['doc_id']}.json"
                seen_files.add(path.name)
                annotated, digest = _annotated(path, doc)
                if digest is not None:
                    digests[path.name] = digest
                if annotated is not None and validate and not validated.known(digest):
                    index = {doc["doc_id"]: doc["text_sha256"]}
                    found = [Problem(str(path), p, m) for p, m in document_problems(annotated, ont, index)]
                    ranked_problems.append((lineno, found))
                    if not found:
                        validated.add(digest)
                gold = select_gold(annotated) if annotated else None
                gold_ann = gold.annotation if gold else None
                if gold_ann is None:
                    no_gold.append((lineno, f"{doc['doc_id']}: {gold.reason if gold else 'not annotated'}"))
                for config, row in builder.rows(doc, annotated, gold_ann, gold.source if gold else "none"):
                    writers.add(config, split, row)
                if gold_ann is not None:
                    stats.add(split, gold_ann, ont, doc["doc_id"], rank=lineno)
                if annotated is not None:
                    stats.add_annotations(split, annotated)
                stats.documents[split] += 1
                if progress:
                    progress(1)
            writers.end_split(split)
        problems = [p for _, found in sorted(ranked_problems, key=lambda item: item[0]) for p in found]
        report.no_gold = [line for _, line in sorted(no_gold)]
        if annotations_dir.exists():
            report.orphans = sorted(p.name for p in annotations_dir.glob("*.json") if p.name not in seen_files)
        if report.orphans:
            shown = ", ".join(report.orphans[:10]) + (f" and {len(report.orphans) - 10} more" if len(report.orphans) > 10 else "")
            raise CorpusError(f"{len(report.orphans)} annotated document(s) without a corpus document: {shown}; "
                              "add the documents or remove the files")
        validated.save()
        if problems:
            raise ValidationFailed(problems)
        splits = [s for s in SPLITS if s in set(assignment.values())]
        data_files = writers.close()
        report.rows = writers.counts
        context = CardContext(
            ontology=ont, features=features, manifest=manifest, splits=splits, rows=writers.counts,
            stats=stats, assignment=assignment, salt=SALT, tool_version=__version__,
            data_files=data_files, default_config=DEFAULT_CONFIG,
            no_gold=report.no_gold, example=stats.example,
        )
        jsonio.write_text(staging / "README.md", render_card(context))
        jsonio.write_json(staging / STAMP, freshness_stamp(layout, annotation_digests=digests))
        _swap(staging, out_dir)
    except BaseException:
        if writers is not None:
            writers.abort()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def freshness_stamp(layout: Layout, *, annotation_digests: dict[str, str] | None = None) -> dict:
    """Hashes of everything the export is built from: compared by `release` to tell a stale export.

    ``annotation_digests`` (file name -> sha256) are hashes already computed while reading the files."""
    inputs = {"corpus/documents.jsonl": layout.corpus_dir / "documents.jsonl",
              "corpus/manifest.json": layout.corpus_dir / "manifest.json",
              "corpus/card.yaml": layout.corpus_dir / "card.yaml",
              "schema/ontology.yaml": layout.schema_dir / "ontology.yaml"}
    stamp = {name: jsonio.sha256_file(path) for name, path in inputs.items() if path.exists()}
    if layout.annotations_dir.exists():
        known = annotation_digests or {}
        for path in sorted(layout.annotations_dir.glob("*.json")):
            digest = known.get(path.name) or jsonio.sha256_file(path)
            stamp[f"corpus/annotations/{path.name}"] = digest
    return stamp


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` (the old folder is removed only once the new one is in place)."""
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        os.replace(out_dir, old)
        os.replace(staging, out_dir)
        shutil.rmtree(old)
    else:
        os.replace(staging, out_dir)
