"""Inter-annotator agreement on annotated documents: spans, per-region attributes, and links.

Pure functions over annotated documents (dicts in the schema format); no I/O, no printing. The entry point is
:func:`compute_agreement`, which returns an :class:`AgreementResult` whose ``to_dict()`` is JSON-ready.

Which annotations are compared
  Agreement measures independent passes. Cancelled annotations are left out (and counted), and so is an
  annotation flagged ground truth — the adjudicated gold, made after seeing the passes — unless
  ``include_ground_truth`` is set (e.g. when a ground-truth flag marks one of the passes themselves). When one
  annotator has several annotations of a document, only the latest counts (:mod:`counterclaim.model.selection`),
  and only annotations made by people (not an adjudication merge or a machine prediction). Every superseded
  annotation is reported. Documents that occur in several inputs with the same ``doc_id`` are merged (their
  texts must be equal). Only documents with annotations by two or more annotators are compared.

Regions
  A region is a label and a set of ``[start, end)`` spans. Layers and their labels:

  ========  ===========================================================  =============
  layer     region                                                       label
  ========  ===========================================================  =============
  mention   the mention span                                             the registry actor's type if
                                                                         ``actor`` is set, else ``type``
  event     the trigger span (events without a trigger are skipped)      event type
  quantity  the quantity span (quantities without a span are skipped)    measurand
  claim     **all** content spans of the claim, as one set of spans      ``CLAIM``
  cue       the cue span                                                 ``CUE``
  ========  ===========================================================  =============

  Two regions match *exactly* when their labels and span sets are equal; they match by *overlap* when their
  labels are equal and they share at least one character. Overlap matching is one-to-one and greedy: candidate
  pairs are taken by largest shared length, then smallest union, then list order. The unlabelled variant
  ignores the label.

Span agreement (``spans``)
  Every pair of annotators of a document is compared; the annotator whose id sorts first is the reference, so
  ``precision`` is "of the second annotator's regions, the share the first also has" (F1 does not depend on
  the order). TP/FP/FN are summed over all pairs and documents (micro-average). ``regions`` counts the regions
  of the compared annotations, each annotation once.

Attribute agreement (``attributes``)
  Krippendorff's alpha for nominal data (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability") of
  mention ``actor`` and ``type`` (the label above), event ``type``, ``mode``, ``realis`` and ``granularity``,
  quantity ``measurand`` and ``qualifier``, claim ``stance``, ``certainty`` and ``claimant_kind``.
  Units are aligned regions of one layer, matched by overlap *ignoring the label*, so a type disagreement is an
  attribute disagreement rather than two unmatched regions. With more than two annotators, regions are aligned
  incrementally: annotators in id order, each one's regions matched one-to-one (greedy, as above, scored by the
  largest overlap with any region already in the unit) to the units built so far; unmatched regions open new
  units. A unit holds at most one region per annotator; units with fewer than two values are not pairable and
  do not count. A null value (no registry actor, no mode) is a category of its own: leaving it empty is an
  annotation decision. ``alpha`` is ``None`` when there is no variation at all (expected disagreement 0), e.g.
  when every event of the corpus is an ATTACK.

  Alpha is always given with the **raw agreement** beside it (``raw_agreement``: the share of agreeing value
  pairs, what the annotators actually did) and the agreement expected by chance from how the values are
  distributed (``expected_agreement``); ``alpha = (raw - expected) / (1 - expected)``. When nearly every value
  is one category — almost every claim ``certain`` — chance agreement is nearly 1 too, and alpha is near 0
  however often the annotators agree: 33 agreeing units and one disagreeing give 97% raw agreement and alpha
  0.00 (the "kappa paradox", Feinstein & Cicchetti 1990). Read alpha with the raw figure.

Links (``links``)
  Every link of an annotation — event ``arguments`` (label: role), ``claimant`` (label: kind; the outlet, an
  unnamed source without a mention and an actor without a mention compare by key), ``co_claimants``,
  ``reported_via``, the claim's ``cue``, ``about_events``, ``about_quantities`` and ``supports_contests``
  (label: supports / contests) — is matched *by the overlap of its endpoints*: a link of claim *c* in one
  annotation matches a link of the other when their labels are equal, their source objects overlap and their
  targets overlap (:mod:`counterclaim.quality.links`). Links are matched across the whole document, not within
  matched claims, so one boundary difference on a contested claim does not zero the links to it, and a link
  whose source has no counterpart counts as a miss. Exact matching (equal labels, source spans and target
  spans) is computed as well; the table shows both, exact P/R/F1 and overlap F1, and **overlap is the
  figure to read** (the card shows it). ``pairs`` is the number of annotator pairs compared.

  The official metric (:mod:`counterclaim.quality.evaluate`) and the pre-annotation engine's self-evaluation
  still compare their relations within matched events and claims (:func:`compare_relations`, ``RELATIONS``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Callable, Hashable, Iterable, Sequence

from counterclaim.errors import CounterclaimError
from counterclaim.model.ontology import Ontology
from counterclaim.model.selection import latest_per_annotator
from counterclaim.quality.links import (LINK_KINDS, Link, annotation_links, content_spans, equal_pairs, match_links,
                                        one_to_one, span_of, spans_by_id)

Span = tuple[int, int]


class AgreementError(CounterclaimError):
    """The documents cannot be compared (e.g. one doc_id with two different texts)."""


# -- regions and matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """What is compared: a label, a set of spans and, for span-less values (an outlet claimant), a key."""

    label: str
    spans: tuple[Span, ...]
    key: str | None = None

    @property
    def length(self) -> int:
        return sum(end - start for start, end in self.spans)

    def overlap(self, other: "Region") -> int:
        """Characters the two regions share."""
        return sum(
            max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in self.spans for s2, e2 in other.spans
        )


def _identity(region: Region, labelled: bool) -> tuple:
    return (region.label if labelled else None, region.spans, region.key)


def match_regions(
    a: Sequence[Region], b: Sequence[Region], *, exact: bool, labelled: bool = True
) -> list[tuple[int, int]]:
    """One-to-one matching of ``a`` and ``b`` as sorted ``(index in a, index in b)`` pairs.

    ``exact``: equal span sets (and labels when ``labelled``). Otherwise overlap: at least one shared
    character (span-less regions: equal keys), chosen greedily by largest overlap, then smallest union.
    """
    if exact:
        return equal_pairs(a, b, lambda region: _identity(region, labelled))
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if (labelled and x.label != y.label) or x.key != y.key or bool(x.spans) != bool(y.spans):
                continue
            shared = x.overlap(y)
            if x.spans and shared <= 0:
                continue
            candidates.append((-shared, x.length + y.length - shared, i, j))
    return one_to_one(candidates)


# -- counts --------------------------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with the scores they give (None: undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


def _counts_by_label(a: Sequence[Region | Link], b: Sequence[Region | Link], pairs: list[tuple[int, int]]
                     ) -> dict[str, Counts]:
    """Per-label counts of a labelled matching (matched regions share their label)."""
    tp = Counter(a[i].label for i, _ in pairs)
    n_a = Counter(r.label for r in a)
    n_b = Counter(r.label for r in b)
    return {label: Counts(tp[label], n_b[label] - tp[label], n_a[label] - tp[label]) for label in n_a | n_b}


def _counts(a: Sequence[Region | Link], b: Sequence[Region | Link], pairs: list[tuple[int, int]]) -> Counts:
    return Counts(len(pairs), len(b) - len(pairs), len(a) - len(pairs))


@dataclass(frozen=True)
class SpanRow:
    """Agreement on the regions of one label (or of all labels)."""

    label: str
    regions: int
    exact: Counts
    overlap: Counts

    def to_dict(self) -> dict:
        return {"label": self.label, "regions": self.regions,
                "exact": self.exact.to_dict(), "overlap": self.overlap.to_dict()}


@dataclass(frozen=True)
class Agreement:
    """One layer (or relation): the labelled total, the span-only total, and one row per label."""

    name: str
    total: SpanRow
    unlabelled: SpanRow
    labels: tuple[SpanRow, ...]
    pairs: int  # annotator pairs (spans) or matched event/claim pairs (relations) compared

    def to_dict(self) -> dict:
        return {"name": self.name, "pairs": self.pairs, "total": self.total.to_dict(),
                "unlabelled": self.unlabelled.to_dict(), "labels": [row.to_dict() for row in self.labels]}


class Tally:
    """Accumulates counts of one layer, relation or kind of link over pairs; ``match`` pairs the items of two
    annotations (:func:`match_regions`, or :func:`counterclaim.quality.links.match_links` for links)."""

    def __init__(self, name: str, total_label: str, by_label: bool, match: Callable = match_regions):
        self.name, self.total_label, self.by_label, self.match = name, total_label, by_label, match
        self.exact: dict[str, Counts] = defaultdict(Counts)
        self.overlap: dict[str, Counts] = defaultdict(Counts)
        self.exact_any = Counts()
        self.overlap_any = Counts()
        self.regions: Counter[str] = Counter()
        self.pairs = 0

    def count_regions(self, regions: Iterable[Region | Link]) -> None:
        self.regions.update(r.label for r in regions)

    def add(self, a: Sequence[Region | Link], b: Sequence[Region | Link]) -> None:
        self.pairs += 1
        for label, counts in _counts_by_label(a, b, self.match(a, b, exact=True)).items():
            self.exact[label] += counts
        for label, counts in _counts_by_label(a, b, self.match(a, b, exact=False)).items():
            self.overlap[label] += counts
        self.exact_any += _counts(a, b, self.match(a, b, exact=True, labelled=False))
        self.overlap_any += _counts(a, b, self.match(a, b, exact=False, labelled=False))

    def result(self) -> Agreement:
        labels = sorted(set(self.exact) | set(self.overlap) | set(self.regions))
        rows = tuple(SpanRow(label, self.regions[label], self.exact[label], self.overlap[label]) for label in labels)
        n = sum(self.regions.values())
        total = SpanRow(self.total_label, n, sum((r.exact for r in rows), Counts()), sum((r.overlap for r in rows), Counts()))
        unlabelled = SpanRow(self.total_label, n, self.exact_any, self.overlap_any)
        return Agreement(self.name, total, unlabelled, rows if self.by_label else (), self.pairs)


# -- Krippendorff's alpha --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha (nominal) with the raw agreement it comes from and what it was computed on."""

    alpha: float | None  # None: undefined (no pairable values, or no variation at all)
    observed_agreement: float | None  # raw agreement: share of agreeing pairable value pairs; None without any
    units: int  # pairable units (two or more values)
    values: int  # pairable values
    expected_agreement: float | None = None  # the agreement chance gives with these values' distribution


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable]]) -> Alpha:
    """Alpha = 1 - D_o / D_e from the coincidence matrix; each unit lists its values (missing ones left out).

    ``o[c, k]`` sums, over units with ``m >= 2`` values, the ordered value pairs (c, k) from different coders
    weighted ``1 / (m - 1)``; ``n_c`` are its margins and ``n`` their sum. Then
    ``alpha = 1 - (n - 1) * sum_{c != k} o[c, k] / sum_{c != k} n_c * n_k``; the raw (observed) agreement is
    ``1 - sum_{c != k} o[c, k] / n`` and the expected one ``1 - sum_{c != k} n_c * n_k / (n * (n - 1))``.
    """
    o: dict[tuple, Fraction] = defaultdict(Fraction)
    pairable = 0
    for values in units:
        m = len(values)
        if m < 2:
            continue
        pairable += 1
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                o[c, k] += Fraction(n_c * (n_k - (c == k)), m - 1)
    margins: dict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _), value in o.items():
        margins[c] += value
    n = sum(margins.values(), Fraction(0))
    if n == 0:
        return Alpha(None, None, 0, 0)
    observed = sum((v for (c, k), v in o.items() if c != k), Fraction(0))
    expected = n * n - sum((m * m for m in margins.values()), Fraction(0))
    alpha = None if expected == 0 else float(1 - (n - 1) * observed / expected)
    return Alpha(alpha, float(1 - observed / n), pairable, int(n), float(1 - expected / (n * (n - 1))))


