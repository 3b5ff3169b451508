"""Links between what the other rules found: event arguments, numbers, times and places; what claims are about.

Without a parser, arguments come from position around the trigger (:data:`lexicon.ROLE_BY_POSITION`, per
mode where :data:`lexicon.ROLE_BY_MODE` says so), using :mod:`syntax`:

- the subject before the trigger, across light words and a parenthesis ("Russian jets carried out air
  strikes", "it had hit", "The Syrian National Council, the main ... group in exile, blamed"), with the
  mentions coordinated with it ("the USA and its allies"): ``attacker``, ``agent``, ``participant``... —
  before a passive ("were launched", "was rocked") the passive role (``target``, ``victim``); the subject of
  a noun trigger right before the verb ("Russian air strikes hit") is the verb's subject too; a weapon as the
  subject of an attack is its ``instrument`` ("the missiles landed");
- a verb's object: mentions in the noun phrase after it ("hit 55 Islamic State targets"), or a weapon as the
  ``instrument`` ("fired more than 11 missiles"); noun triggers take no object ("the air strikes had");
- "by X" is the agent of a passive ("killed by ... terrorists"), "with X" a participant ("talks with
  President Francois Hollande"), "of X" the subject of a noun ("involvement of Iran"); after "on", "at",
  "against" an attack's target may be a plain span ("strikes on areas"); a place after "into", "to", "in",
  "from" is where a deployment goes or comes from;
- a death or injury is caused by the nearest attack in its sentence (``cause``).

Roles are kept only when the ontology allows them for the event type. A number belongs to the event of its
sentence whose type fits its measurand (:data:`lexicon.MEASURAND_EVENTS`), nearest first; a time or place to
the nearest event of its sentence, not across a dash, colon or semicolon; a time next to a reporting verb
dates the report ("Moscow today revealed"), not an event. A claim is about the events and numbers inside its
content.
"""

from __future__ import annotations

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate import syntax
from counterclaim.preannotate.model import Argument, Claim, Event, Mention, Place, Quantity, TimeExpr
from counterclaim.preannotate.pipeline import Parsed

_PARTICIPLES = frozenset(("hit", "struck", "sent", "shot", "fought", "lost", "hurt", "seen", "taken", "met", "held",
                          "led", "won", "left"))
_GERUND_AFTER = frozenset(("to", "for", "by", "after", "before", "without", "while", "on", *syntax.AUXILIARIES))
_LINK_WINDOW = 12  # tokens between a trigger and its time or place
_SLACK = 2  # how much further than the nearest event another event may be and share a time or place
_LOCATING_PREPOSITIONS = ("in", "at", "near", "inside", "across", "throughout", "within", "of")
_SPAN_ROLES = ("target", "destination", "origin", "topic", "instrument")
_AGGREGATE_MEASURANDS = ("targets_struck", "strikes", "sorties")
_POSSESSIVE = ("’s", "'s")
_RELATIVES = ("that", "which", "who")


