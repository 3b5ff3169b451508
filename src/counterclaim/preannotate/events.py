"""Event triggers with type, mode, realis and granularity, from the lexicon's trigger table.

A trigger is a phrase of :data:`lexicon.TRIGGERS`; of overlapping triggers the longest wins ("missile
attacks" over "attacks"). Common verbs ("hit", "sent", "destroyed") count only in a sentence that also holds a
cue word of their type (a weapon, a strike, troops) or, for attacks, an armed actor. Triggers inside an actor
mention are not events, and phrases the guidelines treat as one event are one (:func:`_one_event`).

- **mode**: the trigger's own, else the mode cue nearest to it in the sentence ("Russian air strikes hit"
  -> aerial), else ``unspecified``;
- **realis**: the first cue found, in the order negated, generic, hypothetical, future, among the few tokens
  before the trigger in its clause (and a modal right after a noun trigger: "the campaign ... will last");
  an infinitive "to" right before the trigger is ``future`` ("to retake towns"); otherwise ``actual``;
- **granularity**: the trigger's own, else ``aggregate`` for plural attack or fighting nouns ("air strikes")
  and for triggers near an aggregate cue ("campaign", "since", "in the past month"), else ``single``.
"""

from __future__ import annotations

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate import syntax
from counterclaim.preannotate.mentions import mention_type
from counterclaim.preannotate.model import Event, Mention
from counterclaim.preannotate.pipeline import Parsed

_MODALS_AFTER = {"will": "future", "would": "hypothetical", "may": "hypothetical", "might": "hypothetical",
                 "could": "hypothetical"}
_AFTER_WINDOW = 5
_AGGREGATE_WINDOW = 8
_PLURAL_TYPES = ("ATTACK", "CLASH")
_ARMED = ("military", "armed_group")


def _mode(p: Parsed, type_id: str, start: int, end: int) -> str:
    first, last = p.sentence(start)
    cues = p.any_of(f"MODE:{type_id}:", first, last)
    if not cues:
        return "unspecified"
    key, _, _ = min(cues, key=lambda c: min(abs(c[1] - start), abs(c[2] - end)))
    return key.rsplit(":", 1)[1]


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
    if p.lower(start - 1) == "to":
        return "future"
    return "actual"


def _granularity(p: Parsed, type_id: str, start: int, end: int) -> str:
    last = p.lower(end - 1)
    if type_id in _PLURAL_TYPES and last.endswith("s") and not last.endswith("ss"):
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


def _one_event(p: Parsed, events: list[Event]) -> list[Event]:
    """Phrases that the guidelines annotate as one event: "the trigger is the word or shortest phrase ... a noun
    such as 'air strikes' when there is no verb".

    - a noun trigger that is the subject or the "by" agent of a verb of its type is that verb's event:
      "Russian air strikes hit ..." and "hit by Russian airstrikes" are one attack, triggered by "hit";
    - "campaign of Russian air strikes" is one trigger (the head with what it is a campaign of);
    - ", targeting X" after an attack elaborates it: X is the attack's object, not another attack.
    """
    dropped: set[int] = set()
    ordered = sorted(events, key=lambda e: e.start)
    for a, b in zip(ordered, ordered[1:]):
        if a.type != b.type or p.sent_of[a.start] != p.sent_of[b.start]:
            continue
        between = [p.lower(k) for k in range(a.end, b.start)]
        if all(w in syntax.LIGHT for w in between) and _verb_like(p, b) and not _verb_like(p, a):
            dropped.add(id(a))  # "Russian air strikes hit"
        elif between and between[0] in ("by", "of") and len(between) <= 6 and _verb_like(p, a) and not _verb_like(p, b):
            dropped.add(id(b))  # "hit by Russian airstrikes"
        elif between and between[0] == "of" and len(between) <= 3 and p.lower(a.end - 1) in lx.NOMINAL_TRIGGER_WORDS:
            a.end, a.mode, a.rule = b.end, b.mode if a.mode == "unspecified" else a.mode, "trigger-phrase"
            dropped.add(id(b))  # "campaign of Russian air strikes"
        elif p.lower(b.start - 1) == "," and p.lower(b.end - 1).endswith("ing"):
            a.objects.append(b.end)  # ", targeting the Islamic State"
            dropped.add(id(b))
    return [ev for ev in ordered if id(ev) not in dropped]


def find_events(p: Parsed, ont: Ontology, mentions: list[Mention]) -> list[Event]:
    """Every event the trigger table finds, in text order."""
    in_mention = {i for m in mentions if not m.weak for i in range(m.start, m.end)}
    armed = {m.start for m in mentions if not m.weak and mention_type(ont, m) in _ARMED}
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
        if span & taken or span & in_mention:
            continue
        if trig.context and not _has_context(p, type_id, start, end, armed):
            continue
        taken |= span
        events.append(Event(
            start, end, type_id, trig.mode or _mode(p, type_id, start, end), _realis(p, start, end),
            trig.granularity or _granularity(p, type_id, start, end),
            "trigger-context" if trig.context else "trigger",
        ))
    return _one_event(p, events)
