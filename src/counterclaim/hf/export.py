"""Build ``export/``: parquet files per config and split, and the dataset card.

Streams: corpus documents are read one at a time, their annotated document loaded, rows appended to one
parquet writer per (config, split), flushed every :data:`CHUNK_BYTES` — memory does not grow with the corpus.
Everything is written to a temporary folder beside the target and swapped in at the end, so a failed export
leaves the previous one intact. The same inputs give the same bytes.
"""

from __future__ import annotations

import os
import shutil
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
CHUNK_BYTES = 1 << 20
# One thread: the reader's worker threads cost more memory than the little time they save on 1 MiB chunks.
_READ_OPTIONS = pajson.ReadOptions(use_threads=False, block_size=2 * CHUNK_BYTES)  # rows are converted to Arrow in chunks of about this many bytes of JSON
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
    reusable buffer per writer, handed to Arrow's JSON reader every :data:`CHUNK_BYTES` with the config's
    explicit schema: memory stays bounded (one buffer, no per-row objects kept) and Arrow does the heavy
    conversion in C++."""

    def __init__(self, root: Path, features: ConfigFeatures):
        self.root = root
        self.features = features
        self.buffers: dict[tuple[str, str], bytearray] = {}
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.counts: dict[str, Counter] = {c: Counter() for c in CONFIGS}
        self.options = {c: pajson.ParseOptions(explicit_schema=features.schema(c), unexpected_field_behavior="error")
                        for c in CONFIGS}

    def add(self, config: str, split: str, row: dict) -> None:
        buf = self.buffers.setdefault((config, split), bytearray())
        buf += orjson.dumps(row)
        buf += b"\n"
        self.counts[config][split] += 1
        if len(buf) >= CHUNK_BYTES:
            self._flush(config, split)

    def _writer(self, config: str, split: str) -> pq.ParquetWriter:
        key = (config, split)
        if key not in self.writers:
            path = self.root / data_file(config, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[key] = pq.ParquetWriter(path, self.features.schema(config), compression="zstd")
        return self.writers[key]

    def _flush(self, config: str, split: str) -> None:
        buf = self.buffers.get((config, split))
        if buf:
            table = pajson.read_json(pa.BufferReader(pa.py_buffer(buf)), parse_options=self.options[config],
                                     read_options=_READ_OPTIONS)
            self._writer(config, split).write_table(table.replace_schema_metadata(
                self.features.schema(config).metadata))
            del table
            del buf[:]

    def close(self) -> dict[str, dict[str, str]]:
        """Close every file, name it by its content, and return the files per config and split.

        An empty split has no file (`datasets` cannot load a 0-row parquet split), and a config with no rows
        at all is left out of the card."""
        for config, split in list(self.buffers):
            self._flush(config, split)
        files: dict[str, dict[str, str]] = {}
        for config in CONFIGS:
            for split in SPLITS:
                writer = self.writers.get((config, split))
                if writer is None:
                    continue
                writer.close()
                temporary = self.root / data_file(config, split)
                final = data_file(config, split, jsonio.sha256_bytes(temporary.read_bytes()))
                os.replace(temporary, self.root / final)
                files.setdefault(config, {})[split] = final
        return files


def _annotated(path: Path, doc: dict) -> tuple[dict | None, str | None]:
    """The annotated document of ``doc`` and the sha256 of its file (both None when there is none)."""
    if not path.exists():
        return None, None
    raw = path.read_bytes()
    try:
        annotated = jsonio.loads(raw.decode("utf-8"))
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
    try:
        writers = _Writers(staging, features)
        for _, doc in jsonio.iter_jsonl(documents):
            report.documents += 1
            split = split_of(doc["doc_id"])
            assignment[doc["doc_id"]] = split
            path = annotations_dir / f"{doc['doc_id']}.json"
            seen_files.add(path.name)
            annotated, digest = _annotated(path, doc)
            if digest is not None:
                digests[path.name] = digest
            if annotated is not None and validate and not validated.known(digest):
                index = {doc["doc_id"]: doc["text_sha256"]}
                found = [Problem(str(path), p, m) for p, m in document_problems(annotated, ont, index)]
                problems += found
                if not found:
                    validated.add(digest)
            gold = select_gold(annotated) if annotated else None
            gold_ann = gold.annotation if gold else None
            if gold_ann is None:
                report.no_gold.append(f"{doc['doc_id']}: {gold.reason if gold else 'not annotated'}")
            writers.add("documents", split, builder.document_row(doc, gold_ann, gold.source if gold else "none"))
            if gold_ann is not None:
                writers.add("ner", split, builder.ner_row(doc, gold_ann))
                for row in builder.event_rows(doc, gold_ann):
                    writers.add("events", split, row)
                for row in builder.claim_rows(doc, gold_ann):
                    writers.add("claims", split, row)
                stats.add(split, gold_ann, ont, doc["doc_id"])
            if annotated is not None:
                for row in builder.annotation_rows(doc, annotated, gold_ann["id"] if gold_ann else None):
                    writers.add("annotations", split, row)
                stats.add_annotations(split, annotated)
            stats.documents[split] += 1
            if progress:
                progress(1)
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
    stamp = {name: jsonio.sha256_bytes(path.read_bytes()) for name, path in inputs.items() if path.exists()}
    if layout.annotations_dir.exists():
        known = annotation_digests or {}
        for path in sorted(layout.annotations_dir.glob("*.json")):
            digest = known.get(path.name) or jsonio.sha256_bytes(path.read_bytes())
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
