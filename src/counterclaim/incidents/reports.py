"""What one annotated document says about each event that can be part of an incident (pure functions).

:func:`event_reports` takes a corpus document, the one annotation to use for it (gold, or silver when there
is no gold: the caller decides) and the ontology, and returns a :class:`Report` per event that can take part
in an incident: a single incident (granularity ``single``) reported as having happened or denied (realis
``actual`` or ``negated``), with a date and a place (its own, or its article's). Deaths and injuries that
name an event as their ``cause`` are part of that event's report: their numbers and agents count for it.

Each report carries what the incident rule compares (type, days, place, governorates, actors) and the
claims of the document about the event, with the numbers they assert and the culprits they name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from counterclaim.corpus.places import governorate, place_key
from counterclaim.model.ontology import Ontology

MEMBER_REALIS = ("actual", "negated")
MEMBER_GRANULARITY = "single"
CONSEQUENCE_TYPES = ("DIE", "INJURE")  # part of the report of the event their `cause` argument names
# Who a report says did it: the culprits a claim names are these arguments of the events it asserts. The
# incident rule never compares them (outlets contest them).
CULPRIT_ROLES = ("attacker", "agent")
FINE_PRECISIONS = ("site", "town", "district")  # a place finer than a governorate
PROVINCE_PRECISION = "province"
MAX_EVENT_DAYS = 3  # an event's own time counts when it spans at most this many days
PUBLISHED_LAG_DAYS = 2  # an article reports events of its publication day or of the days just before

# date bases, from the most to the least precise
EVENT_DATE, ARTICLE_DATE, PUBLISHED_DATE = "event", "article", "published"


@dataclass(frozen=True)
class DocumentAnnotation:
    """A corpus document and the annotation of it to use, with its status (``gold`` or ``silver``)."""

    doc: dict
    annotation: dict
    status: str


@dataclass(frozen=True)
class Number:
    quantity_id: str
    event_id: str
    measurand: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    text: str | None


@dataclass(frozen=True)
class Culprit:
    event_id: str
    actor: str | None  # registry id, None when the mention has none (or the argument is a text span)
    text: str


@dataclass(frozen=True)
class ClaimReport:
    """A claim of the document about the event; ``claim_id`` None stands for the event as the article
    reports it when no claim asserts it (its numbers and culprits then come from the event itself)."""

    claim_id: str | None
    content: str | None
    cue: str | None
    claimant_kind: str | None
    claimant_actor: str | None
    claimant_text: str | None
    stance: str | None
    certainty: str | None
    numbers: tuple[Number, ...]
    culprits: tuple[Culprit, ...]


@dataclass(frozen=True)
class Report:
    """One event of one document, as the incident rule sees it."""

    doc_id: str
    event_id: str
    type: str
    realis: str
    first_day: dt.date
    last_day: dt.date
    date_basis: str  # EVENT_DATE, ARTICLE_DATE or PUBLISHED_DATE
    place: str | None  # the event's own place finer than a governorate, as annotated
    governorates: frozenset[str]
    actors: frozenset[str]  # registry ids and "type:<actor type>" of the non-culprit arguments
    status: str  # gold | silver
    annotation_id: str
    source: dict  # the document's source metadata (outlet, credibility, ...)
    claims: tuple[ClaimReport, ...]
    events: tuple[str, ...] = ()  # the event and the deaths and injuries it caused: every event the report stands for

    @property
    def key(self) -> str:
        return f"{self.doc_id}#{self.event_id}"

    @property
    def single_day(self) -> bool:
        return self.first_day == self.last_day


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def article_governorates(source: dict) -> frozenset[str]:
    """Every governorate the document's source gives: its ``location`` and those of its merged rows."""
    names = [source.get("location"), *((r or {}).get("location") for r in source.get("source_records") or ())]
    return frozenset(g for g in map(governorate, names) if g)


def _days(event: dict, source: dict) -> tuple[dt.date, dt.date, str] | None:
    time = event.get("time") or {}
    start, end = _day(time.get("start")), _day(time.get("end") or time.get("start"))
    if start and end and start <= end and (end - start).days < MAX_EVENT_DAYS:
        return start, end, EVENT_DATE
    article = _day(source.get("date"))
    if article:
        return article, article, ARTICLE_DATE
    published = _day(source.get("published"))
    if published:
        return published - dt.timedelta(days=PUBLISHED_LAG_DAYS), published, PUBLISHED_DATE
    return None


def _places(event: dict, source: dict) -> tuple[str | None, frozenset[str]]:
    place = event.get("place") or {}
    name, precision = place.get("name"), place.get("precision")
    if name and precision in FINE_PRECISIONS:
        return name, article_governorates(source)
    if name and precision == PROVINCE_PRECISION:
        return None, frozenset({governorate(name) or place_key(name)})
    return None, article_governorates(source)


