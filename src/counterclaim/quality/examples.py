"""The guidelines' examples checked against the gold: an example cannot teach one thing while the gold does another.

An ``example`` block quotes corpus text and annotates it (quote-based authoring). Compiled against the corpus
text, each object it shows must be in the gold annotation of that document, with the same values:

- mentions are matched by span, events by trigger span, quantities by span, claims by their first content span;
- scalar values are compared as the example gives them, omitted ones with their defaults
  (:mod:`counterclaim.model.defaults`) — an example that leaves realis out teaches ``actual``;
- lists and sub-objects (arguments, quantities, time, place, cue, claimant, reported_via, about, links) are
  compared when the example states them; an example's arguments, sources and links must all be in the gold
  (the gold may have more);
- references (an argument's mention, an ``about`` event) are compared through what they point to.

An example marked ``simplified: <reason>`` is a deliberate simplification and is only compiled and validated.

A ``counterexample`` block quotes text that must not be annotated some way; its ``excludes`` says which
objects the gold must not have inside the quote: ``all``, a layer (``mentions``, ``events``, ``claims``), or a
layer with a type (``{events: TERRITORY_CHANGE}``, ``{mentions: RUS}`` for an actor id). Without ``excludes``
a counterexample excludes everything.
"""

from __future__ import annotations

from typing import Any

from counterclaim.model.defaults import DEFAULTS
from counterclaim.quality.authoring import QuoteError, locate

LAYERS = ("mentions", "events", "claims")


def _key(span: dict | None) -> tuple[int, int] | None:
    return None if span is None else (span["start"], span["end"])


def _shown(span: dict | None) -> str:
    return "none" if span is None else f"“{span['text']}” [{span['start']}, {span['end']})"


class _Gold:
    """The gold annotation indexed by spans."""

    def __init__(self, ann: dict):
        self.mentions = {_key(m["span"]): m for m in ann["mentions"]}
        self.mention_by_id = {m["id"]: m for m in ann["mentions"]}
        self.events = {_key(e["trigger"]): e for e in ann["events"] if e.get("trigger")}
        self.event_by_id = {e["id"]: e for e in ann["events"]}
        self.quantities = {_key(q["span"]): q for e in ann["events"] for q in e["quantities"] if q.get("span")}
        self.quantity_by_id = {q["id"]: q for e in ann["events"] for q in e["quantities"]}
        self.claims = {_key(c["content"][0]): c for c in ann["claims"]}
        self.claim_by_id = {c["id"]: c for c in ann["claims"]}


def _ref_key(kind: str, obj_id: str | None, objs: dict[str, dict]) -> Any:
    """What a reference points to, as a span key (so ids of the example and the gold compare)."""
    obj = objs.get(obj_id or "")
    if obj is None:
        return None
    return {"mention": lambda o: _key(o["span"]), "event": lambda o: _key(o.get("trigger")),
            "quantity": lambda o: _key(o.get("span")), "claim": lambda o: _key(o["content"][0])}[kind](obj)


