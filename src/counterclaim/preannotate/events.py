"""Event triggers with type, mode, realis and granularity, from the lexicon's trigger table.

A trigger is a phrase of :data:`lexicon.TRIGGERS` (or its bracketed head: "in [support] of" -> "support"); of
overlapping triggers the longest wins ("missile attacks" over "attacks"). Common verbs ("hit", "sent",
"destroyed") count only in a sentence that also holds a cue word of their type (a weapon, a strike, troops)
or, for attacks, an armed actor. Triggers inside an actor mention or a time expression ("since raids began a
month ago") are not events, nor is a noun that only modifies another ("war strategy", "war-torn"); phrases the
guidelines treat as one event are one (:func:`_one_event`, R7, R25).

- **mode**: the trigger's own, else the mode cue nearest to it in the sentence ("Russian air strikes hit"
  -> aerial), else ``unspecified`` ("when the text does not say");
- **realis**: the first cue found, in the order negated, generic, hypothetical, future, among the few tokens
  before the trigger in its clause (and a modal right after a noun trigger: "the campaign ... will last"); an
  infinitive "to" right before the trigger makes it a purpose, ``hypothetical`` (R10: "to retake towns"),
  unless what comes before the "to" says it happens ("began to") or names a programme with its activity (R35:
  "a program to train and equip"); otherwise ``actual``;
- **granularity**: the trigger's own (wars, offensives, pushes: R28), else ``aggregate`` for plural attack or
  fighting nouns ("air strikes", R9), for verbs whose attack noun was merged into them ("hit by Russian
  airstrikes") and for triggers near an aggregate cue ("campaign", "since", "in the past month"), else
  ``single``.

An accusation that is the cue of a claim about events is that claim, not an ACCUSE event
(:func:`drop_reported_accusations`, R13).
"""

from __future__ import annotations

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate import syntax
from counterclaim.preannotate.mentions import mention_type
from counterclaim.preannotate.model import Claim, Event, Mention, TimeExpr
from counterclaim.preannotate.pipeline import Parsed

_MODALS_AFTER = {"will": "future", "would": "hypothetical", "may": "hypothetical", "might": "hypothetical",
                 "could": "hypothetical"}
_AFTER_WINDOW = 5
_AGGREGATE_WINDOW = 8
_MEANS_WINDOW = 8  # tokens between a verb and the attack noun that is its means (R25)
_PLURAL_TYPES = ("ATTACK", "CLASH")
_ARMED = ("military", "armed_group")
_NOT_PLURAL_BEFORE = frozenset(("it", "he", "she", "which", "that", "who"))  # "it strikes": a verb
_DIRECTIVE_WINDOW = 8  # tokens between a directive verb and the "to" of what it directs
_PROCESS_WINDOW = 4  # tokens between a start verb and the process it starts


def _mode(p: Parsed, type_id: str, start: int, end: int) -> str:
    first, last = p.sentence(start)
    cues = p.any_of(f"MODE:{type_id}:", first, last)
    if not cues:
        return "unspecified"
    key, _, _ = min(cues, key=lambda c: min(abs(c[1] - start), abs(c[2] - end)))
    return key.rsplit(":", 1)[1]


def _purpose(p: Parsed, start: int) -> str | None:
    """The realis an infinitive "to" before the trigger gives it (R10, R35), if there is one."""
    k = start - 1
    while k >= 0 and p.texts[k] in syntax.QUOTES:
        k -= 1  # "there to “train, advise and assist”"
    if p.lower(k) != "to":
        return None
    if p.lower(k - 1) in lx.ACTUAL_BEFORE_TO:
        return "actual"
    first, _ = p.sentence(k)
    if any(p.lower(j) in lx.DIRECTIVE_VERBS for j in range(max(first, k - _DIRECTIVE_WINDOW), k)):
        return "future"  # "directed the United Nations (UN) to begin"
    return "hypothetical"


def _realis(p: Parsed, start: int, end: int) -> str:
    before = (max(syntax.clause_start(p, start), start - lx.REALIS_WINDOW), start)
    _, sent_end = p.sentence(start)
    after = (end, min(sent_end, end + _AFTER_WINDOW))
    generic = p.find("REALIS:generic", syntax.clause_start(p, start), after[1])
    for value, _ in lx.REALIS_CUES:
        if p.find(f"REALIS:{value}", *before) or (value == "generic" and generic):
            return value
    for k in range(*after):
        if p.lower(k) in syntax.CLAUSE_BREAKS:
            break
        if p.lower(k) in _MODALS_AFTER:
            return _MODALS_AFTER[p.lower(k)]
    return _purpose(p, start) or "actual"


def _plural_noun(p: Parsed, start: int, end: int, subjects: set[int]) -> bool:
    """A trigger ending in a plural noun ("air strikes"), not a verb in the third person ("Russia strikes",
    "Russia Destroys")."""
    last = p.lower(end - 1)
    if not last.endswith("s") or last.endswith("ss"):
        return False
    return last in lx.NOMINAL_TRIGGER_WORDS or (start not in subjects and p.lower(start - 1) not in _NOT_PLURAL_BEFORE)


