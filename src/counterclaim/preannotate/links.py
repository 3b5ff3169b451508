"""Links between what the other rules found: event arguments, numbers, times and places; what claims are about.

Without a parser, arguments come from position in the trigger's clause (:data:`lexicon.ROLE_BY_POSITION`):

- the mention right before the trigger, across auxiliaries and light verbs ("Russian jets carried out air
  strikes", "it had hit", "Russian air strikes"), is its subject: ``attacker``, ``agent``... — or, before a
  passive participle ("were launched", "was rocked"), what the passive role says (``target``, ``victim``);
- mentions in the noun phrase after it are its object ("hit 55 Islamic State targets" -> target), joined by
  "and" or commas; after "on", "at", "against" an attack's target may be a plain span ("strikes on areas");
- "by X" after the trigger is the agent of a passive ("killed by ... terrorists"), "with X" a participant
  ("talks with President Francois Hollande"); a place after "into", "to" or "from" is where a deployment
  goes or comes from;
- a death or injury is caused by the nearest attack in its sentence (``cause``).

Roles are kept only when the ontology allows them for the event type. A number belongs to the event of its
sentence whose type fits its measurand (:data:`lexicon.MEASURAND_EVENTS`), nearest first; a time or place to
the events of its sentence it is nearest to. A claim is about the events and numbers inside its content.
"""

from __future__ import annotations

from counterclaim.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.events import clause_start
from counterclaim.preannotate.model import Argument, Claim, Event, Mention, Place, Quantity, TimeExpr
from counterclaim.preannotate.pipeline import Parsed

_LIGHT = frozenset((
    "has", "have", "had", "was", "were", "is", "are", "be", "been", "being", "will", "would", "could", "may",
    "might", "also", "carried", "out", "conducted", "conducting", "carrying", "today", "heavily", "now",
    "reportedly", "not", "n't", "n’t", "already", "then", "just", "further", "did", "do", "does", "can",
    "should", "jointly", "successfully", "completely", "allegedly", "repeatedly",
))
_PASSIVE_AUX = frozenset(("was", "were", "been", "be", "being", "is", "are"))
_PARTICIPLES = frozenset(("hit", "struck", "sent", "shot", "fought", "lost", "hurt", "seen", "taken"))
_NP_STOP = frozenset((
    ",", ".", ";", ":", "in", "on", "at", "with", "since", "near", "by", "for", "from", "to", "into", "which",
    "who", "that", "after", "before", "while", "as", "without", "“", "”", "–", "—", "(", ")", "because",
    "when", "where", "but", "following", "amid", "amidst", "during", "over", "under", "across", "until",
))
_GAP = 4  # light tokens between a subject and its trigger
_NP_LENGTH = 8
_LINK_WINDOW = 10  # tokens between a trigger and its time or place
_SPAN_ROLES = ("target", "destination", "origin", "topic", "instrument")
_AGGREGATE_MEASURANDS = ("targets_struck", "strikes", "sorties")


