"""The converter's exact output on every case of a matrix, pinned as readable JSON under ``tests/golden/convert``.

Cases: a rich task holding every kind of region, per-region value and relation the converter reads, with each
mutation of ``RESULT_MUTATIONS`` applied to each result in turn and each mutation of ``TASK_MUTATIONS`` applied
to the task, under two sets of options; and the real Label Studio exports written by others
(``../shared/realdata``). For a mutated rich task the golden file records what differs from the unmutated task
(objects added, removed or changed, report items added or removed), so a failing case shows a readable diff of
behaviour. The converter must be total: no case may raise.

The ontology is defined here, so edits to ``schema/ontology.yaml`` do not move the goldens. If the converter's
output is meant to change, look at the differences, then re-record::

    .venv/bin/python tests/test_convert_golden.py
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from counterclaim.labelstudio.convert import ConvertOptions, convert_task
from counterclaim.model.ontology import parse_ontology

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import REALDATA  # noqa: E402

LS = REALDATA / "labelstudio"
GOLDEN = Path(__file__).resolve().parent / "golden" / "convert"

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
# The result mutations whose outcome depends on the options; the others run with the default options only.
OPTION_SENSITIVE = {"labels foreign", "labels date", "span whitespace", "span widened"}

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
RESULT_MUTATIONS: dict[str, Callable[[dict], None] | None] = {
    "type unknown": _set(("type",), "polygonlabels"),
    "type missing": _drop("type"),
    "type null": _set(("type",), None),
    "type a list": _set(("type",), ["labels"]),
    "id missing": _drop("id"),
    "id empty": _set(("id",), ""),
    "id number": _set(("id",), 7),
    "id of another region": _set(("id",), "m2"),
    "id a list": _set(("id",), ["m1"]),
    "from_name unknown": _set(("from_name",), "sentiment"),
    "from_name stance": _set(("from_name",), "stance"),
    "from_name a list": _set(("from_name",), ["stance"]),
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
    "value path of a list": _value_of_type([["x", ["RUS_GOV"]]]),
    "value short date": _value_of_type("2015-09"),
    "relation labels empty": _set(("labels",), []),
    "relation labels unknown": _set(("labels",), ["nope"]),
    "relation labels two": _set(("labels",), ["time", "place"]),
    "relation labels string": _set(("labels",), "time"),
    "relation labels of lists": _set(("labels",), [["time"]]),
    "relation direction left": _set(("direction",), "left"),
    "relation direction bi": _set(("direction",), "bi"),
    "relation direction missing": _drop("direction"),
    "relation to missing region": _set(("to_id",), "gone"),
    "relation to a list": _set(("to_id",), ["m1"]),
    "relation to itself": lambda res: res.update(to_id=res.get("from_id")) if "from_id" in res else None,
    "result not an object": None,  # replaced by a string
    "result repeated": None,  # a copy inserted after it
    "result removed": None,
}

# mutations of the task or annotation
TASK_MUTATIONS: dict[str, Callable[[dict], Any]] = {
    "as is": lambda t: None,
    "text_sha256 wrong": lambda t: t["data"].update(text_sha256="0" * 64),
    "doc_id missing": lambda t: t["data"].pop("doc_id"),
    "project not an int": lambda t: t.update(project="9"),
    "task id a string": lambda t: t.update(id="t1"),
    "task id a list": lambda t: t.update(id=[1]),
    "no text": lambda t: t["data"].pop("text"),
    "text not a string": lambda t: t["data"].update(text=["a"]),
    "data missing": lambda t: t.pop("data"),
    "data a list": lambda t: t.update(data=["x"]),
    "completions": lambda t: t.update(completions=t.pop("annotations")),
    "no annotations": lambda t: t.update(annotations=None),
    "annotations a string": lambda t: t.update(annotations="oops"),
    "annotations of numbers": lambda t: t.update(annotations=["x", 5]),
    "predictions a number": lambda t: t.update(predictions=5),
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


def _convert(task: Any, options: dict) -> tuple[dict | None, list[str]]:
    opts = ConvertOptions(schema_version=ONTOLOGY.version, corpus_version="0.0.1", **options)
    doc, report = convert_task(task, ONTOLOGY, opts)
    return doc, [f"{i.code} {i.region_id}: {i.reason}" for i in report]


def _objects(doc: dict | None) -> dict[str, str]:
    """Every object of a converted document, one canonical JSON line each, keyed by annotation and id."""
    if doc is None:
        return {}
    out = {}
    for ann in doc["annotations"]:
        head = {k: ann[k] for k in ("id", "provenance", "cancelled", "ground_truth")}
        out[f"{ann['id']}"] = json.dumps(head, sort_keys=True, ensure_ascii=False)
        for layer in ("mentions", "events", "claims"):
            for obj in ann[layer]:
                out[f"{ann['id']} {layer} {obj['id']}"] = json.dumps(obj, sort_keys=True, ensure_ascii=False)
    return out


def _delta(base: list, now: list) -> dict:
    return {"removed": [x for x in base if x not in now], "added": [x for x in now if x not in base]}


def _mutated_tasks(name: str) -> list[tuple[str, dict]]:
    tasks = []
    for i in range(len(rich_results())):
        results = rich_results()
        where = f"result {i} ({results[i].get('id') or results[i].get('from_id')}, {results[i]['type']})"
        if name == "result not an object":
            results[i] = "oops"
        elif name == "result repeated":
            results.insert(i + 1, copy.deepcopy(results[i]))
        elif name == "result removed":
            del results[i]
        else:
            before = copy.deepcopy(results[i])
            RESULT_MUTATIONS[name](results[i])
            if results[i] == before:
                continue  # the mutation does not fit this result
        tasks.append((where, task_with(results)))
    return tasks


def case_outcomes() -> dict[str, Any]:
    """The golden content of every case, by file name."""
    cases: dict[str, Any] = {}
    for option_name, options in OPTIONS.items():
        base_doc, base_report = _convert(task_with(rich_results()), options)
        base_objects = _objects(base_doc)
        cases[f"base, {option_name}"] = {"objects": base_objects, "report": base_report}
        for name in RESULT_MUTATIONS:
            if option_name != "default" and name not in OPTION_SENSITIVE:
                continue
            variants = {}
            for where, task in _mutated_tasks(name):
                doc, report = _convert(task, options)
                objects = _objects(doc)
                changed = {k: v for k, v in objects.items() if base_objects.get(k) != v}
                gone = sorted(set(base_objects) - set(objects))
                variants[where] = {"objects changed or added": changed, "objects removed": gone,
                                   "report": _delta(base_report, report)}
            cases[f"result {name}, {option_name}"] = variants
        for name, change in TASK_MUTATIONS.items():
            task = task_with(rich_results())
            change(task)
            doc, report = _convert(task, options)
            cases[f"task {name}, {option_name}"] = {"document": None if doc is None else
                                                    {k: v for k, v in doc.items() if k != "annotations"},
                                                    "objects": _objects(doc), "report": report}
    if LS.exists():
        from counterclaim.studio.pull import iter_export_tasks

        for name, (path, options) in REAL_EXPORTS.items():
            outcomes = []
            for task in iter_export_tasks(LS / path):
                doc, report = _convert(task, options)
                outcomes.append({"task": task.get("id"), "objects": _objects(doc), "report": report})
            cases[f"real {name}"] = outcomes
    return cases


def _file(case: str) -> Path:
    return GOLDEN / (case.replace(", ", "--").replace(" ", "-").replace("/", "-") + ".json")


def _dump(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


@pytest.fixture(scope="module")
def outcomes():
    return case_outcomes()


def test_every_case_has_a_golden_file_and_no_golden_file_is_stale(outcomes):
    assert {_file(c).name for c in outcomes} == {p.name for p in GOLDEN.glob("*.json")} or not LS.exists()


@pytest.mark.parametrize("case", sorted(case_outcomes()))
def test_case_converts_exactly_as_recorded(case, outcomes):
    """A failure shows the objects and report lines that changed."""
    assert json.loads(_dump(outcomes[case])) == json.loads(_file(case).read_text(encoding="utf-8"))


def test_the_matrix_reaches_the_reporting_paths(outcomes):
    """The goldens are worth having only if the cases exercise most report codes, not just the happy path."""
    from counterclaim.labelstudio.codes import CODES

    seen = {line.split()[0] for value in outcomes.values() for line in _lines(value)}
    assert len(seen) >= 0.8 * len(CODES), sorted(set(CODES) - seen)


def _lines(value: Any) -> list[str]:
    """Every report line in a golden value."""
    if isinstance(value, str):
        return [value] if value[:2] == "LS" and value[2:5].isdigit() else []
    if isinstance(value, dict):
        return [line for v in value.values() for line in _lines(v)]
    if isinstance(value, list):
        return [line for v in value for line in _lines(v)]
    return []


if __name__ == "__main__":  # re-record the goldens (after checking that the new output is the intended one)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    for case, value in case_outcomes().items():
        _file(case).write_text(_dump(value), encoding="utf-8")
    print(f"recorded {len(list(GOLDEN.glob('*.json')))} cases in {GOLDEN}")
