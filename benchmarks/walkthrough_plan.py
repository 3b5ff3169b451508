"""What an annotator must change, from the predictions Label Studio starts from to the gold annotation of one claim.

Pure functions (no browser, no server), used by ``walkthrough.py``:

- :data:`SCOPES` say how much of a claim counts: ``small`` (the claim, its cue and claimant), ``reference`` (the
  issue's reference: also the events and numbers it asserts, with their attacker), ``full`` (everything the gold
  annotation says about those events: every argument, time and place).
- :func:`claim_view` describes a claim in a scope by spans and values rather than ids, so a pulled annotation
  (ids made by Label Studio) compares with the gold one; :func:`scoped_annotation` is the part of an annotation
  the scope covers.
- :func:`plan` compares the prediction's results with the results of the gold scope and lists the
  :class:`Step` s that turn one into the other: accept what is right, delete wrong regions and links around the
  claim, create missing regions, set wrong or missing values, draw missing relations, submit. With fuller
  predictions the plan shrinks to the corrections.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from counterclaim.labelstudio.config import STRUCTURAL_RELATIONS
from counterclaim.model.defaults import DEFAULTS
from counterclaim.model.ontology import Ontology

CLAIM_LABELS = frozenset({"claimant", "reported_via", "cue", "continues"})


@dataclass(frozen=True)
class Scope:
    name: str
    about: bool  # the events and quantities the claim asserts
    roles: frozenset[str] | None  # event argument roles that count (None: all)
    time_place: bool  # the events' time and place
    description: str


SCOPES = {s.name: s for s in (
    Scope("small", False, frozenset(), False, "the claim, its cue and its claimant"),
    Scope("reference", True, frozenset({"attacker"}), False,
          "the claim, cue, claimant, the events and numbers it asserts with their attacker, all their links"),
    Scope("full", True, None, True, "as reference, with every argument, time and place of those events"),
)}


# -- the part of an annotation a scope covers, and its view ------------------------------------------------------


def scoped_annotation(ann: dict, claim_id: str, scope: Scope) -> dict:
    """The claim ``claim_id`` and what it refers to in ``scope``, as an annotation of its own."""
    claim = copy.deepcopy(next(c for c in ann["claims"] if c["id"] == claim_id))
    claim["links"] = []  # supports/contests point to other claims, outside a one-claim walk-through
    if not scope.about:
        claim["about"] = {"events": [], "quantities": []}
    owner = {q["id"]: ev["id"] for ev in ann["events"] for q in ev["quantities"]}
    wanted = list(dict.fromkeys(claim["about"]["events"] + [owner[q] for q in claim["about"]["quantities"]]))
    events = []
    for ev in ann["events"]:
        if ev["id"] not in wanted:
            continue
        ev = copy.deepcopy(ev)
        ev["arguments"] = [a for a in ev["arguments"] if "event" not in a
                           and (scope.roles is None or a["role"] in scope.roles)]
        ev["part_of"] = None
        if not scope.time_place:
            ev["time"] = ev["place"] = None
        events.append(ev)
    needed = {claim["claimant"].get("mention")} | {s.get("mention") for s in claim["reported_via"]}
    needed |= {a.get("mention") for ev in events for a in ev["arguments"]}
    mentions = [m for m in ann["mentions"] if m["id"] in needed]
    return {"mentions": mentions, "events": events, "claims": [claim]}


def _span(span: dict | None) -> list[int] | None:
    return None if span is None else [span["start"], span["end"]]


def _sorted(items: list) -> list:
    return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))


def claim_view(ann: dict, claim_id: str, scope: Scope) -> dict:
    """The claim in ``scope`` by spans and values (ids left out), for comparing annotations made apart."""
    part = scoped_annotation(ann, claim_id, scope)
    mentions = {m["id"]: m for m in part["mentions"]}

    def mention(mid: str) -> dict:
        m = mentions[mid]
        return {"span": _span(m["span"]), "actor": m["actor"], "type": m["type"]}

    def quantity(q: dict) -> dict:
        return {"span": _span(q["span"]), **{k: q[k] for k in ("measurand", "value", "low", "high", "qualifier", "note")}}

    def event(ev: dict) -> dict:
        arguments = [{"role": a["role"], **({"mention": mention(a["mention"])} if a.get("mention")
                                            else {"span": _span(a.get("span"))})} for a in ev["arguments"]]
        return {
            "trigger": _span(ev["trigger"]), **{k: ev[k] for k in ("type", "mode", "realis", "granularity")},
            "arguments": _sorted(arguments), "quantities": _sorted([quantity(q) for q in ev["quantities"]]),
            "time": None if ev["time"] is None else {**ev["time"], "span": _span(ev["time"]["span"])},
            "place": None if ev["place"] is None else {**ev["place"], "span": _span(ev["place"]["span"])},
        }

    (claim,) = part["claims"]
    quantities = {q["id"]: q for ev in part["events"] for q in ev["quantities"]}
    claimant = claim["claimant"]
    return {
        "content": [_span(s) for s in claim["content"]],
        "cue": _span(claim["cue"]),
        "claimant": mention(claimant["mention"]) if claimant.get("mention") else {"kind": claimant["kind"]},
        "reported_via": [mention(s["mention"]) for s in claim["reported_via"] if s.get("mention")],
        "stance": claim["stance"], "certainty": claim["certainty"], "check_worthy": claim.get("check_worthy"),
        "about_events": _sorted([event(ev) for ev in part["events"] if ev["id"] in claim["about"]["events"]]),
        "about_quantities": _sorted([quantity(quantities[q]) for q in claim["about"]["quantities"]]),
    }


def find_claim(ann: dict, content_start: int, content_end: int) -> str | None:
    """The id of the claim whose first content span is exactly this one."""
    return next((c["id"] for c in ann["claims"]
                 if (c["content"][0]["start"], c["content"][0]["end"]) == (content_start, content_end)), None)


# -- results as regions and relations -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Key:
    """A region by what the annotator sees: its label and its span."""

    kind: str
    start: int
    end: int


@dataclass
class Regions:
    """Label Studio results as regions (key -> per-region values by control name) and relations
    ``(head key, tail key, label)``, oriented from the kind that heads the relation."""

    ids: dict[str, Key] = field(default_factory=dict)
    values: dict[Key, dict[str, Any]] = field(default_factory=dict)
    relations: list[tuple[Key, Key, str]] = field(default_factory=list)


def _value(result: dict) -> Any:
    value = result["value"]
    rtype = result["type"]
    if rtype == "choices":
        return value["choices"][0]
    if rtype == "taxonomy":
        return value["taxonomy"][0][-1]
    if rtype == "number":
        return float(value["number"])
    if rtype == "textarea":
        return "\n".join(value["text"])
    return value.get(rtype)


def heads(ont: Ontology) -> dict[str, str]:
    """Relation label -> the kind of region it starts from."""
    out = {label: head for label, head, _, _ in STRUCTURAL_RELATIONS}
    out.update((role, "EVENT") for role in ont.ids("roles"))
    return out


def regions_of(results: list[dict], ont: Ontology) -> Regions:
    out = Regions()
    for r in results:
        if r["type"] == "labels":
            key = Key(r["value"]["labels"][0], r["value"]["start"], r["value"]["end"])
            out.ids[r["id"]] = key
            out.values.setdefault(key, {})
    for r in results:
        if r["type"] not in ("labels", "relation") and r["id"] in out.ids:
            out.values[out.ids[r["id"]]][r["from_name"]] = _value(r)
    head_kind = heads(ont)
    for r in results:
        if r["type"] == "relation" and r["from_id"] in out.ids and r["to_id"] in out.ids:
            a, b = out.ids[r["from_id"]], out.ids[r["to_id"]]
            for label in r["labels"]:
                head, tail = (a, b) if a.kind == head_kind.get(label) else (b, a)
                out.relations.append((head, tail, label))
    return out


# -- the plan -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing the annotator does. ``action``: delete_region, delete_relation, create_region, set_value,
    relate, submit."""

    action: str
    key: Key | None = None
    control: str | None = None
    value: Any = None
    tail: Key | None = None
    label: str | None = None


