"""Convert Label Studio JSON export tasks into annotated documents (pure functions, no I/O).

Input: one task of a Label Studio **JSON** export (not JSON_MIN, which drops relations and region ids)::

    {"id": 7, "project": 2, "data": {"text": "...", "doc_id": "17a8...", "text_sha256": "..."},
     "annotations": [{"id": 11, "completed_by": 1, "was_cancelled": false, "ground_truth": false,
                      "created_at": "...", "updated_at": "...", "lead_time": 12.5,
                      "result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                                  "value": {"start": 0, "end": 6, "text": "Moscow", "labels": ["ACTOR"]}},
                                 {"id": "r1", "from_name": "actor", "type": "taxonomy",
                                  "value": {"start": 0, "end": 6, "taxonomy": [["government", "RUS_GOV"]]}},
                                 {"type": "relation", "from_id": "e1", "to_id": "r1", "labels": ["attacker"],
                                  "direction": "right"}]}],
     "predictions": [...], "drafts": [...]}

Output: an annotated document (schema format) and a report: every result that is not converted as it
stands is listed with its task, annotation and region id and the reason. Span text is always rebuilt from
``text[start:end]``; ``value.text`` is never trusted. Object ids are the Label Studio region ids, so a
document pushed as annotations and pulled back keeps its ids. Lists keep the order of the results.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from counterclaim.corpus.ids import content_id
from counterclaim.jsonio import sha256_text
from counterclaim.ontology import Ontology
from counterclaim.studio.config import (
    KIND_BY_LABEL,
    PER_REGION,
    STRUCTURAL_RELATIONS,
    UNSOURCED,
)

# Values used when an annotator left a per-region choice empty (documented in the guidelines).
DEFAULTS = {
    "realis": "actual",
    "granularity": "single",
    "qualifier": "exact",
    "stance": "affirm",
    "certainty": "unknown",
    "time_precision": "unknown",
    "place_precision": "unknown",
}

# Result types that carry a per-region value, and the key of the value inside `value`.
VALUE_KEYS = {"choices": "choices", "taxonomy": "taxonomy", "number": "number", "textarea": "text",
              "datetime": "datetime"}


@dataclass(frozen=True)
class ReportItem:
    """A result that was not converted as it stands, and why."""

    task_id: Any
    annotation_id: Any
    region_id: str | None
    action: str  # dropped | adjusted | skipped
    reason: str

    def __str__(self) -> str:
        where = f"task {self.task_id}"
        if self.annotation_id is not None:
            where += f", annotation {self.annotation_id}"
        if self.region_id is not None:
            where += f", region {self.region_id}"
        return f"{where}: {self.action}: {self.reason}"

    def to_dict(self) -> dict:
        return {"task_id": self.task_id, "annotation_id": self.annotation_id, "region_id": self.region_id,
                "action": self.action, "reason": self.reason}


@dataclass(frozen=True)
class ConvertOptions:
    """How to read an export.

    ``label_map`` maps labels of another labeling config to region kinds, e.g. ``{"PER": ("ACTOR",
    "person")}``; ``text_field`` is the task data key holding the text.
    """

    schema_version: str
    corpus_version: str
    text_field: str = "text"
    label_map: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    trim_whitespace: bool = True


class _Region(dict):
    """A span region: the dict of its per-region values (control name -> value), with its Label Studio id,
    kind, offsets, outgoing ``(label, tail)`` links (None until it has one) and whether an object uses it as
    attributes. Made by :meth:`_Converter.regions`, which sets every attribute.
    """

    __slots__ = ("id", "kind", "start", "end", "out", "used")
    id: str
    kind: str
    start: int
    end: int
    out: list[tuple[str, _Region]] | None
    used: bool


# -- lookup tables, computed once per ontology ----------------------------------------------------------------

# The tail kinds of every event role relation (the head is always an EVENT).
_ROLE_TAILS = ("ACTOR", "ARGUMENT", "EVENT", "PLACE", "TIME", "QUANTITY")
_KIND_LIST = ", ".join(KIND_BY_LABEL)  # named when a label is not a region kind
# span label -> (region kind, actor type) for the labels that are region kinds; the kind is the config's own
# string, so the many comparisons of kinds are identity checks
_KIND_OF_LABEL = {label: (label, None) for label in KIND_BY_LABEL}
_NOT_A_KIND = object()


class _MappedKinds:
    """Span label -> (region kind, actor type) for a ``label_map`` that is not a plain dict: it is asked as it
    is (a merged copy might answer differently), then the region kinds."""

    def __init__(self, label_map: Mapping[str, tuple[str, str | None]]):
        self.label_map = label_map

    def get(self, label: Any, default: Any) -> Any:
        if label in self.label_map:
            return self.label_map[label]
        return _KIND_OF_LABEL.get(label, default)


def _kind_of_label(label_map: Mapping[str, tuple[str, str | None]]) -> dict | _MappedKinds:
    """Span label -> (region kind, actor type): ``label_map`` over the region kinds themselves."""
    if type(label_map) is not dict:
        return _MappedKinds(label_map)
    return {**_KIND_OF_LABEL, **label_map} if label_map else _KIND_OF_LABEL


@dataclass(frozen=True)
class _Control:
    """A per-region control as the converter reads it: its name, tag, region kind and value parser
    (``parse(converter, control, raw value, region id)``, see :data:`PARSERS`).

    ``allowed`` (in ontology order, for the report) and ``allowed_set`` (for lookups) hold the values a
    Choices control accepts.
    """

    name: str
    tag: str
    kind: str
    parse: Callable[[_Converter, _Control, Any, Any], Any]
    allowed: tuple[str, ...] = ()
    allowed_set: frozenset[str] = frozenset()
    choice: bool = False  # tag == "Choices"
    taxonomy: bool = False  # tag == "Taxonomy"


@dataclass(frozen=True)
class _Tables:
    """Everything the converter looks up in the ontology and the labeling config, by name."""

    controls: dict[str, _Control]  # per-region control name -> control
    role_ids: frozenset[str]
    ends: dict[str, tuple[str, tuple[str, ...]]]  # relation label -> (head kind, tail kinds); roles win
    actor_by_id: Mapping[str, Any]
    event_types: dict[str, tuple[Any, frozenset[str], frozenset[str]]]  # id -> (EventType, its roles, its modes)


def _build_tables(ont: Ontology) -> _Tables:
    """The tables of ``ont``: what the original per-result lookups (closed sets, role ids, relation ends)
    found, computed once."""
    closed = ont.closed_sets()
    controls = {}
    for c in PER_REGION:
        allowed: tuple[str, ...] = ()
        if c.tag == "Choices":
            allowed = tuple(v for v, _ in c.values) or closed[c.terms]
        controls[c.name] = _Control(c.name, c.tag, c.kind, PARSERS[c.tag], allowed, frozenset(allowed),
                                    c.tag == "Choices", c.tag == "Taxonomy")
    role_ids = frozenset(ont.ids("roles"))
    ends = {label: (head, tails) for label, head, tails, _ in STRUCTURAL_RELATIONS}
    ends.update((role, ("EVENT", _ROLE_TAILS)) for role in ont.ids("roles"))
    event_types = {t.id: (t, frozenset(t.roles), frozenset(t.modes)) for t in ont.event_type_by_id.values()}
    return _Tables(controls, role_ids, ends, ont.actor_by_id, event_types)


# id(ontology) -> (ontology, tables). Keyed by identity: hashing an Ontology hashes every actor, which would
# cost more than the lookups save; the entry keeps its ontology alive, so the id cannot be reused meanwhile.
_TABLES: dict[int, tuple[Ontology, _Tables]] = {}


def _tables(ont: Ontology) -> _Tables:
    """The lookup tables of ``ont``, built on first use (an Ontology is immutable)."""
    hit = _TABLES.get(id(ont))
    if hit is not None and hit[0] is ont:
        return hit[1]
    tables = _build_tables(ont)
    if len(_TABLES) >= 16:
        _TABLES.clear()
    _TABLES[id(ont)] = (ont, tables)
    return tables


# -- per-region values: one parser per control tag; None means "not set" (reported unless merely empty) ------

def _parse_choice(conv: _Converter, control: _Control, raw: Any, rid: Any) -> Any:
    if not isinstance(raw, list) or len(raw) != 1:
        conv.note(rid, "dropped", f"`{control.name}` needs exactly one choice; got {raw!r}")
        return None
    value = raw[0]
    # a set lookup for strings; anything else (possibly unhashable) is compared with each value
    if value not in (control.allowed_set if value.__class__ is str else control.allowed):
        conv.note(rid, "dropped",
                  f"`{control.name}` value {value!r} is not in the ontology ({', '.join(control.allowed)})")
        return None
    return value


def _parse_taxonomy(conv: _Converter, control: _Control, raw: Any, rid: Any) -> Any:
    if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], list) or not raw[0]:
        conv.note(rid, "dropped", f"`{control.name}` needs exactly one selected actor; got {raw!r}")
        return None
    actor = raw[0][-1]
    if actor not in conv.tables.actor_by_id:
        conv.note(rid, "dropped", f"actor {actor!r} is not in the registry (schema/ontology.yaml)")
        return None
    return actor


def _parse_number(conv: _Converter, control: _Control, raw: Any, rid: Any) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        conv.note(rid, "dropped", f"`{control.name}` is not a number: {raw!r}")
        return None
    return raw


def _parse_textarea(conv: _Converter, control: _Control, raw: Any, rid: Any) -> Any:
    texts = raw if isinstance(raw, list) else [raw]
    joined = "\n".join(str(t) for t in texts if t is not None).strip()
    return joined or None


def _parse_datetime(conv: _Converter, control: _Control, raw: Any, rid: Any) -> Any:
    if not isinstance(raw, str) or len(raw) < 10:
        conv.note(rid, "dropped", f"`{control.name}` is not a date: {raw!r}")
        return None
    return raw[:10]


PARSERS = {"Choices": _parse_choice, "Taxonomy": _parse_taxonomy, "Number": _parse_number,
           "TextArea": _parse_textarea, "DateTime": _parse_datetime}


class _Converter:
    """Converts one annotation's results; collects report items."""

    def __init__(self, text: str, ont: Ontology, options: ConvertOptions, task_id: Any, annotation_id: Any):
        self.text = text
        self.text_length = len(text)
        self.ont = ont
        self.options = options
        self.task_id = task_id
        self.annotation_id = annotation_id
        self.report: list[ReportItem] = []
        self.tables = _tables(ont)
        self.trim_whitespace = options.trim_whitespace
        self.kind_of_label = _kind_of_label(options.label_map)

    def note(self, region_id: str | None, action: str, reason: str) -> None:
        self.report.append(ReportItem(self.task_id, self.annotation_id, region_id, action, reason))

    def span(self, region: _Region) -> dict:
        return {"start": region.start, "end": region.end, "text": self.text[region.start:region.end]}

    # -- regions ------------------------------------------------------------------------------------------
    def regions(self, results: list) -> tuple[dict[str, _Region], list[dict]]:
        """The span regions by id and the relation results, in result order.

        A labels result makes a region if it has one label that is a region kind (or mapped to one), integer
        offsets inside the text (trimmed of edge whitespace unless told not to) and a region id not seen
        before; otherwise it is reported. Per-region values are attached once every span is known, since they
        may come before their span.
        """
        regions: dict[str, _Region] = {}
        per_region: list[dict] = []
        relations: list[dict] = []
        note, text, kind_of_label = self.note, self.text, self.kind_of_label
        for i, res in enumerate(results):
            if not isinstance(res, dict):
                note(None, "dropped", f"result #{i} is not an object")
                continue
            try:
                rtype = res["type"]
            except KeyError:
                rtype = None
            if rtype != "labels":
                if rtype == "relation":
                    relations.append(res)
                elif rtype in VALUE_KEYS:
                    per_region.append(res)
                else:
                    note(res.get("id"), "dropped", f"result type `{rtype}` is not used by counterclaim")
                continue
            # a labels result: one label that is a region kind. Fields are read by subscript, which is faster
            # than .get on decoded JSON; if one is missing (or not an object), all are read again with .get.
            try:
                rid, value = res["id"], res["value"]
                labels, start, end = value["labels"], value["start"], value["end"]
            except (KeyError, TypeError):
                rid = res.get("id")
                value = res.get("value") or {}
                labels = value.get("labels")
                start, end = value.get("start"), value.get("end")
            if not isinstance(labels, list) or len(labels) != 1:
                note(rid, "dropped", f"a region needs exactly one label; it has {labels!r} — keep one label per span")
                continue
            label = labels[0]
            mapped = kind_of_label.get(label, _NOT_A_KIND)
            if mapped is _NOT_A_KIND:
                note(rid, "dropped", f"label `{label}` (control `{res.get('from_name')}`) is not a counterclaim "
                     f"region kind ({_KIND_LIST}); map it with --label-map {label}=KIND")
                continue
            kind, actor_type = mapped
            if kind is None:
                continue
            # offsets inside the text, trimmed
            if not isinstance(start, int) or not isinstance(end, int):
                note(rid, "dropped", "the region has no integer start/end offsets (not a <Text> span; "
                     "HyperText/XPath regions are not supported)")
                continue
            if not 0 <= start < end <= self.text_length:
                note(rid, "dropped", f"offsets [{start}, {end}) fall outside the text ({len(text)} code points)")
                continue
            if self.trim_whitespace and (text[start].isspace() or text[end - 1].isspace()):
                trimmed = self._trim(start, end, rid)
                if trimmed is None:
                    continue
                start, end = trimmed
            # a new region id
            if not isinstance(rid, str) or not rid:
                note(None, "dropped", f"result #{i} ({kind}) has no region id")
                continue
            if rid in regions:
                note(rid, "dropped", "a second labels result with the same region id")
                continue
            region = regions[rid] = _Region()  # (no __init__: setting the slots here is cheaper)
            region.id = rid
            region.kind = kind
            region.start = start
            region.end = end
            region.out = None
            region.used = False
            if actor_type is not None:
                region["actor_type"] = actor_type
        self._attach(per_region, regions)
        return regions, relations

    def _trim(self, start: int, end: int, rid: str) -> tuple[int, int] | None:
        """The span without whitespace at its edges (reported), or None if nothing else is left."""
        text = self.text
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            self.note(rid, "dropped", f"the span [{start}, {end}) covers only whitespace")
            return None
        self.note(rid, "adjusted", f"whitespace trimmed from the span edges: [{start}, {end}) -> [{s}, {e})")
        return s, e

    def _attach(self, per_region: list[dict], regions: dict[str, _Region]) -> None:
        """Set each per-region value on its region, in result order (a later value of a control wins)."""
        controls, actor_by_id = self.tables.controls, self.tables.actor_by_id
        last_rid = region = None
        for res in per_region:
            try:  # fields read as in `regions`
                rid, name, rtype, value = res["id"], res["from_name"], res["type"], res["value"]
            except KeyError:
                rid, name, rtype, value = res.get("id"), res.get("from_name"), res.get("type"), res.get("value")
            control = controls.get(name)
            value = value or {}
            if control is None:
                where = "per-region" if "start" in value else "task-level"
                self.note(rid, "dropped", f"{where} {rtype} `{name}` is not a counterclaim control; its value "
                          f"{value.get(VALUE_KEYS[rtype])!r} is not converted")
                continue
            if rid != last_rid:  # per-region results usually come in a run per region
                last_rid, region = rid, regions.get(rid)
            if region is None:
                self.note(rid, "dropped",
                          f"`{name}` belongs to no converted region (its span label is missing or was dropped)")
                continue
            if control.kind != region.kind:
                self.note(rid, "dropped", f"`{name}` applies to {control.kind} regions; this region is {region.kind}")
                continue
            raw = value.get(VALUE_KEYS[rtype])
            # fast paths for the commonest values, a valid choice or actor; the parsers check (and report) the rest
            if raw.__class__ is list and len(raw) == 1:
                first = raw[0]
                if control.choice:
                    if first.__class__ is str and first in control.allowed_set:
                        region[control.name] = first
                        continue
                elif control.taxonomy:  # the path to an actor: its last item
                    if first.__class__ is list and first and first[-1].__class__ is str and first[-1] in actor_by_id:
                        region[control.name] = first[-1]
                        continue
            parsed = control.parse(self, control, raw, rid)
            if parsed is not None:
                region[control.name] = parsed

    # -- relations ----------------------------------------------------------------------------------------
    def links(self, relations: list[dict], regions: dict[str, _Region]) -> dict[str, str]:
        """Add every usable relation, oriented by the kinds it connects, to the ``out`` links of its head region
        (in result order). Returns ``head_of``: CLAIM region that ``continues`` a claim -> that claim's id.
        """
        ends = self.tables.ends
        head_of: dict[str, str] = {}
        for rel in relations:
            try:  # fields read as in `regions`
                from_id, to_id, labels, direction = rel["from_id"], rel["to_id"], rel["labels"], rel["direction"]
            except KeyError:
                from_id, to_id = rel.get("from_id"), rel.get("to_id")
                labels, direction = rel.get("labels"), rel.get("direction")
            src, dst = regions.get(from_id), regions.get(to_id)
            if not labels:
                self.note(f"{from_id}->{to_id}", "dropped", "relation without a label; give it a role or link type")
                continue
            if src is None or dst is None:
                missing = from_id if src is None else to_id
                self.note(f"{from_id}->{to_id}", "dropped",
                          f"relation {labels} points to region {missing}, which was not converted")
                continue
            if direction == "left":
                src, dst = dst, src
            for label in labels:
                head_tails = ends.get(label)
                if head_tails is None:
                    self.note(f"{from_id}->{to_id}", "dropped",
                              f"relation label `{label}` is not a counterclaim role or link")
                    continue
                head_kind, tail_kinds = head_tails
                if src.kind == head_kind and dst.kind in tail_kinds:  # forward
                    # the same kinds at both ends (EVENT-EVENT, CLAIM-CLAIM) fit both ways: trust the arrow
                    ok = dst.kind != head_kind or direction != "bi"
                    head, tail = src, dst
                else:  # backward, if anything
                    ok = dst.kind == head_kind and src.kind in tail_kinds
                    head, tail = dst, src
                if not ok:
                    self.note(f"{from_id}->{to_id}", "dropped", f"relation `{label}` links {src.kind} to {dst.kind}; "
                              f"it must link {head_kind} to {' or '.join(tail_kinds)}")
                    continue
                if head.out is None:
                    head.out = [(label, tail)]
                else:
                    head.out.append((label, tail))
                if label == "continues":
                    head_of[tail.id] = head.id
        return head_of

    # -- objects ------------------------------------------------------------------------------------------
    def build(self, regions: dict[str, _Region], head_of: dict[str, str]) -> dict:
        """Mentions, events and claims from the regions and their links (see :meth:`links`)."""
        # one pass: the mentions, and the other regions by kind
        text = self.text
        mentions = []
        mention_ids = set()
        quantity_regions, event_regions, claim_regions = [], [], []
        for r in regions.values():
            kind = r.kind
            if kind == "ACTOR":
                actor, atype = r.get("actor"), r.get("actor_type")
                if actor is None and atype is None:
                    self.note(r.id, "dropped", "ACTOR region has neither a canonical actor nor an actor type; pick one")
                    continue
                r.used = True
                mention_ids.add(r.id)
                mentions.append({"id": r.id, "span": {"start": r.start, "end": r.end, "text": text[r.start:r.end]},
                                 "actor": actor, "type": atype})
            elif kind == "EVENT":
                event_regions.append(r)
            elif kind == "QUANTITY":
                quantity_regions.append(r)
            elif kind == "CLAIM":
                claim_regions.append(r)

        quantities: dict[str, dict] = {}
        for r in quantity_regions:
            q = self._quantity(r)
            if q is not None:
                quantities[r.id] = q

        events = []
        event_ids, aggregates = set(), set()
        for r in event_regions:
            if "event_type" in r:
                event_ids.add(r.id)
                if r.get("granularity") == "aggregate":
                    aggregates.add(r.id)
        for r in event_regions:
            if "event_type" not in r:
                self.note(r.id, "dropped", "EVENT region without an event type; choose one")
                continue
            r.used = True
            events.append(self._event(r, r.out or (), mention_ids, event_ids, quantities, aggregates))

        attached = {q["id"] for event in events for q in event["quantities"]}
        claim_heads = {r.id for r in claim_regions if r.id not in head_of}  # not a continuation
        claims = []
        for r in claim_regions:
            if r.id in claim_heads:
                claim = self._claim(r, r.out or (), mention_ids, event_ids, attached, claim_heads, head_of)
                if claim is not None:
                    claims.append(claim)

        for r in regions.values():
            if not r.used:
                self.note(r.id, "dropped", f"{r.kind} region [{r.start}, {r.end}) is not linked to anything that uses it")
        return {"mentions": mentions, "events": events, "claims": claims}

    def _quantity(self, r: _Region) -> dict | None:
        if "measurand" not in r:
            self.note(r.id, "dropped", "QUANTITY region without a measurand; choose what is counted")
            return None
        value, low, high = r.get("value"), r.get("low"), r.get("high")
        if value is None and low is None and high is None:
            self.note(r.id, "dropped", "QUANTITY region without value, low or high; enter the number")
            return None
        return {
            "id": r.id, "measurand": r["measurand"], "value": value, "low": low,
            "high": high, "qualifier": r.get("qualifier", DEFAULTS["qualifier"]),
            "span": self.span(r), "note": r.get("quantity_note"),
        }

    def _single(self, head: _Region, label: str, tails: list[_Region]) -> _Region:
        """The first of one or more tails; the others are reported."""
        for extra in tails[1:]:
            self.note(extra.id, "dropped", f"{head.kind} {head.id} has more than one `{label}` link; the first is kept")
        return tails[0]

    def _event(self, r: _Region, out: list, mention_ids: set, event_ids: set, quantities: dict,
               aggregates: set) -> dict:
        role_ids = self.tables.role_ids
        etype, allowed_roles, allowed_modes = self.tables.event_types[r["event_type"]]
        arguments, qs = [], []
        singles: dict[str, list[_Region]] = {}  # time, place, part_of: one each
        for label, tail in out:
            if label in role_ids:
                if label not in allowed_roles:
                    self.note(f"{r.id}->{tail.id}", "dropped", f"role `{label}` is not allowed for {etype.id} "
                              f"(allowed: {', '.join(etype.roles)})")
                    continue
                if tail.kind == "ACTOR":
                    if tail.id not in mention_ids:
                        self.note(f"{r.id}->{tail.id}", "dropped",
                                  f"argument `{label}` points to an ACTOR region that was not converted")
                        continue
                    arguments.append({"role": label, "mention": tail.id})
                elif tail.kind == "EVENT":
                    if tail.id not in event_ids or tail.id == r.id:
                        self.note(f"{r.id}->{tail.id}", "dropped",
                                  f"argument `{label}` points to an event that was not converted")
                        continue
                    arguments.append({"role": label, "event": tail.id})
                else:
                    arguments.append({"role": label, "span": self.span(tail)})
                tail.used = True
            elif label == "quantity":
                q = quantities.get(tail.id)
                if q is None:
                    continue  # already reported by _quantity
                if tail.used:
                    self.note(tail.id, "dropped", f"quantity already belongs to another event; not repeated in {r.id}")
                    continue
                tail.used = True
                qs.append(q)
            elif label == "time" or label == "place" or label == "part_of":
                singles.setdefault(label, []).append(tail)
        time = place = parent = None
        if singles:
            time = self._single(r, "time", singles["time"]) if "time" in singles else None
            place = self._single(r, "place", singles["place"]) if "place" in singles else None
            parent = self._single(r, "part_of", singles["part_of"]) if "part_of" in singles else None
        if parent is not None and (parent.id not in aggregates or parent.id == r.id):
            self.note(f"{r.id}->{parent.id}", "dropped", "`part_of` must point to another, aggregate event")
            parent = None
        mode = r.get("mode")
        if mode is not None and mode not in allowed_modes:
            self.note(r.id, "dropped", f"mode `{mode}` does not belong to {etype.id} (allowed: {', '.join(etype.modes)})")
            mode = None
        if time is not None:
            time.used = True
        if place is not None:
            place.used = True
        return {
            "id": r.id,
            "type": r["event_type"],
            "mode": mode,
            "trigger": {"start": r.start, "end": r.end, "text": self.text[r.start:r.end]},
            "arguments": arguments,
            "realis": r.get("realis", DEFAULTS["realis"]),
            "granularity": r.get("granularity", DEFAULTS["granularity"]),
            "part_of": None if parent is None else parent.id,
            "time": None if time is None else {
                "span": self.span(time), "start": time.get("time_start"), "end": time.get("time_end"),
                "precision": time.get("time_precision", DEFAULTS["time_precision"]),
            },
            "place": None if place is None else {
                "span": self.span(place), "name": place.get("place_name"),
                "geonames_id": _int_or_none(place.get("geonames_id")),
                "precision": place.get("place_precision", DEFAULTS["place_precision"]),
            },
            "quantities": qs,
        }

    def _claim(self, r: _Region, out: list, mention_ids: set, event_ids: set, quantities: set,
               claim_heads: set, head_of: dict) -> dict | None:
        text = self.text
        content = [{"start": r.start, "end": r.end, "text": text[r.start:r.end]}]
        cue, claimants, via, about_e, about_q, links = [], [], [], [], [], []
        for label, tail in out:
            if label == "about":
                if tail.kind == "EVENT" and tail.id in event_ids:
                    about_e.append(tail.id)
                elif tail.kind == "QUANTITY" and tail.id in quantities:
                    about_q.append(tail.id)
                else:
                    self.note(f"{r.id}->{tail.id}", "dropped", "`about` points to a region that was not converted")
            elif label == "continues":
                tail.used = True
                content.append({"start": tail.start, "end": tail.end, "text": text[tail.start:tail.end]})
            elif label == "cue":
                cue.append(tail)
            elif label == "claimant" or label == "reported_via":
                if tail.id not in mention_ids:
                    self.note(f"{r.id}->{tail.id}", "dropped", f"`{label}` points to an ACTOR region that was not converted")
                    continue
                (claimants if label == "claimant" else via).append(tail.id)
            elif label == "supports" or label == "contests":
                target = head_of.get(tail.id, tail.id)
                if target not in claim_heads or target == r.id:
                    self.note(f"{r.id}->{tail.id}", "dropped", f"`{label}` must point to another claim")
                    continue
                links.append({"type": label, "claim": target})
        cue_region = self._single(r, "cue", cue) if cue else None
        if cue_region is not None:
            cue_region.used = True
        outlet = r.get("claimant_kind") == UNSOURCED
        if claimants and outlet:
            self.note(r.id, "adjusted", "claim is ticked `unsourced` but also has a claimant link; the claimant is kept")
        if len(claimants) > 1:
            for extra in claimants[1:]:
                self.note(extra, "dropped", f"claim {r.id} has more than one claimant; the first is kept "
                          "(make one claim per claimant)")
        if claimants:
            claimant = {"kind": "actor", "mention": claimants[0]}
        elif outlet:
            claimant = {"kind": "outlet"}
        else:
            self.note(r.id, "dropped", "CLAIM without a claimant: link an ACTOR with `claimant` or tick `unsourced`")
            return None
        r.used = True
        claim = {
            "id": r.id,
            "content": content,
            "cue": None if cue_region is None else self.span(cue_region),
            "claimant": claimant,
            "reported_via": [{"mention": m} for m in via] if via else [],
            "about": {"events": _unique(about_e) if len(about_e) > 1 else about_e,
                      "quantities": _unique(about_q) if len(about_q) > 1 else about_q},
            "stance": r.get("stance", DEFAULTS["stance"]),
            "certainty": r.get("certainty", DEFAULTS["certainty"]),
            "links": links,
        }
        if "check_worthy" in r:
            claim["check_worthy"] = CHECK_WORTHY[r["check_worthy"]]
        return claim


