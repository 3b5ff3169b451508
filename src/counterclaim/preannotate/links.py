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
_SUBJECT_PHRASE = 5  # words of a noun phrase that is the subject of a passive attack
_COORDINATED = 3  # noun phrases coordinated after "with" or "by"
_INCLUDING = ("including",)
_PURPOSE = 8  # tokens between an event and the "to" of its purpose
_AGENT_ROLES = {"ATTACK": "attacker", "CLASH": "attacker", "TERRITORY_CHANGE": "agent", "DEPLOY": "agent",
                "WITHDRAW": "agent", "MILITARY_AID": "agent", "REQUEST": "agent", "ACCUSE": "agent"}
_FACILITIES = tuple(tuple(noun.split()) for noun in lx.FACILITY_NOUNS)


class _Linker:
    def __init__(self, p: Parsed, ont: Ontology, mentions: list[Mention], events: list[Event], times: list[TimeExpr],
                 places: list[Place] = ()):
        self.p = p
        self.place_starts = {pl.start: pl.end for pl in places}
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
        if not self.verbal(ev, None):
            while end - 1 > 0 and p.lower(end - 1) in lx.EVENT_NOUN_MODIFIERS and end - 1 not in self.by_end:
                end -= 1  # "Russia’s military campaign", "Russia’s launch of airstrikes"
        if end - 1 >= 0 and p.doc[end - 1].text in _POSSESSIVE:  # "Iran’s 1980-88 war"
            end -= 1
        relative = self.relative_antecedent(end)
        if relative is not None:  # "11 Islamic State targets, which officials said were destroyed"
            return relative, None
        if p.lower(end - 1) in _RELATIVES:  # "the U.S.-led coalition that is fighting ISIS"
            end -= 1
        subject = self.by_end.get(end)
        noun = self.nouns.get(end)
        if subject is None and noun is not None and noun < ev.start:  # "Russian air strikes hit"
            subject = self.by_end.get(syntax.subject_end(p, noun, self.in_time))
        if subject is not None and subject.end != ev.start:
            subject = self.head_before(subject)
        return end, subject

    def relative_antecedent(self, end: int) -> int | None:
        """Where the antecedent of a relative clause with its own cue ends ("targets, which officials said
        were destroyed": the subject of "destroyed" is what "which" stands for)."""
        p = self.p
        cue = next((s for _, s, e in p.any_of("CUE:", max(0, end - 2), end) if e == end), None)
        if cue is None:
            return None
        k = syntax.subject_end(p, cue, self.in_time, parenthesis=False)
        while k - 1 > 0 and p.doc[k - 1].is_alpha and p.lower(k - 1) not in _RELATIVES and end - k < 6:
            k -= 1
        if p.lower(k - 1) not in _RELATIVES:
            return None
        k -= 1
        return k - (p.text(k - 1) == ",")

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
        for m in self.mentions_in(ev.start, ev.end):
            self.add(ev, roles.get("before"), "argument-inside", mention=m)
        if ev.topic is not None:  # "begin a new diplomatic process"
            self.add(ev, "topic", "argument-process", span=ev.topic)
        for s, e in ev.means:  # "campaign of Russian air strikes", "hit by Russian airstrikes" (R8, R25)
            for m in self.modifiers(s, e):
                self.add(ev, roles.get("before"), "argument-means", mention=m)
        if subject is not None:
            for m in syntax.conjuncts(p, self.by_end, subject):
                self.add(ev, role, "argument-subject", mention=m)
        elif ev.type == "ATTACK" and end in self.weapons:  # "the missiles landed"
            self.add(ev, "instrument", "argument-subject-span", span=(self.weapons[end], end))
        elif passive and roles.get("passive") in _SPAN_ROLES:  # "The warehouse was completely destroyed" (R27)
            noun = self.subject_phrase(end)
            inside = self.mentions_in(*noun) if noun is not None else []
            for m in inside:
                self.add(ev, roles["passive"], "argument-subject", mention=m)
            if noun is not None and not inside and not self.generic(*noun):
                self.add(ev, roles["passive"], "argument-passive-span", span=noun)
        k = ev.end
        while p.lower(k) in ("out", "up"):
            k += 1
        word = p.lower(k)
        if word in ("by", "with", "of"):
            if word != "of" or not self.verbal(ev, subject):
                if word == "of" and p.lower(ev.end - 1) in lx.OF_RECIPIENT_WORDS:
                    roles = {**roles, "of": "recipient"}  # "in support of the Syrian government"
                start, stop = self.coordinated_phrase(k + 1)
                topic = next((other for other in self.events if other is not ev and start <= other.start < stop
                              and other.type in ("ATTACK", "CLASH")), None)
                if topic is not None and "topic" in self.ont.event_type_by_id[ev.type].roles:
                    self.add(ev, "topic", f"argument-{word}-event", event=topic)  # "co-operate with a campaign"
                else:
                    for m in self.mentions_in(start, stop):
                        self.add(ev, roles.get(word), f"argument-{word}", mention=m)
        elif word in lx.TARGET_PREPOSITIONS and ev.type in ("ATTACK", "CLASH") and p.lower(k + 1) != "behalf":
            self.object(ev, roles.get("after"), *syntax.noun_phrase(p, k + 1), "argument-prepositional")
        elif word in lx.MOVEMENT_PREPOSITIONS and ev.type in ("DEPLOY", "WITHDRAW"):
            place = next((pl for pl in places if k < pl.start <= k + 2), None)
            if place is not None:
                self.add(ev, lx.MOVEMENT_PREPOSITIONS[word], "argument-movement", span=(place.start, place.end))
        elif not passive and "after" in roles and self.verbal(ev, subject):
            start, stop = syntax.noun_phrase(p, self.after_free_relative(k))
            self.object(ev, roles["after"], start, stop, "argument-object")
            if ev.type == "ATTACK" and p.lower(stop) in lx.TARGET_PREPOSITIONS:  # "fired ... missiles at a market"
                self.object(ev, "target", *syntax.noun_phrase(p, stop + 1), "argument-prepositional")
        for start in ev.objects:  # "carrying out airstrikes in Syria, targeting the Islamic State"
            self.object(ev, roles.get("after"), *syntax.noun_phrase(p, self.after_free_relative(start)),
                        "argument-object")

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for s, m in sorted(self.by_start.items()) if start <= s and m.end <= end]

    def modifiers(self, start: int, end: int) -> list[Mention]:
        """The mentions modifying an attack noun ("Russian" in "the Russian airstrikes"): those ending right
        before it (or before an article of it), and those inside it."""
        found = [m for m in self.mentions_in(start, end)]
        k = start
        while k in self.by_end:
            found.insert(0, self.by_end[k])
            k = self.by_end[k].start
        return found

    def subject_phrase(self, end: int) -> tuple[int, int] | None:
        """The noun phrase ending at ``end`` that is the subject of a passive verb ("The warehouse", "mosques
        that might be targeted"), if it is a short noun phrase of words."""
        p = self.p
        first, _ = p.sentence(end - 1) if end > 0 else (0, 0)
        if end - 1 < first or not p.doc[end - 1].is_alpha or p.lower(end - 1) in lx.PRONOUNS:
            return None
        start = end - 1
        while start - 1 >= max(first, end - _SUBJECT_PHRASE) and p.doc[start - 1].is_alpha \
                and p.lower(start - 1) not in syntax.NP_STOP and p.lower(start - 1) not in syntax.LIGHT:
            start -= 1
        if p.lower(start - 1) in syntax.ARTICLES:
            start -= 1
        return (start, end) if p.lower(start) not in lx.PRONOUNS else None

    def coordinated_phrase(self, start: int) -> tuple[int, int]:
        """The noun phrase at ``start`` with the phrases coordinated with it ("with Russian Foreign Minister
        Sergey Lavrov and the UN envoy to Syria, Staffan de Mistura")."""
        p = self.p
        start, stop = syntax.noun_phrase(p, start)
        if start >= len(p.doc):
            return start, stop
        _, sent_end = p.sentence(start)
        for _ in range(_COORDINATED):
            k = stop
            while k < sent_end and (p.lower(k) in ("to", "of") or (
                    k < stop + 4 and k not in self.by_start and p.alphas[k]
                    and p.lower(k) not in ("and", "but", "who", "which", "that"))):
                k += 1  # "the UN envoy to Syria"
            if p.lower(k) == "and" or (p.text(k) == "," and k + 1 in self.by_start):
                _, stop = syntax.noun_phrase(p, k + 1)
            else:
                break
        return start, stop

    def after_free_relative(self, k: int) -> int:
        """Where the object starts after "what X said were" ("targeting what Moscow said were ISIS positions")."""
        p = self.p
        if p.lower(k) != "what":
            return k
        cue = next((e for _, s, e in p.any_of("CUE:", k + 1, k + 6)), None)
        if cue is None:
            return k
        return cue + (p.lower(cue) in syntax.AUXILIARIES)

    def object(self, ev: Event, role: str | None, start: int, end: int, rule: str) -> None:
        p = self.p
        inside = self.mentions_in(start, end)
        weapon = next(((s, e) for e, s in self.weapons.items() if start <= s and e <= end), None)
        topic = next((other for other in self.events if other is not ev and start <= other.start < end), None)
        facility = any(any(p.lower(m.end) == words[0] and all(p.lower(m.end + n) == w for n, w in enumerate(words))
                           for words in _FACILITIES) for m in inside)
        if topic is not None and "topic" in self.ont.event_type_by_id[ev.type].roles:
            self.add(ev, "topic", f"{rule}-event", event=topic)  # "blamed Russian airstrikes"
        elif inside and not (facility and role in _SPAN_ROLES):
            for m in inside:
                self.add(ev, role, rule, mention=m)
        elif ev.type == "ATTACK" and weapon is not None:
            self.add(ev, "instrument", f"{rule}-span", span=weapon)
        elif end > start and role in _SPAN_ROLES and any(p.doc[i].is_alpha for i in range(start, end)) \
                and not self.generic(start, end):
            self.add(ev, role, f"{rule}-span", span=self.target_span(start, end))

    def generic(self, start: int, end: int) -> bool:
        """A span that names nothing but "targets" ("1,623 targets were hit", R27)."""
        words = [self.p.lower(k) for k in range(start, end) if self.p.doc[k].is_alpha]
        return not words or (words[-1] in lx.GENERIC_TARGETS and all(w in syntax.ARTICLES for w in words[:-1]))

    def target_span(self, start: int, end: int) -> tuple[int, int]:
        """A target named as a span (R27): the noun phrase without a count before its noun ("an astonishing
        1,623 jihadi targets" -> "jihadi targets"), with a list it includes (", including military camps, ...")
        and a place inside it ("areas in western Syria")."""
        p = self.p
        counts = [e for s, e in p.matches.get("number", ()) if start <= s and e < end]
        if counts:
            start = max(counts)
        _, sent_end = p.sentence(start)
        if p.text(end) == "," and p.lower(end + 1) in _INCLUDING:
            k = end + 2
            while k < sent_end and (p.lower(k) not in syntax.NP_STOP or p.texts[k] == ",") and not p.spaces[k]:
                k += 1
            while p.texts[k - 1] == ",":
                k -= 1
            end = k
        if p.lower(end - 1) in lx.AREA_NOUNS and p.lower(end) in _LOCATING_PREPOSITIONS[:3] \
                and end + 1 in self.place_starts:
            end = self.place_starts[end + 1]
        return start, end

    def purpose_agent(self, ev: Event, events: list[Event]) -> None:
        """An event that is the purpose of another ("troops have arrived in Syria to support the Syrian army",
        R10) is carried out by that event's agent or attacker, when it has none of its own."""
        p = self.p
        own = _AGENT_ROLES.get(ev.type)
        k = ev.start - 1 - (p.texts[ev.start - 1] in syntax.QUOTES if ev.start > 0 else 0)
        if own is None or p.lower(k) != "to" or any(a.role == own for a in ev.arguments):
            return
        first, _ = p.sentence(ev.start)
        before = [other for other in events if first <= other.start and other.end <= k and k - other.end <= _PURPOSE
                  and not syntax.crosses_barrier(p, other.end, k)]
        if not before:
            return
        for arg in before[-1].arguments:
            if arg.role in ("agent", "attacker") and arg.mention is not None:
                self.add(ev, own, "argument-purpose", mention=arg.mention)

    def cause(self, ev: Event, events: list[Event]) -> None:
        """A death or injury is caused by the nearest attack of its sentence."""
        first, last = self.p.sentence(ev.start)
        attacks = [a for a in events if a.type == "ATTACK" and first <= a.start < last]
        if attacks:
            nearest = min(attacks, key=lambda a: abs(a.start - ev.start))
            self.add(ev, "cause", "argument-cause", event=nearest)


