"""The JSON Schema check of an annotated document: a fast verdict, then located, plain messages.

The verdict comes from ``jsonschema-rs`` (compiled, draft 2020-12, formats checked); only a document it rejects
is checked again by the ``jsonschema`` package, whose errors carry the path and the keyword that this module
turns into a sentence saying how to fix the problem. ``tests/test_validation_schema.py`` holds the two to the
same verdict on every committed document, the broken examples and thousands of mutants. The one difference:
jsonschema-rs rejects NaN and Infinity (not JSON numbers), which the ``jsonschema`` package would accept as
numbers; those are reported with jsonschema-rs's own message.
"""

from __future__ import annotations

import difflib
import functools
import json
from typing import TYPE_CHECKING, Any, Iterator

from counterclaim.model.ontology import Ontology
from counterclaim.model.schema import build_schema

if TYPE_CHECKING:  # jsonschema is imported when a document fails the fast check, not by every command
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


# -- messages ------------------------------------------------------------------------------------------


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
            "migrate it with `counterclaim schema migrate FILE` or use the counterclaim release that matches it"
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
def _fast_validator_for(ont: Ontology):
    """The ontology's JSON Schema compiled by jsonschema-rs, formats (date, date-time) checked."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(build_schema(ont), validate_formats=True)


def schema_valid(doc: Any, ont: Ontology) -> bool:
    """Is ``doc`` valid against the ontology's JSON Schema? jsonschema's verdict, from jsonschema-rs."""
    return _fast_validator_for(ont).is_valid(doc)


def schema_errors(doc: Any, ont: Ontology) -> Iterator[tuple[tuple, str]]:
    """``(path, message)`` for every JSON Schema error, in document order."""
    if schema_valid(doc, ont):
        return
    errors = sorted(_flatten(_validator_for(ont).iter_errors(doc)), key=lambda e: [str(p) for p in e.absolute_path])
    for e in errors:
        yield tuple(e.absolute_path), _schema_message(e)
    if not errors:  # what only jsonschema-rs rejects: NaN and Infinity, which are not JSON numbers
        for e in _fast_validator_for(ont).iter_errors(doc):
            yield tuple(e.instance_path), f"{e.message}; JSON numbers are finite — fix or remove the value"


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


