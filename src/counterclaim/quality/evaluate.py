"""Scoring system output against the gold annotations: the dataset's official metric.

Pure functions over annotated documents; no I/O. :func:`evaluate` compares, document by document, the gold
annotation (:func:`counterclaim.model.selection.select_gold`) with a system's annotation of the same text, the
way :mod:`counterclaim.quality.agreement` compares two annotators — the same regions, the same one-to-one
matching (:func:`counterclaim.quality.agreement.match_regions`), the same relation comparison — with the gold
as the reference:

- **Spans** per layer (``mention``, ``event``, ``quantity``, ``claim``, ``cue``) and label: precision (of the
  system's regions, the share gold has), recall and F1, for exact and overlap matching; labelled totals, the
  span-only ("unlabelled") totals, and one row per label. Micro-averaged over documents.
- **Attributes**: accuracy over the gold/system region pairs matched by overlap, label ignored (the units
  agreement computes Krippendorff's alpha on): event ``type`` and ``realis`` (and mode, granularity), mention
  actor and type, quantity measurand and qualifier, claim stance, certainty and claimant kind, and
  ``claimant``: the claimant region (mention span, or the outlet / an actor without mention) is the gold one —
  exactly (``claimant``) or overlapping (``claimant_overlap``).
- **Relations** within matched events and claims: event arguments, claimant, asserted events and quantities,
  and claim ``links`` (supports / contests) — P/R/F1, exact and overlap.

Which documents count: every gold document (with a gold annotation) that ``doc_ids`` admits (all by default,
e.g. one split's). A gold document the system did not annotate counts as an empty prediction (all of its
regions are misses) and is listed in ``missing``; a predicted document without gold is left out and listed in
``unscored``. A predicted document must hold exactly one non-cancelled annotation and the same text as the gold.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable

from counterclaim.errors import CounterclaimError
from counterclaim.model.ontology import Ontology
from counterclaim.model.selection import select_gold
from counterclaim.quality.agreement import (
    ATTRIBUTES, LAYERS, RELATIONS, Agreement, AnnotationRegions, compare_relations, _Item, Tally, match_regions,
)

EMPTY = {"id": "empty", "provenance": {"annotator": "system"}, "mentions": [], "events": [], "claims": []}


class EvaluationError(CounterclaimError):
    """Predictions cannot be scored (several annotations of one document, another text than the gold's)."""


@dataclass(frozen=True)
class AccuracyRow:
    """Share of matched gold/system pairs whose attribute agrees (``accuracy`` None without pairs)."""

    layer: str
    attribute: str
    correct: int
    pairs: int

    @property
    def accuracy(self) -> float | None:
        return None if self.pairs == 0 else self.correct / self.pairs

    def to_dict(self) -> dict:
        return {"layer": self.layer, "attribute": self.attribute, "accuracy": self.accuracy,
                "correct": self.correct, "pairs": self.pairs}


@dataclass(frozen=True)
class EvaluationResult:
    documents: int  # gold documents scored
    missing: tuple[str, ...]  # scored gold documents without a prediction (scored as empty)
    unscored: tuple[str, ...]  # predicted documents without gold (left out)
    skipped: dict[str, dict[str, int]]  # gold / system regions or references left out for want of a span
    spans: tuple[Agreement, ...]
    attributes: tuple[AccuracyRow, ...]
    relations: tuple[Agreement, ...]

    def to_dict(self) -> dict:
        return {
            "documents": {"scored": self.documents, "missing": list(self.missing), "unscored": list(self.unscored)},
            "skipped": {who: dict(sorted(counts.items())) for who, counts in self.skipped.items()},
            "spans": [a.to_dict() for a in self.spans],
            "attributes": [a.to_dict() for a in self.attributes],
            "relations": [a.to_dict() for a in self.relations],
        }

    def span(self, layer: str) -> Agreement:
        return next(a for a in self.spans if a.name == layer)

    def relation(self, name: str) -> Agreement:
        return next(a for a in self.relations if a.name == name)

    def attribute(self, layer: str, attribute: str) -> AccuracyRow:
        return next(a for a in self.attributes if (a.layer, a.attribute) == (layer, attribute))


def _attribute(value: Callable[[_Item], Hashable]) -> Callable[[AnnotationRegions, _Item, AnnotationRegions, _Item], bool]:
    return lambda gold, g, system, s: value(g) == value(s)


def _claimant(exact: bool) -> Callable[[AnnotationRegions, _Item, AnnotationRegions, _Item], bool]:
    def agree(gold: AnnotationRegions, g: _Item, system: AnnotationRegions, s: _Item) -> bool:
        ours, theirs = gold.relations["claimant"][g.obj["id"]], system.relations["claimant"][s.obj["id"]]
        return bool(match_regions(ours, theirs, exact=exact))
    return agree


# (layer, attribute, whether a matched gold/system pair agrees): agreement's attributes, then the claimant.
CHECKS: tuple[tuple[str, str, Callable[[AnnotationRegions, _Item, AnnotationRegions, _Item], bool]], ...] = tuple(
    (layer, attr, _attribute(value)) for layer, attr, value in ATTRIBUTES
) + (("claim", "claimant", _claimant(True)), ("claim", "claimant_overlap", _claimant(False)))


def _predictions(documents: Iterable[dict]) -> dict[str, tuple[str, dict]]:
    """doc_id -> (text_sha256, the one non-cancelled annotation)."""
    out: dict[str, tuple[str, dict]] = {}
    for doc in documents:
        live = [a for a in doc["annotations"] if not a.get("cancelled")]
        if len(live) != 1:
            raise EvaluationError(
                f"predicted document `{doc['doc_id']}` has {len(live)} non-cancelled annotations; give the system's "
                "output as exactly one annotation per document")
        if doc["doc_id"] in out:
            raise EvaluationError(f"document `{doc['doc_id']}` is predicted twice; give each document once")
        out[doc["doc_id"]] = (doc["text_sha256"], live[0])
    return out


def evaluate(gold_documents: Iterable[dict], predicted_documents: Iterable[dict], *, ontology: Ontology,
             doc_ids: Callable[[str], bool] | None = None) -> EvaluationResult:
    """Score ``predicted_documents`` against the gold annotations of ``gold_documents`` (see the module doc)."""
    predictions = _predictions(predicted_documents)
    gold_by_id: dict[str, tuple[str, dict]] = {}
    for doc in gold_documents:
        gold = select_gold(doc).annotation
        if gold is not None and (doc_ids is None or doc_ids(doc["doc_id"])):
            gold_by_id[doc["doc_id"]] = (doc["text_sha256"], gold)
    skipped = {"gold": Counter(), "system": Counter()}
    spans = {layer.name: Tally(layer.name, layer.total_label, layer.by_label) for layer in LAYERS}
    relations = {name: Tally(name, label, by_label) for name, label, by_label in RELATIONS}
    checks: dict[tuple[str, str], list[int]] = {(layer, attr): [0, 0] for layer, attr, _ in CHECKS}
    missing = []
    for doc_id in sorted(gold_by_id):
        sha, gold_ann = gold_by_id[doc_id]
        if doc_id in predictions:
            predicted_sha, system_ann = predictions[doc_id]
            if predicted_sha != sha:
                raise EvaluationError(f"predicted document `{doc_id}` was made for another text than the gold "
                                      "(text_sha256 differs); predict on the corpus text")
        else:
            missing.append(doc_id)
            system_ann = EMPTY
        gold = AnnotationRegions(gold_ann, ontology, skipped["gold"])
        system = AnnotationRegions(system_ann, ontology, skipped["system"])
        for layer in LAYERS:
            spans[layer.name].count_regions(gold.regions(layer.name))
            spans[layer.name].add(gold.regions(layer.name), system.regions(layer.name))
        for name, by_id in gold.relations.items():
            for regions in by_id.values():
                relations[name].count_regions(regions)
        compare_relations(gold, system, relations)
        for layer in dict.fromkeys(layer for layer, _, _ in CHECKS):
            pairs = match_regions(gold.regions(layer), system.regions(layer), exact=False, labelled=False)
            for i, j in pairs:
                g, s = gold.items[layer][i], system.items[layer][j]
                for lay, attr, agree in CHECKS:
                    if lay == layer:
                        counts = checks[(lay, attr)]
                        counts[0] += agree(gold, g, system, s)
                        counts[1] += 1
    return EvaluationResult(
        documents=len(gold_by_id),
        missing=tuple(missing),
        unscored=tuple(sorted(set(predictions) - set(gold_by_id))),
        skipped={who: dict(counts) for who, counts in skipped.items()},
        spans=tuple(spans[layer.name].result() for layer in LAYERS),
        attributes=tuple(AccuracyRow(layer, attr, *checks[(layer, attr)]) for layer, attr, _ in CHECKS),
        relations=tuple(relations[name].result() for name, _, _ in RELATIONS),
    )
