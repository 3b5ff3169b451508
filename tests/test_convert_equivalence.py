"""``convert_task`` keeps its exact output: pinned digests of what it returned before it was optimised.

The converter (:mod:`counterclaim.studio.convert`) was rewritten for speed. Each digest below was recorded
with the implementation it replaced, over a set of cases: the real Label Studio exports written by others
(``../shared/realdata``, skipped if absent) and a matrix of broken variants of a rich task (every mutation
applied to every result, under two sets of options). A digest covers the documents (contents, types and
key order), the report items and their order, and the error raised, if any; a case that fails names the
mutation or export that changed.

The ontology is defined here, so edits to ``schema/ontology.yaml`` do not move the digests. If the
converter's output is meant to change, check the differences, then re-record::

    .venv/bin/python tests/test_convert_equivalence.py
"""

from __future__ import annotations

import copy
import hashlib
import sys
from pathlib import Path
from typing import Callable

import pytest

from counterclaim.ontology import parse_ontology
from counterclaim.studio.convert import ConvertOptions, convert_task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import REALDATA  # noqa: E402

LS = REALDATA / "labelstudio"

ONTOLOGY = parse_ontology({
    "name": "counterclaim-test",
    "version": "9.9.9",
    "event_types": [
        {"id": "ATTACK", "modes": ["aerial", "drone", "unspecified"], "roles": ["attacker", "target", "victim"]},
        {"id": "MEET", "modes": ["talks", "unspecified"], "roles": ["participant", "host", "topic"]},
    ],
    "roles": [{"id": r, "definition": r} for r in ("attacker", "target", "victim", "participant", "host", "topic")],
    "realis": [{"id": r, "definition": r} for r in ("actual", "hypothetical", "negated")],
    "granularity": [{"id": r, "definition": r} for r in ("single", "aggregate")],
    "time_precision": [{"id": r, "definition": r} for r in ("day", "month", "unknown")],
    "place_precision": [{"id": r, "definition": r} for r in ("town", "province", "unknown")],
    "actor_types": [{"id": r, "definition": r} for r in ("government", "military", "person", "civilians", "other")],
    "sectors": [{"id": r, "definition": r} for r in ("state", "civil")],
    "claim_attributes": {
        "stance": [{"id": r, "definition": r} for r in ("affirm", "deny")],
        "certainty": [{"id": r, "definition": r} for r in ("certain", "unknown")],
        "claimant_kinds": [{"id": r, "definition": r} for r in ("actor", "outlet")],
        "link_types": [{"id": r, "definition": r} for r in ("supports", "contests")],
    },
    "quantity": {
        "measurands": [{"id": r, "definition": r} for r in ("targets_struck", "killed")],
        "qualifiers": [{"id": r, "definition": r} for r in ("exact", "approx", "at_least")],
    },
    "actors": [
        {"id": "RUS_GOV", "name": "Russian government", "type": "government", "sector": "state"},
        {"id": "RUS_MIL", "name": "Russian armed forces", "type": "military", "sector": "state"},
        {"id": "SYR_GOV", "name": "Syrian government", "type": "government", "sector": "state"},
    ],
})

OPTIONS = {
    "default": {},
    "untrimmed, mapped": {"trim_whitespace": False, "label_map": {"PER": ("ACTOR", "person"), "Date": ("TIME", None)}},
}

TEXT = "😀 Moscow said on 30 September that Russian jets hit 55 targets near  Palmyra. SOHR denied it.  "


