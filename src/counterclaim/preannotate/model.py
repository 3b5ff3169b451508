"""What the rules find, before it becomes the schema's JSON: objects over token ranges with the rule behind each.

Spans are half-open token ranges ``[start, end)`` of the parsed document; :mod:`assemble` turns them into
character spans, gives ids and writes the schema format. Every object and every link carries the name of the
rule that produced it (a key of :data:`counterclaim.preannotate.rules.RULES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class Mention:
    start: int
    end: int
    actor: str | None
    type: str | None
    rule: str
    weak: bool = False  # a pronoun or bare head: kept only when a claim or an event uses it
    used: bool = False
    hidden: bool = False  # a description found only to be skipped ("Philip Hammond, the UK Foreign Secretary"):
    #                       never proposed; ``actor`` is the named person's, so a cue after it finds its speaker
    unnamed: bool = False  # as a claimant, a source the text refers to but does not identify (kind ``unnamed``)


@dataclass(eq=False)
class Quantity:
    start: int
    end: int
    measurand: str
    qualifier: str
    value: float | None
    low: float | None
    high: float | None
    note: str | None
    rule: str


@dataclass(eq=False)
class TimeExpr:
    start: int
    end: int
    precision: str
    rule: str


@dataclass(eq=False)
class Place:
    start: int
    end: int
    name: str
    precision: str
    rule: str
    preposition: str  # the word before it ("in", "near", "on"...)


@dataclass(eq=False)
class Argument:
    role: str
    rule: str
    mention: Mention | None = None
    span: tuple[int, int] | None = None
    event: "Event | None" = None


@dataclass(eq=False)
class Event:
    start: int
    end: int
    type: str
    mode: str
    realis: str
    granularity: str
    rule: str
    arguments: list[Argument] = field(default_factory=list)
    quantities: list[tuple[Quantity, str]] = field(default_factory=list)  # with the linking rule
    time: tuple[TimeExpr, str] | None = None
    place: tuple[Place, str] | None = None
    objects: list[int] = field(default_factory=list)  # where further objects start (", targeting X")
    means: list[tuple[int, int]] = field(default_factory=list)  # attack nouns merged into this verb (R25)
    topic: tuple[int, int] | None = None  # what a verb starts: "begin [a new diplomatic process]"


@dataclass(eq=False)
class Claim:
    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    claimant: Mention | None  # None: the outlet, or an unnamed source without a mention
    stance: str
    certainty: str
    rule: str
    claimant_rule: str
    kind: str | None = None  # the claimant's kind; None: ``actor`` with a claimant, else ``outlet``
    co_claimants: list[tuple[Mention, str]] = field(default_factory=list)  # joint sources (R16, R30)
    reported_via: list[tuple[Mention, str]] = field(default_factory=list)
    about_spans: list[tuple[int, int]] | None = None  # where the events it is about are, if not in its content (R31)
    about_events: list[tuple[Event, str]] = field(default_factory=list)
    about_quantities: list[tuple[Quantity, str]] = field(default_factory=list)
    links: list[tuple[str, "Claim", str]] = field(default_factory=list)  # (supports | contests, claim, rule)