# Alpha below Krippendorff's lowest acceptable level (0.667) with raw agreement of at least 0.9: the values are
# nearly all one category, so chance agreement is high too. Tables mark such rows.
PARADOX_RAW = 0.9
PARADOX_ALPHA = 0.667


def kappa_paradox(alpha: float | None, raw: float | None) -> bool:
    """Whether a low alpha comes with high raw agreement (see the module doc)."""
    return alpha is not None and raw is not None and raw >= PARADOX_RAW and alpha < PARADOX_ALPHA


@dataclass(frozen=True)
class AttributeRow:
    layer: str
    attribute: str
    alpha: Alpha

    def to_dict(self) -> dict:
        return {"layer": self.layer, "attribute": self.attribute, "alpha": self.alpha.alpha,
                "raw_agreement": self.alpha.observed_agreement, "expected_agreement": self.alpha.expected_agreement,
                "units": self.alpha.units, "values": self.alpha.values}


def align(regions_by_annotator: Sequence[Sequence[Region]]) -> list[dict[int, int]]:
    """Units of regions from several annotators: ``{annotator index: region index}``, one region each at most.

    Annotators are taken in order; each one's regions are matched one-to-one, greedily by largest overlap
    (label ignored) with any region already in a unit, then smallest union; the rest open new units.
    """
    units: list[dict[int, int]] = []
    for who, regions in enumerate(regions_by_annotator):
        candidates = []
        for u, unit in enumerate(units):
            members = [regions_by_annotator[w][i] for w, i in unit.items()]
            for j, region in enumerate(regions):
                best = max(((region.overlap(m), -(region.length + m.length - region.overlap(m))) for m in members))
                if best[0] > 0:
                    candidates.append((-best[0], -best[1], u, j))
        candidates.sort()
        used_u: set[int] = set()
        used_j: set[int] = set()
        for _, _, u, j in candidates:
            if u not in used_u and j not in used_j:
                used_u.add(u)
                used_j.add(j)
                units[u][who] = j
        units.extend({who: j} for j in range(len(regions)) if j not in used_j)
    return units