def _distance(item, ev: Event) -> int:
    """Tokens between an item and the event's trigger or an attack noun merged into it."""
    return min(item.start - e if item.start >= e else s - item.end for s, e in ((ev.start, ev.end), *ev.means))


_OPENING = 2  # tokens before a time or place that opens its sentence ("In Vienna today the United States ...")


def _attach(p: Parsed, events: list[Event], items: list, cues: list[tuple[int, int]]) -> dict[int, object]:
    """Times or places for events: each item goes to the events of its sentence nearest to it (within
    ``_SLACK`` tokens of the nearest, at most ``_LINK_WINDOW`` away), never across a dash, colon, semicolon or
    reporting verb ("In Washington, Obama said Russia’s campaign fails": Washington is where he spoke). An event
    keeps the closest item offered, a place after "in", "at" or "near" before others."""
    offers: dict[int, list] = {}
    for item in items:
        first, last = p.sentence(item.start)
        window = last - first if item.start - first <= _OPENING else _LINK_WINDOW
        reachable = [(_distance(item, ev), ev) for ev in events if first <= ev.start < last
                     and 0 <= _distance(item, ev) <= window
                     and not syntax.crosses_barrier(p, item.start, ev.start)
                     and not any(min(item.start, ev.start) < s < max(item.start, ev.start) for s, _ in cues)]
        if not reachable:
            continue
        modified = next((ev for d, ev in reachable if d == 0 and item.end <= ev.start), None)
        if modified is not None:  # "in the mid-morning attack": the time belongs to the attack alone
            reachable = [(0, modified)]
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
    linker = _Linker(p, ont, mentions, events, times, places)
    cues = [(s, e) for _, s, e in p.any_of("CUE:", 0, len(p.doc))]
    times = [t for t in times if not _dates_a_report(p, t)]
    time_of = _attach(p, events, times, cues)
    place_of = _attach(p, events, places, cues)
    for ev in events:
        linker.arguments(ev, places)
        if ev.type in ("DIE", "INJURE"):
            linker.cause(ev, events)
    for ev in events:
        linker.purpose_agent(ev, events)
        if id(ev) in time_of:
            ev.time = (time_of[id(ev)], "time-nearest")
        if id(ev) in place_of:
            ev.place = (place_of[id(ev)], "place-nearest")
    for ev in events:
        _plural_targets(p, ev)
    attached = []
    for q in quantities:
        first, last = p.sentence(q.start)
        fitting = lx.MEASURAND_EVENTS[q.measurand]
        candidates = [ev for ev in events if first <= ev.start < last and ev.type in fitting]
        if not candidates:
            continue
        if p.lower(q.end) == "of" and len(candidates) > 1:  # "five per cent of Russian air strikes had attacked":
            candidates = [ev for ev in candidates if not (q.end < ev.start <= q.end + 4 and not _verbal(p, ev))] \
                or candidates  # the part of the attacks, not the attacks
        ev = min(candidates, key=lambda e: (fitting.index(e.type), abs(e.start - q.start)))
        ev.quantities.append((q, "quantity-measurand"))
        if q.measurand in _AGGREGATE_MEASURANDS and (q.value or q.low or 0) > 1:
            ev.granularity = "aggregate"
        attached.append(q)
    return attached