class _Linker:
    def __init__(self, p: Parsed, ont: Ontology, mentions: list[Mention]):
        self.p = p
        self.ont = ont
        self.by_end = {m.end: m for m in mentions}
        self.by_start = {m.start: m for m in mentions}

    def add(self, ev: Event, role: str | None, rule: str, *, mention: Mention | None = None,
            span: tuple[int, int] | None = None, event: Event | None = None) -> None:
        if role is None or role not in self.ont.event_type_by_id[ev.type].roles:
            return
        if mention is not None:
            if any(a.mention is mention and a.role == role for a in ev.arguments):
                return
            mention.used = True
        ev.arguments.append(Argument(role, rule, mention, span, event))

    def subject(self, ev: Event) -> tuple[Mention | None, bool]:
        """The mention right before the trigger (across light words) and whether the trigger is passive."""
        p = self.p
        first = clause_start(p, ev.start)
        k = ev.start - 1
        gap: list[str] = []
        while k >= first and p.lower(k) in _LIGHT and len(gap) < _GAP:
            gap.append(p.lower(k))
            k -= 1
        last = p.lower(ev.end - 1)
        participle = last.endswith(("ed", "en")) or last in _PARTICIPLES
        return self.by_end.get(k + 1), participle and any(g in _PASSIVE_AUX for g in gap)

    def noun_phrase(self, start: int) -> tuple[int, int]:
        """The noun phrase starting at ``start``: up to a preposition, clause break or ``_NP_LENGTH`` tokens."""
        p = self.p
        _, sent_end = p.sentence(start)
        end = start
        while end < min(sent_end, start + _NP_LENGTH) and p.lower(end) not in _NP_STOP and not p.doc[end].is_space:
            end += 1
        return start, end

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for s, m in sorted(self.by_start.items()) if start <= s and m.end <= end]

    def arguments(self, ev: Event, places: list[Place]) -> None:
        p = self.p
        roles = lx.ROLE_BY_POSITION.get(ev.type, {})
        subject, passive = self.subject(ev)
        if subject is not None:
            self.add(ev, roles.get("passive") if passive else roles.get("before"), "argument-subject", mention=subject)
        k = ev.end
        while p.lower(k) in ("out", "up"):
            k += 1
        word = p.lower(k)
        if word == "by":
            for m in self.mentions_in(*self.noun_phrase(k + 1)):
                self.add(ev, roles.get("by"), "argument-by", mention=m)
        elif word == "with":
            for m in self.mentions_in(*self.noun_phrase(k + 1)):
                self.add(ev, roles.get("with"), "argument-with", mention=m)
        elif word in lx.TARGET_PREPOSITIONS and ev.type == "ATTACK":
            self.object(ev, "target", *self.noun_phrase(k + 1), "argument-prepositional")
        elif word in lx.MOVEMENT_PREPOSITIONS and ev.type in ("DEPLOY", "WITHDRAW"):
            place = next((pl for pl in places if k < pl.start <= k + 2), None)
            if place is not None:
                self.add(ev, lx.MOVEMENT_PREPOSITIONS[word], "argument-movement", span=(place.start, place.end))
        elif not passive and "after" in roles:
            self.object(ev, roles["after"], *self.noun_phrase(k), "argument-object")

    def object(self, ev: Event, role: str, start: int, end: int, rule: str) -> None:
        inside = self.mentions_in(start, end)
        if inside:
            for m in inside:
                self.add(ev, role, rule, mention=m)
        elif end > start and role in _SPAN_ROLES and any(self.p.doc[i].is_alpha for i in range(start, end)):
            self.add(ev, role, f"{rule}-span", span=(start, end))

    def cause(self, ev: Event, events: list[Event]) -> None:
        """A death or injury is caused by the nearest attack of its sentence."""
        first, last = self.p.sentence(ev.start)
        attacks = [a for a in events if a.type == "ATTACK" and first <= a.start < last]
        if attacks:
            nearest = min(attacks, key=lambda a: abs(a.start - ev.start))
            self.add(ev, "cause", "argument-cause", event=nearest)


def _nearest(p: Parsed, ev: Event, items: list, window: int):
    """The item of ``ev``'s sentence nearest to its trigger within ``window`` tokens (after it on ties)."""
    first, last = p.sentence(ev.start)
    best = None
    for item in items:
        if not first <= item.start < last:
            continue
        distance = item.start - ev.end if item.start >= ev.end else ev.start - item.end
        if 0 <= distance <= window and (best is None or distance < best[0]):
            best = (distance, item)
    return None if best is None else best[1]


def link_events(p: Parsed, ont: Ontology, events: list[Event], mentions: list[Mention], quantities: list[Quantity],
                times: list[TimeExpr], places: list[Place]) -> list[Quantity]:
    """Arguments, causes, times and places of ``events``; attaches quantities and returns those attached."""
    linker = _Linker(p, ont, mentions)
    for ev in events:
        linker.arguments(ev, places)
        if ev.type in ("DIE", "INJURE"):
            linker.cause(ev, events)
        time = _nearest(p, ev, times, _LINK_WINDOW)
        if time is not None:
            ev.time = (time, "time-nearest")
        place = _nearest(p, ev, places, _LINK_WINDOW)
        if place is not None:
            ev.place = (place, "place-nearest")
    attached = []
    for q in quantities:
        first, last = p.sentence(q.start)
        fitting = lx.MEASURAND_EVENTS[q.measurand]
        candidates = [ev for ev in events if first <= ev.start < last and ev.type in fitting]
        if not candidates:
            continue
        ev = min(candidates, key=lambda e: (fitting.index(e.type), abs(e.start - q.start)))
        ev.quantities.append((q, "quantity-measurand"))
        if q.measurand in _AGGREGATE_MEASURANDS and (q.value or q.low or 0) > 1:
            ev.granularity = "aggregate"
        attached.append(q)
    return attached


def link_claims(claims: list[Claim], events: list[Event], quantities: list[Quantity]) -> None:
    """A claim is about the events and attached quantities inside its content spans."""
    for c in claims:
        def inside(item) -> bool:
            return any(s <= item.start and item.end <= e for s, e in c.content)
        c.about_events = [(ev, "about-inside-content") for ev in events if inside(ev)]
        c.about_quantities = [(q, "about-inside-content") for q in quantities if inside(q)]
