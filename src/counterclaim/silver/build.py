"""Build ``corpus/silver/``: the engine's annotation of every corpus document, validated, and its manifest.

One streaming pass over the corpus in ``doc_id`` order: each document's text goes through
:func:`counterclaim.preannotate.propose`, the proposal becomes an annotated document
(:meth:`~counterclaim.preannotate.Proposal.document`), is validated like any annotated document, and is written
as one canonical JSON line of ``documents.jsonl`` (memory holds one document, not the corpus). The proposals of
documents with gold are kept and scored against it (:mod:`counterclaim.silver.scores`). Both files are staged and
committed in one transaction (:mod:`counterclaim.io.transaction`): a failure leaves the previous silver intact.
The same corpus, ontology and engine give the same bytes.

The manifest records the engine (name, version, the guidelines its rules follow), the inputs the annotations are a
function of (:data:`counterclaim.silver.store.INPUT_KEYS`, plus the corpus version they were made against), the
document and object counts, the sha256 of ``documents.jsonl`` and the measured scores with the digest of the gold
they were measured on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CorpusError, ValidationFailed
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.io.progress import Progress
from counterclaim.io.transaction import Transaction, joined
from counterclaim.model.ontology import Ontology
from counterclaim.model.schema import INTEGER_KEYS
from counterclaim.preannotate import ANNOTATOR, ENGINE_VERSION, Proposal, propose
from counterclaim.preannotate.engine import GUIDELINES_VERSION
from counterclaim.silver.scores import gold_document, measure
from counterclaim.silver.store import current_inputs, gold_digest
from counterclaim.validation import Problem, document_problems

ENGINE = {"name": ANNOTATOR, "version": ENGINE_VERSION, "guidelines_version": GUIDELINES_VERSION,
          "method": "rules on spaCy's blank English pipeline (tokenizer, sentencizer, matchers); no statistical "
                    "model, nothing downloaded"}
PROVENANCE = {"origin": "prediction", "annotator": ANNOTATOR, "tool": {"name": ANNOTATOR, "version": ENGINE_VERSION}}


@dataclass
class SilverReport:
    silver_dir: Path
    document_count: int = 0
    objects: Counter = field(default_factory=Counter)  # mentions, events, quantities, claims
    documents_sha256: str = ""
    documents_bytes: int = 0
    written: list[str] = field(default_factory=list)  # files whose content changed
    manifest: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"silver_dir": str(self.silver_dir), "document_count": self.document_count,
                "objects": dict(sorted(self.objects.items())), "documents_sha256": self.documents_sha256,
                "documents_bytes": self.documents_bytes, "written": self.written,
                "engine": self.manifest.get("engine"), "inputs": self.manifest.get("inputs"),
                "scores": {name: {"documents": len(group["documents"]),
                                  "layers": {layer["name"]: layer for layer in group["layers"]}}
                           for name, group in self.manifest.get("scores", {}).get("groups", {}).items()}}


def build_silver(layout: Layout, ont: Ontology, *, progress: Progress | None = None,
                 tx: Transaction | None = None) -> SilverReport:
    """Write ``corpus/silver/``; see the module docstring. In ``tx`` if given (reading the corpus as ``tx`` will
    leave it), else in a transaction of its own."""
    with joined(tx, layout.state_dir, "silver build") as tx:
        return _build(layout, ont, progress, tx)


def _gold(layout: Layout, ont: Ontology, index: dict[str, str], tx: Transaction) -> dict[str, dict]:
    """The gold of every validated annotated document, by document id (:func:`gold_document`)."""
    out, problems = {}, []
    for name in tx.listdir(layout.annotations_dir):
        path = tx.view(layout.annotations_dir / name)
        if not name.endswith(".json") or path is None:
            continue
        annotated = jsonio.read_json(path, integers=INTEGER_KEYS)
        found = document_problems(annotated, ont, index)
        if found:
            problems += [Problem(str(layout.annotations_dir / name), p, m) for p, m in found]
            continue
        gold = gold_document(annotated)
        if gold is not None:
            out[annotated["doc_id"]] = gold
    if problems:
        raise ValidationFailed(problems)
    return out


def _build(layout: Layout, ont: Ontology, progress: Progress | None, tx: Transaction) -> SilverReport:
    corpus = BuiltCorpus.open(layout.corpus_dir, view=tx)
    version = corpus.version
    index = corpus.index()
    gold = _gold(layout, ont, index, tx)
    report = SilverReport(layout.silver_dir)
    if progress is not None:
        progress.reset(total=len(index))
    target = layout.silver_documents_path
    before = tx.view(target)  # what the file holds now (staging it changes the view)
    staged = tx.stage_file(target)
    digest = hashlib.sha256()
    problems: list[Problem] = []
    documents: dict[str, dict] = {}  # of the gold documents, for the scores
    proposals: dict[str, Proposal] = {}
    with open(staged, "wb") as fh:
        for lineno, doc in enumerate(corpus.documents(), start=1):
            doc_id = doc["doc_id"]
            proposal = propose(doc["text"], ont, corpus_version=version)
            annotated = proposal.document(doc_id, doc["text"])
            problems += [Problem(str(target), p, f"the engine's proposal for {doc_id}: {m}", line=lineno)
                         for p, m in document_problems(annotated, ont, {doc_id: doc["text_sha256"]})]
            line = jsonio.dump_bytes(annotated) + b"\n"
            fh.write(line)
            digest.update(line)
            report.document_count += 1
            report.documents_bytes += len(line)
            _count(report.objects, proposal.annotation)
            if doc_id in gold:
                documents[doc_id], proposals[doc_id] = doc, proposal
            if progress is not None:
                progress.update(1)
    if problems:  # an engine bug, not a user's mistake: say so
        raise ValidationFailed(problems)
    missing = sorted(set(gold) - set(documents))
    if missing:
        raise CorpusError(f"gold annotations of documents not in the corpus: {', '.join(missing)}; "
                          "add the documents or remove the files")
    report.documents_sha256 = digest.hexdigest()
    inputs = current_inputs(layout, ENGINE_VERSION, corpus.documents(), tx)
    report.manifest = {
        "engine": ENGINE,
        "provenance": PROVENANCE,
        "inputs": {**inputs, "corpus_version": version, "ontology_version": ont.version},
        "documents_file": target.name,
        "document_count": report.document_count,
        "documents_sha256": report.documents_sha256,
        "objects": dict(sorted(report.objects.items())),
        "scores": {"gold_sha256": gold_digest(layout, tx),
                   "groups": measure(documents, gold, proposals, ontology=ont)},
    }
    _adopt_if_changed(tx, target, before, staged, report)
    manifest_bytes = jsonio.dump_bytes(report.manifest, indent=2)
    current = tx.view(layout.silver_manifest_path)
    if current is None or not current.exists() or current.read_bytes() != manifest_bytes:
        tx.write_bytes(layout.silver_manifest_path, manifest_bytes)
        report.written.append(layout.silver_manifest_path.name)
    return report


def _count(counts: Counter, ann: dict) -> None:
    counts["mentions"] += len(ann["mentions"])
    counts["events"] += len(ann["events"])
    counts["quantities"] += sum(len(e["quantities"]) for e in ann["events"])
    counts["claims"] += len(ann["claims"])


def _adopt_if_changed(tx: Transaction, target: Path, before: Path | None, staged: Path, report: SilverReport) -> None:
    if before is not None and before.exists() and jsonio.sha256_file(before) == report.documents_sha256:
        tx.discard(target)
        return
    tx.adopt(target, staged)
    report.written.append(target.name)