class _Document:
    """Lookups over one annotation."""

    def __init__(self, item: DocumentAnnotation, ont: Ontology):
        ann = item.annotation
        self.ont = ont
        self.mentions = {m["id"]: m for m in ann["mentions"]}
        self.events = {e["id"]: e for e in ann["events"]}
        self.quantities = {q["id"]: (e["id"], q) for e in ann["events"] for q in e["quantities"]}
        self.consequences: dict[str, list[dict]] = {}
        for e in ann["events"]:
            if e["type"] in CONSEQUENCE_TYPES:
                for arg in e["arguments"]:
                    if arg["role"] == "cause" and arg.get("event") in self.events:
                        self.consequences.setdefault(arg["event"], []).append(e)

    def family(self, event: dict) -> list[dict]:
        """The event and the deaths and injuries it caused."""
        return [event, *self.consequences.get(event["id"], ())]

    def actor_keys(self, events: Iterable[dict]) -> frozenset[str]:
        keys: set[str] = set()
        for ev in events:
            for arg in ev["arguments"]:
                mention = self.mentions.get(arg.get("mention") or "")
                if mention is None or arg["role"] in CULPRIT_ROLES:
                    continue
                actor = self.ont.actor_by_id.get(mention.get("actor") or "")
                if actor is not None:
                    keys |= {actor.id, f"type:{actor.type}"}
                elif mention.get("type"):
                    keys.add(f"type:{mention['type']}")
        return frozenset(keys)

    def culprits(self, events: Iterable[dict]) -> tuple[Culprit, ...]:
        found = []
        for ev in events:
            for arg in ev["arguments"]:
                if arg["role"] not in CULPRIT_ROLES:
                    continue
                mention = self.mentions.get(arg.get("mention") or "")
                if mention is not None:
                    found.append(Culprit(ev["id"], mention.get("actor"), mention["span"]["text"]))
                elif arg.get("span"):
                    found.append(Culprit(ev["id"], None, arg["span"]["text"]))
        return tuple(dict.fromkeys(found))

    def number(self, quantity_id: str) -> Number:
        event_id, q = self.quantities[quantity_id]
        return Number(q["id"], event_id, q["measurand"], _float(q.get("value")), _float(q.get("low")),
                      _float(q.get("high")), q["qualifier"], (q.get("span") or {}).get("text"))

    def claim(self, claim: dict | None, family: list[dict]) -> ClaimReport:
        ids = {e["id"] for e in family}
        if claim is None:
            numbers = tuple(self.number(q["id"]) for e in family for q in e["quantities"])
            return ClaimReport(None, None, None, None, None, None, None, None, numbers, self.culprits(family))
        asserted = [e for e in family if e["id"] in claim["about"]["events"]]  # a claim names only its own culprits
        numbers = tuple(self.number(q) for q in claim["about"]["quantities"] if self.quantities[q][0] in ids)
        claimant = claim["claimant"]
        mention = self.mentions.get(claimant.get("mention") or "")
        return ClaimReport(
            claim_id=claim["id"],
            content=" … ".join(s["text"] for s in claim["content"]),
            cue=(claim.get("cue") or {}).get("text"),
            claimant_kind=claimant["kind"],
            claimant_actor=claimant.get("actor") or (mention or {}).get("actor"),
            claimant_text=mention["span"]["text"] if mention else None,
            stance=claim["stance"],
            certainty=claim["certainty"],
            numbers=numbers,
            culprits=self.culprits(asserted),
        )

    def claims_about(self, family: list[dict], claims: list[dict]) -> tuple[ClaimReport, ...]:
        ids = {e["id"] for e in family}
        found = [c for c in claims
                 if ids & set(c["about"]["events"]) or any(self.quantities[q][0] in ids for q in c["about"]["quantities"])]
        return tuple(self.claim(c, family) for c in found) or (self.claim(None, family),)


def event_reports(item: DocumentAnnotation, ont: Ontology) -> list[Report]:
    """A :class:`Report` per event of ``item`` that can be part of an incident, in annotation order.

    Deaths and injuries with a ``cause`` belong to their cause's report; those without one are reports of
    their own (type ``DIE`` / ``INJURE``)."""
    doc, ann = item.doc, item.annotation
    source = doc.get("source") or {}
    candidates = []
    for event in ann["events"]:
        if event["granularity"] != MEMBER_GRANULARITY or event["realis"] not in MEMBER_REALIS:
            continue
        days = _days(event, source)
        place, governorates = _places(event, source)
        if days is not None and (place is not None or governorates):
            candidates.append((event, days, place, governorates))
    if not candidates:
        return []  # most documents: no lookups built
    lookups = _Document(item, ont)
    caused = {e["id"] for family in lookups.consequences.values() for e in family}
    reports = []
    for event, days, place, governorates in candidates:
        if event["id"] in caused:
            continue
        family = lookups.family(event)
        reports.append(Report(
            doc_id=doc["doc_id"], event_id=event["id"], type=event["type"], realis=event["realis"],
            first_day=days[0], last_day=days[1], date_basis=days[2], place=place, governorates=governorates,
            actors=lookups.actor_keys(family), status=item.status, annotation_id=ann["id"], source=source,
            claims=lookups.claims_about(family, ann["claims"]), events=tuple(e["id"] for e in family),
        ))
    return reports


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