class _Comparison:
    def __init__(self, example: dict, raw: dict, gold: dict, where: str):
        self.ex, self.raw, self.where = example, raw, where
        self.g = _Gold(gold)
        self.e = _Gold(example)
        self.problems: list[str] = []

    def differ(self, what: str, ours: Any, theirs: Any) -> None:
        self.problems.append(f"{self.where}: {what}: the example says {ours!r}, the gold says {theirs!r}")

    def missing(self, what: str) -> None:
        self.problems.append(f"{self.where}: {what} is not in the gold")

    def same(self, what: str, ours: Any, theirs: Any) -> None:
        if ours != theirs:
            self.differ(what, ours, theirs)

    def subset(self, what: str, ours: list, theirs: list) -> None:
        for item in ours:
            if item not in theirs:
                self.problems.append(f"{self.where}: {what} {item!r} is not in the gold (gold: {theirs!r})")

    # mentions ----------------------------------------------------------------------------------------------
    def mention_ref(self, mention_id: str | None, in_example: bool = True) -> Any:
        return _ref_key("mention", mention_id, self.e.mention_by_id if in_example else self.g.mention_by_id)

    def mentions(self) -> None:
        for m in self.ex["mentions"]:
            gm = self.g.mentions.get(_key(m["span"]))
            label = f"mention {_shown(m['span'])}"
            if gm is None:
                self.missing(label)
                continue
            self.same(f"{label} actor", m.get("actor"), gm.get("actor"))
            if m.get("actor") is None:
                self.same(f"{label} type", m.get("type"), gm.get("type"))

    # events ------------------------------------------------------------------------------------------------
    def _argument(self, arg: dict, objs: dict, events: dict) -> tuple:
        if "mention" in arg:
            return arg["role"], "mention", _ref_key("mention", arg["mention"], objs)
        if "event" in arg:
            return arg["role"], "event", _ref_key("event", arg["event"], events)
        return arg["role"], "span", _key(arg["span"])

    def events(self) -> None:
        raw_events = {e["id"]: e for e in self.raw.get("events", [])}
        for ev in self.ex["events"]:
            raw = raw_events.get(ev["id"], {})
            ge = self.g.events.get(_key(ev["trigger"]))
            label = f"event {_shown(ev['trigger'])}"
            if ge is None:
                self.missing(label)
                continue
            for field in ("type", "mode", "realis", "granularity"):
                self.same(f"{label} {field}", ev.get(field), ge.get(field))
            if "part_of" in raw:
                self.same(f"{label} part_of", _ref_key("event", ev["part_of"], self.e.event_by_id),
                          _ref_key("event", ge.get("part_of"), self.g.event_by_id))
            if "arguments" in raw:
                ours = [self._argument(a, self.e.mention_by_id, self.e.event_by_id) for a in ev["arguments"]]
                theirs = [self._argument(a, self.g.mention_by_id, self.g.event_by_id) for a in ge["arguments"]]
                self.subset(f"{label} argument", ours, theirs)
            for part in ("time", "place"):
                if part in raw:
                    ours, theirs = ev.get(part), ge.get(part)
                    if theirs is None:
                        self.missing(f"{label} {part}")
                        continue
                    for field, value in ours.items():
                        if field == "span":
                            self.same(f"{label} {part} span", _key(value), _key(theirs.get("span")))
                        elif field in raw[part] or field == "precision":
                            self.same(f"{label} {part} {field}", value, theirs.get(field))
            if "quantities" in raw:
                for q in ev["quantities"]:
                    gq = self.g.quantities.get(_key(q.get("span")))
                    qlabel = f"{label} quantity {_shown(q.get('span'))}"
                    if gq is None or gq not in ge["quantities"]:
                        self.missing(qlabel)
                        continue
                    for field in ("measurand", "value", "low", "high", "qualifier"):
                        self.same(f"{qlabel} {field}", q.get(field), gq.get(field))

    # claims ------------------------------------------------------------------------------------------------
    def _source(self, src: dict, in_example: bool) -> tuple:
        return src.get("kind", "actor"), self.mention_ref(src.get("mention"), in_example), src.get("actor")

    def claims(self) -> None:
        raw_claims = {c["id"]: c for c in self.raw.get("claims", [])}
        for c in self.ex["claims"]:
            raw = raw_claims.get(c["id"], {})
            gc = self.g.claims.get(_key(c["content"][0]))
            label = f"claim {_shown(c['content'][0])}"
            if gc is None:
                self.missing(label)
                continue
            self.same(f"{label} content", [_key(s) for s in c["content"]], [_key(s) for s in gc["content"]])
            if "cue" in raw:
                self.same(f"{label} cue", _shown(c["cue"]), _shown(gc["cue"]))
            ours, theirs = self._source(c["claimant"], True), self._source(gc["claimant"], False)
            if c["claimant"].get("actor") is None:
                ours, theirs = ours[:2], theirs[:2]
            self.same(f"{label} claimant", ours, theirs)
            for field in ("stance", "certainty"):
                self.same(f"{label} {field}", c.get(field, DEFAULTS[field]), gc.get(field))
            if "check_worthy" in raw:
                self.same(f"{label} check_worthy", c.get("check_worthy"), gc.get("check_worthy"))
            if "reported_via" in raw:
                self.same(f"{label} reported_via", [self._source(s, True)[1] for s in c["reported_via"]],
                          [self._source(s, False)[1] for s in gc["reported_via"]])
            if "about" in raw:
                for kind, key in (("event", "events"), ("quantity", "quantities")):
                    if key not in raw["about"]:
                        continue
                    objs_e = self.e.event_by_id if kind == "event" else self.e.quantity_by_id
                    objs_g = self.g.event_by_id if kind == "event" else self.g.quantity_by_id
                    self.same(f"{label} about {key}", sorted(_ref_key(kind, i, objs_e) for i in c["about"][key]),
                              sorted(_ref_key(kind, i, objs_g) for i in gc["about"][key]))
            if "links" in raw:
                ours = [(link["type"], _ref_key("claim", link["claim"], self.e.claim_by_id)) for link in c["links"]]
                theirs = [(link["type"], _ref_key("claim", link["claim"], self.g.claim_by_id)) for link in gc["links"]]
                self.subset(f"{label} link", ours, theirs)