def _granularity(p: Parsed, type_id: str, start: int, end: int, subjects: set[int]) -> str:
    if type_id in _PLURAL_TYPES and _plural_noun(p, start, end, subjects):
        return "aggregate"
    first, sent_end = p.sentence(start)
    window = (max(first, start - _AGGREGATE_WINDOW), min(sent_end, end + _AGGREGATE_WINDOW))
    if type_id in _PLURAL_TYPES and p.find("AGGREGATE", *window):
        return "aggregate"
    return "single"


def _has_context(p: Parsed, type_id: str, start: int, end: int, armed: set[int]) -> bool:
    """A cue word of the type elsewhere in the sentence, or (for attacks) an armed actor in it."""
    first, last = p.sentence(start)
    if type_id == "ATTACK" and any(first <= i < last for i in armed):
        return True  # "Russia Destroys Islamic State Command Center"
    return any(not (s < end and start < e) for s, e in p.find(f"CONTEXT:{type_id}", first, last))


def _verb_like(p: Parsed, ev: Event) -> bool:
    """A trigger that reads as a verb: a past form, or a word that is neither a listed noun nor a plural."""
    last = p.lower(ev.end - 1)
    return last.endswith("ed") or (last not in lx.NOMINAL_TRIGGER_WORDS and not last.endswith("s"))


def _modifier(p: Parsed, start: int, end: int) -> bool:
    """A noun trigger that only modifies the noun after it ("war strategy", "war-torn")."""
    return p.texts[end - 1].isalpha() and p.lower(end - 1) in lx.NOMINAL_TRIGGER_WORDS and (
        p.lower(end) in lx.NOT_EVENT_BEFORE or (p.text(end) == "-" and not p.doc[end - 1].whitespace_))


def _subset(p: Parsed, noun: Event) -> bool:
    """An attack noun counted as a part ("five per cent of Russian air strikes", "most of the strikes"): the
    verb after it is a subset of the attacks, a second event (R25)."""
    k = noun.start - 1
    while k >= 0 and (p.texts[k] in lx.NATIONALITIES or p.lower(k) in syntax.ARTICLES):
        k -= 1
    return p.lower(k) == "of"


def _means(p: Parsed, verb: Event, noun: Event) -> bool:
    """Whether the noun phrase holding ``noun`` follows "by", "in" or "with" after ``verb`` ("hit by Russian
    airstrikes", "targeted today with 57 killed in missile attacks", "destroyed in the past month of Russian
    airstrikes"): the first preposition before the noun, skipping the "of" after a time unit."""
    for k in range(noun.start - 1, verb.end - 1, -1):
        word = p.lower(k)
        if word in lx.MEANS_PREPOSITIONS:
            return True
        if word == "of" and p.lower(k - 1) in lx.TIME_UNITS:
            continue
        if word in syntax.NP_STOP:
            return False
    return False


def _merge(a: Event, noun: Event) -> None:
    """The verb ``a`` names the same attack as ``noun`` (R25): it takes the noun's mode, plurality and place."""
    a.means.append((noun.start, noun.end))
    if a.mode == "unspecified":
        a.mode = noun.mode
    if noun.granularity == "aggregate":
        a.granularity = "aggregate"


def _one_event(p: Parsed, events: list[Event]) -> list[Event]:
    """Phrases that the guidelines annotate as one event: "the trigger is the word or shortest phrase ... a noun
    such as 'air strikes' when there is no verb" (R7, R25).

    - a noun trigger that is the subject, the "by" agent or the means ("in", "with") of a verb of its type is
      that verb's event: "Russian air strikes hit ...", "hit by Russian airstrikes", "targeted today with 57
      killed in missile attacks" are one attack each, triggered by the verb — unless the noun is counted as a
      part ("five per cent of Russian air strikes had attacked": the part is a second event);
    - "campaign of Russian air strikes" is one trigger (the head with what it is a campaign of);
    - ", targeting X" after an attack elaborates it: X is the attack's object, not another attack;
    - "with 1,600 targets destroyed" after an attack counts what that attack destroyed.
    """
    dropped: set[int] = set()
    ordered = sorted(events, key=lambda e: e.start)
    for a, b in zip(ordered, ordered[1:]):
        if a.type != b.type or p.sent_of[a.start] != p.sent_of[b.start]:
            continue
        between = [p.lower(k) for k in range(a.end, b.start)]
        if all(w in syntax.LIGHT and w != "to" for w in between) and _verb_like(p, b) and not _verb_like(p, a):
            if _subset(p, a):  # "five per cent of Russian air strikes had attacked": a part of many attacks
                b.granularity = a.granularity
                continue
            dropped.add(id(a))  # "Russian air strikes hit"
            _merge(b, a)
        elif between and between[0] == "of" and len(between) <= 3 and p.lower(a.end - 1) in lx.NOMINAL_TRIGGER_WORDS:
            a.rule = "trigger-phrase"
            _merge(a, b)
            dropped.add(id(b))  # "campaign of Russian air strikes": the campaign, its attacker inside (R7)
        elif p.lower(b.start - 1) == "," and p.lower(b.end - 1).endswith("ing"):
            a.objects.append(b.end)  # ", targeting the Islamic State"
            dropped.add(id(b))
    # means: a noun after "by", "in" or "with" in the verb's clause; counts: "with N targets destroyed"
    for b in ordered:
        if id(b) in dropped or b.type != "ATTACK":
            continue
        first, _ = p.sentence(b.start)
        verbs = [a for a in ordered if a.type == "ATTACK" and id(a) not in dropped and first <= a.start
                 and a.end <= b.start and b.start - a.end <= _MEANS_WINDOW and _verb_like(p, a)
                 and not any(p.texts[k] in syntax.LINK_BARRIERS or p.texts[k] == "," for k in range(a.end, b.start))]
        if not verbs:
            continue
        a = verbs[-1]
        if not _verb_like(p, b) and _means(p, a, b):
            dropped.add(id(b))  # "hit by Russian airstrikes", "targeted ... in missile attacks"
            _merge(a, b)
        elif _verb_like(p, b) and p.lower(b.start - 1) != "," and any(
                p.lower(k) == "with" and p.matches_at("number", k + 1) for k in range(a.end, b.start)):
            dropped.add(id(b))  # "hit by Russian airstrikes with 1,600 targets destroyed"
    return [ev for ev in ordered if id(ev) not in dropped]


