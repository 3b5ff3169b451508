"""Generate the JSON Schema (draft 2020-12) of an annotated document from the ontology.

The written file is ``schema/annotated-document.schema.json``; ``counterclaim schema build`` regenerates it
and a test checks the committed copy equals the generated one. Rules JSON Schema cannot express (span text
equals ``text[start:end]``, ids unique and resolvable, a role allowed for its event type, the text hash
matches the corpus) live in :mod:`counterclaim.validation`.

Subschemas may carry ``x-error``: the plain sentence :mod:`counterclaim.validation` shows when a combinator
(``oneOf``/``anyOf``) at that place fails, instead of jsonschema's generic wording.
"""

from __future__ import annotations

from typing import Any

from counterclaim.model.ontology import Ontology

SCHEMA_FILE = "annotated-document.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Every pattern ends in ``$(?!\n)``: in Python's regular expressions (the ``jsonschema`` package) ``$`` also matches
# before a final newline, in ECMA 262 (JSON Schema's dialect, and jsonschema-rs) it does not; the lookahead makes
# both refuse "c1\n".
END = r"$(?!\n)"
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}" + END
SHA256_PATTERN = r"^[0-9a-f]{64}" + END
SEMVER_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?" + END
DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}" + END
# The keys whose values the schema types as integers (offsets and ids). JSON Schema counts 0.0 as an integer; the
# readers of annotated documents refuse a float at these keys where they read the file (io.jsonio).
INTEGER_KEYS = ("annotation_id", "end", "geonames_id", "project_id", "start", "task_id")


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(values: tuple[str, ...], description: str) -> dict:
    return {"type": "string", "enum": list(values), "description": description}


def _obj(properties: dict, required: list[str], description: str, **extra: Any) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }


def build_schema(ont: Ontology) -> dict:
    """The annotated-document JSON Schema for ``ont`` (a plain dict, deterministic)."""
    sets = ont.closed_sets()
    defs: dict[str, Any] = {}

    defs["id"] = {"type": "string", "pattern": ID_PATTERN, "description": "A local id, unique in its annotation."}
    defs["span"] = _obj(
        {
            "start": {"type": "integer", "minimum": 0, "description": "First code point (inclusive)."},
            "end": {"type": "integer", "minimum": 1, "description": "Code point after the last (exclusive)."},
            "text": {"type": "string", "minLength": 1, "description": "Exactly text[start:end]."},
        },
        ["start", "end", "text"],
        "A half-open [start, end) range of Unicode code points into the document text, with the covered text.",
    )
    defs["mention"] = _obj(
        {
            "id": _ref("id"),
            "span": _ref("span"),
            "actor": _nullable({"type": "string", "pattern": ID_PATTERN,
                                "description": "A canonical actor id from the ontology's registry."}),
            "type": _nullable(_enum(sets["actor_types"], "Actor type; required when `actor` is null.")),
        },
        ["id", "span", "actor"],
        "A mention of an actor in the text.",
    )
    defs["argument"] = {
        **_obj(
            {
                "role": _enum(sets["roles"], "The argument's role; allowed roles depend on the event type."),
                "mention": {**_ref("id"), "description": "An actor mention filling the role."},
                "span": {**_ref("span"), "description": "A text span filling the role (not an actor)."},
                "event": {**_ref("id"), "description": "Another event filling the role (e.g. `cause`)."},
            },
            ["role"],
            "An event argument: a role filled by exactly one of a mention, a span or an event.",
        ),
        "oneOf": [{"required": ["mention"]}, {"required": ["span"]}, {"required": ["event"]}],
        "x-error": "an argument needs exactly one of `mention`, `span` or `event` besides its `role`",
    }
    defs["quantity"] = {
        **_obj(
            {
                "id": _ref("id"),
                "measurand": _enum(sets["measurands"], "What is counted."),
                "value": _nullable({"type": "number"}),
                "low": _nullable({"type": "number"}),
                "high": _nullable({"type": "number"}),
                "qualifier": _enum(sets["qualifiers"], "How the figure is qualified."),
                "span": _nullable(_ref("span")),
                "note": _nullable({"type": "string"}),
            },
            ["id", "measurand", "qualifier", "span"],
            "A number the text gives about the event; each attributed number is its own quantity.",
        ),
        "anyOf": [
            {"properties": {"value": {"type": "number"}}, "required": ["value"]},
            {"properties": {"low": {"type": "number"}}, "required": ["low"]},
            {"properties": {"high": {"type": "number"}}, "required": ["high"]},
        ],
        "x-error": "a quantity needs a numeric `value`, or `low` and/or `high`",
    }
    defs["time"] = _obj(
        {
            "span": _nullable(_ref("span")),
            "start": _nullable({"type": "string", "format": "date", "description": "Resolved start (YYYY-MM-DD)."}),
            "end": _nullable({"type": "string", "format": "date", "description": "Resolved end (YYYY-MM-DD)."}),
            "precision": _enum(sets["time_precision"], "How precise the time is."),
        },
        ["precision"],
        "When the event happened, anchored on the publication date where needed.",
    )
    defs["place"] = _obj(
        {
            "span": _nullable(_ref("span")),
            "name": _nullable({"type": "string"}),
            "geonames_id": _nullable({"type": "integer", "minimum": 1}),
            "precision": _enum(sets["place_precision"], "How precise the place is."),
        },
        ["precision"],
        "Where the event happened.",
    )
    defs["event"] = _obj(
        {
            "id": _ref("id"),
            "type": _enum(sets["event_types"], "Event type."),
            "mode": _nullable(_enum(sets["modes"], "How it happened; allowed modes depend on the type.")),
            "trigger": _nullable(_ref("span")),
            "arguments": {"type": "array", "items": _ref("argument")},
            "realis": _enum(sets["realis"], "Actual, negated, hypothetical, future or generic."),
            "granularity": _enum(sets["granularity"], "A single incident or an aggregate of many."),
            "part_of": _nullable({**_ref("id"), "description": "The aggregate event this one belongs to."}),
            "time": _nullable(_ref("time")),
            "place": _nullable(_ref("place")),
            "quantities": {"type": "array", "items": _ref("quantity")},
        },
        ["id", "type", "mode", "trigger", "arguments", "realis", "granularity", "quantities"],
        "An event with its trigger, arguments, modality and numbers.",
    )
    defs["source"] = {
        **_obj(
            {
                "mention": {**_ref("id"), "description": "The mention of the source in the text."},
                "actor": {"type": "string", "pattern": ID_PATTERN, "description": "The canonical actor."},
            },
            [],
            "A source in an attribution chain: a mention and/or a canonical actor.",
        ),
        "anyOf": [{"required": ["mention"]}, {"required": ["actor"]}],
        "x-error": "a source needs a `mention` or an `actor` (or both)",
    }
    defs["claimant"] = {
        **_obj(
            {
                "kind": _enum(sets["claimant_kinds"], "An actor, the outlet itself for unsourced assertions, or an "
                              "unnamed source."),
                "mention": {**_ref("id"), "description": "The claimant's mention (kinds actor and unnamed)."},
                "actor": {"type": "string", "pattern": ID_PATTERN, "description": "The claimant's canonical actor."},
            },
            ["kind"],
            "Who makes the claim.",
        ),
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": "actor"}}},
                "then": {
                    "anyOf": [{"required": ["mention"]}, {"required": ["actor"]}],
                    "x-error": "a claimant of kind `actor` needs a `mention` or an `actor` (or both)",
                },
            },
            {
                "if": {"properties": {"kind": {"const": "outlet"}}},
                "then": {
                    "not": {"anyOf": [{"required": ["mention"]}, {"required": ["actor"]}]},
                    "x-error": "a claimant of kind `outlet` takes no `mention` or `actor`: the outlet is the "
                               "document's source",
                },
            },
            {
                "if": {"properties": {"kind": {"const": "unnamed"}}},
                "then": {
                    "not": {"required": ["actor"]},
                    "x-error": "a claimant of kind `unnamed` takes no `actor` (it is not identified); link its "
                               "`mention`, whose actor may name the organisation it speaks for",
                },
            },
        ],
    }
    defs["claim_link"] = _obj(
        {"type": _enum(sets["link_types"], "How this claim relates to the other."), "claim": _ref("id")},
        ["type", "claim"],
        "A link from this claim to another claim of the same annotation.",
    )
    defs["claim"] = _obj(
        {
            "id": _ref("id"),
            "content": {"type": "array", "items": _ref("span"), "minItems": 1,
                        "description": "The span(s) stating what is claimed."},
            "cue": _nullable({**_ref("span"), "description": "The reporting verb or phrase (said, insists...)."}),
            "claimant": _ref("claimant"),
            "co_claimants": {"type": "array", "items": _ref("source"),
                             "description": "Further sources making the same claim jointly (\"Russia and Syria said\")."},
            "reported_via": {"type": "array", "items": _ref("source"),
                             "description": "Nested attribution, nearest source first (activists → SOHR → AFP)."},
            "about": _obj(
                {
                    "events": {"type": "array", "items": _ref("id"), "uniqueItems": True},
                    "quantities": {"type": "array", "items": _ref("id"), "uniqueItems": True},
                },
                ["events", "quantities"],
                "The events and quantities the claim asserts.",
            ),
            "stance": _enum(sets["stance"], "The claimant's stance towards the content."),
            "certainty": _enum(sets["certainty"], "How certain the claimant presents it (FactBank)."),
            "links": {"type": "array", "items": _ref("claim_link")},
            "check_worthy": _nullable({"type": "boolean"}),
        },
        ["id", "content", "cue", "claimant", "reported_via", "about", "stance", "certainty", "links"],
        "An attributed statement: who claims what, about which events and numbers.",
    )
    defs["tool"] = _obj(
        {
            "name": {"type": "string", "description": "The tool, e.g. label-studio or counterclaim."},
            "version": _nullable({"type": "string"}),
            "project_id": _nullable({"type": "integer"}),
            "task_id": _nullable({"type": "integer"}),
            "annotation_id": _nullable({"type": "integer"}),
            "unique_id": _nullable({"type": "string"}),
        },
        ["name"],
        "Ids of the annotation in the tool it was made with.",
    )
    defs["provenance"] = _obj(
        {
            "annotator": {"type": "string", "minLength": 1, "description": "A pseudonymous annotator id."},
            "origin": {"type": "string", "enum": ["label-studio", "manual", "adjudication", "prediction"]},
            "tool": _ref("tool"),
            "created_at": _nullable({"type": "string", "format": "date-time"}),
            "updated_at": _nullable({"type": "string", "format": "date-time"}),
            "lead_time": _nullable({"type": "number", "minimum": 0, "description": "Seconds spent."}),
            "schema_version": {"type": "string", "pattern": SEMVER_PATTERN},
            "corpus_version": {"type": "string", "pattern": SEMVER_PATTERN},
            "guidelines_version": _nullable({"type": "string"}),
        },
        ["annotator", "origin", "tool", "schema_version", "corpus_version"],
        "Who made the annotation, with what, when, against which schema and corpus versions.",
    )
    defs["annotation"] = _obj(
        {
            "id": _ref("id"),
            "provenance": _ref("provenance"),
            "cancelled": {"type": "boolean", "description": "The annotator skipped the task."},
            "ground_truth": {"type": "boolean", "description": "Marked as the gold annotation."},
            "mentions": {"type": "array", "items": _ref("mention")},
            "events": {"type": "array", "items": _ref("event")},
            "claims": {"type": "array", "items": _ref("claim")},
        },
        ["id", "provenance", "cancelled", "ground_truth", "mentions", "events", "claims"],
        "One annotator's annotation of the document.",
    )

    return {
        "$schema": DRAFT,
        "$id": f"urn:counterclaim:schema:annotated-document:{ont.version}",
        "title": "counterclaim annotated document",
        "description": (
            f"A corpus document with every annotation made of it ({ont.name} ontology {ont.version}). "
            "Generated from schema/ontology.yaml by `counterclaim schema build`; do not edit by hand."
        ),
        "type": "object",
        "properties": {
            "schema_version": {"const": ont.version, "description": "The ontology version this file follows."},
            "doc_id": {"type": "string", "pattern": DOC_ID_PATTERN},
            "corpus_version": {"type": "string", "pattern": SEMVER_PATTERN},
            "text": {"type": "string", "minLength": 1, "description": "The document text offsets index."},
            "text_sha256": {"type": "string", "pattern": SHA256_PATTERN},
            "annotations": {"type": "array", "items": _ref("annotation")},
        },
        "required": ["schema_version", "doc_id", "corpus_version", "text", "text_sha256", "annotations"],
        "additionalProperties": False,
        "$defs": defs,
    }
