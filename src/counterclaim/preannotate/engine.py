"""The pre-annotation entry point: a document's text in, a proposed annotation with its evidence out.

:func:`propose` runs the rule layers in order — mentions, times, places, quantities, events, claims, then
links — and :func:`assemble` writes the result in the schema's annotation format, giving ids in text order
(``m1``..., ``e1``..., ``q1``..., ``c1``...). Beside the annotation, a :class:`Proposal` names for every
object and every link the rule that produced it and that rule's confidence. Pure: no I/O, no printing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate.claims import find_claims
from counterclaim.preannotate.events import drop_reported_accusations, find_events
from counterclaim.preannotate.links import link_claims, link_events, relate_claims
from counterclaim.preannotate.mentions import find_mentions
from counterclaim.preannotate.model import Claim, Event, Mention, Place, Quantity, TimeExpr
from counterclaim.preannotate.pipeline import Parsed, parse
from counterclaim.preannotate.quantities import find_quantities
from counterclaim.preannotate.rules import RULES
from counterclaim.preannotate.timeplace import find_places, find_times

ENGINE_VERSION = "0.2.0"
ANNOTATOR = "counterclaim-preannotate"
ANNOTATION_ID = "preannotate"
GUIDELINES_VERSION = "0.2.0"  # the guidelines whose decision rules the engine encodes


@dataclass(frozen=True)
class Evidence:
    """Why the engine proposes an object: the rule that found it and that rule's confidence."""

    rule: str
    confidence: float

    def to_dict(self) -> dict:
        return {"rule": self.rule, "confidence": self.confidence}


@dataclass(frozen=True)
class LinkEvidence:
    """Why the engine proposes a link: ``source`` -> ``target`` with ``relation`` (``argument:attacker``,
    ``claimant``, ``co_claimant``, ``cue``, ``about``, ``quantity``, ``time``, ``place``, ``reported_via``,
    ``supports``...). ``target`` is an object id, ``"start:end"`` for a text span (a cue, a time, a span
    argument), or ``outlet`` / ``unnamed`` for a claimant without a mention."""

    source: str
    relation: str
    target: str
    rule: str
    confidence: float

    def to_dict(self) -> dict:
        return {"source": self.source, "relation": self.relation, "target": self.target, "rule": self.rule,
                "confidence": self.confidence}


