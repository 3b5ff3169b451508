"""Report codes of the Label Studio converter: one stable code per reason a result is not converted as it stands.

Like spaCy's error codes, a code never changes meaning once released: scripts and the pull command decide by
the code (``item.code``), never by the wording of ``item.reason``. Codes are grouped by what they are about:

- ``LS1xx`` a task or an annotation as a whole;
- ``LS2xx`` a span region (a ``labels`` result);
- ``LS3xx`` a per-region value (``choices``, ``taxonomy``, ``number``, ``textarea``, ``datetime``);
- ``LS4xx`` a relation;
- ``LS5xx`` an object built from regions and relations (mention, event, quantity, claim);
- ``LS6xx`` a document across tasks (pull).

The action says what happened: ``dropped`` (not converted), ``adjusted`` (converted, changed as the reason
says) or ``skipped`` (not an annotation: predictions, drafts, unusable tasks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Code:
    code: str
    action: str  # dropped | adjusted | skipped
    template: str  # the reason, with {named} fields


_CODES = (
    # tasks and annotations
    Code("LS101", "skipped", "pre-1.0 Label Studio export (`completions`); export again from Label Studio 1.x as JSON"),
    Code("LS102", "skipped", "task has no `data` object; is this a Label Studio JSON export?"),
    Code("LS103", "skipped", "task data has no `{field}` text (fields: {fields}); pass --text-field"),
    Code("LS104", "adjusted", "the task text does not match its recorded text_sha256; the hash of the text is used"),
    Code("LS105", "skipped", "{noun} {item}: not a submitted annotation (its results are not in the export)"),
    Code("LS106", "skipped", "{noun}{ident}{version} with {n} result(s): not a submitted annotation"),
    Code("LS107", "dropped", "annotation has no `result` list"),
    Code("LS108", "dropped", "annotation is not an object but {found}"),
    Code("LS109", "skipped", "task is not an object but {found}"),
    Code("LS110", "dropped", "task `annotations` is not a list but {found}"),
    Code("LS111", "skipped", "a JSON_MIN record (one per annotation, without relations or region ids): export the "
                             "project as JSON (not JSON_MIN) and pull that"),
    Code("LS112", "skipped", "task data `doc_id` {value} is not a document id (ids match ^{pattern}$); fix the "
                             "task's data or remove `doc_id`"),
    # span regions
    Code("LS201", "dropped", "result #{index} is not an object"),
    Code("LS202", "dropped", "result type `{type}` is not used by counterclaim"),
    Code("LS203", "dropped", "a region needs exactly one label; it has {labels} — keep one label per span"),
    Code("LS204", "dropped", "label `{label}` (control `{control}`) is not a counterclaim region kind ({kinds}); "
                             "map it with --label-map {label}=KIND"),
    Code("LS205", "dropped", "the region has no integer start/end offsets (not a <Text> span; "
                             "HyperText/XPath regions are not supported)"),
    Code("LS206", "dropped", "offsets [{start}, {end}) fall outside the text ({length} code points)"),
    Code("LS207", "dropped", "the span [{start}, {end}) covers only whitespace"),
    Code("LS208", "adjusted", "whitespace trimmed from the span edges: [{start}, {end}) -> [{new_start}, {new_end})"),
    Code("LS209", "dropped", "result #{index} ({kind}) has no region id"),
    Code("LS210", "dropped", "a second labels result with the same region id"),
    Code("LS211", "dropped", "result #{index}: `value` is not an object but {found}"),
    Code("LS212", "dropped", "offsets [{start}, {end}) cover {actual!r} but the region's text is {given!r}; {found}"),
    Code("LS213", "adjusted", "offsets [{start}, {end}) covered {actual!r}, not the region's text {given!r}; moved to "
                              "[{new_start}, {new_end}) ({rule})"),
    # per-region values
    Code("LS301", "dropped", "{where} {type} `{name}` is not a counterclaim control; its value {value} is not converted"),
    Code("LS302", "dropped", "`{name}` belongs to no converted region (its span label is missing or was dropped)"),
    Code("LS303", "dropped", "`{name}` applies to {kind} regions; this region is {region_kind}"),
    Code("LS304", "dropped", "`{name}` needs exactly one choice; got {value}"),
    Code("LS305", "dropped", "`{name}` value {value} is not in the ontology ({allowed})"),
    Code("LS306", "dropped", "`{name}` needs exactly one selected actor; got {value}"),
    Code("LS307", "dropped", "actor {actor} is not in the registry (schema/ontology.yaml)"),
    Code("LS308", "dropped", "`{name}` is not a number: {value}"),
    Code("LS309", "dropped", "`{name}` is not a date: {value}"),
    # relations
    Code("LS401", "dropped", "relation without a label; give it a role or link type"),
    Code("LS402", "dropped", "relation {labels} points to region {missing}, which was not converted"),
    Code("LS403", "dropped", "relation label `{label}` is not a counterclaim role or link"),
    Code("LS404", "dropped", "relation `{label}` links {from_kind} to {to_kind}; it must link {head} to {tails}"),
    Code("LS405", "dropped", "relation labels must be a list of strings, not {found}"),
    # objects
    Code("LS501", "dropped", "ACTOR region has neither a canonical actor nor an actor type; pick one"),
    Code("LS502", "dropped", "EVENT region without an event type; choose one"),
    Code("LS503", "dropped", "{kind} region [{start}, {end}) is not linked to anything that uses it"),
    Code("LS504", "dropped", "QUANTITY region without a measurand; choose what is counted"),
    Code("LS505", "dropped", "QUANTITY region without value, low or high; enter the number"),
    Code("LS506", "dropped", "{kind} {head} has more than one `{label}` link; the first is kept"),
    Code("LS507", "dropped", "role `{role}` is not allowed for {type} (allowed: {allowed})"),
    Code("LS508", "dropped", "argument `{role}` points to an ACTOR region that was not converted"),
    Code("LS509", "dropped", "argument `{role}` points to an event that was not converted"),
    Code("LS510", "dropped", "quantity already belongs to another event; not repeated in {event}"),
    Code("LS511", "dropped", "`part_of` must point to another, aggregate event"),
    Code("LS512", "dropped", "mode `{mode}` does not belong to {type} (allowed: {allowed})"),
    Code("LS513", "dropped", "`about` points to a region that was not converted"),
    Code("LS514", "dropped", "`{label}` points to an ACTOR region that was not converted"),
    Code("LS515", "dropped", "`{label}` must point to another claim"),
    Code("LS516", "adjusted", "claim is ticked `unsourced` but also has a claimant link; the claimant is kept"),
    # LS517 (a second claimant dropped) is retired: since ontology 0.2.0 further claimants are `co_claimants`
    Code("LS517", "dropped", "claim {claim} has more than one claimant; the first is kept (make one claim per claimant)"),
    Code("LS518", "dropped", "CLAIM without a claimant: link an ACTOR with `claimant`, tick `unsourced`, or choose "
                             "`unnamed source`"),
    Code("LS519", "dropped", "mode `{mode}` was chosen while the event type was {chosen_for}; the event is now {type}, "
                             "so choose its mode again"),
    # documents
    Code("LS601", "adjusted", "document {doc_id} is also task {first_task} (the same text); their annotations are merged"),
)
CODES: dict[str, Code] = {c.code: c for c in _CODES}

# Task-level codes that mean the task itself cannot be used (not a prediction or a draft).
UNUSABLE_TASK = frozenset({"LS101", "LS102", "LS103", "LS109", "LS111", "LS112"})
FOREIGN_LABEL = "LS204"


@dataclass(frozen=True)
class ReportItem:
    """A result that was not converted as it stands: where it is, its code, and the reason in words.

    ``values`` holds the fields of the reason (e.g. ``{"label": "PER"}`` for LS204), for callers that need them.
    """

    task_id: Any
    annotation_id: Any
    region_id: str | None
    code: str
    reason: str
    values: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def action(self) -> str:
        return CODES[self.code].action

    def __str__(self) -> str:
        where = f"task {self.task_id}"
        if self.annotation_id is not None:
            where += f", annotation {self.annotation_id}"
        if self.region_id is not None:
            where += f", region {self.region_id}"
        return f"{where}: {self.action}: {self.reason} [{self.code}]"

    def to_dict(self) -> dict:
        return {"task_id": self.task_id, "annotation_id": self.annotation_id, "region_id": self.region_id,
                "code": self.code, "action": self.action, "reason": self.reason}


def item(code: str, task_id: Any, annotation_id: Any, region_id: Any, **values: Any) -> ReportItem:
    """A report item of ``code``, its reason filled in from ``values``."""
    return ReportItem(task_id, annotation_id, region_id if region_id is None or isinstance(region_id, str)
                      else repr(region_id), code, CODES[code].template.format(**values), values)
