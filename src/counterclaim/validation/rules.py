"""Validate one annotated document: the JSON Schema, then the rules a schema cannot express.

Every problem is reported, not just the first, each with its JSON pointer and a plain sentence that says how to
fix it. Checks in code:

- the document's ``text_sha256`` is the hash of its ``text`` and matches the corpus document of that id;
- every span lies inside the text and its ``text`` equals ``text[start:end]``;
- ids are unique within an annotation (mentions, events, quantities and claims share one namespace) and
  annotation ids are unique within the document;
- every reference resolves to an object of the right kind;
- a role is allowed for its event type, a mode belongs to its event type, ``cause`` points to an event;
- actors exist in the registry; a mention without a canonical actor has a type;
- quantities: ``low <= high``; qualifier ``range`` has both; time ``start <= end``.
"""

from __future__ import annotations

import difflib
from typing import Any

from counterclaim.io import jsonio
from counterclaim.model.ontology import Ontology
from counterclaim.validation.problems import pointer
from counterclaim.validation.schema import schema_errors


# -- rules in code ------------------------------------------------------------------------------------------


_ARTICLE = {"mention": "a", "event": "an", "quantity": "a", "claim": "a"}
INT64 = jsonio.INT64


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Semantic checks of one schema-valid annotation."""

    def __init__(self, text: str, ont: Ontology, base: tuple):
        self.text = text
        self.ont = ont
        self.base = base
        self.problems: list[tuple[tuple, str]] = []

    def err(self, path: tuple, message: str) -> None:
        self.problems.append((self.base + path, message))

    # spans
    def span(self, span: dict | None, path: tuple) -> None:
        if span is None:
            return
        start, end, given = span["start"], span["end"], span["text"]
        if not _is_int(start) or not _is_int(end):  # JSON Schema counts 0.0 as an integer; a slice does not
            self.err(path, f"offsets must be integers (start {start!r}, end {end!r}); write them without a "
                           "decimal point or exponent")
            return
        if end <= start:
            self.err(path, f"empty or reversed span [{start}, {end}); `end` must be greater than `start`")
            return
        if end > len(self.text):
            self.err(path + ("end",), f"span end {end} is past the end of the text ({len(self.text)} code points)")
            return
        actual = self.text[start:end]
        if actual != given:
            found = self.text.find(given)
            hint = f"; {given!r} occurs at [{found}, {found + len(given)})" if found >= 0 else ""
            self.err(
                path + ("text",),
                f"span text {given!r} differs from text[{start}:{end}] = {actual!r}; "
                f"fix the offsets or set `text` to the covered text{hint}",
            )

    def integer(self, value: Any, path: tuple) -> None:
        """An id the dataset stores as a 64-bit integer (JSON Schema alone accepts 1.0 and 2**70)."""
        if value is None:
            return
        if not _is_int(value):
            self.err(path, f"must be an integer, not {value!r}")
        elif not INT64[0] <= value <= INT64[1]:
            self.err(path, f"{value} is too large for the dataset's 64-bit integers")

    def actor(self, actor_id: str | None, path: tuple) -> None:
        if actor_id is None or actor_id in self.ont.actor_by_id:
            return
        close = difflib.get_close_matches(actor_id, list(self.ont.actor_by_id), n=1)
        hint = f"did you mean `{close[0]}`? " if close else ""
        self.err(path, f"unknown actor `{actor_id}`; {hint}add it to the registry in schema/ontology.yaml or use an existing id")

    def ref(self, kind: str, target: str, table: dict[str, str], path: tuple) -> bool:
        found = table.get(target)
        if found == kind:
            return True
        if found is None:
            self.err(path, f"`{target}` does not name any {kind} of this annotation; use the id of an existing {kind}")
        else:
            self.err(path, f"`{target}` is {_ARTICLE[found]} {found}, not {_ARTICLE[kind]} {kind}")
        return False

    def run(self, ann: dict) -> None:
        tool = ann["provenance"].get("tool") or {}
        for key in ("project_id", "task_id", "annotation_id"):
            self.integer(tool.get(key), ("provenance", "tool", key))
        table: dict[str, str] = {}
        locations: dict[str, tuple] = {}

        def declare(obj_id: str, kind: str, path: tuple) -> None:
            if obj_id in table:
                self.err(path + ("id",), f"id `{obj_id}` is already used at {pointer(*self.base, *locations[obj_id])}; ids must be unique in an annotation")
            else:
                table[obj_id] = kind
                locations[obj_id] = path

        for i, m in enumerate(ann["mentions"]):
            declare(m["id"], "mention", ("mentions", i))
        for i, ev in enumerate(ann["events"]):
            declare(ev["id"], "event", ("events", i))
            for j, q in enumerate(ev["quantities"]):
                declare(q["id"], "quantity", ("events", i, "quantities", j))
        for i, c in enumerate(ann["claims"]):
            declare(c["id"], "claim", ("claims", i))

        mention_actor = {m["id"]: m.get("actor") for m in ann["mentions"]}
        for i, m in enumerate(ann["mentions"]):
            p = ("mentions", i)
            self.span(m["span"], p + ("span",))
            self.actor(m.get("actor"), p + ("actor",))
            if m.get("actor") is None and m.get("type") is None:
                self.err(p, "a mention without a canonical `actor` needs a `type`; set one of them")

        events = {ev["id"]: ev for ev in ann["events"]}
        for i, ev in enumerate(ann["events"]):
            self.event(ev, ("events", i), table, events)

        for i, c in enumerate(ann["claims"]):
            self.claim(c, ("claims", i), table, mention_actor)

    def event(self, ev: dict, p: tuple, table: dict, events: dict) -> None:
        etype = self.ont.event_type_by_id[ev["type"]]
        self.span(ev.get("trigger"), p + ("trigger",))
        if ev.get("mode") is not None and ev["mode"] not in etype.modes:
            self.err(p + ("mode",), f"mode `{ev['mode']}` does not belong to {etype.id}; use one of: {', '.join(etype.modes)}")
        for j, arg in enumerate(ev["arguments"]):
            ap = p + ("arguments", j)
            if arg["role"] not in etype.roles:
                self.err(ap + ("role",), f"role `{arg['role']}` is not allowed for {etype.id}; allowed: {', '.join(etype.roles)}")
            if arg["role"] == "cause" and "event" not in arg:
                self.err(ap, "role `cause` takes an `event` (the attack that caused it), not a mention or span")
            if "mention" in arg:
                self.ref("mention", arg["mention"], table, ap + ("mention",))
            if "event" in arg:
                if arg["event"] == ev["id"]:
                    self.err(ap + ("event",), "an event cannot be its own argument")
                else:
                    self.ref("event", arg["event"], table, ap + ("event",))
            self.span(arg.get("span"), ap + ("span",))
        part_of = ev.get("part_of")
        if part_of is not None:
            if part_of == ev["id"]:
                self.err(p + ("part_of",), "an event cannot be part of itself")
            elif self.ref("event", part_of, table, p + ("part_of",)) and events[part_of]["granularity"] != "aggregate":
                self.err(p + ("part_of",), f"`part_of` must point to an aggregate event; `{part_of}` is `{events[part_of]['granularity']}`")
        time = ev.get("time")
        if time:
            self.span(time.get("span"), p + ("time", "span"))
            if time.get("start") and time.get("end") and time["start"] > time["end"]:
                self.err(p + ("time",), f"time starts ({time['start']}) after it ends ({time['end']})")
        place = ev.get("place")
        if place:
            self.span(place.get("span"), p + ("place", "span"))
            self.integer(place.get("geonames_id"), p + ("place", "geonames_id"))
        for j, q in enumerate(ev["quantities"]):
            qp = p + ("quantities", j)
            self.span(q.get("span"), qp + ("span",))
            low, high = q.get("low"), q.get("high")
            if low is not None and high is not None and low > high:
                self.err(qp, f"`low` ({low}) is greater than `high` ({high})")
            if q["qualifier"] == "range" and (low is None or high is None):
                self.err(qp, "qualifier `range` needs both `low` and `high`")

    def source(self, src: dict, p: tuple, table: dict, mention_actor: dict) -> None:
        if "mention" in src and self.ref("mention", src["mention"], table, p + ("mention",)):
            linked = mention_actor.get(src["mention"])
            if src.get("actor") and linked and linked != src["actor"]:
                self.err(p + ("actor",), f"actor `{src['actor']}` disagrees with its mention `{src['mention']}`, which points to `{linked}`")
        self.actor(src.get("actor"), p + ("actor",))

    def claim(self, c: dict, p: tuple, table: dict, mention_actor: dict) -> None:
        for k, span in enumerate(c["content"]):
            self.span(span, p + ("content", k))
        self.span(c.get("cue"), p + ("cue",))
        if c["claimant"]["kind"] != "outlet":
            self.source(c["claimant"], p + ("claimant",), table, mention_actor)
        for k, src in enumerate(c.get("co_claimants", [])):
            self.source(src, p + ("co_claimants", k), table, mention_actor)
        for k, src in enumerate(c["reported_via"]):
            self.source(src, p + ("reported_via", k), table, mention_actor)
        for k, eid in enumerate(c["about"]["events"]):
            self.ref("event", eid, table, p + ("about", "events", k))
        for k, qid in enumerate(c["about"]["quantities"]):
            self.ref("quantity", qid, table, p + ("about", "quantities", k))
        for k, link in enumerate(c["links"]):
            if link["claim"] == c["id"]:
                self.err(p + ("links", k, "claim"), "a claim cannot support or contest itself")
            else:
                self.ref("claim", link["claim"], table, p + ("links", k, "claim"))


def document_problems(
    doc: Any, ont: Ontology, corpus_index: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """Every problem of one annotated document as ``(json_pointer, message)``, in document order."""
    found = list(schema_errors(doc, ont))
    if not isinstance(doc, dict):
        return [(pointer(*path), msg) for path, msg in found]
    bad_paths = [path for path, _ in found]

    def clean(prefix: tuple) -> bool:
        return not any(path[: len(prefix)] == prefix or prefix[: len(path)] == path for path in bad_paths)

    text = doc.get("text")
    if isinstance(text, str) and isinstance(doc.get("text_sha256"), str):
        actual = jsonio.sha256_text(text)
        if actual != doc["text_sha256"]:
            found.append((("text_sha256",), f"does not match the text (its sha256 is {actual}); the text was edited — restore it or re-pull the document"))
        elif corpus_index is not None and isinstance(doc.get("doc_id"), str):
            expected = corpus_index.get(doc["doc_id"])
            if expected is None:
                found.append((("doc_id",), f"document `{doc['doc_id']}` is not in the corpus; add it with `counterclaim corpus add` or fix the id"))
            elif expected != actual:
                found.append((("text_sha256",), "the text differs from the corpus document of this id; the annotation was made on another version of the text — re-annotate or migrate it"))

    annotations = doc.get("annotations")
    if isinstance(text, str) and isinstance(annotations, list):
        seen: dict[str, int] = {}
        for i, ann in enumerate(annotations):
            if isinstance(ann, dict) and isinstance(ann.get("id"), str):
                if ann["id"] in seen:
                    found.append((("annotations", i, "id"), f"annotation id `{ann['id']}` is already used by /annotations/{seen[ann['id']]}"))
                seen.setdefault(ann["id"], i)
            if clean(("annotations", i)):
                checker = _Checker(text, ont, ("annotations", i))
                checker.run(ann)
                found.extend(checker.problems)
    return [(pointer(*path), msg) for path, msg in found]