# -- reading annotations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    region: Region
    obj: dict




def _mention_label(mention: dict, ont: Ontology) -> str:
    actor = ont.actor_by_id.get(mention.get("actor") or "")
    return actor.type if actor is not None else (mention.get("type") or "unknown")


def _mentions(ann: dict, ont: Ontology) -> Iterable[tuple[tuple[Span, ...] | None, str, dict]]:
    for m in ann["mentions"]:
        yield span_of(m["span"]), _mention_label(m, ont), m


def _events(ann: dict, ont: Ontology):
    for ev in ann["events"]:
        yield span_of(ev.get("trigger")), ev["type"], ev


def _quantities(ann: dict, ont: Ontology):
    for ev in ann["events"]:
        for q in ev["quantities"]:
            yield span_of(q.get("span")), q["measurand"], q


def _claims(ann: dict, ont: Ontology):
    for c in ann["claims"]:
        yield content_spans(c), "CLAIM", c


def _cues(ann: dict, ont: Ontology):
    for c in ann["claims"]:
        if c.get("cue") is not None:
            yield span_of(c["cue"]), "CUE", c


@dataclass(frozen=True)
class Layer:
    name: str
    total_label: str  # the label of the layer's total row
    by_label: bool  # whether per-label rows are reported
    extract: Callable[[dict, Ontology], Iterable[tuple[tuple[Span, ...] | None, str, dict]]]
    unspanned: str | None = None  # the `skipped` key for regions without a span