def compare_with_gold(example: dict, raw: dict, gold: dict, where: str) -> list[str]:
    """Every way the compiled ``example`` annotation (from the authoring mapping ``raw``) differs from ``gold``."""
    comparison = _Comparison(example, raw, gold, where)
    comparison.mentions()
    comparison.events()
    comparison.claims()
    return comparison.problems


def _selectors(excludes: Any) -> list[tuple[str, str | None]]:
    """``excludes`` as ``(layer, type or None)`` pairs."""
    if excludes is None or excludes == "all":
        return [(layer, None) for layer in LAYERS]
    out = []
    for item in excludes if isinstance(excludes, list) else [excludes]:
        if item == "all":
            out += [(layer, None) for layer in LAYERS]
        elif isinstance(item, str) and item in LAYERS:
            out.append((item, None))
        elif isinstance(item, dict) and len(item) == 1 and next(iter(item)) in LAYERS:
            out.append(next(iter(item.items())))
        else:
            raise ValueError(f"`excludes` item {item!r}: use all, a layer ({', '.join(LAYERS)}) or "
                             "{layer: type}")
    return out


def _inside(span: dict | None, start: int, end: int) -> bool:
    return span is not None and start <= span["start"] and span["end"] <= end


def check_exclusions(counterexample: dict, text: str, gold: dict, where: str) -> list[str]:
    """Objects of ``gold`` that the counterexample says must not be annotated inside its quote."""
    try:
        quoted = locate(text, {"quote": counterexample["quote"], **{k: counterexample[k] for k in ("nth", "after")
                                                                     if k in counterexample}}, where)
        selectors = _selectors(counterexample.get("excludes"))
    except (QuoteError, ValueError) as exc:
        return [f"{where}: {exc}"]
    start, end = quoted["start"], quoted["end"]
    problems = []
    for layer, kind in selectors:
        for obj in gold[layer]:
            span = {"mentions": lambda o: o["span"], "events": lambda o: o.get("trigger"),
                    "claims": lambda o: o["content"][0]}[layer](obj)
            value = {"mentions": lambda o: o.get("actor") or o.get("type"), "events": lambda o: o["type"],
                     "claims": lambda o: o["claimant"]["kind"]}[layer](obj)
            if _inside(span, start, end) and kind in (None, value):
                problems.append(f"{where}: the gold annotates {layer[:-1]} {obj['id']} ({value}) "
                                f"{_shown(span)} inside {_shown(quoted)}, which the guidelines exclude")
    return problems
