"""How close the proposals come to gold annotations: per layer, per link, per attribute and per rule.

Regions, matching and relation comparison are :mod:`counterclaim.quality.agreement`'s, with the gold annotation as the
reference (``a``) and the proposal as the annotation compared (``b``), so precision is "of the proposed
regions, the share gold has" and recall "of the gold regions, the share proposed". Counts are summed over
documents (micro-average).

- **layers** (mention, event, quantity, claim, cue): span P/R/F1 with exact matching (equal spans) and
  overlap matching (one shared character, one-to-one), label ignored; ``labelled`` adds agreement's label
  (mention: actor type, event: type, quantity: measurand) to the overlap match.
- **links**: agreement's relations (event arguments with their role, claimant, about events, about
  quantities, claim links) plus the claim's cue and ``reported_via`` and the event's quantities, time and
  place. A link is matched when its source events or claims match by overlap and its targets match (exact or
  overlap, role included). Scores are end to end: links of events or claims that found no counterpart count
  as missed or spurious.
- **attributes**: accuracy of each of agreement's attributes (actor, event type, mode, realis, granularity,
  measurand, qualifier, stance, certainty, claimant kind) and of the quantity's value, over regions matched by
  overlap with the label ignored.
- **rules**: per rule, how many of its objects match a gold region by overlap, and how many of its links
  join a matched event or claim to an overlapping target of a gold link of the same relation (and role):
  its precision, from which :data:`~counterclaim.preannotate.rules.RULES` takes its confidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Mapping

from counterclaim.quality.agreement import ATTRIBUTES, LAYERS, AnnotationRegions, Counts, Region, RELATIONS, Tally, \
    compare_relations, match_regions
from counterclaim.model.ontology import Ontology
from counterclaim.preannotate.engine import Proposal
from counterclaim.preannotate.errors import EvaluationError
from counterclaim.preannotate.rules import RULES, calibrated_confidence

# Links agreement does not compare, by the layer of their source: name -> regions of one event or claim.
_Extra = Callable[[dict, AnnotationRegions], list[Region]]


def _span(span: dict | None) -> tuple[tuple[int, int], ...]:
    return () if span is None else ((span["start"], span["end"]),)


EXTRA_LINKS: dict[str, tuple[str, _Extra]] = {
    "cue": ("claim", lambda c, ann: [Region("CUE", _span(c["cue"]))] if c.get("cue") else []),
    "reported_via": ("claim", lambda c, ann: [Region("SOURCE", ann.spans[src["mention"]])
                                              for src in c["reported_via"] if src.get("mention")]),
    "quantities": ("event", lambda ev, ann: [Region("QUANTITY", _span(q["span"])) for q in ev["quantities"] if q.get("span")]),
    "time": ("event", lambda ev, ann: [Region("TIME", _span(ev["time"]["span"]))] if (ev.get("time") or {}).get("span") else []),
    "place": ("event", lambda ev, ann: [Region("PLACE", _span(ev["place"]["span"]))] if (ev.get("place") or {}).get("span") else []),
}
_AGREEMENT_LINKS = {"arguments": "event", "claimant": "claim", "about_events": "claim", "about_quantities": "claim",
                    "links": "claim"}
LINK_NAMES = (*(name for name, _, _ in RELATIONS), *EXTRA_LINKS)

# Attributes beyond agreement's: (layer, attribute, value of a matched item).
EXTRA_ATTRIBUTES: tuple[tuple[str, str, Callable], ...] = (
    ("quantity", "value", lambda it: (it.obj.get("value"), it.obj.get("low"), it.obj.get("high"))),
)


@dataclass(frozen=True)
class LayerScore:
    name: str
    gold: int
    predicted: int
    exact: Counts
    overlap: Counts
    labelled: Counts  # overlap matching with agreement's label

    def to_dict(self) -> dict:
        return {"name": self.name, "gold": self.gold, "predicted": self.predicted, "exact": self.exact.to_dict(),
                "overlap": self.overlap.to_dict(), "labelled_overlap": self.labelled.to_dict()}


@dataclass(frozen=True)
class LinkScore:
    name: str
    gold: int
    predicted: int
    exact: Counts  # end to end
    overlap: Counts
    matched_sources: int  # matched event or claim pairs the links were compared within

    def to_dict(self) -> dict:
        return {"name": self.name, "gold": self.gold, "predicted": self.predicted, "exact": self.exact.to_dict(),
                "overlap": self.overlap.to_dict(), "matched_sources": self.matched_sources}


@dataclass(frozen=True)
class AttributeScore:
    layer: str
    attribute: str
    compared: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return None if self.compared == 0 else self.correct / self.compared

    def to_dict(self) -> dict:
        return {"layer": self.layer, "attribute": self.attribute, "compared": self.compared,
                "correct": self.correct, "accuracy": self.accuracy}


@dataclass(frozen=True)
class RuleScore:
    rule: str
    layer: str
    proposed: int
    matched: int

    @property
    def precision(self) -> float | None:
        return None if self.proposed == 0 else self.matched / self.proposed

    def to_dict(self) -> dict:
        return {"rule": self.rule, "layer": self.layer, "proposed": self.proposed, "matched": self.matched,
                "precision": self.precision}


@dataclass(frozen=True)
class EvaluationResult:
    documents: tuple[str, ...]
    layers: tuple[LayerScore, ...]
    links: tuple[LinkScore, ...]
    attributes: tuple[AttributeScore, ...]
    rules: tuple[RuleScore, ...]

    def layer(self, name: str) -> LayerScore:
        return next(s for s in self.layers if s.name == name)

    def link(self, name: str) -> LinkScore:
        return next(s for s in self.links if s.name == name)

    def to_dict(self) -> dict:
        return {"documents": list(self.documents), "layers": [s.to_dict() for s in self.layers],
                "links": [s.to_dict() for s in self.links], "attributes": [s.to_dict() for s in self.attributes],
                "rules": [s.to_dict() for s in self.rules]}


_OBJECT_LAYERS = ("mention", "event", "quantity", "claim")


def measured_confidences(result: EvaluationResult) -> dict[str, float]:
    """Every rule's confidence as ``result`` measures it (:func:`~counterclaim.preannotate.rules.calibrated_confidence`
    of its proposals and matches): a rule of objects by its objects (a claim rule's cue links do not count), a
    rule of links by all its links. :data:`~counterclaim.preannotate.rules.RULES` holds these figures for the
    development documents; recompute them after changing a rule."""
    counts: dict[str, tuple[int, int]] = {}
    for row in result.rules:
        rule = RULES.get(row.rule)
        if rule is None:
            continue
        if (row.layer == rule.layer) if rule.layer in _OBJECT_LAYERS else row.layer.startswith("link:"):
            proposed, matched = counts.get(row.rule, (0, 0))
            counts[row.rule] = (proposed + row.proposed, matched + row.matched)
    return {name: calibrated_confidence(*counts.get(name, (0, 0))) for name in RULES}


def gold_annotation(doc: dict) -> dict:
    """The document's ground-truth annotation."""
    found = [ann for ann in doc["annotations"] if ann.get("ground_truth") and not ann.get("cancelled")]
    if not found:
        raise EvaluationError(
            f"document `{doc['doc_id']}` has no ground-truth annotation; evaluate against gold documents "
            "(corpus/annotations/) or mark the reference annotation with ground_truth"
        )
    return found[0]


def _end_to_end(within: Counts, gold: int, predicted: int) -> Counts:
    return Counts(within.tp, predicted - within.tp, gold - within.tp)


def evaluate(gold_docs: Iterable[dict], predicted: Mapping[str, Proposal], *, ontology: Ontology) -> EvaluationResult:
    """Score the proposals in ``predicted`` (by doc_id) against the gold annotations of ``gold_docs``."""
    skipped: Counter = Counter()
    layer_tallies = {layer.name: Tally(layer.name, layer.total_label, layer.by_label) for layer in LAYERS}
    link_tallies = {name: Tally(name, name.upper(), True) for name in LINK_NAMES}
    totals: dict[str, Counter] = {"gold": Counter(), "predicted": Counter()}
    matched_sources: Counter = Counter()
    attributes: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    rules: dict[str, list] = {}
    documents = []
    for doc in gold_docs:
        doc_id = doc["doc_id"]
        if doc_id not in predicted:
            raise EvaluationError(f"no proposal for document `{doc_id}`; propose one or leave the document out")
        documents.append(doc_id)
        proposal = predicted[doc_id]
        gold = AnnotationRegions(gold_annotation(doc), ontology, skipped)
        pred = AnnotationRegions(proposal.annotation, ontology, skipped)
        for layer in LAYERS:
            layer_tallies[layer.name].add(gold.regions(layer.name), pred.regions(layer.name))
        matched = compare_relations(gold, pred, link_tallies)
        for name, (layer, regions_of) in EXTRA_LINKS.items():
            for i, j in matched[layer]:
                link_tallies[name].add(regions_of(gold.items[layer][i].obj, gold),
                                       regions_of(pred.items[layer][j].obj, pred))
        for name in LINK_NAMES:
            layer, regions_of = EXTRA_LINKS.get(name, (_AGREEMENT_LINKS.get(name), None))
            matched_sources[name] += len(matched[layer])
            for side, ann in (("gold", gold), ("predicted", pred)):
                for item in ann.items[layer]:
                    found = regions_of(item.obj, ann) if regions_of else ann.relations[name][item.obj["id"]]
                    totals[side][name] += len(found)
        _score_attributes(gold, pred, attributes)
        _score_rules(gold, pred, proposal, rules)
        _score_link_rules(gold, pred, proposal, matched, rules)
    layers = []
    for name, tally in layer_tallies.items():
        result = tally.result()
        layers.append(LayerScore(name, result.unlabelled.exact.tp + result.unlabelled.exact.fn,
                                 result.unlabelled.exact.tp + result.unlabelled.exact.fp,
                                 result.unlabelled.exact, result.unlabelled.overlap, result.total.overlap))
    links = []
    for name, tally in link_tallies.items():
        result = tally.result()
        gold_n, pred_n = totals["gold"][name], totals["predicted"][name]
        links.append(LinkScore(name, gold_n, pred_n, _end_to_end(result.total.exact, gold_n, pred_n),
                               _end_to_end(result.total.overlap, gold_n, pred_n), matched_sources[name]))
    return EvaluationResult(
        documents=tuple(documents),
        layers=tuple(layers),
        links=tuple(links),
        attributes=tuple(AttributeScore(layer, attr, *counts) for (layer, attr), counts in attributes.items()),
        rules=tuple(sorted((RuleScore(rule, layer, n, m) for (rule, layer), (n, m) in rules.items()),
                           key=lambda r: (r.layer, r.rule))),
    )


def _score_attributes(gold: AnnotationRegions, pred: AnnotationRegions, scores: dict) -> None:
    by_layer: dict[str, list[tuple[str, Callable[..., Hashable]]]] = defaultdict(list)
    for layer, attr, value in (*ATTRIBUTES, *EXTRA_ATTRIBUTES):
        by_layer[layer].append((attr, value))
    for layer, attrs in by_layer.items():
        for i, j in match_regions(gold.regions(layer), pred.regions(layer), exact=False, labelled=False):
            for attr, value in attrs:
                counts = scores[layer, attr]
                counts[0] += 1
                counts[1] += value(gold.items[layer][i]) == value(pred.items[layer][j])


def _score_rules(gold: AnnotationRegions, pred: AnnotationRegions, proposal: Proposal, rules: dict) -> None:
    for layer in ("mention", "event", "quantity", "claim"):
        hits = {j for _, j in match_regions(gold.regions(layer), pred.regions(layer), exact=False, labelled=False)}
        for j, item in enumerate(pred.items[layer]):
            entry = rules.setdefault((proposal.objects[item.obj["id"]].rule, layer), [0, 0])
            entry[0] += 1
            entry[1] += j in hits


def _gold_targets(gold: AnnotationRegions, obj: dict, relation: str) -> list[Region]:
    """The gold regions a proposed link with ``relation`` may match, from the matched gold event or claim."""
    if relation.startswith("argument:"):
        role = relation.split(":", 1)[1]
        return [r for r in gold.relations["arguments"][obj["id"]] if r.label == role]
    if relation in ("supports", "contests"):
        return [r for r in gold.relations["links"][obj["id"]] if r.label == relation]
    if relation == "about":
        return gold.relations["about_events"][obj["id"]] + gold.relations["about_quantities"][obj["id"]]
    if relation == "claimant":
        return [r for r in gold.relations["claimant"][obj["id"]] if r.label != "co_claimant"]
    if relation == "co_claimant":
        return [r for r in gold.relations["claimant"][obj["id"]] if r.label == "co_claimant"]
    layer, regions_of = EXTRA_LINKS["quantities" if relation == "quantity" else relation]
    return regions_of(obj, gold)


def _score_link_rules(gold: AnnotationRegions, pred: AnnotationRegions, proposal: Proposal,
                      matched: dict[str, list[tuple[int, int]]], rules: dict) -> None:
    """Per link rule: proposed links, and those whose source matches a gold event or claim that has a link
    of the same relation (and role) to an overlapping target."""
    counterpart = {pred.items[layer][j].obj["id"]: gold.items[layer][i].obj
                   for layer in ("event", "claim") for i, j in matched[layer]}
    for link in proposal.links:
        entry = rules.setdefault((link.rule, f"link:{link.relation.split(':', 1)[0]}"), [0, 0])
        entry[0] += 1
        source = counterpart.get(link.source)
        if source is None:
            continue
        if link.target in ("outlet", "unnamed"):  # a claimant without a mention
            target = Region(link.target, (), link.target)
        elif link.target in pred.spans:
            target = Region("", pred.spans[link.target] or ())
        else:
            start, end = map(int, link.target.split(":"))
            target = Region("", ((start, end),))
        entry[1] += any(target.key == r.key and (target.overlap(r) > 0 or (not target.spans and not r.spans))
                        for r in _gold_targets(gold, source, link.relation))