@dataclass(frozen=True)
class Proposal:
    """A proposed annotation (the schema's ``annotations[]`` item) with the evidence for each part."""

    annotation: dict
    objects: dict[str, Evidence]  # mention, event, quantity and claim ids
    links: tuple[LinkEvidence, ...]

    def to_dict(self) -> dict:
        return {"annotation": self.annotation,
                "evidence": {"objects": {k: v.to_dict() for k, v in self.objects.items()},
                             "links": [link.to_dict() for link in self.links]}}

    def document(self, doc_id: str, text: str) -> dict:
        """The annotated document holding this proposal, ready for ``document_problems``."""
        prov = self.annotation["provenance"]
        return {"schema_version": prov["schema_version"], "doc_id": doc_id,
                "corpus_version": prov["corpus_version"], "text": text,
                "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "annotations": [self.annotation]}


_RESIDUE_WORDS = 4  # words a line needs to be taken for a scraped heading
_RESIDUE_CAPITALISED = 0.6  # share of capitalised words that makes a line a heading or caption


def residue(p: Parsed) -> set[int]:
    """Tokens of scraped residue: lines after the headline without final punctuation whose words are mostly
    capitalised — related-article headlines, name captions, truncated bylines ("With Naval Strikes into Syria,
    Russia Is Now Messaging with Missiles", "Egyptian Foreign Minister Sameh Shoukry"). The guidelines: residue is
    annotated only when it makes a claim of its own, and a related article's headline is not annotated."""
    tokens: set[int] = set()
    for first, last in p.sents[1:]:
        words = [k for k in range(first, last) if p.alphas[k]]
        ends = [p.texts[k] for k in range(first, last) if not p.spaces[k]]
        if len(words) >= _RESIDUE_WORDS and ends and ends[-1] not in (".", "!", "?", "”", "’", '"') \
                and sum(p.titles[k] or p.texts[k].isupper() for k in words) >= _RESIDUE_CAPITALISED * len(words):
            tokens.update(range(first, last))
    return tokens


def propose(text: str, ontology: Ontology, *, corpus_version: str) -> Proposal:
    """Pre-annotate one document's text (title included, as in the corpus)."""
    p = parse(text, ontology)
    skip = residue(p)
    mentions = [m for m in find_mentions(p, ontology) if m.start not in skip]
    visible = [m for m in mentions if not m.hidden]
    times = find_times(p)
    places = find_places(p, [m for m in visible if not m.weak])
    quantities = find_quantities(p, times)
    events = [ev for ev in find_events(p, ontology, visible, times) if ev.start not in skip]
    claims = find_claims(p, ontology, mentions, times, events, quantities)
    events = drop_reported_accusations(events, claims)
    attached = link_events(p, ontology, events, visible, quantities, times, places)
    link_claims(claims, events, attached)
    relate_claims(ontology, claims)
    kept = [m for m in mentions if not m.hidden and (not m.weak or m.used)]
    _without_counts(p, kept, attached)
    return assemble(p, ontology, kept, events, claims, corpus_version=corpus_version)


def _without_counts(p: Parsed, mentions: list[Mention], quantities: list[Quantity]) -> None:
    """A number annotated as a quantity is not part of the mention it counts (R2: "22 of his fighters" -> "his
    fighters", "more than a dozen other nations" -> "other nations")."""
    ends = {q.start: q.end for q in quantities}
    for m in mentions:
        end = ends.get(m.start)
        if end is not None and end < m.end:
            m.start = end + (p.lower(end) == "of" and end + 1 < m.end)


class _Writer:
    """Turns the rules' objects into schema dicts, recording the evidence of each object and link."""

    def __init__(self, p: Parsed):
        self.p = p
        self.ids: dict[int, str] = {}
        self.objects: dict[str, Evidence] = {}
        self.links: list[LinkEvidence] = []

    def span(self, start: int, end: int) -> dict:
        s, e = self.p.char_span(start, end)
        return {"start": s, "end": e, "text": self.p.source[s:e]}

    def name(self, obj, prefix: str, number: int) -> str:
        self.ids[id(obj)] = f"{prefix}{number}"
        self.objects[f"{prefix}{number}"] = _evidence(obj.rule)
        return f"{prefix}{number}"

    def link(self, source: str, relation: str, target: str, rule: str) -> None:
        ev = _evidence(rule)
        self.links.append(LinkEvidence(source, relation, target, rule, ev.confidence))

    def span_key(self, start: int, end: int) -> str:
        s, e = self.p.char_span(start, end)
        return f"{s}:{e}"

    def mention(self, m: Mention) -> dict:
        return {"id": self.ids[id(m)], "span": self.span(m.start, m.end), "actor": m.actor,
                "type": None if m.actor else m.type}

    def quantity(self, q: Quantity) -> dict:
        return {"id": self.ids[id(q)], "measurand": q.measurand, "qualifier": q.qualifier, "value": q.value,
                "low": q.low, "high": q.high, "note": q.note, "span": self.span(q.start, q.end)}

    def event(self, ev: Event) -> dict:
        eid = self.ids[id(ev)]
        arguments = []
        for arg in ev.arguments:
            if arg.mention is not None:
                arguments.append({"role": arg.role, "mention": self.ids[id(arg.mention)]})
                target = self.ids[id(arg.mention)]
            elif arg.event is not None:
                arguments.append({"role": arg.role, "event": self.ids[id(arg.event)]})
                target = self.ids[id(arg.event)]
            else:
                arguments.append({"role": arg.role, "span": self.span(*arg.span)})
                target = self.span_key(*arg.span)
            self.link(eid, f"argument:{arg.role}", target, arg.rule)
        for q, rule in ev.quantities:
            self.link(eid, "quantity", self.ids[id(q)], rule)
        time = place = None
        if ev.time is not None:
            t, rule = ev.time
            time = {"span": self.span(t.start, t.end), "precision": t.precision, "start": None, "end": None}
            self.link(eid, "time", self.span_key(t.start, t.end), rule)
        if ev.place is not None:
            pl, rule = ev.place
            place = {"span": self.span(pl.start, pl.end), "name": pl.name, "precision": pl.precision,
                     "geonames_id": None}
            self.link(eid, "place", self.span_key(pl.start, pl.end), rule)
        return {"id": eid, "type": ev.type, "mode": ev.mode, "trigger": self.span(ev.start, ev.end),
                "arguments": arguments, "realis": ev.realis, "granularity": ev.granularity,
                "quantities": [self.quantity(q) for q, _ in ev.quantities], "time": time, "place": place,
                "part_of": None}

    def claim(self, c: Claim) -> dict:
        cid = self.ids[id(c)]
        kind = c.kind or ("outlet" if c.claimant is None else "actor")
        if c.claimant is None:
            claimant = {"kind": kind}
            self.link(cid, "claimant", kind, c.claimant_rule)
        else:
            claimant = {"kind": kind, "mention": self.ids[id(c.claimant)]}
            self.link(cid, "claimant", self.ids[id(c.claimant)], c.claimant_rule)
        for m, rule in c.co_claimants:
            self.link(cid, "co_claimant", self.ids[id(m)], rule)
        cue = None
        if c.cue is not None:
            cue = self.span(*c.cue)
            self.link(cid, "cue", self.span_key(*c.cue), c.rule)
        for m, rule in c.reported_via:
            self.link(cid, "reported_via", self.ids[id(m)], rule)
        for ev, rule in c.about_events:
            self.link(cid, "about", self.ids[id(ev)], rule)
        for q, rule in c.about_quantities:
            self.link(cid, "about", self.ids[id(q)], rule)
        for kind, other, rule in c.links:
            self.link(cid, kind, self.ids[id(other)], rule)
        co_claimants = {"co_claimants": [{"mention": self.ids[id(m)]} for m, _ in c.co_claimants]} if c.co_claimants else {}
        return {"id": cid, "content": [self.span(s, e) for s, e in c.content], "cue": cue, "claimant": claimant,
                **co_claimants,
                "reported_via": [{"mention": self.ids[id(m)]} for m, _ in c.reported_via],
                "about": {"events": [self.ids[id(ev)] for ev, _ in c.about_events],
                          "quantities": [self.ids[id(q)] for q, _ in c.about_quantities]},
                "stance": c.stance, "certainty": c.certainty,
                "links": [{"type": kind, "claim": self.ids[id(other)]} for kind, other, _ in c.links],
                "check_worthy": None}


def _evidence(rule: str) -> Evidence:
    return Evidence(rule, RULES[rule].confidence)


def assemble(p: Parsed, ont: Ontology, mentions: list[Mention], events: list[Event], claims: list[Claim], *,
             corpus_version: str) -> Proposal:
    """The schema annotation of what the rules found, with ids in text order and the evidence of each part."""
    w = _Writer(p)
    claims = [c for c in claims if c.content]
    for k, m in enumerate(sorted(mentions, key=lambda m: m.start), 1):
        w.name(m, "m", k)
    for k, ev in enumerate(events, 1):
        w.name(ev, "e", k)
    quantities = sorted((q for ev in events for q, _ in ev.quantities), key=lambda q: q.start)
    for k, q in enumerate(quantities, 1):
        w.name(q, "q", k)
    for k, c in enumerate(claims, 1):
        w.name(c, "c", k)
    annotation = {
        "id": ANNOTATION_ID,
        "provenance": {"annotator": ANNOTATOR, "origin": "prediction",
                       "tool": {"name": ANNOTATOR, "version": ENGINE_VERSION},
                       "schema_version": ont.version, "corpus_version": corpus_version,
                       "guidelines_version": GUIDELINES_VERSION, "created_at": None, "updated_at": None,
                       "lead_time": None},
        "cancelled": False,
        "ground_truth": False,
        "mentions": [w.mention(m) for m in sorted(mentions, key=lambda m: m.start)],
        "events": [w.event(ev) for ev in events],
        "claims": [w.claim(c) for c in claims],
    }
    return Proposal(annotation, w.objects, tuple(w.links))