LAYERS: tuple[Layer, ...] = (
    Layer("mention", "ACTOR", True, _mentions),
    Layer("event", "EVENT", True, _events, "events_without_trigger"),
    Layer("quantity", "QUANTITY", True, _quantities, "quantities_without_span"),
    Layer("claim", "CLAIM", False, _claims),
    Layer("cue", "CUE", False, _cues),
)

# (layer, attribute, value of an aligned region)
ATTRIBUTES: tuple[tuple[str, str, Callable[[_Item], Hashable]], ...] = (
    ("mention", "actor", lambda it: it.obj.get("actor")),
    ("mention", "type", lambda it: it.region.label),
    ("event", "type", lambda it: it.obj["type"]),
    ("event", "mode", lambda it: it.obj.get("mode")),
    ("event", "realis", lambda it: it.obj["realis"]),
    ("event", "granularity", lambda it: it.obj["granularity"]),
    ("quantity", "measurand", lambda it: it.obj["measurand"]),
    ("quantity", "qualifier", lambda it: it.obj["qualifier"]),
    ("claim", "stance", lambda it: it.obj["stance"]),
    ("claim", "certainty", lambda it: it.obj["certainty"]),
    ("claim", "claimant_kind", lambda it: it.obj["claimant"]["kind"]),
)

