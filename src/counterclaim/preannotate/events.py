"""Event triggers with type, mode, realis and granularity, from the lexicon's trigger table.

A trigger is a phrase of :data:`lexicon.TRIGGERS`; of overlapping triggers the longest wins ("missile
attacks" over "attacks"). Common verbs ("hit", "sent", "destroyed") count only in a sentence that also holds a
cue word of their type (a weapon, a strike, troops). Triggers inside an actor mention are not events.

- **mode**: the trigger's own, else the mode cue nearest to it in the sentence ("Russian air strikes hit"
  -> aerial), else ``unspecified``;
- **realis**: the first cue found, in the order negated, generic, hypothetical, future, among the few tokens
  before the trigger in its clause (and a modal right after a noun trigger: "the campaign ... will last");
  an infinitive "to" right before the trigger is ``future`` ("to retake towns"); otherwise ``actual``;
- **granularity**: the trigger's own, else ``aggregate`` for plural attack or fighting nouns ("air strikes")
  and for triggers near an aggregate cue ("campaign", "since", "in the past month"), else ``single``.
"""

from __future__ import annotations

from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate import syntax
from counterclaim.preannotate.model import Event, Mention
from counterclaim.preannotate.pipeline import Parsed

_MODALS_AFTER = {"will": "future", "would": "hypothetical", "may": "hypothetical", "might": "hypothetical",
                 "could": "hypothetical"}
_AFTER_WINDOW = 5
_AGGREGATE_WINDOW = 8
_PLURAL_TYPES = ("ATTACK", "CLASH")


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


def _has_context(p: Parsed, type_id: str, start: int, end: int) -> bool:
    first, last = p.sentence(start)
    return any(not (s < end and start < e) for s, e in p.find(f"CONTEXT:{type_id}", first, last))


def find_events(p: Parsed, mentions: list[Mention]) -> list[Event]:
    """Every event the trigger table finds, in text order."""
    in_mention = {i for m in mentions if not m.weak for i in range(m.start, m.end)}
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
        if trig.context and not _has_context(p, type_id, start, end):
            continue
        taken |= span
        events.append(Event(
            start, end, type_id, trig.mode or _mode(p, type_id, start, end), _realis(p, start, end),
            trig.granularity or _granularity(p, type_id, start, end),
            "trigger-context" if trig.context else "trigger",
        ))
    return sorted(events, key=lambda e: e.start)
