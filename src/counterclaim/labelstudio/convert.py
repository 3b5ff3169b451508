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

Output: an annotated document (schema format) and a report. The converter is total: whatever shape a task has,
it returns, and every result that is not converted as it stands is a report item with a stable code
(:mod:`counterclaim.labelstudio.codes`) naming the task, annotation and region. Span text is always rebuilt
from ``text[start:end]``; ``value.text`` is never trusted. Object ids are the Label Studio region ids, so a
document pushed as annotations and pulled back keeps its ids. Lists keep the order of the results.

Stages of one annotation: the span regions (``labels`` results), their per-region values, the relations between
them, then the objects (mentions, events with quantities, claims) built from regions and relations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping

from counterclaim.corpus.ids import ID_PATTERN, content_id, id_problem
from counterclaim.labelstudio import offsets
from counterclaim.io.jsonio import sha256_text
from counterclaim.labelstudio.codes import ReportItem, item
from counterclaim.labelstudio.config import (CLAIMANT_KIND_OF_CHOICE, KIND_BY_LABEL, MODE, PER_REGION,
                                            STRUCTURAL_RELATIONS, mode_control_name, mode_controls)
from counterclaim.model.defaults import DEFAULTS
from counterclaim.model.ontology import EventType, Ontology

# Result types that carry a per-region value, and the key of the value inside `value`.
VALUE_KEYS = {"choices": "choices", "taxonomy": "taxonomy", "number": "number", "textarea": "text",
              "datetime": "datetime"}
CHECK_WORTHY = {"yes": True, "no": False}
# The tail kinds of every event role relation (the head is always an EVENT).
ROLE_TAILS = ("ACTOR", "ARGUMENT", "EVENT", "PLACE", "TIME", "QUANTITY")
_KIND_LIST = ", ".join(KIND_BY_LABEL)


@dataclass(frozen=True)
class ConvertOptions:
    """How to read an export.

    ``label_map`` maps labels of another labeling config to region kinds, e.g. ``{"PER": ("ACTOR",
    "person")}``; ``text_field`` is the task data key holding the text.
    """

    schema_version: str
    corpus_version: str
    text_field: str = "text"
    label_map: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    trim_whitespace: bool = True
    repair_offsets: bool = False  # move a region whose offsets miss its selected text, when one rule explains it


@dataclass
class Region:
    """A span region: its Label Studio id, kind, offsets, per-region values (control name -> value), outgoing
    ``(label, tail)`` links, and whether an object uses it."""

    id: str
    kind: str
    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)
    out: list[tuple[str, "Region"]] = field(default_factory=list)
    used: bool = False


@dataclass(frozen=True)
class Tables:
    """What the converter looks up in the ontology and the labeling config, computed once per ontology."""

    controls: dict[str, Any]  # per-region control name -> PerRegionControl
    allowed: dict[str, tuple[str, ...]]  # Choices control name -> its values, in ontology order
    role_ids: frozenset[str]
    ends: dict[str, tuple[str, tuple[str, ...]]]  # relation label -> (head kind, tail kinds); roles win
    event_types: dict[str, EventType]
    actor_ids: frozenset[str]
    mode_of: dict[str, str]  # per-type mode control name -> its event type

    @classmethod
    def of(cls, ont: Ontology) -> "Tables":
        closed = ont.closed_sets()
        per_type = mode_controls(ont)
        controls = {c.name: c for c in PER_REGION + per_type}  # `mode` itself: exports of older configs
        allowed = {c.name: tuple(v for v, _ in c.values) or closed[c.terms] for c in controls.values()
                   if c.tag == "Choices"}
        ends = {label: (head, tails) for label, head, tails, _ in STRUCTURAL_RELATIONS}
        ends.update((role, ("EVENT", ROLE_TAILS)) for role in ont.ids("roles"))
        return cls(controls, allowed, frozenset(ont.ids("roles")), ends, dict(ont.event_type_by_id),
                   frozenset(ont.actor_by_id), {mode_control_name(t.id): t.id for t in ont.event_types})


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _key(value: Any) -> str | None:
    """A string usable as a region id or name, or None (ids of other types resolve to nothing)."""
    return value if isinstance(value, str) else None


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


