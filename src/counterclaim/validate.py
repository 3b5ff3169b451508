"""Validate annotated documents: the JSON Schema, then the rules a schema cannot express.

Every problem is reported, not just the first, each with its file, JSON pointer and a plain sentence that says
how to fix it. Checks in code:

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
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from counterclaim import jsonio
from counterclaim.errors import InputError
from counterclaim.ontology import Ontology
from counterclaim.schema_gen import build_schema

if TYPE_CHECKING:  # jsonschema is imported when a document is first checked, not by every command
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@dataclass(frozen=True)
class Problem:
    """One validation error: where it is and what to do about it."""

    file: str
    pointer: str | None  # None: the file itself could not be read (the message then names file and line)
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.pointer is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.pointer or '/'}: {self.message}"

    def to_dict(self) -> dict:
        pointer = None if self.pointer is None else self.pointer or "/"
        return {"file": self.file, "line": self.line, "pointer": pointer, "message": self.message}


def pointer(*parts: Any) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# -- corpus index -------------------------------------------------------------------------------------------


def load_corpus_index(documents_jsonl: str | Path) -> dict[str, str]:
    """``doc_id -> text_sha256`` from a corpus ``documents.jsonl``."""
    index = {}
    for _, doc in jsonio.iter_jsonl(documents_jsonl):
        index[doc["doc_id"]] = doc["text_sha256"]
    return index


# -- schema errors ------------------------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _msg_required(e: ValidationError) -> str:
    missing = e.message.split("'")[1] if "'" in e.message else e.message
    return f"`{missing}` is missing; add it"


def _msg_additional(e: ValidationError) -> str:
    allowed = ", ".join(f"`{k}`" for k in e.schema.get("properties", {}))
    extra = sorted(set(e.instance) - set(e.schema.get("properties", {})))
    return f"unexpected property {', '.join(f'`{k}`' for k in extra)}; remove it or fix its spelling (allowed: {allowed})"


def _msg_enum(e: ValidationError) -> str:
    options = [str(o) for o in e.validator_value]
    close = difflib.get_close_matches(str(e.instance), options, n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return f"{json.dumps(e.instance, ensure_ascii=False)} is not allowed here{hint}; use one of: {', '.join(options)}"


def _msg_type(e: ValidationError) -> str:
    expected = e.validator_value if isinstance(e.validator_value, str) else " or ".join(e.validator_value)
    return f"expected {expected}, found {_json_type(e.instance)}"


def _msg_const(e: ValidationError) -> str:
    if e.path and e.path[-1] == "schema_version":
        return (
            f"the file follows schema {e.instance!r} but this counterclaim uses {e.validator_value!r}; "
            "migrate the file or use the counterclaim release that matches it"
        )
    return f"must be {json.dumps(e.validator_value)}"


def _msg_combinator(e: ValidationError) -> str:
    return e.schema.get("x-error") or e.message


_SCHEMA_MESSAGES = {
    "required": _msg_required,
    "additionalProperties": _msg_additional,
    "enum": _msg_enum,
    "type": _msg_type,
    "const": _msg_const,
    "oneOf": _msg_combinator,
    "anyOf": _msg_combinator,
    "not": _msg_combinator,
}


def _schema_message(e: ValidationError) -> str:
    return _SCHEMA_MESSAGES.get(e.validator, lambda err: err.message)(e)


@functools.lru_cache(maxsize=4)
def _validator_for(ont: Ontology) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(build_schema(ont), format_checker=FormatChecker())


@functools.lru_cache(maxsize=4)
def _fast_check_for(ont: Ontology) -> Callable[[Any], bool]:
    """The generated schema compiled to a Python predicate by :mod:`counterclaim.schemacheck`.

    A yes/no check about 80× faster than jsonschema, with the verdict of the jsonschema validator
    :func:`_validator_for` makes (``tests/test_schemacheck.py`` holds it to that). Only a fast path: any
    document it rejects is validated again by jsonschema, which reports every error with its place.
    """
    from jsonschema import FormatChecker

    from counterclaim.schemacheck import compile_check

    return compile_check(build_schema(ont), format_checker=FormatChecker())


def schema_valid(doc: Any, ont: Ontology) -> bool:
    """Is ``doc`` valid against the ontology's JSON Schema? The same verdict as jsonschema, much faster."""
    return _fast_check_for(ont)(doc)


def schema_errors(doc: Any, ont: Ontology) -> Iterator[tuple[tuple, str]]:
    """``(path, message)`` for every JSON Schema error, in document order."""
    if schema_valid(doc, ont):
        return
    errors = sorted(_flatten(_validator_for(ont).iter_errors(doc)), key=lambda e: [str(p) for p in e.absolute_path])
    for e in errors:
        yield tuple(e.absolute_path), _schema_message(e)


def _is_nullable(e: ValidationError) -> bool:
    branches = e.schema.get("anyOf") if isinstance(e.schema, dict) else None
    return bool(branches) and len(branches) == 2 and {"type": "null"} in branches and "x-error" not in e.schema


def _flatten(errors) -> Iterator[ValidationError]:
    """A nullable field (``anyOf [X, null]``) that holds a non-null value failed inside X: report X's own
    errors, at their own places, rather than "not valid under any of the given schemas"."""
    for e in errors:
        if _is_nullable(e) and e.instance is not None:
            inner = [c for c in e.context if c.relative_schema_path and c.relative_schema_path[0] != 1]
            inner = [c for c in inner if not (c.validator == "type" and c.validator_value == "null")]
            if inner:
                yield from _flatten(inner)
                continue
        yield e


# -- rules in code ------------------------------------------------------------------------------------------


_ARTICLE = {"mention": "a", "event": "an", "quantity": "a", "claim": "a"}


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
        if c["claimant"]["kind"] == "actor":
            self.source(c["claimant"], p + ("claimant",), table, mention_actor)
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


# -- files ----------------------------------------------------------------------------------------------------


def iter_annotation_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named on the command line, each once; folders expand to their ``*.json`` and ``*.jsonl``,
    sorted."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        found = sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl") and p.is_file()) \
            if path.is_dir() else [path]
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield file


def read_documents(paths: Iterable[str | Path], ont: Ontology, corpus_index: dict[str, str] | None = None
                   ) -> tuple[list[tuple[Path, int | None, dict]], int, list[Problem]]:
    """Every annotated document in ``paths`` that validates, as ``(file, line, document)``; the number of
    documents read; and every problem of those that do not (a file that cannot be read is one problem)."""
    valid: list[tuple[Path, int | None, dict]] = []
    problems: list[Problem] = []
    count = 0
    for path in iter_annotation_files(paths):
        try:
            docs = list(jsonio.iter_jsonl(path)) if path.suffix == ".jsonl" else [(None, jsonio.read_json(path))]
        except InputError as exc:
            problems.append(Problem(str(path), None, str(exc)))
            continue
        for line, doc in docs:
            count += 1
            found = [Problem(str(path), ptr, msg, line) for ptr, msg in document_problems(doc, ont, corpus_index)]
            problems += found
            if not found:
                valid.append((path, line, doc))
    return valid, count, problems


def validate_files(
    paths: Iterable[str | Path], ont: Ontology, corpus_index: dict[str, str] | None = None
) -> tuple[int, list[Problem]]:
    """Validate every document in ``paths``; return ``(documents checked, problems)``."""
    _, count, problems = read_documents(paths, ont, corpus_index)
    return count, problems