CHECK_WORTHY = {"yes": True, "no": False}


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def pseudonym(completed_by: Any) -> str:
    """A pseudonymous annotator id: the Label Studio user id, never an email or name."""
    user = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
    if user is None:
        return "ls-user-unknown"
    if isinstance(user, int) or (isinstance(user, str) and user.isdigit()):
        return f"ls-user-{user}"
    return "ls-user-" + hashlib.sha256(str(user).encode()).hexdigest()[:12]


def convert_annotation(text: str, annotation: dict, ont: Ontology, options: ConvertOptions, *,
                       task_id: Any, project_id: int | None) -> tuple[dict | None, list[ReportItem]]:
    """One Label Studio annotation → one schema annotation (or None) and its report items."""
    ann_id = annotation.get("id")
    conv = _Converter(text, ont, options, task_id, ann_id)
    results = annotation.get("result")
    if not isinstance(results, list):
        conv.note(None, "dropped", "annotation has no `result` list")
        return None, conv.report
    regions, relations = conv.regions(results)
    head_of = conv.links(relations, regions)
    body = conv.build(regions, head_of)
    local_id = f"ls-{project_id}-{ann_id}" if project_id is not None else f"ls-{ann_id}"
    lead = annotation.get("lead_time")
    converted = {
        "id": local_id,
        "provenance": {
            "annotator": pseudonym(annotation.get("completed_by")),
            "origin": "label-studio",
            "tool": {
                "name": "label-studio",
                "version": None,
                "project_id": project_id,
                "task_id": task_id if isinstance(task_id, int) else None,
                "annotation_id": ann_id if isinstance(ann_id, int) else None,
                "unique_id": annotation.get("unique_id"),
            },
            "created_at": annotation.get("created_at"),
            "updated_at": annotation.get("updated_at"),
            "lead_time": float(lead) if isinstance(lead, (int, float)) and lead >= 0 else None,
            "schema_version": options.schema_version,
            "corpus_version": options.corpus_version,
            "guidelines_version": None,
        },
        "cancelled": bool(annotation.get("was_cancelled", False)),
        "ground_truth": bool(annotation.get("ground_truth", False)),
        **body,
    }
    return converted, conv.report