# (relation, label of its total row, per-label rows)
RELATIONS: tuple[tuple[str, str, bool], ...] = (
    ("arguments", "ARGUMENT", True),
    ("claimant", "CLAIMANT", True),
    ("about_events", "EVENT", False),
    ("about_quantities", "QUANTITY", False),
    ("links", "LINK", True),
)


class AnnotationRegions:
    """One annotation's regions per layer, and (unless ``relations`` is false) the relation regions of its events
    and claims."""

    def __init__(self, ann: dict, ont: Ontology, skipped: Counter, *, relations: bool = True):
        self.id = ann["id"]
        self.annotator = ann["provenance"]["annotator"]
        self.skipped = skipped
        self.items: dict[str, list[_Item]] = {}
        for layer in LAYERS:
            items = []
            for spans, label, obj in layer.extract(ann, ont):
                if spans is None:
                    skipped[layer.unspanned] += 1
                else:
                    items.append(_Item(Region(label, spans), obj))
            self.items[layer.name] = items
        self.spans = spans_by_id(ann)
        # relation -> id of the event or claim -> its regions (references without a span are left out)
        self.relations: dict[str, dict[str, list[Region]]] = {name: {} for name, _, _ in RELATIONS}
        if not relations:
            return
        for item in self.items["event"]:
            ev = item.obj
            self.relations["arguments"][ev["id"]] = [
                Region(arg["role"], span_of(arg["span"])) if "span" in arg
                else self._resolve(arg["role"], arg.get("mention") or arg["event"], "arguments_to_events_without_trigger")
                for arg in ev["arguments"]
            ]
        for item in self.items["claim"]:
            c = item.obj
            claimant = c["claimant"]
            self.relations["claimant"][c["id"]] = [
                Region(claimant["kind"], self.spans[claimant["mention"]]) if claimant.get("mention")
                else Region(claimant["kind"], (), claimant.get("actor") or claimant["kind"])
            ] + [Region("co_claimant", self.spans[s["mention"]]) if s.get("mention")
                 else Region("co_claimant", (), s.get("actor")) for s in c.get("co_claimants", [])]
            self.relations["about_events"][c["id"]] = [
                self._resolve("EVENT", ref, "about_events_without_trigger") for ref in c["about"]["events"]
            ]
            self.relations["about_quantities"][c["id"]] = [
                self._resolve("QUANTITY", ref, "about_quantities_without_span") for ref in c["about"]["quantities"]
            ]
            self.relations["links"][c["id"]] = [Region(link["type"], self.spans[link["claim"]]) for link in c["links"]]
        for by_id in self.relations.values():
            for key, regions in by_id.items():
                by_id[key] = [r for r in regions if r is not None]

    def _resolve(self, label: str, ref: str, what: str) -> Region | None:
        spans = self.spans.get(ref)
        if spans is None:
            self.skipped[what] += 1
            return None
        return Region(label, spans)

    def regions(self, layer: str) -> list[Region]:
        return [item.region for item in self.items[layer]]


