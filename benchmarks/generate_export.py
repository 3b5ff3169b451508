"""Generate a synthetic corpus and a Label Studio JSON export of it, deterministically from a seed.

    .venv/bin/python benchmarks/generate_export.py N OUTDIR [--seed S] [--check [K]]

Writes

- ``OUTDIR/documents.jsonl``: N documents ``{"id", "title", "text"}`` of about 400 words each, already in
  counterclaim's normalised form, so ``counterclaim corpus add`` keeps them unchanged (the corpus ``text``
  is ``title + "\\n\\n" + text``);
- ``OUTDIR/export.json``: what a Label Studio server's JSON snapshot of those documents looks like once
  annotated: tasks with ``data`` (doc_id, title, text, text_sha256, corpus_version), annotations with their
  metadata and results, predictions as bare ids, drafts.

Each document is written from a plan of abstract objects (actor mentions, events with their arguments,
quantities, time and place, claims with claimant, cue and links). The plan is rendered into text, which
gives every object its offsets, turned into a schema annotation (the annotated-document format), and
that annotation into Label Studio results by counterclaim's own ``annotation_to_results``. Per task: 15-25
ACTOR regions (mostly registry actors, shown as a taxonomy choice), 4-8 EVENT regions, 3-5 QUANTITY,
1-2 TIME and PLACE, 3-5 CLAIM regions (most with a CUE), relations for roles, quantities, time, place,
claimants, cues, ``about`` and some ``supports``/``contests``/``part_of``/``cause``. Most tasks have one
annotation, some a second annotator's variant (one of the two marked ground truth), a few a cancelled one.

``--check [K]`` converts the first K tasks back (``convert_task``), validates them
(``document_problems``) and compares them with the generated annotations; the run fails on any
difference or report item other than a skipped prediction.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
SCHEMA_DIR = REPO / "schema"
PROJECT_ID = 1
CORPUS_VERSION = "0.0.0"  # the version of a corpus created by `counterclaim corpus add`
EPOCH = 1_740_000_000  # 2025-02-19, the day annotation starts in the synthetic project

# -- vocabulary ----------------------------------------------------------------------------------------------

TYPED_MENTIONS = (  # (surface, actor type): mentions of actors not in the registry
    ("local residents", "civilians"), ("a military spokesman", "person"), ("rebel fighters", "armed_group"),
    ("a senior official", "person"), ("activists", "other"), ("a local monitoring group", "ngo"),
    ("state media", "media"), ("two women and a child", "civilians"), ("an unnamed commander", "person"),
    ("opposition fighters", "armed_group"), ("aid workers", "other"), ("Western diplomats", "person"),
    ("tribal elders", "other"), ("the provincial council", "government"), ("a pro-government militia", "armed_group"),
)
VICTIMS = (("civilians", "civilians"), ("soldiers", "military"), ("fighters", "armed_group"),
           ("children", "civilians"), ("residents", "civilians"))
PLACES = (  # (surface, precision, canonical name, GeoNames id)
    ("Aleppo", "town", "Aleppo", 170063), ("Homs", "town", "Homs", 169577), ("Idlib province", "province", "Idlib", 169388),
    ("Latakia", "town", "Latakia", 173579), ("Raqqa", "town", "Ar Raqqah", 172955), ("Palmyra", "town", "Palmyra", 172408),
    ("Hama", "town", "Hama", 170017), ("eastern Ghouta", "district", "Eastern Ghouta", None),
    ("Deir ez-Zor", "town", "Deir ez-Zor", 170794), ("the Turkish border", "region", None, None),
    ("Daraa", "town", "Daraa", 170903), ("the Kurdish north", "region", None, None),
)
TIMES = (  # (surface, precision, start, end)
    ("on Tuesday", "day", "2015-10-06", "2015-10-06"), ("on Saturday", "day", "2015-10-10", "2015-10-10"),
    ("last week", "week", None, None), ("since September 30", "range", "2015-09-30", None),
    ("in the past 24 hours", "range", None, None), ("earlier this month", "month", "2015-10-01", "2015-10-31"),
    ("on October 7", "day", "2015-10-07", "2015-10-07"), ("overnight", "day", None, None),
    ("in 2015", "year", "2015-01-01", "2015-12-31"),
)
TARGET_SPANS = ("weapons depots", "command posts", "a training camp", "supply routes", "an ammunition store",
                "fuel convoys", "a field hospital", "checkpoints")
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 12: "twelve", 20: "twenty"}

FILLER_SUBJECTS = ("The fighting", "The campaign", "The latest escalation", "The violence", "The offensive",
                   "The crisis", "The situation on the ground", "The humanitarian situation", "The air campaign",
                   "The standoff", "The war", "The new front line", "The pace of the strikes", "The siege")
FILLER_VERBS = ("has displaced", "has raised fears among", "has drawn criticism from", "has complicated efforts by",
                "has worried", "has put new pressure on", "has cut off", "has alarmed", "has strained",
                "has exhausted", "has divided")
FILLER_OBJECTS = ("thousands of families", "aid agencies", "regional powers", "negotiators", "farmers in the valley",
                  "residents of nearby villages", "traders along the highway", "hospitals in the area",
                  "the few remaining schools", "truck drivers", "relief convoys", "local councils")
FILLER_TAILS = ("", " in recent weeks", " across the north of the country", " despite repeated calls for restraint",
                " according to people familiar with the matter", " as winter approaches", " for the third year running",
                " at a time of rising food prices", " along the main supply road", " in ways few had predicted")
FILLER_PLAIN = (
    "Prices of bread and fuel have doubled since the summer, residents say.",
    "Many families have fled towards the coast, where the fighting has been lighter.",
    "Independent verification of the figures was not possible.",
    "Roads into the city remain closed to most traffic after dark.",
    "The area has changed hands several times since the start of the war.",
    "Power cuts now last for most of the day in several districts.",
    "Local hospitals report shortages of blood and basic medicines.",
    "Satellite images published last month showed extensive damage to the old market.",
    "Journalists have had little access to the region for more than a year.",
    "The talks are expected to resume after a short break.",
    "Both sides have traded accusations over the collapse of earlier truces.",
    "Shops in the centre of town opened briefly in the morning before closing again.",
)
FILLER_WITH_ACTORS = (  # {A}, {B}, {C}: actor mentions that no event or claim uses
    "{A} has been a key player in the conflict for years.",
    "Officials from {A} and {B} declined to comment on the reports.",
    "The statement came as {A} pressed {B} for a political settlement.",
    "{A} did not respond to a request for comment.",
    "Analysts said the move would test relations between {A}, {B} and {C}.",
    "{A} has repeatedly said it supports a negotiated end to the war.",
    "Relations between {A} and {B} have been tense since the start of the year.",
    "A spokesman for {A} said more details would be given later.",
    "{A} and {B} have backed opposing sides for much of the conflict.",
)
TITLE_VERBS = ("strike", "hit", "claim gains near", "deny attack on", "step up pressure on", "send troops to",
               "hold talks over", "accuse rivals over")

# Event templates: (event type, trigger, mode, roles of the two actor slots (second may be None), frame).
# The frame is the clause after the trigger: {B} second actor, {T} a non-actor target span.
EVENT_TEMPLATES = {
    "ATTACK": (("bombed", "aerial"), ("struck", "aerial"), ("shelled", "artillery"), ("hit", "missile"),
               ("targeted", "drone")),
    "CLASH": (("clashed", "ground"), ("fought", "ground")),
    "TERRITORY_CHANGE": (("captured", "captured"), ("seized", "captured"), ("lost", "lost")),
    "DEPLOY": (("deployed", "troops"), ("sent", "troops"), ("moved", "troops")),
    "WITHDRAW": (("withdrew", "troops"), ("pulled", "troops")),
    "MILITARY_AID": (("trained", "training"), ("armed", "weapons"), ("funded", "funding")),
    "MEET": (("met", "talks"), ("visited", "visit"), ("hosted", "conference")),
    "AGREE": (("agreed", "ceasefire"), ("signed", "cooperation")),
    "REQUEST": (("asked", "invite"), ("urged", "appeal"), ("demanded", "demand")),
    "ACCUSE": (("accused", "allege"), ("condemned", "condemn"), ("criticised", "criticize")),
    "DIE": (("killed", "unspecified"), ("died", "unspecified")),
    "INJURE": (("wounded", "unspecified"), ("injured", "unspecified")),
}
QUANTITY_TYPES = ("ATTACK", "CLASH", "DEPLOY", "MILITARY_AID", "DIE", "INJURE")
OTHER_TYPES = ("TERRITORY_CHANGE", "WITHDRAW", "MEET", "AGREE", "REQUEST", "ACCUSE", "ATTACK", "CLASH")
CUES = (  # (cue, stance, certainty)
    ("said", "affirm", "certain"), ("said", "affirm", "certain"), ("claimed", "affirm", "unknown"),
    ("insisted", "affirm", "certain"), ("believes", "affirm", "probable"), ("suggested", "affirm", "possible"),
    ("denied", "deny", "certain"), ("reported", "affirm", "certain"), ("confirmed", "affirm", "certain"),
)


# -- the plan: abstract objects that get offsets when rendered --------------------------------------------------


@dataclass(eq=False)
class Node:
    span: dict | None = None
    id: str | None = None


@dataclass(eq=False)
class Mention(Node):
    actor: str | None = None
    type: str | None = None


@dataclass(eq=False)
class Quantity(Node):
    measurand: str = "other"
    qualifier: str = "exact"
    value: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(eq=False)
class Time(Node):
    precision: str = "unknown"
    start: str | None = None
    end: str | None = None


@dataclass(eq=False)
class Place(Node):
    precision: str = "unknown"
    name: str | None = None
    geonames_id: int | None = None


@dataclass(eq=False)
class ArgSpan(Node):
    pass


@dataclass(eq=False)
class Event(Node):
    type: str = "ATTACK"
    mode: str | None = None
    realis: str = "actual"
    granularity: str = "single"
    args: list = field(default_factory=list)  # (role, Mention | Event | ArgSpan)
    quantities: list = field(default_factory=list)
    time: Time | None = None
    place: Place | None = None
    part_of: "Event | None" = None


@dataclass(eq=False)
class Claim(Node):
    claimant: Mention | None = None  # None: the outlet asserts it (unsourced)
    via: list = field(default_factory=list)
    cue: Node | None = None
    about_events: list = field(default_factory=list)
    about_quantities: list = field(default_factory=list)
    stance: str = "affirm"
    certainty: str = "certain"
    links: list = field(default_factory=list)  # (type, Claim)
    check_worthy: bool | None = None


@dataclass(frozen=True)
class Open:
    claim: Claim


@dataclass(frozen=True)
class Close:
    claim: Claim


Segment = Any  # str | (Node, surface) | Open | Close


class Planner:
    """Chooses the objects of one document and the sentences that express them."""

    def __init__(self, rng: random.Random, ont):
        self.rng = rng
        self.ont = ont
        self.actors = [(a.id, alias) for a in ont.actors for alias in a.aliases if alias.isascii()]
        self.mentions: list[Mention] = []
        self.events: list[Event] = []
        self.claims: list[Claim] = []

    # mentions and attributes
    def mention(self, typed: float = 0.15) -> tuple[Mention, str]:
        if self.rng.random() < typed:
            surface, atype = self.rng.choice(TYPED_MENTIONS)
            m = Mention(type=atype)
        else:
            actor, surface = self.rng.choice(self.actors)
            m = Mention(actor=actor)
        self.mentions.append(m)
        return m, surface

    def quantity(self, measurand: str) -> tuple[Quantity, str]:
        rng = self.rng
        n = rng.choice((rng.randint(2, 12), rng.randint(13, 99), rng.randint(100, 2500)))
        shown = f"{n:,}"
        kind = rng.choices(("exact", "about", "at_least", "more_than", "range", "word"), (5, 2, 2, 1, 1, 1))[0]
        if kind == "range":
            high = n + rng.randint(2, 40)
            return Quantity(measurand=measurand, qualifier="range", low=n, high=high), f"{shown} to {high:,}"
        if kind == "word":
            n = rng.choice(tuple(NUMBER_WORDS))
            return Quantity(measurand=measurand, qualifier="exact", value=n), NUMBER_WORDS[n]
        prefix = {"exact": "", "about": "about ", "at_least": "at least ", "more_than": "more than "}[kind]
        return Quantity(measurand=measurand, qualifier=kind, value=n), prefix + shown

    def time(self) -> tuple[Time, str]:
        surface, precision, start, end = self.rng.choice(TIMES)
        return Time(precision=precision, start=start, end=end), surface

    def place(self) -> tuple[Place, str]:
        surface, precision, name, gid = self.rng.choice(PLACES)
        return Place(precision=precision, name=name, geonames_id=gid), surface

    # clauses
    def event_clause(self, etype: str, with_qty: bool, with_time: bool, with_place: bool) -> tuple[Event, list]:
        rng = self.rng
        trigger, mode = rng.choice(EVENT_TEMPLATES[etype])
        ev = Event(type=etype, mode=mode if rng.random() < 0.9 else None,
                   realis=rng.choices(("actual", "future", "hypothetical", "negated"), (12, 1, 1, 1))[0])
        trig = (ev, trigger)
        segs: list[Segment] = []
        qty = None

        def actor(role: str) -> tuple:
            m, surface = self.mention()
            ev.args.append((role, m))
            return (m, surface)

        def victims(role: str) -> tuple:
            surface, atype = rng.choice(VICTIMS)
            m = Mention(type=atype)
            self.mentions.append(m)
            ev.args.append((role, m))
            return (m, surface)

        if etype == "ATTACK":
            if rng.random() < 0.15 and not any(e.granularity == "aggregate" for e in self.events):
                ev.granularity = "aggregate"
            aggregates = [e for e in self.events if e.type == "ATTACK" and e.granularity == "aggregate"]
            if ev.granularity == "single" and aggregates and rng.random() < 0.5:
                ev.part_of = rng.choice(aggregates)
            segs += [actor("attacker"), " ", trig, " "]
            if rng.random() < 0.3:
                target = ArgSpan()
                ev.args.append(("target", target))
                segs += [(target, rng.choice(TARGET_SPANS)), " held by ", actor("target")]
            else:
                segs += [actor("target"), " positions"]
            if with_qty:
                qty, shown = self.quantity(rng.choice(("targets_struck", "killed", "vehicles_destroyed")))
                noun = {"targets_struck": "targets", "killed": "people", "vehicles_destroyed": "vehicles"}[qty.measurand]
                verb = {"targets_struck": "hitting", "killed": "killing", "vehicles_destroyed": "destroying"}[qty.measurand]
                tail = [", ", verb, " ", (qty, shown), " ", noun]
            else:
                tail = []
        elif etype == "CLASH":
            segs += [actor("participant"), " ", trig, " with ", actor("participant")]
            tail = []
            if with_qty:
                qty, shown = self.quantity("killed")
                tail = [", leaving ", (qty, shown), " fighters dead"]
        elif etype == "TERRITORY_CHANGE":
            segs += [actor("agent"), " ", trig, " " if trigger != "lost" else " control of ",
                     "several villages held by ", actor("target")]
            tail = []
        elif etype == "DEPLOY":
            qty, shown = self.quantity("troops") if with_qty else (None, "more")
            segs += [actor("agent"), " ", trig, " ", (qty, shown) if qty else shown, " troops"]
            tail = []
        elif etype == "WITHDRAW":
            segs += [actor("agent"), " ", trig, " " if trigger != "pulled" else " back ", "some of its forces"]
            tail = []
        elif etype == "MILITARY_AID":
            segs += [actor("agent"), " ", trig, " fighters loyal to ", actor("recipient")]
            tail = []
            if with_qty:
                qty, shown = self.quantity("money_usd")
                tail = [" under a programme worth ", (qty, shown), " dollars"]
        elif etype == "MEET":
            role_a, role_b = ("visitor", "host") if trigger == "visited" else ("host", "visitor") if trigger == "hosted" else ("participant", "participant")
            segs += [actor(role_a), " ", trig, " ", actor(role_b)]
            tail = [" to discuss the conflict"]
        elif etype == "AGREE":
            segs += [actor("participant"), " and ", actor("participant"), " ", trig, " ",
                     "on a ceasefire" if trigger == "agreed" else "a cooperation deal"]
            tail = []
        elif etype == "REQUEST":
            segs += [actor("agent"), " ", trig, " ", actor("recipient"), " to intervene"]
            tail = []
        elif etype == "ACCUSE":
            segs += [actor("agent"), " ", trig, " ", actor("recipient"), " for targeting civilians"
                     if trigger != "accused" else " of targeting civilians"]
            tail = []
        else:  # DIE, INJURE
            attacks = [e for e in self.events if e.type == "ATTACK"]
            if with_qty:
                qty, shown = self.quantity("killed" if etype == "DIE" else "injured")
                segs += [(qty, shown), " "]
            v = victims("victim")
            if trigger == "died":
                segs += [v, " ", trig]
            else:
                segs += [v, " were ", trig]
            if attacks and rng.random() < 0.7:
                ev.args.append(("cause", rng.choice(attacks)))
                segs += [" in the strikes"]
            tail = []
        if qty is not None:
            ev.quantities.append(qty)
        segs += tail
        if with_place:
            place, surface = self.place()
            ev.place = place
            segs += [rng.choice((" near ", " in ", " around ")), (place, surface)]
        if with_time:
            t, surface = self.time()
            ev.time = t
            segs += [" ", (t, surface)]
        self.events.append(ev)
        return ev, segs

    def claim_sentence(self, ev: Event, clause: list) -> list:
        rng = self.rng
        cue_word, stance, certainty = rng.choice(CUES)
        c = Claim(about_events=[ev], about_quantities=list(ev.quantities), stance=stance, certainty=certainty,
                  check_worthy=rng.choice((None, None, True, False)))
        if self.claims and rng.random() < 0.3:
            c.links.append((rng.choice(("supports", "contests")), rng.choice(self.claims)))
        self.claims.append(c)
        content = [Open(c), *clause, Close(c)]
        if rng.random() < 0.15:  # the outlet asserts it
            return content + ["."]
        c.cue = Node()
        claimant, surface = self.mention(typed=0.25)
        c.claimant = claimant
        via = []
        if rng.random() < 0.2:
            m, vs = self.mention(typed=0.3)
            c.via.append(m)
            via = [" in remarks carried by ", (m, vs)]
        if rng.random() < 0.6:
            return [(claimant, surface), " ", (c.cue, cue_word), *via, " that ", *content, "."]
        return [*content, ", ", (claimant, surface), " ", (c.cue, cue_word), *via, "."]

    def filler(self, with_actors: bool) -> list:
        rng = self.rng
        if not with_actors:
            if rng.random() < 0.4:
                return [rng.choice(FILLER_PLAIN)]
            return [rng.choice(FILLER_SUBJECTS), " ", rng.choice(FILLER_VERBS), " ", rng.choice(FILLER_OBJECTS),
                    rng.choice(FILLER_TAILS), "."]
        template = rng.choice(FILLER_WITH_ACTORS)
        segs: list[Segment] = []
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            segs.append(before)
            rest = after[2:]
            segs.append(self.mention(typed=0.3))
        segs.append(rest)
        return [s for s in segs if s != ""]

    def document(self) -> list[list[Segment]]:
        """Sentences of one document, in text order."""
        rng = self.rng
        n_events = rng.randint(4, 8)
        n_qty = min(rng.randint(3, 5), n_events)
        types = [rng.choice(QUANTITY_TYPES) for _ in range(n_qty)] + \
                [rng.choice(OTHER_TYPES) for _ in range(n_events - n_qty)]
        with_qty = [True] * n_qty + [False] * (n_events - n_qty)
        order = list(range(n_events))
        rng.shuffle(order)
        types = [types[i] for i in order]
        with_qty = [with_qty[i] for i in order]
        timed = set(rng.sample(range(n_events), rng.randint(1, 2)))
        placed = set(rng.sample(range(n_events), rng.randint(1, 2)))
        claimed = set(rng.sample(range(n_events), rng.randint(3, min(5, n_events))))
        sentences = []
        for i, etype in enumerate(types):
            ev, clause = self.event_clause(etype, with_qty[i], i in timed, i in placed)
            sentences.append(self.claim_sentence(ev, clause) if i in claimed else clause + ["."])
        target_mentions = rng.randint(15, 25)
        while len(self.mentions) < target_mentions:
            sentences.insert(rng.randint(0, len(sentences)), self.filler(with_actors=True))
        target_words = rng.randint(380, 420)
        while sum(_words(s) for s in sentences) < target_words:
            sentences.insert(rng.randint(0, len(sentences)), self.filler(with_actors=False))
        return sentences

    def title(self) -> str:
        rng = self.rng
        _, alias = rng.choice(self.actors)
        return f"{alias} {rng.choice(TITLE_VERBS)} {rng.choice(PLACES)[0]}"


def _surface(seg: Segment) -> str:
    if isinstance(seg, str):
        return seg
    if isinstance(seg, tuple):
        return seg[1]
    return ""


def _words(sentence: list[Segment]) -> int:
    return len("".join(_surface(s) for s in sentence).split())


# -- rendering: text, offsets, ids, the schema annotation ------------------------------------------------------


def render(title: str, sentences: list[list[Segment]], rng: random.Random) -> tuple[str, str]:
    """The body (paragraphs of 2-4 sentences) and the task text; sets every node's span."""
    parts = [title, "\n\n"]
    pos = len(title) + 2
    body_start = pos
    i = 0
    first_paragraph = True
    while i < len(sentences):
        size = rng.randint(2, 4)
        if not first_paragraph:
            parts.append("\n\n")
            pos += 2
        first_paragraph = False
        for k, sentence in enumerate(sentences[i:i + size]):
            if k:
                parts.append(" ")
                pos += 1
            capitalise = True
            for seg in sentence:
                if isinstance(seg, Open):
                    seg.claim.span = {"start": pos}
                    continue
                if isinstance(seg, Close):
                    seg.claim.span["end"] = pos
                    continue
                surface = _surface(seg)
                if capitalise and surface:
                    surface = surface[0].upper() + surface[1:]
                    capitalise = False
                if isinstance(seg, tuple):
                    seg[0].span = {"start": pos, "end": pos + len(surface), "text": surface}
                parts.append(surface)
                pos += len(surface)
        i += size
    text = "".join(parts)
    return text[body_start:], text