class _Linker:
    def __init__(self, p: Parsed, ont: Ontology, mentions: list[Mention], events: list[Event], times: list[TimeExpr]):
        self.p = p
        self.ont = ont
        self.by_end = {m.end: m for m in mentions}
        self.by_start = {m.start: m for m in mentions}
        self.events = events
        # attack and fighting phrases, events or not, by end: the subject of "Russian air strikes hit" is Russian
        self.nouns: dict[int, int] = {}
        for key in p.keys_with("TRIGGER:ATTACK:"):
            for s, e in p.matches[key]:
                self.nouns[e] = min(s, self.nouns.get(e, s))
        self.in_time = {i for t in times for i in range(t.start, t.end)}
        self.weapons: dict[int, int] = {}  # end -> start of the longest weapon phrase ("cruise missiles")
        for s, e in p.matches.get("MNOUN:missiles", ()):
            self.weapons[e] = min(s, self.weapons.get(e, s))

    def add(self, ev: Event, role: str | None, rule: str, *, mention: Mention | None = None,
            span: tuple[int, int] | None = None, event: Event | None = None) -> None:
        if role is None or role not in self.ont.event_type_by_id[ev.type].roles:
            return
        if mention is not None:
            if any(a.mention is mention for a in ev.arguments):
                return
            mention.used = True
        ev.arguments.append(Argument(role, rule, mention, span, event))

    def subject(self, ev: Event) -> tuple[int, Mention | None]:
        """Where the trigger's subject ends, and its mention if any."""
        p = self.p
        end = syntax.subject_end(p, ev.start, self.in_time)
        if end - 1 >= 0 and p.doc[end - 1].text in _POSSESSIVE:  # "Iran’s 1980-88 war"
            end -= 1
        if p.lower(end - 1) in _RELATIVES:  # "the U.S.-led coalition that is fighting ISIS"
            end -= 1
        subject = self.by_end.get(end)
        noun = self.nouns.get(end)
        if subject is None and noun is not None and noun < ev.start:  # "Russian air strikes hit"
            subject = self.by_end.get(syntax.subject_end(p, noun, self.in_time))
        if subject is not None and subject.end != ev.start:
            subject = self.head_before(subject)
        return end, subject

    def head_before(self, m: Mention) -> Mention:
        """The head of a subject whose last mention sits in a modifying phrase ("Syrian rebels against
        president Bashar al-Assad" -> "Syrian rebels")."""
        p = self.p
        k = m.start - 1
        for _ in range(2):
            if p.doc[k].is_alpha and p.doc[k].is_lower and p.lower(k) not in lx.SUBJECT_MODIFIER_PREPOSITIONS:
                k -= 1
        if p.lower(k) in lx.SUBJECT_MODIFIER_PREPOSITIONS and k in self.by_end:
            return self.by_end[k]
        return m

    def verbal(self, ev: Event, subject: Mention | None) -> bool:
        """Whether the trigger is a verb that can take an object."""
        p = self.p
        last, prev = p.lower(ev.end - 1), p.lower(ev.start - 1)
        if last in lx.INTRANSITIVE_TRIGGER_WORDS:
            return False
        if prev in syntax.MODALS:
            return True  # "to retake", "will strike"
        modifier = subject is not None and subject.end == ev.start and subject.rule == "nationality-attack"
        if last in lx.NOMINAL_TRIGGER_WORDS or modifier:
            return False
        if last.endswith("ed") or last in _PARTICIPLES:
            return True
        if last.endswith("ing"):
            return prev in _GERUND_AFTER or (subject is not None and subject.end == ev.start)
        return subject is not None

    def arguments(self, ev: Event, places: list[Place]) -> None:
        p = self.p
        roles = {**lx.ROLE_BY_POSITION.get(ev.type, {}), **lx.ROLE_BY_MODE.get((ev.type, ev.mode), {})}
        end, subject = self.subject(ev)
        last = p.lower(ev.end - 1)
        participle = last.endswith(("ed", "en")) or last in _PARTICIPLES
        passive = participle and any(p.lower(k) in syntax.PASSIVE_AUXILIARIES for k in range(end, ev.start))
        role = roles.get("passive") if passive else roles.get("before")
        for m in self.mentions_in(ev.start, ev.end):  # "campaign of Russian air strikes"
            self.add(ev, roles.get("before"), "argument-inside", mention=m)
        if subject is not None:
            for m in syntax.conjuncts(p, self.by_end, subject):
                self.add(ev, role, "argument-subject", mention=m)
        elif ev.type == "ATTACK" and end in self.weapons:  # "the missiles landed"
            self.add(ev, "instrument", "argument-subject-span", span=(self.weapons[end], end))
        k = ev.end
        while p.lower(k) in ("out", "up"):
            k += 1
        word = p.lower(k)
        if word in ("by", "with", "of"):
            if word != "of" or not self.verbal(ev, subject):
                for m in self.mentions_in(*syntax.noun_phrase(p, k + 1)):
                    self.add(ev, roles.get(word), f"argument-{word}", mention=m)
        elif word in lx.TARGET_PREPOSITIONS and ev.type in ("ATTACK", "CLASH") and p.lower(k + 1) != "behalf":
            self.object(ev, roles.get("after"), *syntax.noun_phrase(p, k + 1), "argument-prepositional")
        elif word in lx.MOVEMENT_PREPOSITIONS and ev.type in ("DEPLOY", "WITHDRAW"):
            place = next((pl for pl in places if k < pl.start <= k + 2), None)
            if place is not None:
                self.add(ev, lx.MOVEMENT_PREPOSITIONS[word], "argument-movement", span=(place.start, place.end))
        elif not passive and "after" in roles and self.verbal(ev, subject):
            start, stop = syntax.noun_phrase(p, k)
            self.object(ev, roles["after"], start, stop, "argument-object")
            if ev.type == "ATTACK" and p.lower(stop) in lx.TARGET_PREPOSITIONS:  # "fired ... missiles at a market"
                self.object(ev, "target", *syntax.noun_phrase(p, stop + 1), "argument-prepositional")
        for start in ev.objects:  # "carrying out airstrikes in Syria, targeting the Islamic State"
            self.object(ev, roles.get("after"), *syntax.noun_phrase(p, start), "argument-object")

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for s, m in sorted(self.by_start.items()) if start <= s and m.end <= end]

    def object(self, ev: Event, role: str | None, start: int, end: int, rule: str) -> None:
        inside = self.mentions_in(start, end)
        weapon = next(((s, e) for e, s in self.weapons.items() if start <= s and e <= end), None)
        topic = next((other for other in self.events if other is not ev and start <= other.start < end), None)
        if topic is not None and "topic" in self.ont.event_type_by_id[ev.type].roles:
            self.add(ev, "topic", f"{rule}-event", event=topic)  # "blamed Russian airstrikes"
        elif inside:
            for m in inside:
                self.add(ev, role, rule, mention=m)
        elif ev.type == "ATTACK" and weapon is not None:
            self.add(ev, "instrument", f"{rule}-span", span=weapon)
        elif end > start and role in _SPAN_ROLES and any(self.p.doc[i].is_alpha for i in range(start, end)):
            self.add(ev, role, f"{rule}-span", span=(start, end))

    def cause(self, ev: Event, events: list[Event]) -> None:
        """A death or injury is caused by the nearest attack of its sentence."""
        first, last = self.p.sentence(ev.start)
        attacks = [a for a in events if a.type == "ATTACK" and first <= a.start < last]
        if attacks:
            nearest = min(attacks, key=lambda a: abs(a.start - ev.start))
            self.add(ev, "cause", "argument-cause", event=nearest)