class _Annotation:
    """Converts one annotation's results; collects report items."""

    def __init__(self, text: str, tables: Tables, options: ConvertOptions, task_id: Any, annotation_id: Any):
        self.text = text
        self.tables = tables
        self.options = options
        self.task_id = task_id
        self.annotation_id = annotation_id
        self.report: list[ReportItem] = []

    def note(self, code: str, region_id: Any = None, **values: Any) -> None:
        self.report.append(item(code, self.task_id, self.annotation_id, region_id, **values))

    def span(self, region: Region) -> dict:
        return {"start": region.start, "end": region.end, "text": self.text[region.start:region.end]}

    # -- regions ----------------------------------------------------------------------------------------------
    def regions(self, results: list) -> tuple[dict[str, Region], list[dict]]:
        """The span regions by id and the relation results, in result order; per-region values attached."""
        regions: dict[str, Region] = {}
        per_region: list[tuple[int, dict]] = []
        relations: list[dict] = []
        for index, res in enumerate(results):
            if not isinstance(res, dict):
                self.note("LS201", index=index)
                continue
            rtype = res.get("type")
            if rtype == "labels":
                region = self._region(index, res)
                if region is not None:
                    if region.id in regions:
                        self.note("LS210", region.id)
                    else:
                        regions[region.id] = region
            elif rtype == "relation":
                relations.append(res)
            elif isinstance(rtype, str) and rtype in VALUE_KEYS:
                per_region.append((index, res))
            else:
                self.note("LS202", res.get("id"), type=rtype)
        for index, res in per_region:
            self._attach(index, res, regions)
        return regions, relations

    def _region(self, index: int, res: dict) -> Region | None:
        """The region of one labels result, or None (reported)."""
        rid, value = res.get("id"), res.get("value")
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.note("LS211", rid, index=index, found=_type_name(value))
            return None
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            self.note("LS203", rid, labels=repr(labels))
            return None
        label = labels[0]
        mapped = self._kind_of(label)
        if mapped is None:
            self.note("LS204", rid, label=label, control=res.get("from_name"), kinds=_KIND_LIST)
            return None
        kind, actor_type = mapped
        if kind is None:  # mapped to nothing: ignored on purpose
            return None
        start, end = value.get("start"), value.get("end")
        if not _is_int(start) or not _is_int(end):
            self.note("LS205", rid)
            return None
        given = value.get("text")
        inside = 0 <= start < end <= len(self.text)
        if isinstance(given, str) and start < end and (inside or self.options.repair_offsets):
            moved = self._check_offsets(start, end, given, rid, inside)  # they must cover what was selected
            if moved is None:
                return None
            start, end = moved
        if not 0 <= start < end <= len(self.text):
            self.note("LS206", rid, start=start, end=end, length=len(self.text))
            return None
        if self.options.trim_whitespace and (self.text[start].isspace() or self.text[end - 1].isspace()):
            trimmed = self._trim(start, end, rid)
            if trimmed is None:
                return None
            start, end = trimmed
        if not isinstance(rid, str) or not rid:
            self.note("LS209", None, index=index, kind=kind)
            return None
        region = Region(rid, kind, start, end)
        if actor_type is not None:
            region.values["actor_type"] = actor_type
        return region

    def _check_offsets(self, start: int, end: int, given: str, rid: Any, inside: bool) -> tuple[int, int] | None:
        """The offsets (moved if allowed and one rule explains the shift), or None when the region is dropped."""
        mismatch = offsets.check(self.text, start, end, given)
        if mismatch is None or (not inside and mismatch.repair is None):
            return start, end  # outside the text and not repaired: reported as such
        if self.options.repair_offsets and mismatch.repair is not None:
            new_start, new_end, rule = mismatch.repair
            self.note("LS213", rid, start=start, end=end, actual=mismatch.actual, given=given, new_start=new_start,
                      new_end=new_end, rule=rule)
            return new_start, new_end
        self.note("LS212", rid, start=start, end=end, actual=mismatch.actual, given=given,
                  found=mismatch.advice(self.options.repair_offsets))
        return None

    def _kind_of(self, label: Any) -> tuple[str | None, str | None] | None:
        """(region kind, actor type) of a span label: the label map first, then the kinds themselves."""
        if not isinstance(label, str):
            return None
        if label in self.options.label_map:
            return self.options.label_map[label]
        return (label, None) if label in KIND_BY_LABEL else None

    def _trim(self, start: int, end: int, rid: Any) -> tuple[int, int] | None:
        """The span without whitespace at its edges (reported), or None if nothing else is left."""
        s, e = start, end
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        if s == e:
            self.note("LS207", rid, start=start, end=end)
            return None
        self.note("LS208", rid, start=start, end=end, new_start=s, new_end=e)
        return s, e

    def _attach(self, index: int, res: dict, regions: dict[str, Region]) -> None:
        """Set one per-region value on its region (a later value of a control wins)."""
        rid, name, rtype, value = res.get("id"), res.get("from_name"), res.get("type"), res.get("value")
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.note("LS211", rid, index=index, found=_type_name(value))
            return
        control = self.tables.controls.get(name) if isinstance(name, str) else None
        raw = value.get(VALUE_KEYS[rtype])
        if control is None:
            where = "per-region" if "start" in value else "task-level"
            self.note("LS301", rid, where=where, type=rtype, name=name, value=repr(raw))
            return
        region = regions.get(_key(rid))
        if region is None:
            self.note("LS302", rid, name=name)
            return
        if control.kind != region.kind:
            self.note("LS303", rid, name=name, kind=control.kind, region_kind=region.kind)
            return
        parsed = _PARSERS[control.tag](self, control, raw, rid)
        if parsed is not None:
            region.values[control.name] = parsed

    # -- relations --------------------------------------------------------------------------------------------
    def links(self, relations: list[dict], regions: dict[str, Region]) -> dict[str, str]:
        """Add every usable relation, oriented by the kinds it connects, to the ``out`` links of its head region
        (in result order). Returns ``head_of``: CLAIM region that ``continues`` a claim -> that claim's id.
        """
        head_of: dict[str, str] = {}
        for rel in relations:
            from_id, to_id = rel.get("from_id"), rel.get("to_id")
            labels, direction = rel.get("labels"), rel.get("direction")
            where = f"{from_id}->{to_id}"
            if not labels:
                self.note("LS401", where)
                continue
            if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
                self.note("LS405", where, found=repr(labels))
                continue
            src, dst = regions.get(_key(from_id)), regions.get(_key(to_id))
            if src is None or dst is None:
                self.note("LS402", where, labels=repr(labels), missing=from_id if src is None else to_id)
                continue
            if direction == "left":
                src, dst = dst, src
            for label in labels:
                head_tails = self.tables.ends.get(label)
                if head_tails is None:
                    self.note("LS403", where, label=label)
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
                    self.note("LS404", where, label=label, from_kind=src.kind, to_kind=dst.kind, head=head_kind,
                              tails=" or ".join(tail_kinds))
                    continue
                head.out.append((label, tail))
                if label == "continues":
                    head_of[tail.id] = head.id
        return head_of

    # -- objects ----------------------------------------------------------------------------------------------
    def build(self, regions: dict[str, Region], head_of: dict[str, str]) -> dict:
        """Mentions, events and claims from the regions and their links (see :meth:`links`)."""
        by_kind: dict[str, list[Region]] = {}
        for r in regions.values():
            by_kind.setdefault(r.kind, []).append(r)

        mentions = []
        for r in by_kind.get("ACTOR", []):
            actor, atype = r.values.get("actor"), r.values.get("actor_type")
            if actor is None and atype is None:
                self.note("LS501", r.id)
                continue
            r.used = True
            mentions.append({"id": r.id, "span": self.span(r), "actor": actor, "type": atype})
        mention_ids = {m["id"] for m in mentions}

        quantities = {}
        for r in by_kind.get("QUANTITY", []):
            q = self._quantity(r)
            if q is not None:
                quantities[r.id] = q

        typed_events = [r for r in by_kind.get("EVENT", []) if "event_type" in r.values]
        event_ids = {r.id for r in typed_events}
        aggregates = {r.id for r in typed_events if r.values.get("granularity") == "aggregate"}
        events = []
        for r in by_kind.get("EVENT", []):
            if "event_type" not in r.values:
                self.note("LS502", r.id)
                continue
            r.used = True
            events.append(self._event(r, mention_ids, event_ids, quantities, aggregates))

        attached = {q["id"] for event in events for q in event["quantities"]}
        claim_regions = by_kind.get("CLAIM", [])
        claim_heads = {r.id for r in claim_regions if r.id not in head_of}  # not a continuation
        claims = []
        for r in claim_regions:
            if r.id in claim_heads:
                claim = self._claim(r, mention_ids, event_ids, attached, claim_heads, head_of)
                if claim is not None:
                    claims.append(claim)

        for r in regions.values():
            if not r.used:
                self.note("LS503", r.id, kind=r.kind, start=r.start, end=r.end)
        return {"mentions": mentions, "events": events, "claims": claims}

    def _quantity(self, r: Region) -> dict | None:
        if "measurand" not in r.values:
            self.note("LS504", r.id)
            return None
        value, low, high = r.values.get("value"), r.values.get("low"), r.values.get("high")
        if value is None and low is None and high is None:
            self.note("LS505", r.id)
            return None
        return {
            "id": r.id, "measurand": r.values["measurand"], "value": value, "low": low, "high": high,
            "qualifier": r.values.get("qualifier", DEFAULTS["qualifier"]),
            "span": self.span(r), "note": r.values.get("quantity_note"),
        }

    def _single(self, head: Region, label: str, tails: list[Region]) -> Region:
        """The first of one or more tails; the others are reported."""
        for extra in tails[1:]:
            self.note("LS506", extra.id, kind=head.kind, head=head.id, label=label)
        return tails[0]

    def _event(self, r: Region, mention_ids: set, event_ids: set, quantities: dict, aggregates: set) -> dict:
        etype = self.tables.event_types[r.values["event_type"]]
        arguments, qs = [], []
        singles: dict[str, list[Region]] = {}  # time, place, part_of: one each
        for label, tail in r.out:
            where = f"{r.id}->{tail.id}"
            if label in self.tables.role_ids:
                if label not in etype.roles:
                    self.note("LS507", where, role=label, type=etype.id, allowed=", ".join(etype.roles))
                    continue
                if tail.kind == "ACTOR":
                    if tail.id not in mention_ids:
                        self.note("LS508", where, role=label)
                        continue
                    arguments.append({"role": label, "mention": tail.id})
                elif tail.kind == "EVENT":
                    if tail.id not in event_ids or tail.id == r.id:
                        self.note("LS509", where, role=label)
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
                    self.note("LS510", tail.id, event=r.id)
                    continue
                tail.used = True
                qs.append(q)
            elif label in ("time", "place", "part_of"):
                singles.setdefault(label, []).append(tail)
        time, place, parent = (self._single(r, label, singles[label]) if label in singles else None
                               for label in ("time", "place", "part_of"))
        if parent is not None and (parent.id not in aggregates or parent.id == r.id):
            self.note("LS511", f"{r.id}->{parent.id}")
            parent = None
        mode = self._mode(r, etype)
        if mode is not None and mode not in etype.modes:
            self.note("LS512", r.id, mode=mode, type=etype.id, allowed=", ".join(etype.modes))
            mode = None
        for used in (time, place):
            if used is not None:
                used.used = True
        return {
            "id": r.id,
            "type": etype.id,
            "mode": mode,
            "trigger": self.span(r),
            "arguments": arguments,
            "realis": r.values.get("realis", DEFAULTS["realis"]),
            "granularity": r.values.get("granularity", DEFAULTS["granularity"]),
            "part_of": None if parent is None else parent.id,
            "time": None if time is None else {
                "span": self.span(time), "start": time.values.get("time_start"),
                "end": time.values.get("time_end"),
                "precision": time.values.get("time_precision", DEFAULTS["time_precision"]),
            },
            "place": None if place is None else {
                "span": self.span(place), "name": place.values.get("place_name"),
                "geonames_id": _int_or_none(place.values.get("geonames_id")),
                "precision": place.values.get("place_precision", DEFAULTS["place_precision"]),
            },
            "quantities": qs,
        }

    def _mode(self, r: Region, etype: EventType) -> str | None:
        """The mode chosen under the event's type (``mode_<TYPE>``), else one from an older config's ``mode``;
        modes chosen under another type (the type was changed afterwards) are reported."""
        own = mode_control_name(etype.id)
        for name, value in r.values.items():
            if name in self.tables.mode_of and name != own:
                self.note("LS519", r.id, mode=value, chosen_for=self.tables.mode_of[name], type=etype.id)
        return r.values.get(own, r.values.get(MODE))

    def _claim(self, r: Region, mention_ids: set, event_ids: set, quantities: set, claim_heads: set,
               head_of: dict) -> dict | None:
        content = [self.span(r)]
        cues, claimants, via, about_e, about_q, links = [], [], [], [], [], []
        for label, tail in r.out:
            where = f"{r.id}->{tail.id}"
            if label == "about":
                if tail.kind == "EVENT" and tail.id in event_ids:
                    about_e.append(tail.id)
                elif tail.kind == "QUANTITY" and tail.id in quantities:
                    about_q.append(tail.id)
                else:
                    self.note("LS513", where)
            elif label == "continues":
                tail.used = True
                content.append(self.span(tail))
            elif label == "cue":
                cues.append(tail)
            elif label in ("claimant", "reported_via"):
                if tail.id not in mention_ids:
                    self.note("LS514", where, label=label)
                    continue
                (claimants if label == "claimant" else via).append(tail.id)
            elif label in ("supports", "contests"):
                target = head_of.get(tail.id, tail.id)
                if target not in claim_heads or target == r.id:
                    self.note("LS515", where, label=label)
                    continue
                links.append({"type": label, "claim": target})
        cue = self._single(r, "cue", cues) if cues else None
        if cue is not None:
            cue.used = True
        kind = CLAIMANT_KIND_OF_CHOICE.get(r.values.get("claimant_kind"))
        if claimants and kind == "outlet":
            self.note("LS516", r.id)
        if kind == "unnamed":
            claimant = {"kind": "unnamed", "mention": claimants[0]} if claimants else {"kind": "unnamed"}
        elif claimants:
            claimant = {"kind": "actor", "mention": claimants[0]}
        elif kind == "outlet":
            claimant = {"kind": "outlet"}
        else:
            self.note("LS518", r.id)
            return None
        r.used = True
        claim = {
            "id": r.id,
            "content": content,
            "cue": None if cue is None else self.span(cue),
            "claimant": claimant,
            **({"co_claimants": [{"mention": m} for m in claimants[1:]]} if len(claimants) > 1 else {}),
            "reported_via": [{"mention": m} for m in via],
            "about": {"events": list(dict.fromkeys(about_e)), "quantities": list(dict.fromkeys(about_q))},
            "stance": r.values.get("stance", DEFAULTS["stance"]),
            "certainty": r.values.get("certainty", DEFAULTS["certainty"]),
            "links": links,
        }
        if "check_worthy" in r.values:
            claim["check_worthy"] = CHECK_WORTHY[r.values["check_worthy"]]
        return claim