def _verbal(p: Parsed, ev: Event) -> bool:
    last = p.lower(ev.end - 1)
    return last.endswith("ed") or (last not in lx.NOMINAL_TRIGGER_WORDS and not last.endswith("s"))


def _plural_targets(p: Parsed, ev: Event) -> None:
    """An attack on several targets or a capture of several places is several incidents (R9: "striking Islamic
    State fighters", "mosques that might be targeted", "to retake towns and villages")."""
    if ev.type not in ("ATTACK", "TERRITORY_CHANGE") or ev.granularity == "aggregate":
        return
    for arg in ev.arguments:
        if arg.role != "target":
            continue
        start, end = arg.span or ((arg.mention.start, arg.mention.end) if arg.mention else (0, 0))
        last = p.lower(end - 1)
        if arg.mention is not None and arg.mention.rule != "alias-member":
            continue  # "IS", "the IS group": the actor, not a count of targets
        if (last.endswith("s") and not last.endswith("ss")) or any(p.lower(k) == "and" for k in range(start, end)):
            ev.granularity = "aggregate"


def link_claims(claims: list[Claim], events: list[Event], quantities: list[Quantity]) -> None:
    """A claim is about the events and attached quantities inside its content spans — or, for a claim referred to
    by a noun, inside the spans it refers to (R31)."""
    for c in claims:
        spans = c.about_spans or c.content
        rule = "about-referred" if c.about_spans else "about-inside-content"

        def inside(item) -> bool:
            return any(s <= item.start and item.end <= e for s, e in spans)
        c.about_events = [(ev, rule) for ev in events if inside(ev)]
        c.about_quantities = [(q, rule) for q in quantities if inside(q)]
        if c.rule == "relative" and c.content[0][1] - c.content[0][0] == 1:
            # "targeting what Moscow said were ISIS positions": about the attack whose object "what" is
            k = c.content[0][0]
            c.about_events += [(ev, "about-relative") for ev in events
                               if (ev.end == k or k in ev.objects) and (ev, rule) not in c.about_events]