# -- choosing the annotations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Superseded:
    """An annotator with several annotations of one document: the one kept and the ones left out."""

    doc_id: str
    annotator: str
    kept: str
    dropped: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "annotator": self.annotator, "kept": self.kept, "dropped": list(self.dropped)}


# -- the result ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementResult:
    documents: int  # documents read (after merging equal doc_ids)
    compared: int  # documents with two or more annotators
    annotators: tuple[str, ...]  # annotators of the compared documents
    pairs: int  # (document, annotator pair) comparisons
    annotations: int  # annotations compared
    cancelled: int  # cancelled annotations left out
    superseded: tuple[Superseded, ...]
    skipped: dict[str, int]  # regions or references left out because they have no span
    spans: tuple[Agreement, ...]
    attributes: tuple[AttributeRow, ...]
    links: tuple[Agreement, ...]
    ground_truth: int = 0  # annotations flagged ground truth left out (gold, not an independent pass)

    def span(self, layer: str) -> Agreement:
        return next(a for a in self.spans if a.name == layer)

    def link(self, name: str) -> Agreement:
        return next(a for a in self.links if a.name == name)

    def attribute(self, layer: str, attribute: str) -> AttributeRow:
        return next(a for a in self.attributes if (a.layer, a.attribute) == (layer, attribute))

    def to_dict(self) -> dict:
        return {
            "documents": {"read": self.documents, "compared": self.compared},
            "annotators": list(self.annotators),
            "pairs": self.pairs,
            "annotations": {"compared": self.annotations, "cancelled": self.cancelled,
                            "ground_truth": self.ground_truth,
                            "superseded": sum(len(s.dropped) for s in self.superseded)},
            "superseded": [s.to_dict() for s in self.superseded],
            "skipped": dict(sorted(self.skipped.items())),
            "spans": [a.to_dict() for a in self.spans],
            "attributes": [a.to_dict() for a in self.attributes],
            "links": [a.to_dict() for a in self.links],
        }


def _merge(documents: Iterable[dict]) -> dict[str, dict]:
    merged: dict[str, dict] = {}
    for doc in documents:
        doc_id = doc["doc_id"]
        if doc_id not in merged:
            merged[doc_id] = {"text_sha256": doc["text_sha256"], "annotations": list(doc["annotations"])}
        elif merged[doc_id]["text_sha256"] != doc["text_sha256"]:
            raise AgreementError(
                f"document `{doc_id}` is given twice with different texts; compare annotations of one text version "
                "(re-pull or migrate the older file)"
            )
        else:
            merged[doc_id]["annotations"].extend(doc["annotations"])
    return merged


def _is_ground_truth(ann: dict) -> bool:
    return bool(ann.get("ground_truth")) and not ann.get("cancelled")