# -- per-region values: one parser per control tag; None means "not set" (reported unless merely empty) --------


def _parse_choice(conv: _Annotation, control, raw: Any, rid: Any) -> Any:
    if not isinstance(raw, list) or len(raw) != 1:
        conv.note("LS304", rid, name=control.name, value=repr(raw))
        return None
    allowed = conv.tables.allowed[control.name]
    if not isinstance(raw[0], str) or raw[0] not in allowed:
        conv.note("LS305", rid, name=control.name, value=repr(raw[0]), allowed=", ".join(allowed))
        return None
    return raw[0]


def _parse_taxonomy(conv: _Annotation, control, raw: Any, rid: Any) -> Any:
    if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], list) or not raw[0]:
        conv.note("LS306", rid, name=control.name, value=repr(raw))
        return None
    actor = raw[0][-1]
    if not isinstance(actor, str) or actor not in conv.tables.actor_ids:
        conv.note("LS307", rid, actor=repr(actor))
        return None
    return actor


def _parse_number(conv: _Annotation, control, raw: Any, rid: Any) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        conv.note("LS308", rid, name=control.name, value=repr(raw))
        return None
    return raw


def _parse_textarea(conv: _Annotation, control, raw: Any, rid: Any) -> Any:
    texts = raw if isinstance(raw, list) else [raw]
    joined = "\n".join(str(t) for t in texts if t is not None).strip()
    return joined or None