def _span(text: str, node: Node) -> dict:
    s, e = node.span["start"], node.span["end"]
    return {"start": s, "end": e, "text": text[s:e]}


def schema_annotation(text: str, planner: Planner) -> dict:
    """The schema annotation (mentions, events, claims) of a rendered plan; ids in text order."""
    mentions = sorted(planner.mentions, key=lambda m: m.span["start"])
    events = sorted(planner.events, key=lambda e: e.span["start"])
    quantities = sorted((q for e in events for q in e.quantities), key=lambda q: q.span["start"])
    claims = sorted(planner.claims, key=lambda c: c.span["start"])
    for prefix, nodes in (("m", mentions), ("e", events), ("q", quantities), ("c", claims)):
        for n, node in enumerate(nodes, 1):
            node.id = f"{prefix}{n}"

    def argument(role: str, target: Node) -> dict:
        if isinstance(target, Mention):
            return {"role": role, "mention": target.id}
        if isinstance(target, Event):
            return {"role": role, "event": target.id}
        return {"role": role, "span": _span(text, target)}

    return {
        "mentions": [{"id": m.id, "span": _span(text, m), "actor": m.actor, "type": m.type} for m in mentions],
        "events": [{
            "id": e.id, "type": e.type, "mode": e.mode, "trigger": _span(text, e),
            "arguments": [argument(role, target) for role, target in e.args],
            "realis": e.realis, "granularity": e.granularity,
            "part_of": None if e.part_of is None else e.part_of.id,
            "time": None if e.time is None else {"span": _span(text, e.time), "start": e.time.start,
                                                 "end": e.time.end, "precision": e.time.precision},
            "place": None if e.place is None else {"span": _span(text, e.place), "name": e.place.name,
                                                   "geonames_id": e.place.geonames_id,
                                                   "precision": e.place.precision},
            "quantities": [{"id": q.id, "measurand": q.measurand, "value": q.value, "low": q.low, "high": q.high,
                            "qualifier": q.qualifier, "span": _span(text, q), "note": None}
                           for q in sorted(e.quantities, key=lambda q: q.span["start"])],
        } for e in events],
        "claims": [_claim(text, c) for c in claims],
    }