def _skipped(task_id: Any, kind: str, item: Any) -> ReportItem:
    """A prediction or draft: reported, never converted. Exports list predictions as bare ids."""
    noun = kind[:-1]
    if not isinstance(item, dict):
        return ReportItem(task_id, None, None, "skipped",
                          f"{noun} {item}: not a submitted annotation (its results are not in the export)")
    n = len(item.get("result") or [])
    version = f" (model_version {item.get('model_version')!r})" if kind == "predictions" else ""
    ident = "" if item.get("id") is None else f" {item['id']}"
    return ReportItem(task_id, None, None, "skipped",
                      f"{noun}{ident}{version} with {n} result(s): not a submitted annotation")


def convert_task(task: dict, ont: Ontology, options: ConvertOptions) -> tuple[dict | None, list[ReportItem]]:
    """One exported task → an annotated document with all its annotations, and the report."""
    task_id = task.get("id")
    report: list[ReportItem] = []
    if "completions" in task and "annotations" not in task:
        return None, [ReportItem(task_id, None, None, "skipped",
                                 "pre-1.0 Label Studio export (`completions`); export again from Label Studio 1.x as JSON")]
    data = task.get("data")
    if not isinstance(data, dict):
        return None, [ReportItem(task_id, None, None, "skipped", "task has no `data` object; is this a Label Studio JSON export?")]
    text = data.get(options.text_field)
    if not isinstance(text, str) or not text:
        fields = ", ".join(sorted(data)) or "none"
        return None, [ReportItem(task_id, None, None, "skipped",
                                 f"task data has no `{options.text_field}` text (fields: {fields}); pass --text-field")]
    doc_id = data.get("doc_id") or content_id(text)  # the corpus rule for documents without an id
    text_sha = sha256_text(text)
    if data.get("text_sha256") not in (None, text_sha):
        report.append(ReportItem(task_id, None, None, "adjusted",
                                 "the task text does not match its recorded text_sha256; the hash of the text is used"))
    project_id = task.get("project") if isinstance(task.get("project"), int) else None
    annotations = []
    for ann in task.get("annotations") or []:
        converted, items = convert_annotation(text, ann, ont, options, task_id=task_id, project_id=project_id)
        report.extend(items)
        if converted is not None:
            annotations.append(converted)
    for kind in ("predictions", "drafts"):
        for item in task.get(kind) or []:
            report.append(_skipped(task_id, kind, item))
    doc = {
        "schema_version": options.schema_version,
        "doc_id": doc_id,
        "corpus_version": options.corpus_version,
        "text": text,
        "text_sha256": text_sha,
        "annotations": annotations,
    }
    return doc, report