def _parse_datetime(conv: _Annotation, control, raw: Any, rid: Any) -> Any:
    if not isinstance(raw, str) or len(raw) < 10:
        conv.note("LS309", rid, name=control.name, value=repr(raw))
        return None
    return raw[:10]


_PARSERS = {"Choices": _parse_choice, "Taxonomy": _parse_taxonomy, "Number": _parse_number,
            "TextArea": _parse_textarea, "DateTime": _parse_datetime}


# -- annotations and tasks ---------------------------------------------------------------------------------------


def pseudonym(completed_by: Any) -> str:
    """A pseudonymous annotator id: the Label Studio user id, never an email or name."""
    user = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
    if user is None:
        return "ls-user-unknown"
    if _is_int(user) or (isinstance(user, str) and user.isdigit()):
        return f"ls-user-{user}"
    return "ls-user-" + hashlib.sha256(str(user).encode()).hexdigest()[:12]


def convert_annotation(text: str, annotation: Any, ont: Ontology, options: ConvertOptions, *,
                       task_id: Any, project_id: int | None, tables: Tables | None = None
                       ) -> tuple[dict | None, list[ReportItem]]:
    """One Label Studio annotation → one schema annotation (or None) and its report items."""
    if not isinstance(annotation, dict):
        return None, [item("LS108", task_id, None, None, found=_type_name(annotation))]
    ann_id = annotation.get("id")
    conv = _Annotation(text, tables or Tables.of(ont), options, task_id, ann_id)
    results = annotation.get("result")
    if not isinstance(results, list):
        conv.note("LS107")
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
                "task_id": task_id if _is_int(task_id) else None,
                "annotation_id": ann_id if _is_int(ann_id) else None,
                "unique_id": annotation.get("unique_id") if isinstance(annotation.get("unique_id"), str) else None,
            },
            "created_at": annotation.get("created_at"),
            "updated_at": annotation.get("updated_at"),
            "lead_time": float(lead) if isinstance(lead, (int, float)) and not isinstance(lead, bool) and lead >= 0
            else None,
            "schema_version": options.schema_version,
            "corpus_version": options.corpus_version,
            "guidelines_version": None,
        },
        "cancelled": bool(annotation.get("was_cancelled", False)),
        "ground_truth": bool(annotation.get("ground_truth", False)),
        **body,
    }
    return converted, conv.report


