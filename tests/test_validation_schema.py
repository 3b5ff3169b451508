"""The fast JSON Schema verdict (jsonschema-rs) is jsonschema's verdict on every input the project meets.

The reference is ``Draft202012Validator(schema, format_checker=FormatChecker())`` — what
``validation.schema_errors`` reports with — and "valid" means it finds no error. Inputs: every committed
annotated document, the broken examples of ``test_validate``, and thousands of single mutations of rich
documents. NaN and Infinity are the one deliberate difference: not JSON numbers, jsonschema-rs rejects them and
the error is still reported with its place.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from counterclaim.model.ontology import default_ontology
from counterclaim.model.schema import SCHEMA_FILE, build_schema
from counterclaim.validation import document_problems, schema_valid
from helpers import EXAMPLE_JSON, REPO, load_example, mutated
from test_validate import BROKEN

VALID_FILES = sorted((REPO / "corpus" / "annotations").glob("*.json")) + sorted(
    (REPO / "schema" / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def ontology():
    return default_ontology()


@pytest.fixture(scope="module")
def schema(ontology) -> dict:
    return build_schema(ontology)


@pytest.fixture(scope="module")
def reference(schema):
    return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid


@pytest.fixture(scope="module")
def check(ontology):
    return lambda doc: schema_valid(doc, ontology)


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_documents_are_valid_for_both(path, check, reference):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert reference(doc), f"{path} is not valid under jsonschema: fix the file first"
    assert check(doc) is True


@pytest.mark.parametrize("name,fn,expected_pointer,expected_words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_examples_get_the_same_verdict(name, fn, expected_pointer, expected_words, check, reference):
    doc = mutated(load_example(), fn)
    assert check(doc) is reference(doc)


def test_the_committed_schema_file_is_the_generated_one(schema):
    assert json.loads((REPO / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")) == schema


def test_date_time_formats_are_checked_by_both(check, reference):
    doc = load_example()
    doc["annotations"][0]["provenance"]["created_at"] = "yesterday"
    assert check(doc) is reference(doc) is False


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_errors_with_their_place(value, ontology):
    doc = load_example()
    doc["annotations"][0]["events"][0]["quantities"][0]["value"] = value
    problems = document_problems(doc, ontology)
    assert any(ptr == "/annotations/0/events/0/quantities/0/value" and "finite" in msg for ptr, msg in problems), \
        problems


# -- systematic mutations of rich valid documents -----------------------------------------------------------

ADDED_KEY = "unexpected_key"
REPLACEMENTS: list[Any] = [None, True, False, 0, 1, 1.0, -1, 1.5, "", "x", "bad id!", "2015-13-45", [], {}]
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
        out += [-value, -abs(value) - 1, value + 0.5, float(value), 0.0, -0.0, 10**20]
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