def _claim(text: str, c: Claim) -> dict:
    claim = {
        "id": c.id,
        "content": [_span(text, c)],
        "cue": None if c.cue is None else _span(text, c.cue),
        "claimant": {"kind": "outlet"} if c.claimant is None else {"kind": "actor", "mention": c.claimant.id},
        "reported_via": [{"mention": m.id} for m in c.via],
        "about": {"events": [e.id for e in c.about_events], "quantities": [q.id for q in c.about_quantities]},
        "stance": c.stance,
        "certainty": c.certainty,
        "links": [{"type": kind, "claim": other.id} for kind, other in c.links],
    }
    if c.check_worthy is not None:
        claim["check_worthy"] = c.check_worthy
    return claim


def second_annotator(ann: dict, rng: random.Random) -> dict:
    """Another annotator's take: some unlinked mentions left out, some attributes judged differently."""
    out = copy.deepcopy(ann)
    used = {a["mention"] for e in out["events"] for a in e["arguments"] if "mention" in a}
    used |= {c["claimant"].get("mention") for c in out["claims"]}
    used |= {v["mention"] for c in out["claims"] for v in c["reported_via"]}
    out["mentions"] = [m for m in out["mentions"] if m["id"] in used or rng.random() > 0.25]
    for c in out["claims"]:
        if rng.random() < 0.3:
            c["certainty"] = rng.choice(("certain", "probable", "possible", "unknown"))
    for e in out["events"]:
        if rng.random() < 0.15:
            e["realis"] = rng.choice(("actual", "hypothetical", "future"))
    return out