def _not_submitted(task_id: Any, kind: str, entry: Any) -> ReportItem:
    """A prediction or draft: reported, never converted. Exports list predictions as bare ids."""
    noun = kind[:-1]
    if not isinstance(entry, dict):
        return item("LS105", task_id, None, None, noun=noun, item=entry)
    result = entry.get("result")
    version = f" (model_version {entry.get('model_version')!r})" if kind == "predictions" else ""
    ident = "" if entry.get("id") is None else f" {entry['id']}"
    return item("LS106", task_id, None, None, noun=noun, ident=ident, version=version,
                n=len(result) if isinstance(result, list) else 0)


def convert_task(task: Any, ont: Ontology, options: ConvertOptions, *, tables: Tables | None = None
                 ) -> tuple[dict | None, list[ReportItem]]:
    """One exported task → an annotated document with all its annotations, and the report.

    ``tables`` (:meth:`Tables.of` the ontology) may be passed by a caller converting many tasks."""
    if not isinstance(task, dict):
        return None, [item("LS109", None, None, None, found=_type_name(task))]
    task_id = task.get("id")
    if not (task_id is None or isinstance(task_id, (str, int))) or isinstance(task_id, bool):
        task_id = repr(task_id)
    if "completions" in task and "annotations" not in task:
        return None, [item("LS101", task_id, None, None)]
    data = task.get("data")
    if not isinstance(data, dict):
        json_min = "data" not in task and "annotations" not in task and {"annotator", "annotation_id"} & set(task)
        return None, [item("LS111" if json_min else "LS102", task_id, None, None)]
    text = data.get(options.text_field)
    if not isinstance(text, str) or not text:
        fields = ", ".join(sorted(str(k) for k in data)) or "none"
        return None, [item("LS103", task_id, None, None, field=options.text_field, fields=fields)]
    raw_id = data.get("doc_id")
    if raw_id not in (None, "") and (not isinstance(raw_id, str) or id_problem(raw_id)):
        shown = repr(raw_id) if isinstance(raw_id, str) else f"{_type_name(raw_id)} {str(raw_id)[:60]}"
        return None, [item("LS112", task_id, None, None, value=shown, pattern=ID_PATTERN.pattern)]
    tables = tables or Tables.of(ont)
    report: list[ReportItem] = []
    doc_id = raw_id or content_id(text)  # the corpus rule for documents without an id
    text_sha = sha256_text(text)
    if data.get("text_sha256") not in (None, text_sha):
        report.append(item("LS104", task_id, None, None))
    project_id = task.get("project") if _is_int(task.get("project")) else None
    annotations = []
    entries = task.get("annotations")
    if entries is not None and not isinstance(entries, list):
        report.append(item("LS110", task_id, None, None, found=_type_name(entries)))
        entries = []
    for ann in entries or []:
        converted, items = convert_annotation(text, ann, ont, options, task_id=task_id, project_id=project_id,
                                              tables=tables)
        report.extend(items)
        if converted is not None:
            annotations.append(converted)
    for kind in ("predictions", "drafts"):
        entries = task.get(kind)
        for entry in entries if isinstance(entries, list) else []:
            report.append(_not_submitted(task_id, kind, entry))
    doc = {
        "schema_version": options.schema_version,
        "doc_id": doc_id,
        "corpus_version": options.corpus_version,
        "text": text,
        "text_sha256": text_sha,
        "annotations": annotations,
    }
    return doc, report
