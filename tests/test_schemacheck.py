"""`schemacheck`: the compiled predicate gives jsonschema's verdict on every input, and refuses what it cannot do.

The reference is ``Draft202012Validator(schema, format_checker=FormatChecker())`` — what
``validate.schema_errors`` reports with — and "valid" means it finds no error.
"""

from __future__ import annotations

import copy
import json
import math
import random
import subprocess
import sys
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from counterclaim.ontology import default_ontology
from counterclaim.schema_gen import SCHEMA_FILE, build_schema
from counterclaim.schemacheck import SUPPORTED, check_source, compile_check
from helpers import EXAMPLE_JSON, REPO, load_example, mutated
from test_validate import BROKEN

VALID_FILES = sorted((REPO / "corpus" / "annotations").glob("*.json")) + sorted(
    (REPO / "schema" / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return build_schema(default_ontology())


@pytest.fixture(scope="module")
def reference(schema):
    return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid


@pytest.fixture(scope="module")
def check(schema):
    return compile_check(schema)


# -- the committed documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_documents_are_valid_for_both(path, check, reference):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert reference(doc), f"{path} is not valid under jsonschema: fix the file first"
    assert check(doc) is True


@pytest.mark.parametrize("name,fn,expected_pointer,expected_words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_examples_get_the_same_verdict(name, fn, expected_pointer, expected_words, check, reference):
    doc = mutated(load_example(), fn)
    assert check(doc) is reference(doc)


def test_the_committed_schema_file_compiles_to_the_same_verdicts(check):
    committed = compile_check(json.loads((REPO / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")))
    doc = load_example()
    assert committed(doc) is check(doc) is True
    del doc["annotations"][0]["mentions"][0]["span"]
    assert committed(doc) is check(doc) is False


def test_validate_uses_the_predicate_without_fastjsonschema():
    """``validate.schema_valid`` runs the compiled predicate; fastjsonschema is not even imported."""
    code = (
        "import json, sys\n"
        "from counterclaim.ontology import default_ontology\n"
        "from counterclaim.validate import _fast_check_for, schema_valid\n"
        f"doc = json.load(open({str(EXAMPLE_JSON)!r}, encoding='utf-8'))\n"
        "ont = default_ontology()\n"
        "assert schema_valid(doc, ont) is True\n"
        "doc['annotations'][0]['cancelled'] = 0\n"
        "assert schema_valid(doc, ont) is False\n"
        "assert 'schemacheck' in _fast_check_for(ont).__doc__\n"
        "assert 'fastjsonschema' not in sys.modules, 'fastjsonschema was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr


# -- systematic mutations of rich valid documents -----------------------------------------------------------

ADDED_KEY = "unexpected_key"
REPLACEMENTS: list[Any] = [None, True, False, 0, 1, 1.0, -1, 1.5, "", "x", "bad id!", "2015-13-45", [], {},
                          float("nan")]
MAX_MUTANTS_PER_DOCUMENT = 6000  # a deterministic sample above this, to keep the test fast


def _enum_lists(schema: Any) -> list[list[str]]:
    """Every string ``enum`` of the schema."""
    found: list[list[str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list) and all(isinstance(o, str) for o in node["enum"]):
                found.append(node["enum"])
            for key, value in node.items():
                if key not in ("enum", "const", "required"):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def _replacements(value: Any, enums: list[list[str]]) -> list[Any]:
    """What a value is replaced with: the fixed list, plus values fitted to its kind."""
    out = list(REPLACEMENTS)
    if isinstance(value, str):
        homes = [e for e in enums if value in e]
        for enum in homes:  # another value of its own enum: valid-looking, and valid
            out += [o for o in enum if o != value][:1]
        if homes:  # a value of an enum it is not in, and a misspelling
            out += [next(o for e in enums if e not in homes for o in e if o not in homes[0])]
            out.append(value.upper() if value.upper() != value else value + "x")
        out += [value + "\n", "2016-02-29", "2015-02-29", "é" * 2, "x" * 129, "2015-10-01T12:00:00Z"]
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out += [-value, -abs(value) - 1, value + 0.5, float(value), 0.0, -0.0, float("nan"), float("inf"),
                10**20]
    return out


def _type_bucket(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return (type(value).__name__, "neg" if value < 0 else "zero" if value == 0 else "pos")
    return type(value).__name__


def _signature(node: Any, enum_values: frozenset[str]) -> Any:
    """What of a node can change the verdict of a mutation made in it: its keys with their kinds (enum
    values themselves, since `if`/`then` depend on them); for an array, its length."""
    if isinstance(node, dict):
        return tuple(sorted((k, v if isinstance(v, str) and v in enum_values else _type_bucket(v))
                            for k, v in node.items()))
    return min(len(node), 3)


def _shape(path: tuple) -> tuple:
    return tuple("*" if isinstance(p, int) else p for p in path)


def _containers(doc: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every object and array node, with its path."""
    if isinstance(doc, (dict, list)):
        yield path, doc
        for key, value in (doc.items() if isinstance(doc, dict) else enumerate(doc)):
            yield from _containers(value, path + (key,))


def _prune(node: Any) -> Any:
    """A copy with every array cut to its first item: still valid (the schema has no `minItems` above 1),
    and cheap for jsonschema to validate."""
    if isinstance(node, dict):
        return {k: _prune(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_prune(v) for v in node[:1]]
    return node


def _focus(doc: Any, path: tuple) -> tuple[Any, tuple]:
    """``doc`` pruned everywhere except along ``path``, whose node keeps all its children (pruned below);
    with the node's path in the pruned document."""
    if not path:
        if isinstance(doc, dict):
            return {k: _prune(v) for k, v in doc.items()}, ()
        return [_prune(v) for v in doc], ()
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        inner, inner_path = _focus(doc[head], rest)
        return {k: inner if k == head else _prune(v) for k, v in doc.items()}, (head,) + inner_path
    inner, inner_path = _focus(doc[head], rest)
    return [inner], (0,) + inner_path


def _get(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _mutants(doc: dict, enums: list[list[str]]) -> Iterator[tuple[str, Any]]:
    """``(description, mutant)``: one change each, made in a document pruned around the changed node;
    mutants that differ only where no schema keyword looks are left out (same path shape, same kind of
    node, same change)."""
    enum_values = frozenset(v for e in enums for v in e)
    seen: set = set()

    def fresh(*key: Any) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    for path, node in _containers(doc):
        base, at = _focus(doc, path)
        target = _get(base, at)
        sig = (_shape(path), _signature(node, enum_values))
        where = "/" + "/".join(map(str, path))

        def make(change, description: str) -> tuple[str, Any]:
            mutant = copy.deepcopy(base)
            change(_get(mutant, at))
            return f"{where}: {description}", mutant

        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        if isinstance(target, dict):
            if fresh(sig, "add"):
                yield make(lambda n: n.__setitem__(ADDED_KEY, "x"), f"add `{ADDED_KEY}`")
        else:
            for i in keys:
                if fresh(sig, "dup", i if i < 2 else "n"):
                    yield make(lambda n, i=i: n.insert(i, copy.deepcopy(n[i])), f"duplicate item {i}")
        for key in keys:
            value = target[key]
            child = _type_bucket(value) if not (isinstance(value, str) and value in enum_values) else value
            if fresh(sig, "del", key if isinstance(key, str) else min(key, 2)):
                yield make(lambda n, key=key: n.__delitem__(key), f"delete {key!r}")
            for replacement in _replacements(value, enums):
                label = repr(replacement)
                if fresh(sig, "set", key if isinstance(key, str) else min(key, 2), child, label):
                    yield make(lambda n, key=key, r=replacement: n.__setitem__(key, copy.deepcopy(r)),
                               f"set {key!r} to {label}")
    for replacement in REPLACEMENTS:
        yield f"/: the document is {replacement!r}", replacement


def _mutation_sources() -> list:
    corpus = sorted((REPO / "corpus" / "annotations").glob("*.json"))
    return [EXAMPLE_JSON, corpus[0]]


@pytest.mark.parametrize("path", _mutation_sources(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_single_mutation_gets_the_same_verdict(path, schema, check, reference):
    doc = json.loads(path.read_text(encoding="utf-8"))
    mutants = list(_mutants(doc, _enum_lists(schema)))
    if len(mutants) > MAX_MUTANTS_PER_DOCUMENT:
        mutants = random.Random(0).sample(mutants, MAX_MUTANTS_PER_DOCUMENT)
    assert len(mutants) > 500, "the document is too poor to test with"
    mismatches = []
    verdicts = {True: 0, False: 0}
    for description, mutant in mutants:
        expected = reference(mutant)
        verdicts[expected] += 1
        if check(mutant) is not expected:
            mismatches.append(f"{description}: jsonschema says {'valid' if expected else 'invalid'}")
    assert not mismatches, f"{len(mismatches)} of {len(mutants)} mutants disagree:\n" + "\n".join(mismatches[:10])
    assert verdicts[True] > 50 and verdicts[False] > 200, verdicts  # both verdicts are exercised


def test_pruning_keeps_documents_valid(reference):
    doc = json.loads(_mutation_sources()[1].read_text(encoding="utf-8"))
    for path, _ in list(_containers(doc))[::25]:
        assert reference(_focus(doc, path)[0]), path


def test_mutations_of_the_full_document_agree(check, reference):
    """A sample made on the whole (unpruned) example, in case something depends on the other items."""
    doc = load_example()
    rng = random.Random(1)
    containers = list(_containers(doc))
    for _ in range(60):
        path, node = rng.choice(containers)
        mutant = copy.deepcopy(doc)
        target = _get(mutant, path)
        key = rng.choice(list(target) if isinstance(target, dict) else range(len(target)) or [0])
        if isinstance(target, list) and not target:
            target.append(rng.choice(REPLACEMENTS))
        elif rng.random() < 0.2:
            del target[key]
        else:
            target[key] = rng.choice(REPLACEMENTS)
        assert check(mutant) is reference(mutant), (path, key)


# -- semantics on small schemas -----------------------------------------------------------------------------

VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 0.0, -0.0, 1.5, -2.5, float("nan"), float("inf"), -float("inf"), 10**30,
    "", "a", "ab", "A1", "😀", "😀😀", "2015-02-28", "2016-02-29", "2015-02-29", "2015-13-45", "abc\n",
    "1.0.0", "x" * 5, "2015-10-01T12:00:00Z", "not a date-time", "user@example.org", "@@",
    [], [1], [1, 1], [1, 1.0], [1, True], [0, False], [True, True], ["a", "a"], ["a", "b"], [[1], [True]],
    [[1], [1.0]], [{"a": 1}, {"a": 1.0}], [{"a": 1}, {"a": True}], [None, None], [1, "1"], [[], {}],
    {}, {"a": 1}, {"a": True}, {"a": 1.0}, {"a": "x"}, {"a": None}, {"b": 1}, {"a": 1, "b": 2},
    {"kind": "actor"}, {"kind": "outlet"}, {"kind": "actor", "m": 1}, {"kind": 1, "m": 1}, {"m": 1},
]

SCHEMAS: list[Any] = [
    True, False, {},
    *({"type": t} for t in ("object", "array", "string", "number", "integer", "boolean", "null")),
    {"type": ["string", "null"]}, {"type": ["integer", "boolean"]},
    {"enum": ["a", "ab"]}, {"enum": [1, "a", None]}, {"enum": [True]}, {"enum": [1]}, {"enum": [0]},
    {"enum": [[1]]}, {"enum": [{"a": 1}]}, {"enum": []},
    {"const": "a"}, {"const": 1}, {"const": 1.0}, {"const": True}, {"const": False}, {"const": None},
    {"const": [1]}, {"const": {"a": 1}}, {"const": 0},
    {"pattern": "^a"}, {"pattern": "b"}, {"pattern": r"^[a-z]+$"}, {"type": "string", "pattern": "^x{5}$"},
    {"minLength": 1}, {"minLength": 2}, {"type": "string", "minLength": 2},
    {"minimum": 0}, {"minimum": 1}, {"minimum": 0.5}, {"type": "integer", "minimum": 1},
    {"format": "date"}, {"format": "date-time"}, {"format": "email"}, {"format": "no-such-format"},
    {"type": "string", "format": "date"},
    {"required": ["a"]}, {"properties": {"a": {"type": "integer"}}}, {"additionalProperties": False},
    {"properties": {"a": {}}, "additionalProperties": False},
    {"properties": {"a": {}, "b": {}}, "required": ["a", "b"], "additionalProperties": False},
    {"type": "object", "properties": {"a": {"type": "number"}}, "required": ["a"], "additionalProperties": False},
    {"items": {"type": "integer"}}, {"items": False}, {"items": True}, {"minItems": 1}, {"minItems": 2},
    {"uniqueItems": True}, {"uniqueItems": False}, {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    {"anyOf": [{"type": "string"}, {"type": "null"}]}, {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"oneOf": [{"type": "integer"}, {"type": "number"}]}, {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"not": {"type": "string"}}, {"not": {"anyOf": [{"required": ["a"]}, {"required": ["m"]}]}},
    {"if": {"properties": {"kind": {"const": "actor"}}}, "then": {"required": ["m"]},
     "else": {"not": {"required": ["m"]}}},
    {"if": {"type": "string"}, "then": {"minLength": 2}},
    {"if": {"type": "string"}, "else": {"type": "null"}},
    {"$ref": "#/$defs/tree", "$defs": {"tree": {"anyOf": [{"type": "integer"}, {"type": "array",
                                                                                 "items": {"$ref": "#/$defs/tree"}}]}}},
    {"$ref": "#/$defs/leaf", "description": "siblings apply too", "type": "string",
     "$defs": {"leaf": {"pattern": "a"}}},
    {"description": "annotations only", "title": "t", "$comment": "c", "x-error": "e", "default": 1,
     "examples": [1], "$id": "urn:x", "$schema": "https://json-schema.org/draft/2020-12/schema"},
]


@pytest.mark.parametrize("schema_", SCHEMAS, ids=lambda s: json.dumps(s)[:60])
def test_small_schemas_agree_with_jsonschema(schema_):
    check = compile_check(schema_)
    reference = Draft202012Validator(schema_, format_checker=FormatChecker())
    wrong = [value for value in VALUES if check(value) is not reference.is_valid(value)]
    nested = [value for value in VALUES if check([value]) is not reference.is_valid([value])]
    assert not wrong, f"verdicts differ on {wrong!r}\n{check_source(schema_)}"
    if isinstance(schema_, dict) and schema_.get("type") == "array":
        assert not nested


def test_json_equality_keeps_booleans_apart_from_numbers():
    enum = compile_check({"enum": [1, 0.5, [1], {"a": 0}]})
    assert [enum(v) for v in (1, 1.0, True, 0.5, [1], [1.0], [True], {"a": 0}, {"a": 0.0}, {"a": False})] == [
        True, True, False, True, True, True, False, True, True, False]
    unique = compile_check({"uniqueItems": True})
    assert [unique(v) for v in ([1, True], [1, 1.0], [0, False], ["a", "a"], [[1], [True]])] == [
        True, False, True, False, True]


def test_integer_accepts_integral_floats_as_jsonschema_does():
    check = compile_check({"type": "integer", "minimum": 1})
    assert [check(v) for v in (1, 1.0, 1.5, True, 0, "1", math.nan)] == [True, True, False, False, False, False,
                                                                          False]


def test_formats_follow_the_format_checker_of_this_environment():
    date = compile_check({"format": "date"})
    assert date("2016-02-29") and not date("2015-02-29") and not date("2015-13-45") and date(5)
    date_time = compile_check({"format": "date-time"})
    enforced = "date-time" in FormatChecker().checkers  # only with the optional rfc3339-validator
    assert date_time("not a date-time") is not enforced
    assert compile_check({"format": "date"}, format_checker=FormatChecker(formats=()))("2015-13-45")


# -- what it refuses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("schema_,keyword,pointer", [
    ({"maxLength": 3}, "maxLength", "#/maxLength"),
    ({"properties": {"a": {"type": "string", "maximum": 3}}}, "maximum", "#/properties/a/maximum"),
    ({"$defs": {"d": {"patternProperties": {"^x": {}}}}}, "patternProperties", "#/$defs/d/patternProperties"),
    ({"items": {"anyOf": [{"allOf": [{}]}]}}, "allOf", "#/items/anyOf/0/allOf"),
    ({"oneOf": [{"$defs": {}}]}, "$defs", "#/oneOf/0/$defs"),
    ({"additionalProperties": {"type": "string"}}, "additionalProperties", "#/additionalProperties"),
    ({"$ref": "other.json#/x"}, "$ref", "#/$ref"),
    ({"$ref": "#/$defs/missing"}, "$ref", "#/$ref"),
    ({"$schema": "http://json-schema.org/draft-07/schema#"}, "draft 2020-12", "#/$schema"),
    ({"then": {}}, "then", "#/then"),
])
def test_unsupported_keywords_raise_naming_them(schema_, keyword, pointer):
    with pytest.raises(ValueError) as caught:
        compile_check(schema_)
    assert keyword in str(caught.value) and f"(at {pointer})" in str(caught.value)


def test_generated_schema_uses_only_supported_keywords(schema):
    compile_check(schema)  # raises if the generator grew a keyword
    assert {"type", "enum", "const", "pattern", "$ref", "anyOf", "oneOf", "if", "not"} <= SUPPORTED