def _effective(values: dict, control: str) -> Any:
    return values.get(control, DEFAULTS.get(control))


def _overlap(a: Key, b: Key) -> bool:
    return a.start < b.end and b.start < a.end


def plan(start: list[dict], target: list[dict], gold: list[dict], ont: Ontology, scope: Scope) -> list[Step]:
    """The steps from the ``start`` results (the prediction) to the ``target`` results (the gold scope).

    ``gold`` is the whole gold annotation's results: a wrong link to a region gold also has is removed as a
    link; a wrong region that gold does not have is deleted (its links go with it)."""
    have, want = regions_of(start, ont), regions_of(target, ont)
    gold_keys = set(regions_of(gold, ont).values)
    labels = CLAIM_LABELS | ({"about", "quantity"} if scope.about else set())
    labels |= set(ont.ids("roles")) if scope.roles is None else set(scope.roles)
    labels |= {"time", "place"} if scope.time_place else set()
    steps: list[Step] = []
    gone: set[Key] = set()

    def delete(key: Key) -> None:
        if key not in gone:
            gone.add(key)
            steps.append(Step("delete_region", key))

    for head, tail, label in have.relations:  # wrong links from the claim and its events
        if head in want.values and label in labels and (head, tail, label) not in want.relations and tail not in gone:
            if tail in gold_keys:
                steps.append(Step("delete_relation", head, tail=tail, label=label))
            else:
                delete(tail)
    for key in have.values:  # wrong spans of a region the scope has
        if key not in want.values and key not in gold_keys and any(
                k.kind == key.kind and _overlap(k, key) for k in want.values):
            delete(key)

    # longer spans first: a region drawn over existing ones can take the label of one it ends on
    created = sorted((key for key in want.values if key not in have.values), key=lambda k: (k.start - k.end, k))
    steps += [Step("create_region", key) for key in created]
    for key, values in want.values.items():
        now = {} if key in created else have.values[key]
        for control, value in values.items():
            if _effective(now, control) != value:
                steps.append(Step("set_value", key, control=control, value=value))
    drawn = set(have.relations)
    steps += [Step("relate", head, tail=tail, label=label) for head, tail, label in want.relations
              if (head, tail, label) not in drawn]
    steps.append(Step("submit"))
    return steps
