"""The incident rule: which event reports describe one incident, how sure that is, and the incident's id.

Two event reports (an event of one document, with its date and place: ``incidents.reports``) are **linked**
when all of these hold:

1. **type**: the same event type;
2. **date**: their day intervals overlap — an event's own resolved time when it spans at most
   ``MAX_EVENT_DAYS`` days, else the article's date (FA-KES's incident date), else the publication day and
   the ``PUBLISHED_LAG_DAYS`` days before it;
3. **place**: when both events have their own place finer than a governorate (site, town, district), the
   two names are compatible (after lower-casing and dropping punctuation, the words of one include all the
   words of the other: "Ghouta" and "eastern Ghouta"); otherwise their governorates share one (an event's
   own province-level place, else every governorate its article's source gives);
4. **actors**: the actors of their non-culprit arguments (targets, victims — also of the deaths and injuries
   they caused —, participants...; registry actors count by id and by actor type, other mentions by actor
   type) share one, or one of the events names none. The culprit (``attacker`` / ``agent``) is left out on
   purpose: which culprit a report names is what outlets contest.

An **incident** is a connected group of linked reports spanning at least two documents (single linkage, so
it does not depend on the order of documents; two reports can sit in one incident through a third one).
Each link has a score, the mean of three parts: date 1.0 when both are the same single day, else 0.5; place
1.0 for compatible fine places, else 0.5 (governorate only); actors 1.0 when they share a registry actor,
0.75 when they share only an actor type, 0.5 when one names none. A member's **confidence** is the best
score of its links. An incident's **id** is ``inc-`` and the first 12 hex digits of the SHA-256 of its
members' ``doc_id#event_id``, sorted, one per line: adding documents that do not join it never changes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Iterable

from counterclaim.corpus.places import place_key
from counterclaim.incidents.reports import MAX_EVENT_DAYS, PUBLISHED_LAG_DAYS, Report

ID_PREFIX = "inc-"
ID_HEX = 12
SCORES = {
    "date": {"same day": 1.0, "overlap": 0.5},
    "place": {"fine place": 1.0, "governorate": 0.5},
    "actors": {"registry actor": 1.0, "actor type": 0.75, "unknown": 0.5},
}


@dataclass(frozen=True)
class Link:
    """Why two reports are linked: the score of each part."""

    date: float
    place: float
    actors: float

    @property
    def score(self) -> float:
        return round((self.date + self.place + self.actors) / 3, 2)


def places_compatible(a: str, b: str) -> bool:
    """The words of one name include all the words of the other ("Ghouta", "eastern Ghouta")."""
    wa, wb = set(place_key(a).split()), set(place_key(b).split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def link(a: Report, b: Report) -> Link | None:
    """The link between two reports, or None when the rule keeps them apart."""
    if a.type != b.type or a.last_day < b.first_day or b.last_day < a.first_day:
        return None
    date = SCORES["date"]["same day" if a.single_day and b.single_day else "overlap"]
    if a.place and b.place:
        if not places_compatible(a.place, b.place):
            return None
        place = SCORES["place"]["fine place"]
    elif a.governorates & b.governorates:
        place = SCORES["place"]["governorate"]
    else:
        return None
    if a.actors and b.actors:
        shared = a.actors & b.actors
        if not shared:
            return None
        actors = SCORES["actors"]["actor type" if all(k.startswith("type:") for k in shared) else "registry actor"]
    else:
        actors = SCORES["actors"]["unknown"]
    return Link(date, place, actors)


@dataclass(frozen=True)
class Member:
    report: Report
    confidence: float


@dataclass(frozen=True)
class Incident:
    id: str
    type: str
    members: tuple[Member, ...]  # sorted by document id, then event id

    @property
    def documents(self) -> list[str]:
        return sorted({m.report.doc_id for m in self.members})

    @property
    def first_day(self) -> dt.date:
        return min(m.report.first_day for m in self.members)

    @property
    def last_day(self) -> dt.date:
        return max(m.report.last_day for m in self.members)

    @property
    def places(self) -> list[str]:
        return sorted({m.report.place for m in self.members if m.report.place})

    @property
    def governorates(self) -> list[str]:
        return sorted({g for m in self.members for g in m.report.governorates})


def incident_id(keys: Iterable[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(keys)).encode("utf-8")).hexdigest()
    return f"{ID_PREFIX}{digest[:ID_HEX]}"


def find_incidents(reports: Iterable[Report]) -> list[Incident]:
    """Every incident among ``reports`` (see the module docstring), sorted by first day, then id."""
    reports = sorted(reports, key=lambda r: r.key)
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only reports that share a bucket are compared: linked reports share a type, a day, and a governorate or
    # (both having fine places with compatible names) a word of their places.
    buckets: dict[tuple[str, dt.date, str], list[int]] = {}
    for i, r in enumerate(reports):
        keys = [f"g:{g}" for g in r.governorates] + [f"w:{w}" for w in place_key(r.place or "").split()]
        for n in range((r.last_day - r.first_day).days + 1):
            day = r.first_day + dt.timedelta(days=n)
            for key in keys:
                buckets.setdefault((r.type, day, key), []).append(i)
    best = [0.0] * len(reports)
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                found = link(reports[i], reports[j])
                if found is None:
                    continue
                best[i], best[j] = max(best[i], found.score), max(best[j], found.score)
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(reports)):
        groups.setdefault(root(i), []).append(i)
    incidents = []
    for indexes in groups.values():
        if len({reports[i].doc_id for i in indexes}) < 2:
            continue
        members = tuple(Member(reports[i], best[i]) for i in indexes)
        incidents.append(Incident(incident_id(m.report.key for m in members), reports[indexes[0]].type, members))
    return sorted(incidents, key=lambda inc: (inc.first_day, inc.id))


RULE_CONSTANTS = {"MAX_EVENT_DAYS": MAX_EVENT_DAYS, "PUBLISHED_LAG_DAYS": PUBLISHED_LAG_DAYS}


def rule_text() -> str:
    """The rule as the module docstring states it, with its constants filled in (for the dataset card)."""
    text = __doc__.split("\n\n", 1)[1].strip()
    for name, value in RULE_CONSTANTS.items():
        text = text.replace(f"``{name}``", str(value))
    return text.replace("``", "`")