_SAME_FIGURE = 0.05  # relative difference of two figures that count the same thing ("1,600" and "1,623")


def relate_claims(ont: Ontology, claims: list[Claim]) -> None:
    """Claims of the article that support or contest each other, about the same events or numbers:

    - the same figure: claims giving the same count of the same thing (within 5%: "Russia destroys 1,600 ISIS
      targets", "it had hit ... 1,623 jihadi targets") support the first of them made by a named source;
    - the other side: a claim about a country's attacks made by a source of another country contests the first
      claim about those attacks made by that country's own side ("Russian officials said 26 cruise missiles
      were launched ..." — "US officials said they believed four Russian cruise missiles ... had crashed").
    """
    ordered = sorted(claims, key=lambda c: c.content[0])
    by_measurand: dict[str, list[tuple[Claim, float]]] = {}
    for c in ordered:
        for q, _ in c.about_quantities:
            value = q.value if q.value is not None else q.low
            if value and value > 0:
                by_measurand.setdefault(q.measurand, []).append((c, float(value)))
    for found in by_measurand.values():
        for c, value in found:
            same = [other for other, v in found if abs(v - value) <= _SAME_FIGURE * max(v, value)]
            supported = next((o for o in same if o.claimant is not None and not o.claimant.unnamed), same[0])
            if c is not supported and c.claimant is not supported.claimant and not _linked(c, supported):
                c.links.append(("supports", supported, "same-figure"))

    def country(m: Mention | None) -> str | None:
        return ont.actor_by_id[m.actor].country if m is not None and m.actor is not None else None

    def attackers(c: Claim) -> set[str]:
        return {country(arg.mention) for ev, _ in c.about_events if ev.type == "ATTACK" for arg in ev.arguments
                if arg.role == "attacker" and country(arg.mention)}

    def own(c: Claim) -> bool:  # a country's source on its attacks (or on attacks whose attacker it leaves unsaid)
        attacks = [ev for ev, _ in c.about_events if ev.type == "ATTACK"]
        return country(c.claimant) is not None and bool(attacks) and attackers(c) <= {country(c.claimant)}

    own_side = [(c, country(c.claimant)) for c in ordered if own(c)]
    for c in ordered:
        side = country(c.claimant)
        if side is None:
            continue
        for attacker in sorted(attackers(c) - {side}):
            target = next((o for o, own in own_side if own == attacker and o is not c), None)
            if target is not None and not _linked(c, target):
                c.links.append(("contests", target, "other-side"))


def _linked(a: Claim, b: Claim) -> bool:
    return any(other is b for _, other, _ in a.links) or any(other is a for _, other, _ in b.links)