# -- export records ----------------------------------------------------------------------------------------------


def _stamp(seconds: float) -> str:
    t = time.gmtime(EPOCH + seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + f".{int(seconds * 1e6) % 1_000_000:06d}Z"


class Counter:
    def __init__(self) -> None:
        self.annotation = 0
        self.prediction = 0


def annotation_record(task_id: int, results: list, rng: random.Random, ids: Counter, *, user: int,
                      cancelled: bool = False, ground_truth: bool = False) -> dict:
    ids.annotation += 1
    created = task_id * 600.0 + rng.uniform(0, 500)
    lead = round(rng.uniform(60, 1500), 3)
    return {
        "id": ids.annotation,
        "completed_by": user,
        "result": results,
        "was_cancelled": cancelled,
        "ground_truth": ground_truth,
        "created_at": _stamp(created),
        "updated_at": _stamp(created + rng.uniform(0, 3000)),
        "draft_created_at": _stamp(created - lead),
        "lead_time": lead,
        "prediction": {},
        "result_count": len(results),
        "unique_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "import_id": None,
        "last_action": None,
        "bulk_created": False,
        "task": task_id,
        "project": PROJECT_ID,
        "updated_by": user,
        "parent_prediction": None,
        "parent_annotation": None,
        "last_created_by": None,
    }


@dataclass
class Generated:
    document: dict  # documents.jsonl row
    task: dict  # export task
    annotations: list[dict]  # schema annotations of the non-cancelled Label Studio annotations, in order


def generate(n: int, seed: int, ont) -> Iterator[Generated]:
    """Documents and tasks, one at a time; the same seed gives the same bytes."""
    from counterclaim.labelstudio.results import annotation_to_results

    rng = random.Random(seed)
    ids = Counter()
    for i in range(n):
        task_id = 1000 + i
        doc_id = f"bench-{seed}-{i:06d}"
        planner = Planner(rng, ont)
        title = planner.title()
        sentences = planner.document()
        body, text = render(title, sentences, rng)
        ann = schema_annotation(text, planner)
        users = rng.sample(range(1, 9), 3)
        roll = rng.random()
        labelled: list[tuple[dict, dict]] = []  # (schema annotation, LS annotation)
        first = annotation_record(task_id, annotation_to_results(text, ann, ont, doc_id), rng, ids, user=users[0])
        labelled.append((ann, first))
        if roll < 0.12:  # a second annotator; an adjudicator marked one of the two
            other = second_annotator(ann, rng)
            second = annotation_record(task_id, annotation_to_results(text, other, ont, doc_id), rng, ids,
                                       user=users[1])
            labelled.append((other, second))
            rng.choice(labelled)[1]["ground_truth"] = True
        records = [rec for _, rec in labelled]
        if 0.12 <= roll < 0.15:  # somebody skipped the task
            records.append(annotation_record(task_id, [], rng, ids, user=users[2], cancelled=True))
        ids.prediction += 1
        created = _stamp(task_id * 600.0)
        task = {
            "id": task_id,
            "project": PROJECT_ID,
            "data": {"doc_id": doc_id, "title": title, "text": text,
                     "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                     "corpus_version": CORPUS_VERSION},
            "annotations": records,
            "predictions": [ids.prediction],
            "drafts": [],
            "meta": {},
            "created_at": created,
            "updated_at": records[-1]["updated_at"],
            "inner_id": i + 1,
            "total_annotations": sum(not r["was_cancelled"] for r in records),
            "cancelled_annotations": sum(r["was_cancelled"] for r in records),
            "total_predictions": 1,
            "comment_count": 0,
            "unresolved_comment_count": 0,
            "last_comment_updated_at": None,
            "updated_by": [{"user_id": r["completed_by"]} for r in records],
            "file_upload": None,
            "comment_authors": [],
        }
        yield Generated({"id": doc_id, "title": title, "text": body}, task, [a for a, _ in labelled])


def write(n: int, outdir: Path, seed: int, ont, *, keep: int = 0) -> tuple[Path, Path, list[Generated]]:
    """Stream N documents and tasks to OUTDIR; return the paths and the first ``keep`` items."""
    outdir.mkdir(parents=True, exist_ok=True)
    docs_path, export_path = outdir / "documents.jsonl", outdir / "export.json"
    kept = []
    with docs_path.open("w", encoding="utf-8") as docs, export_path.open("w", encoding="utf-8") as export:
        # Serialised as a Label Studio snapshot is: json.JSONEncoder(ensure_ascii=False), one line.
        export.write("[")
        for k, item in enumerate(generate(n, seed, ont)):
            docs.write(json.dumps(item.document, ensure_ascii=False) + "\n")
            export.write((", " if k else "") + json.dumps(item.task, ensure_ascii=False))
            if k < keep:
                kept.append(item)
        export.write("]")
    return docs_path, export_path, kept


# -- check ------------------------------------------------------------------------------------------------------


def check(items: list[Generated], ont) -> list[str]:
    """Problems found converting the tasks back; an empty list means the sample is valid."""
    from counterclaim.corpus.normalize import normalize_record
    from counterclaim.labelstudio.convert import ConvertOptions, convert_task
    from counterclaim.validation import document_problems

    options = ConvertOptions(schema_version=ont.version, corpus_version=CORPUS_VERSION)
    problems = []
    for item in items:
        doc, task = item.document, item.task
        where = f"task {task['id']}"
        title, text = normalize_record(doc["title"], doc["text"])
        if (title, text) != (doc["title"], task["data"]["text"]):
            problems.append(f"{where}: the text changes through corpus normalisation")
        index = {doc["id"]: task["data"]["text_sha256"]}
        converted, report = convert_task(task, ont, options)
        for r in report:
            if not (r.action == "skipped" and r.reason.startswith("prediction")):
                problems.append(f"{where}: report item: {r}")
        if converted is None:
            problems.append(f"{where}: not converted")
            continue
        for pointer, message in document_problems(converted, ont, index):
            problems.append(f"{where}: {pointer}: {message}")
        kept = [a for a in converted["annotations"] if not a["cancelled"]]
        if len(kept) != len(item.annotations):
            problems.append(f"{where}: {len(kept)} annotations converted, {len(item.annotations)} generated")
        for got, want in zip(kept, item.annotations):
            for key in ("mentions", "events", "claims"):
                if got[key] != want[key]:
                    problems.append(f"{where}: annotation {got['id']}: `{key}` differs after the round trip")
    return problems


def stats(items: list[Generated]) -> dict:
    """Average regions and relations per first annotation of the sample."""
    from collections import Counter as Tally

    tally: Tally = Tally()
    words = 0
    for item in items:
        words += len(item.document["text"].split())
        for r in item.task["annotations"][0]["result"]:
            tally[r["value"]["labels"][0] if r["type"] == "labels" else r["type"]] += 1
    n = max(len(items), 1)
    return {"words": round(words / n), **{k: round(v / n, 1) for k, v in sorted(tally.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of documents and tasks")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", type=int, nargs="?", const=200, default=0, metavar="K",
                        help="convert and validate the first K tasks (default 200)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from counterclaim.model.ontology import load_ontology

    ont = load_ontology(SCHEMA_DIR)
    started = time.perf_counter()
    docs_path, export_path, kept = write(args.n, args.outdir, args.seed, ont, keep=max(args.check, 50))
    elapsed = time.perf_counter() - started
    size = export_path.stat().st_size
    print(f"{args.n} documents -> {docs_path} ({docs_path.stat().st_size / 1e6:.1f} MB)")
    print(f"{args.n} tasks -> {export_path} ({size / 1e6:.1f} MB, {size / 2**20:.1f} MiB) in {elapsed:.1f} s")
    print("per task (first annotation, sample):", json.dumps(stats(kept)))
    if args.check:
        sample = kept[:args.check]
        problems = check(sample, ont)
        for p in problems[:50]:
            print(p, file=sys.stderr)
        if problems:
            print(f"check: {len(problems)} problem(s) in {len(sample)} task(s)", file=sys.stderr)
            return 1
        print(f"check: {len(sample)} task(s) convert, validate and round-trip without problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