def _span(quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(quote, start + 1)
    return start, start + len(quote)


def _region(rid: str, label: str, quote: str) -> dict:
    start, end = _span(quote)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": quote, "labels": [label]}}


def _value(rid: str, name: str, rtype: str, value, quote: str) -> dict:
    start, end = _span(quote)
    key = "text" if rtype == "textarea" else rtype
    return {"id": rid, "from_name": name, "to_name": "text", "type": rtype,
            "value": {"start": start, "end": end, key: value}}


def _rel(src: str, dst: str, label: str, direction: str = "right") -> dict:
    return {"type": "relation", "from_id": src, "to_id": dst, "direction": direction, "labels": [label]}


def rich_results() -> list[dict]:
    """Every kind of region, per-region value and relation the converter reads."""
    return [
        _region("m1", "ACTOR", "Moscow"),
        _value("m1", "actor", "taxonomy", [["government", "RUS_GOV"]], "Moscow"),
        _region("m2", "ACTOR", "Russian jets"),
        _value("m2", "actor", "taxonomy", [["military", "RUS_MIL"]], "Russian jets"),
        _region("m3", "ACTOR", "SOHR"),
        _value("m3", "actor_type", "choices", ["other"], "SOHR"),
        _region("e1", "EVENT", "hit"),
        _value("e1", "event_type", "choices", ["ATTACK"], "hit"),
        _value("e1", "mode", "choices", ["aerial"], "hit"),
        _value("e1", "realis", "choices", ["actual"], "hit"),
        _region("e2", "EVENT", "targets"),
        _value("e2", "event_type", "choices", ["ATTACK"], "targets"),
        _value("e2", "granularity", "choices", ["aggregate"], "targets"),
        _region("a1", "ARGUMENT", "near"),
        _region("q1", "QUANTITY", "55"),
        _value("q1", "measurand", "choices", ["targets_struck"], "55"),
        _value("q1", "value", "number", 55, "55"),
        _value("q1", "qualifier", "choices", ["approx"], "55"),
        _value("q1", "quantity_note", "textarea", ["about", None, " 55 "], "55"),
        _region("t1", "TIME", "30 September"),
        _value("t1", "time_start", "datetime", "2015-09-30T00:00", "30 September"),
        _value("t1", "time_precision", "choices", ["day"], "30 September"),
        _region("p1", "PLACE", "Palmyra"),
        _value("p1", "place_name", "textarea", "Palmyra", "Palmyra"),
        _value("p1", "geonames_id", "number", 170068, "Palmyra"),
        _region("c1", "CLAIM", "Russian jets hit 55 targets"),
        _value("c1", "stance", "choices", ["affirm"], "Russian jets hit 55 targets"),
        _value("c1", "check_worthy", "choices", ["yes"], "Russian jets hit 55 targets"),
        _region("c2", "CLAIM", "near  Palmyra"),
        _region("c3", "CLAIM", "denied it"),
        _value("c3", "claimant_kind", "choices", ["unsourced"], "denied it"),
        _region("k1", "CUE", "said"),
        _rel("e1", "m2", "attacker"),
        _rel("m1", "e1", "target", direction="left"),
        _rel("e1", "a1", "victim"),
        _rel("e1", "q1", "quantity"),
        _rel("e1", "t1", "time"),
        _rel("e1", "p1", "place"),
        _rel("e1", "e2", "part_of"),
        _rel("c1", "m1", "claimant"),
        _rel("c1", "m3", "reported_via"),
        _rel("c1", "k1", "cue"),
        _rel("c1", "c2", "continues"),
        _rel("c1", "e1", "about"),
        _rel("c1", "q1", "about"),
        _rel("c3", "c1", "contests"),
    ]


def task_with(results: list, **annotation) -> dict:
    return {"id": 1, "project": 9, "data": {"text": TEXT, "doc_id": "doc1"},
            "annotations": [{"id": 2, "completed_by": 5, "lead_time": 3.5, "result": results, **annotation}],
            "predictions": [4, {"id": 6, "model_version": "v1", "result": [{}]}], "drafts": [{"id": 7}]}


def _set(path: tuple, value) -> Callable[[dict], None]:
    def change(res: dict) -> None:
        node = res
        for key in path[:-1]:
            node = node.get(key)
            if not isinstance(node, dict):
                return
        node[path[-1]] = value
    return change


def _drop(key: str, inside: str | None = None) -> Callable[[dict], None]:
    def change(res: dict) -> None:
        node = res.get(inside) if inside else res
        if isinstance(node, dict):
            node.pop(key, None)
    return change


def _value_of_type(value) -> Callable[[dict], None]:
    def change(res: dict) -> None:
        val = res.get("value")
        if isinstance(val, dict):
            for key in ("choices", "taxonomy", "number", "text", "datetime"):
                if key in val:
                    val[key] = value
    return change


def _widen(res: dict) -> None:
    val = res.get("value")
    if isinstance(val, dict) and isinstance(val.get("start"), int):
        val["start"] = max(0, val["start"] - 1)
        val["end"] = val["end"] + 1


# result mutations: each is applied to every result in turn (a mutation that does not fit one is a no-op)
RESULT_MUTATIONS: dict[str, Callable[[dict], None]] = {
    "type unknown": _set(("type",), "polygonlabels"),
    "type missing": _drop("type"),
    "type null": _set(("type",), None),
    "id missing": _drop("id"),
    "id empty": _set(("id",), ""),
    "id number": _set(("id",), 7),
    "id of another region": _set(("id",), "m2"),
    "id a list": _set(("id",), ["m1"]),
    "from_name unknown": _set(("from_name",), "sentiment"),
    "from_name stance": _set(("from_name",), "stance"),
    "value missing": _drop("value"),
    "value null": _set(("value",), None),
    "value empty": _set(("value",), {}),
    "value not an object": _set(("value",), ["x"]),
    "labels two": _set(("value", "labels"), ["ACTOR", "EVENT"]),
    "labels foreign": _set(("value", "labels"), ["PER"]),
    "labels date": _set(("value", "labels"), ["Date"]),
    "labels string": _set(("value", "labels"), "ACTOR"),
    "labels missing": _drop("labels", "value"),
    "labels unhashable": _set(("value", "labels"), [["ACTOR"]]),
    "start missing": _drop("start", "value"),
    "start float": _set(("value", "start"), 1.0),
    "start bool": _set(("value", "start"), True),
    "end outside": _set(("value", "end"), 1000),
    "end before start": _set(("value", "end"), 0),
    "span whitespace": _set(("value", "start"), TEXT.index("  ")),
    "span widened": _widen,
    "value list of two": _value_of_type(["a", "b"]),
    "value unknown choice": _value_of_type(["nope"]),
    "value string": _value_of_type("5"),
    "value bool": _value_of_type(True),
    "value float": _value_of_type(2.5),
    "value null choice": _value_of_type(None),
    "value empty list": _value_of_type([]),
    "value path unknown actor": _value_of_type([["x", "NOPE"]]),
    "value short date": _value_of_type("2015-09"),
    "relation labels empty": _set(("labels",), []),
    "relation labels unknown": _set(("labels",), ["nope"]),
    "relation labels two": _set(("labels",), ["time", "place"]),
    "relation labels string": _set(("labels",), "time"),
    "relation direction left": _set(("direction",), "left"),
    "relation direction bi": _set(("direction",), "bi"),
    "relation direction missing": _drop("direction"),
    "relation to missing region": _set(("to_id",), "gone"),
    "relation to itself": lambda res: res.update(to_id=res.get("from_id")) if "from_id" in res else None,
    "result not an object": None,  # replaced by a string
    "result repeated": None,  # a copy inserted after it
    "result removed": None,
}

# mutations of the task or annotation
TASK_MUTATIONS: dict[str, Callable[[dict], None]] = {
    "as is": lambda t: None,
    "text_sha256 wrong": lambda t: t["data"].update(text_sha256="0" * 64),
    "doc_id missing": lambda t: t["data"].pop("doc_id"),
    "project not an int": lambda t: t.update(project="9"),
    "task id a string": lambda t: t.update(id="t1"),
    "no text": lambda t: t["data"].pop("text"),
    "data missing": lambda t: t.pop("data"),
    "completions": lambda t: t.update(completions=t.pop("annotations")),
    "no annotations": lambda t: t.update(annotations=None),
    "result not a list": lambda t: t["annotations"][0].update(result={}),
    "lead_time negative": lambda t: t["annotations"][0].update(lead_time=-1),
    "lead_time bool": lambda t: t["annotations"][0].update(lead_time=True),
    "completed_by email": lambda t: t["annotations"][0].update(completed_by={"id": "a@b.org"}),
    "completed_by missing": lambda t: t["annotations"][0].pop("completed_by"),
    "flags": lambda t: t["annotations"][0].update(was_cancelled=1, ground_truth="yes"),
    "two annotations": lambda t: t["annotations"].append(copy.deepcopy(t["annotations"][0]) | {"id": 3}),
    "annotation id missing": lambda t: t["annotations"][0].pop("id"),
}

REAL_EXPORTS = {
    "perregion, mapped": ("frontend_e2e_perregion/task_with_perregion_results.json",
                          {"text_field": "reviewText", "label_map": {"Person": ("ACTOR", "person")}}),
    "perregion": ("frontend_e2e_perregion/task_with_perregion_results.json", {}),
    "named entity": ("frontend_named_entity/annotations_1.json", {}),
    "named entity, mapped": ("frontend_named_entity/annotations_1.json", {"label_map": {"Date": ("TIME", None)}}),
    "multi-annotator, mapped": ("labic_multi_annotator_ner_pt/all_annotations_export.json",
                                {"label_map": {k: ("ACTOR", "other") for k in ("MEDICATION", "DISEASE", "SYMPTOM", "ANATOMY")}}),
    "multi-annotator, mapped, untrimmed": ("labic_multi_annotator_ner_pt/all_annotations_export.json",
                                           {"label_map": {k: ("ACTOR", "other") for k in ("MEDICATION", "DISEASE")},
                                            "trim_whitespace": False}),
    "multi-annotator": ("labic_multi_annotator_ner_pt/all_annotations_export.json", {}),
    "predictions import": ("kiji_predictions_import/sample_predictions.json", {}),
    "legacy completions": ("legacy_completions_format/348.json", {}),
}


def _outcome(convert: Callable, task: dict, options: dict) -> str:
    """What one call returns (or raises), exactly: repr keeps key order and the types of the values."""
    opts = ConvertOptions(schema_version=ONTOLOGY.version, corpus_version="0.0.1", **options)
    try:
        return repr(convert(task, ONTOLOGY, opts))
    except Exception as exc:  # an error is part of the behaviour too
        return f"raised {type(exc).__name__}: {exc}"


def _digest(outcomes: list[str]) -> str:
    return hashlib.sha256("\n\x00".join(outcomes).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _mutated_tasks(name: str) -> list[dict]:
    tasks = []
    for i in range(len(rich_results())):
        results = rich_results()
        if name == "result not an object":
            results[i] = "oops"
        elif name == "result repeated":
            results.insert(i + 1, copy.deepcopy(results[i]))
        elif name == "result removed":
            del results[i]
        else:
            RESULT_MUTATIONS[name](results[i])
        tasks.append(task_with(results))
    return tasks


def matrix_digests(convert: Callable = convert_task) -> dict[str, str]:
    """One digest per mutation, over every task it makes and both option sets."""
    out = {}
    for name in RESULT_MUTATIONS:
        out[f"result: {name}"] = _digest([_outcome(convert, task, options)
                                          for options in OPTIONS.values() for task in _mutated_tasks(name)])
    for name, change in TASK_MUTATIONS.items():
        task = task_with(rich_results())
        change(task)
        out[f"task: {name}"] = _digest([_outcome(convert, copy.deepcopy(task), options) for options in OPTIONS.values()])
    return out


def real_digests(convert: Callable = convert_task) -> dict[str, str]:
    """One digest per real export and option set."""
    from counterclaim.studio.pull import iter_export_tasks

    return {name: _digest([_outcome(convert, task, options) for task in iter_export_tasks(LS / path)])
            for name, (path, options) in REAL_EXPORTS.items()}


# Recorded with the converter as it was before the optimisation.
MATRIX = {
    'result: type unknown': '6a14019f70bb9368',
    'result: type missing': 'dc52d2c0983553ce',
    'result: type null': 'dc52d2c0983553ce',
    'result: id missing': 'da6274737577f63b',
    'result: id empty': 'fdc4e1b2e44b57b8',
    'result: id number': '054cf63a6d86a6d3',
    'result: id of another region': '81a2158c329f4dfe',
    'result: id a list': '449f8777dd0f848e',
    'result: from_name unknown': '916702155ee18d6b',
    'result: from_name stance': '2746cfab5a4e9de0',
    'result: value missing': 'e72d9f6f305e19cf',
    'result: value null': 'e72d9f6f305e19cf',
    'result: value empty': 'e72d9f6f305e19cf',
    'result: value not an object': '0820f0f20710cdb2',
    'result: labels two': '0d724ec4abf7b810',
    'result: labels foreign': '50b93a001d390989',
    'result: labels date': 'ee27638c71a80659',
    'result: labels string': '4a4d6a2f74747146',
    'result: labels missing': '62a9be416b73b585',
    'result: labels unhashable': '0b9e8af2766eb30b',
    'result: start missing': '425a387b270584c0',
    'result: start float': '425a387b270584c0',
    'result: start bool': 'fe1461f6ef1ce808',
    'result: end outside': 'ff437f8c039d409e',
    'result: end before start': '72661943d4d36898',
    'result: span whitespace': '746cc5addd25f7b7',
    'result: span widened': 'f3f01714fe40fc00',
    'result: value list of two': '7335cc6292576c8a',
    'result: value unknown choice': '2091c7ef5b622e74',
    'result: value string': 'a353822d1e3835c2',
    'result: value bool': 'd1b02039b8afa5a5',
    'result: value float': '3cd7779cd63b2173',
    'result: value null choice': '5b204497cdc620da',
    'result: value empty list': '4e0a49720e84dac5',
    'result: value path unknown actor': '1a7f683c7d5db4ce',
    'result: value short date': '9508ef3c397d357c',
    'result: relation labels empty': '28073d86142be90a',
    'result: relation labels unknown': 'c9e6944caf632d52',
    'result: relation labels two': 'e87a26ca6b784316',
    'result: relation labels string': 'd5927711cd6e2c1d',
    'result: relation direction left': '5438f471b3768e28',
    'result: relation direction bi': 'a7e3d771c7cb414e',
    'result: relation direction missing': '1e67cf3d64532ede',
    'result: relation to missing region': 'b5eadcbd61bdd40a',
    'result: relation to itself': 'ad3b150676175150',
    'result: result not an object': 'a49af9dbf0165167',
    'result: result repeated': '9c7b30aa403f3055',
    'result: result removed': 'd251528b95f02648',
    'task: as is': '2fc7e7db69da04fe',
    'task: text_sha256 wrong': 'fd80c25a51e2e916',
    'task: doc_id missing': '3c4c0910dd180904',
    'task: project not an int': 'aaf1e4b815ce375f',
    'task: task id a string': '54fd72a24c01739f',
    'task: no text': 'ed2a643349e87d8f',
    'task: data missing': '4749102495974bed',
    'task: completions': 'ef15a625b88025f7',
    'task: no annotations': '0f84cc3275810e8e',
    'task: result not a list': '17a1fd53dae68c53',
    'task: lead_time negative': '1a8eda04cefcd385',
    'task: lead_time bool': 'd84b88ce542d88df',
    'task: completed_by email': '14e83692a776b6e2',
    'task: completed_by missing': 'e4cf9999d62fc699',
    'task: flags': 'c58450fb2c5c1415',
    'task: two annotations': '06077710b4d5da87',
    'task: annotation id missing': '8105e956b57fa3e0',
}

REAL = {
    'perregion, mapped': '149266a6f755d368',
    'perregion': '4cf5415433fb317f',
    'named entity': '858cb2388216ab9f',
    'named entity, mapped': '9048f7ead68b836e',
    'multi-annotator, mapped': 'f7be26fbc11ea5eb',
    'multi-annotator, mapped, untrimmed': 'e07f9be87b6df0b9',
    'multi-annotator': 'f2fa4b0582e26bb7',
    'predictions import': 'ab65771216b2221f',
    'legacy completions': '264460cf72d4f7af',
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_broken_variants_convert_exactly_as_before(name, matrix_now):
    assert matrix_now[name] == MATRIX[name]


@pytest.mark.skipif(not LS.exists(), reason="../shared/realdata is not beside the repository")
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_exports_convert_exactly_as_before(name, real_now):
    assert real_now[name] == REAL[name]


def test_every_case_is_pinned():
    assert set(MATRIX) == set(matrix_digests()) and set(REAL) == set(REAL_EXPORTS)


def test_the_matrix_reaches_the_reporting_paths():
    """The pins are worth having only if the cases exercise the reports and errors, not just the happy path."""
    reasons, raised = set(), 0
    for name in RESULT_MUTATIONS:
        for task in _mutated_tasks(name):
            try:
                _, report = convert_task(task, ONTOLOGY, ConvertOptions(schema_version="9.9.9", corpus_version="0.0.1"))
            except Exception:
                raised += 1
                continue
            reasons.update(item.reason for item in report)
    assert len(reasons) >= 100 and raised > 0


@pytest.fixture(scope="module")
def matrix_now():
    return matrix_digests()


@pytest.fixture(scope="module")
def real_now():
    return real_digests()


if __name__ == "__main__":  # re-record the digests (after checking that the new output is the intended one)
    print("MATRIX = {")
    for key, value in matrix_digests().items():
        print(f"    {key!r}: {value!r},")
    print("}\n\nREAL = {")
    for key, value in real_digests().items():
        print(f"    {key!r}: {value!r},")
    print("}")