def _distance(item, ev: Event) -> int:
    return item.start - ev.end if item.start >= ev.end else ev.start - item.end


def _attach(p: Parsed, events: list[Event], items: list, cues: list[tuple[int, int]]) -> dict[int, object]:
    """Times or places for events: each item goes to the events of its sentence nearest to it (within
    ``_SLACK`` tokens of the nearest, at most ``_LINK_WINDOW`` away), never across a dash, colon, semicolon or
    reporting verb ("In Washington, Obama said Russia’s campaign fails": Washington is where he spoke). An event
    keeps the closest item offered, a place after "in", "at" or "near" before others."""
    offers: dict[int, list] = {}
    for item in items:
        first, last = p.sentence(item.start)
        reachable = [(_distance(item, ev), ev) for ev in events if first <= ev.start < last
                     and 0 <= _distance(item, ev) <= _LINK_WINDOW
                     and not syntax.crosses_barrier(p, item.start, ev.start)
                     and not any(min(item.start, ev.start) < s < max(item.start, ev.start) for s, _ in cues)]
        if not reachable:
            continue
        nearest = min(d for d, _ in reachable)
        for d, ev in reachable:
            if d <= nearest + _SLACK:
                rank = getattr(item, "preposition", "in") not in _LOCATING_PREPOSITIONS
                offers.setdefault(id(ev), []).append(((rank, d, item.start < ev.start), item))
    return {key: min(found, key=lambda f: f[0])[1] for key, found in offers.items()}


def _dates_a_report(p: Parsed, t: TimeExpr) -> bool:
    """A time right next to a reporting verb dates the report: "Moscow today revealed", "said on Thursday"."""
    return any(s == t.end or e == t.start for _, s, e in p.any_of("CUE:", max(0, t.start - 4), t.end + 4))


def link_events(p: Parsed, ont: Ontology, events: list[Event], mentions: list[Mention], quantities: list[Quantity],
                times: list[TimeExpr], places: list[Place]) -> list[Quantity]:
    """Arguments, causes, times and places of ``events``; attaches quantities and returns those attached."""
    linker = _Linker(p, ont, mentions, events, times)
    cues = [(s, e) for _, s, e in p.any_of("CUE:", 0, len(p.doc))]
    times = [t for t in times if not _dates_a_report(p, t)]
    time_of = _attach(p, events, times, cues)
    place_of = _attach(p, events, places, cues)
    for ev in events:
        linker.arguments(ev, places)
        if ev.type in ("DIE", "INJURE"):
            linker.cause(ev, events)
        if id(ev) in time_of:
            ev.time = (time_of[id(ev)], "time-nearest")
        if id(ev) in place_of:
            ev.place = (place_of[id(ev)], "place-nearest")
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