def compute_agreement(documents: Iterable[dict], *, ontology: Ontology, include_ground_truth: bool = False
                      ) -> AgreementResult:
    """Agreement between the annotators of ``documents`` (valid annotated documents); see the module doc.

    Annotations flagged ground truth are left out (and counted) unless ``include_ground_truth``."""
    merged = _merge(documents)
    cancelled = ground_truth = 0
    superseded: list[Superseded] = []
    skipped: Counter[str] = Counter()
    annotators: set[str] = set()
    n_pairs = n_annotations = compared = 0
    spans = {layer.name: Tally(layer.name, layer.total_label, layer.by_label) for layer in LAYERS}
    links = {kind.name: Tally(kind.name, kind.total_label, kind.by_label, match_links) for kind in LINK_KINDS}
    units: dict[str, list[list[Hashable]]] = {f"{layer}.{attr}": [] for layer, attr, _ in ATTRIBUTES}

    for doc_id in sorted(merged):
        annotations = merged[doc_id]["annotations"]
        cancelled += sum(1 for ann in annotations if ann.get("cancelled"))
        if not include_ground_truth:
            ground_truth += sum(1 for ann in annotations if _is_ground_truth(ann))
            annotations = [ann for ann in annotations if not _is_ground_truth(ann)]
        by_annotator = latest_per_annotator(annotations)
        if len(by_annotator) < 2:
            continue
        compared += 1
        chosen, chosen_links = [], []
        for annotator, latest in by_annotator.items():
            if latest.superseded:
                superseded.append(Superseded(doc_id, annotator, latest.annotation["id"],
                                             tuple(a["id"] for a in latest.superseded)))
            chosen.append(AnnotationRegions(latest.annotation, ontology, skipped, relations=False))
            chosen_links.append(annotation_links(latest.annotation, skipped))
        annotators.update(by_annotator)
        n_annotations += len(chosen)

        for ann, ann_links in zip(chosen, chosen_links):
            for layer in LAYERS:
                spans[layer.name].count_regions(ann.regions(layer.name))
            for name, found in ann_links.items():
                links[name].count_regions(found)
        for (a, a_links), (b, b_links) in combinations(list(zip(chosen, chosen_links)), 2):
            n_pairs += 1
            for layer in LAYERS:
                spans[layer.name].add(a.regions(layer.name), b.regions(layer.name))
            for name in links:
                links[name].add(a_links[name], b_links[name])

        for layer in dict.fromkeys(layer for layer, _, _ in ATTRIBUTES):
            for unit in align([ann.regions(layer) for ann in chosen]):
                items = [chosen[who].items[layer][j] for who, j in sorted(unit.items())]
                for lay, attr, value in ATTRIBUTES:
                    if lay == layer:
                        units[f"{lay}.{attr}"].append([value(item) for item in items])

    return AgreementResult(
        documents=len(merged),
        compared=compared,
        annotators=tuple(sorted(annotators)),
        pairs=n_pairs,
        annotations=n_annotations,
        cancelled=cancelled,
        superseded=tuple(superseded),
        skipped=dict(skipped),
        spans=tuple(spans[layer.name].result() for layer in LAYERS),
        attributes=tuple(
            AttributeRow(layer, attr, krippendorff_alpha_nominal(units[f"{layer}.{attr}"]))
            for layer, attr, _ in ATTRIBUTES
        ),
        links=tuple(links[kind.name].result() for kind in LINK_KINDS),
        ground_truth=ground_truth,
    )


def compare_relations(
    a: AnnotationRegions, b: AnnotationRegions, relations: dict[str, Tally]
) -> dict[str, list[tuple[int, int]]]:
    """Relations within the events and claims the two annotators share (overlap, label ignored).

    Returns the matched ``(index in a, index in b)`` pairs of the ``event`` and ``claim`` layers, so a caller
    can tell which events and claims had no counterpart."""
    matched = {}
    for layer, names in (("event", ("arguments",)), ("claim", ("claimant", "about_events", "about_quantities", "links"))):
        items_a, items_b = a.items[layer], b.items[layer]
        matched[layer] = match_regions(a.regions(layer), b.regions(layer), exact=False, labelled=False)
        for i, j in matched[layer]:
            id_a, id_b = items_a[i].obj["id"], items_b[j].obj["id"]
            for name in names:
                relations[name].add(a.relations[name][id_a], b.relations[name][id_b])
    return matched