def find_events(p: Parsed, ont: Ontology, mentions: list[Mention], times: list[TimeExpr] = ()) -> list[Event]:
    """Every event the trigger table finds, in text order."""
    in_mention = {i for m in mentions if not m.weak for i in range(m.start, m.end)}
    in_time = {i for t in times for i in range(t.start, t.end)}
    armed = {m.start for m in mentions if not m.weak and mention_type(ont, m) in _ARMED}
    subjects = {m.end for m in mentions if not m.weak}
    candidates = []
    for key in p.keys_with("TRIGGER:"):
        _, type_id, k = key.split(":")
        trig = lx.TRIGGERS[type_id][int(k)]
        for start, end in p.matches[key]:
            candidates.append((start, end, type_id, trig))
    order = {type_id: k for k, type_id in enumerate(lx.TRIGGERS)}
    taken: set[int] = set()
    events = []
    for start, end, type_id, trig in sorted(candidates, key=lambda c: (c[0] - c[1], c[0], order[c[2]])):
        span = set(range(start, end))
        if span & taken or span & in_mention or span & in_time or _modifier(p, start, end):
            continue
        if trig.context and not _has_context(p, type_id, start, end, armed):
            continue
        taken |= span
        head_start, head_end = trig.head([p.lower(k) for k in range(start, end)])
        start, end = start + head_start, start + head_end
        events.append(Event(
            start, end, type_id, trig.mode or _mode(p, type_id, start, end), _realis(p, start, end),
            trig.granularity or _granularity(p, type_id, start, end, subjects),
            "trigger-context" if trig.context else "trigger",
        ))
    return _ground_offensives(p, _one_event(p, [_started(p, ev) for ev in events]))


def _started(p: Parsed, ev: Event) -> Event:
    """A process after a verb that starts it ("to begin a new diplomatic process") is the verb's event, with the
    process as its topic."""
    if ev.type != "AGREE" or p.lower(ev.end - 1) not in lx.PROCESS_NOUNS:
        return ev
    first = max(syntax.clause_start(p, ev.start), ev.start - _PROCESS_WINDOW)
    verb = next((j for j in range(ev.start - 1, first - 1, -1) if p.lower(j) in lx.START_VERBS), None)
    if verb is None:
        return ev
    return Event(verb, verb + 1, ev.type, ev.mode, _realis(p, verb, verb + 1), ev.granularity, ev.rule,
                 topic=(verb + 1, ev.end))


def _ground_offensives(p: Parsed, events: list[Event]) -> list[Event]:
    """An attack whose purpose is to take ground ("a big attack to retake towns and villages") is a ground
    offensive: CLASH, mode ground, aggregate (R9, R28)."""
    starts = {ev.start: ev for ev in events}
    for ev in events:
        k = ev.end + (p.text(ev.end) in syntax.QUOTES)
        purpose = starts.get(k + 1) if p.lower(k) == "to" else None
        if ev.type == "ATTACK" and purpose is not None and purpose.type in lx.GROUND_OFFENSIVE_PURPOSES \
                and p.lower(ev.start - 1) not in syntax.MODALS:  # "a big attack to retake", not "to attack"
            ev.type, ev.mode, ev.granularity = "CLASH", "ground", "aggregate"
            purpose.granularity = "aggregate"
    return events


def drop_reported_accusations(events: list[Event], claims: list[Claim]) -> list[Event]:
    """An accusation that asserts events happened is the cue of a claim about them, not an ACCUSE event (R13:
    "blamed Russian airstrikes for the massacre")."""
    cues = {c.cue[0] for c in claims if c.cue is not None and any(
        s <= ev.start < e for ev in events for s, e in c.content)}
    return [ev for ev in events if not (ev.type == "ACCUSE" and ev.start in cues)]
