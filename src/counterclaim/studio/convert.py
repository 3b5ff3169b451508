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
from typing import Any, Mapping

from counterclaim.corpus.ids import content_id
from counterclaim.jsonio import sha256_text
from counterclaim.ontology import Ontology
from counterclaim.studio.config import (
    CONTROL_BY_NAME,
    KIND_BY_LABEL,
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


@dataclass
class _Region:
    id: str
    kind: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)
    used: bool = False


class _Converter:
    """Converts one annotation's results; collects report items."""

    def __init__(self, text: str, ont: Ontology, options: ConvertOptions, task_id: Any, annotation_id: Any):
        self.text = text
        self.ont = ont
        self.options = options
        self.task_id = task_id
        self.annotation_id = annotation_id
        self.report: list[ReportItem] = []

    def note(self, region_id: str | None, action: str, reason: str) -> None:
        self.report.append(ReportItem(self.task_id, self.annotation_id, region_id, action, reason))

    def span(self, region: _Region) -> dict:
        return {"start": region.start, "end": region.end, "text": self.text[region.start:region.end]}

    # -- regions ------------------------------------------------------------------------------------------
    def _kind(self, labels: list, rid: str, from_name: str) -> tuple[str | None, str | None]:
        if not isinstance(labels, list) or len(labels) != 1:
            self.note(rid, "dropped", f"a region needs exactly one label; it has {labels!r} — keep one label per span")
            return None, None
        label = labels[0]
        if label in self.options.label_map:
            return self.options.label_map[label]
        if label in KIND_BY_LABEL:
            return label, None
        kinds = ", ".join(KIND_BY_LABEL)
        self.note(rid, "dropped", f"label `{label}` (control `{from_name}`) is not a counterclaim region kind "
                  f"({kinds}); map it with --label-map {label}=KIND")
        return None, None

    def _offsets(self, value: dict, rid: str) -> tuple[int, int] | None:
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            self.note(rid, "dropped", "the region has no integer start/end offsets (not a <Text> span; "
                      "HyperText/XPath regions are not supported)")
            return None
        if not 0 <= start < end <= len(self.text):
            self.note(rid, "dropped", f"offsets [{start}, {end}) fall outside the text ({len(self.text)} code points)")
            return None
        if self.options.trim_whitespace:
            s, e = start, end
            while s < e and self.text[s].isspace():
                s += 1
            while e > s and self.text[e - 1].isspace():
                e -= 1
            if s == e:
                self.note(rid, "dropped", f"the span [{start}, {end}) covers only whitespace")
                return None
            if (s, e) != (start, end):
                self.note(rid, "adjusted", f"whitespace trimmed from the span edges: [{start}, {end}) -> [{s}, {e})")
                start, end = s, e
        return start, end

    def regions(self, results: list) -> tuple[dict[str, _Region], list[dict]]:
        regions: dict[str, _Region] = {}
        per_region: list[tuple[int, dict]] = []
        relations: list[dict] = []
        for i, res in enumerate(results):
            if not isinstance(res, dict):
                self.note(None, "dropped", f"result #{i} is not an object")
                continue
            rtype = res.get("type")
            rid = res.get("id")
            if rtype == "relation":
                relations.append(res)
            elif rtype == "labels":
                value = res.get("value") or {}
                kind, actor_type = self._kind(value.get("labels"), rid, res.get("from_name"))
                if kind is None:
                    continue
                offsets = self._offsets(value, rid)
                if offsets is None:
                    continue
                if not isinstance(rid, str) or not rid:
                    self.note(None, "dropped", f"result #{i} ({kind}) has no region id")
                    continue
                if rid in regions:
                    self.note(rid, "dropped", "a second labels result with the same region id")
                    continue
                region = _Region(rid, kind, *offsets)
                if actor_type is not None:
                    region.attrs["actor_type"] = actor_type
                regions[rid] = region
            elif rtype in VALUE_KEYS:
                per_region.append((i, res))
            else:
                self.note(rid, "dropped", f"result type `{rtype}` is not used by counterclaim")
        for i, res in per_region:
            self._attach(res, regions)
        return regions, relations

    def _attach(self, res: dict, regions: dict[str, _Region]) -> None:
        rid, name, rtype = res.get("id"), res.get("from_name"), res.get("type")
        control = CONTROL_BY_NAME.get(name)
        value = res.get("value") or {}
        if control is None:
            where = "per-region" if "start" in value else "task-level"
            self.note(rid, "dropped", f"{where} {rtype} `{name}` is not a counterclaim control; its value "
                      f"{value.get(VALUE_KEYS[rtype])!r} is not converted")
            return
        region = regions.get(rid)
        if region is None:
            self.note(rid, "dropped", f"`{name}` belongs to no converted region (its span label is missing or was dropped)")
            return
        if control.kind != region.kind:
            self.note(rid, "dropped", f"`{name}` applies to {control.kind} regions; this region is {region.kind}")
            return
        raw = value.get(VALUE_KEYS[rtype])
        parsed = self._parse_value(control.name, control.tag, raw, rid)
        if parsed is not None:
            region.attrs[control.name] = parsed

    def _parse_value(self, name: str, tag: str, raw: Any, rid: str) -> Any:
        control = CONTROL_BY_NAME[name]
        if tag == "Choices":
            if not isinstance(raw, list) or len(raw) != 1:
                self.note(rid, "dropped", f"`{name}` needs exactly one choice; got {raw!r}")
                return None
            allowed = tuple(v for v, _ in control.values) or self.ont.closed_sets()[control.terms]
            if raw[0] not in allowed:
                self.note(rid, "dropped", f"`{name}` value {raw[0]!r} is not in the ontology ({', '.join(allowed)})")
                return None
            return raw[0]
        if tag == "Taxonomy":
            if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], list) or not raw[0]:
                self.note(rid, "dropped", f"`{name}` needs exactly one selected actor; got {raw!r}")
                return None
            actor = raw[0][-1]
            if actor not in self.ont.actor_by_id:
                self.note(rid, "dropped", f"actor {actor!r} is not in the registry (schema/ontology.yaml)")
                return None
            return actor
        if tag == "Number":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                self.note(rid, "dropped", f"`{name}` is not a number: {raw!r}")
                return None
            return raw
        if tag == "TextArea":
            texts = raw if isinstance(raw, list) else [raw]
            joined = "\n".join(str(t) for t in texts if t is not None).strip()
            return joined or None
        if tag == "DateTime":
            if not isinstance(raw, str) or len(raw) < 10:
                self.note(rid, "dropped", f"`{name}` is not a date: {raw!r}")
                return None
            return raw[:10]
        raise AssertionError(tag)

    # -- relations ----------------------------------------------------------------------------------------
    def links(self, relations: list[dict], regions: dict[str, _Region]) -> list[tuple[str, _Region, _Region]]:
        """``(label, head, tail)`` for every usable relation, oriented by the kinds it connects."""
        role_ids = set(self.ont.ids("roles"))
        structural = {label: (head, tails) for label, head, tails, _ in STRUCTURAL_RELATIONS}
        out = []
        for rel in relations:
            src, dst = regions.get(rel.get("from_id")), regions.get(rel.get("to_id"))
            rid = f"{rel.get('from_id')}->{rel.get('to_id')}"
            labels = rel.get("labels") or []
            if not labels:
                self.note(rid, "dropped", "relation without a label; give it a role or link type")
                continue
            if src is None or dst is None:
                missing = rel.get("from_id") if src is None else rel.get("to_id")
                self.note(rid, "dropped", f"relation {labels} points to region {missing}, which was not converted")
                continue
            if rel.get("direction") == "left":
                src, dst = dst, src
            for label in labels:
                if label in role_ids:
                    head_kind, tail_kinds = "EVENT", ("ACTOR", "ARGUMENT", "EVENT", "PLACE", "TIME", "QUANTITY")
                elif label in structural:
                    head_kind, tail_kinds = structural[label]
                else:
                    self.note(rid, "dropped", f"relation label `{label}` is not a counterclaim role or link")
                    continue
                oriented = self._orient(src, dst, head_kind, tail_kinds, rel.get("direction"))
                if oriented is None:
                    self.note(rid, "dropped", f"relation `{label}` links {src.kind} to {dst.kind}; it must link "
                              f"{head_kind} to {' or '.join(tail_kinds)}")
                    continue
                out.append((label, *oriented))
        return out

    @staticmethod
    def _orient(src: _Region, dst: _Region, head: str, tails: tuple[str, ...], direction: str | None):
        forward = src.kind == head and dst.kind in tails
        backward = dst.kind == head and src.kind in tails
        if forward and backward:  # same kinds at both ends (EVENT-EVENT, CLAIM-CLAIM): trust the arrow
            return None if direction == "bi" else (src, dst)
        if forward:
            return src, dst
        if backward:
            return dst, src
        return None

    # -- objects ------------------------------------------------------------------------------------------
    def build(self, regions: dict[str, _Region], links: list[tuple[str, _Region, _Region]]) -> dict:
        by_head: dict[str, list[tuple[str, _Region]]] = {}
        for label, head, tail in links:
            by_head.setdefault(head.id, []).append((label, tail))

        mentions = []
        for r in regions.values():
            if r.kind != "ACTOR":
                continue
            actor, atype = r.attrs.get("actor"), r.attrs.get("actor_type")
            if actor is None and atype is None:
                self.note(r.id, "dropped", "ACTOR region has neither a canonical actor nor an actor type; pick one")
                continue
            r.used = True
            mentions.append({"id": r.id, "span": self.span(r), "actor": actor, "type": atype})
        mention_ids = {m["id"] for m in mentions}

        quantities: dict[str, dict] = {}
        for r in regions.values():
            if r.kind != "QUANTITY":
                continue
            q = self._quantity(r)
            if q is not None:
                quantities[r.id] = q

        events = []
        event_ids = {r.id for r in regions.values() if r.kind == "EVENT" and "event_type" in r.attrs}
        aggregates = {rid for rid in event_ids if regions[rid].attrs.get("granularity") == "aggregate"}
        for r in regions.values():
            if r.kind != "EVENT":
                continue
            if "event_type" not in r.attrs:
                self.note(r.id, "dropped", "EVENT region without an event type; choose one")
                continue
            r.used = True
            events.append(self._event(r, by_head.get(r.id, []), mention_ids, event_ids, quantities, aggregates))

        attached = {q["id"] for event in events for q in event["quantities"]}
        continuation = {tail.id for label, head, tail in links if label == "continues"}
        claim_heads = {r.id for r in regions.values() if r.kind == "CLAIM" and r.id not in continuation}
        head_of = {tail.id: head.id for label, head, tail in links if label == "continues"}
        claims = []
        for r in regions.values():
            if r.kind == "CLAIM" and r.id in claim_heads:
                claim = self._claim(r, by_head.get(r.id, []), mention_ids, event_ids, attached, claim_heads, head_of)
                if claim is not None:
                    claims.append(claim)

        for r in regions.values():
            if not r.used:
                self.note(r.id, "dropped", f"{r.kind} region [{r.start}, {r.end}) is not linked to anything that uses it")
        return {"mentions": mentions, "events": events, "claims": claims}

    def _quantity(self, r: _Region) -> dict | None:
        a = r.attrs
        if "measurand" not in a:
            self.note(r.id, "dropped", "QUANTITY region without a measurand; choose what is counted")
            return None
        if all(a.get(k) is None for k in ("value", "low", "high")):
            self.note(r.id, "dropped", "QUANTITY region without value, low or high; enter the number")
            return None
        return {
            "id": r.id, "measurand": a["measurand"], "value": a.get("value"), "low": a.get("low"),
            "high": a.get("high"), "qualifier": a.get("qualifier", DEFAULTS["qualifier"]),
            "span": self.span(r), "note": a.get("quantity_note"),
        }

    def _single(self, head: _Region, label: str, tails: list[_Region]) -> _Region | None:
        if len(tails) > 1:
            for extra in tails[1:]:
                self.note(extra.id, "dropped", f"{head.kind} {head.id} has more than one `{label}` link; the first is kept")
        return tails[0] if tails else None

    def _event(self, r: _Region, out: list, mention_ids: set, event_ids: set, quantities: dict,
               aggregates: set) -> dict:
        role_ids = set(self.ont.ids("roles"))
        etype = self.ont.event_type_by_id[r.attrs["event_type"]]
        arguments, qs = [], []
        times, places, parents = [], [], []
        for label, tail in out:
            if label in role_ids and label not in etype.roles:
                self.note(f"{r.id}->{tail.id}", "dropped", f"role `{label}` is not allowed for {etype.id} "
                          f"(allowed: {', '.join(etype.roles)})")
            elif label in role_ids:
                arg = self._argument(r, label, tail, mention_ids, event_ids)
                if arg is not None:
                    tail.used = True
                    arguments.append(arg)
            elif label == "quantity":
                q = quantities.get(tail.id)
                if q is None:
                    continue  # already reported by _quantity
                if tail.used:
                    self.note(tail.id, "dropped", f"quantity already belongs to another event; not repeated in {r.id}")
                    continue
                tail.used = True
                qs.append(q)
            elif label == "time":
                times.append(tail)
            elif label == "place":
                places.append(tail)
            elif label == "part_of":
                parents.append(tail)
        time = self._single(r, "time", times)
        place = self._single(r, "place", places)
        parent = self._single(r, "part_of", parents)
        if parent is not None and (parent.id not in aggregates or parent.id == r.id):
            self.note(f"{r.id}->{parent.id}", "dropped", "`part_of` must point to another, aggregate event")
            parent = None
        mode = r.attrs.get("mode")
        if mode is not None and mode not in etype.modes:
            self.note(r.id, "dropped", f"mode `{mode}` does not belong to {etype.id} (allowed: {', '.join(etype.modes)})")
            mode = None
        for used in (time, place):
            if used is not None:
                used.used = True
        a = r.attrs
        return {
            "id": r.id,
            "type": a["event_type"],
            "mode": mode,
            "trigger": self.span(r),
            "arguments": arguments,
            "realis": a.get("realis", DEFAULTS["realis"]),
            "granularity": a.get("granularity", DEFAULTS["granularity"]),
            "part_of": None if parent is None else parent.id,
            "time": None if time is None else {
                "span": self.span(time), "start": time.attrs.get("time_start"), "end": time.attrs.get("time_end"),
                "precision": time.attrs.get("time_precision", DEFAULTS["time_precision"]),
            },
            "place": None if place is None else {
                "span": self.span(place), "name": place.attrs.get("place_name"),
                "geonames_id": _int_or_none(place.attrs.get("geonames_id")),
                "precision": place.attrs.get("place_precision", DEFAULTS["place_precision"]),
            },
            "quantities": qs,
        }

    def _argument(self, r: _Region, role: str, tail: _Region, mention_ids: set, event_ids: set) -> dict | None:
        if tail.kind == "ACTOR":
            if tail.id not in mention_ids:
                self.note(f"{r.id}->{tail.id}", "dropped", f"argument `{role}` points to an ACTOR region that was not converted")
                return None
            return {"role": role, "mention": tail.id}
        if tail.kind == "EVENT":
            if tail.id not in event_ids or tail.id == r.id:
                self.note(f"{r.id}->{tail.id}", "dropped", f"argument `{role}` points to an event that was not converted")
                return None
            return {"role": role, "event": tail.id}
        return {"role": role, "span": self.span(tail)}

    def _claim(self, r: _Region, out: list, mention_ids: set, event_ids: set, quantities: set,
               claim_heads: set, head_of: dict) -> dict | None:
        content = [self.span(r)]
        cue, claimants, via, about_e, about_q, links = [], [], [], [], [], []
        for label, tail in out:
            if label == "continues":
                tail.used = True
                content.append(self.span(tail))
            elif label == "cue":
                cue.append(tail)
            elif label in ("claimant", "reported_via"):
                if tail.id not in mention_ids:
                    self.note(f"{r.id}->{tail.id}", "dropped", f"`{label}` points to an ACTOR region that was not converted")
                    continue
                (claimants if label == "claimant" else via).append(tail.id)
            elif label == "about":
                if tail.kind == "EVENT" and tail.id in event_ids:
                    about_e.append(tail.id)
                elif tail.kind == "QUANTITY" and tail.id in quantities:
                    about_q.append(tail.id)
                else:
                    self.note(f"{r.id}->{tail.id}", "dropped", "`about` points to a region that was not converted")
            elif label in ("supports", "contests"):
                target = head_of.get(tail.id, tail.id)
                if target not in claim_heads or target == r.id:
                    self.note(f"{r.id}->{tail.id}", "dropped", f"`{label}` must point to another claim")
                    continue
                links.append({"type": label, "claim": target})
        cue_region = self._single(r, "cue", cue)
        if cue_region is not None:
            cue_region.used = True
        outlet = r.attrs.get("claimant_kind") == UNSOURCED
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
            "reported_via": [{"mention": m} for m in via],
            "about": {"events": _unique(about_e), "quantities": _unique(about_q)},
            "stance": r.attrs.get("stance", DEFAULTS["stance"]),
            "certainty": r.attrs.get("certainty", DEFAULTS["certainty"]),
            "links": links,
        }
        if "check_worthy" in r.attrs:
            claim["check_worthy"] = CHECK_WORTHY[r.attrs["check_worthy"]]
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
    links = conv.links(relations, regions)
    body = conv.build(regions, links)
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
