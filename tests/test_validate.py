"""`validate`: the valid example passes; each broken copy fails with its JSON pointer and sentence."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from counterclaim.io import jsonio
from counterclaim.cli import main
from counterclaim.model.ontology import load_ontology
from counterclaim.corpus.store import corpus_index as load_corpus_index
from counterclaim.validation import document_problems
from helpers import EXAMPLE_JSON, EXAMPLE_YAML, REPO, load_example, mutated

A = "/annotations/0"


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(REPO / "schema")


@pytest.fixture(scope="module")
def corpus_index():
    return load_corpus_index(REPO / "corpus")


def _set(path, value):
    def fn(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return fn


def _delete(path):
    def fn(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return fn


def _ann(fn):
    return lambda doc: fn(doc["annotations"][0])


def _event(ann, eid):
    return next(e for e in ann["events"] if e["id"] == eid)


def _claim(ann, cid):
    return next(c for c in ann["claims"] if c["id"] == cid)


def _shift_span(ann):
    ann["mentions"][0]["span"]["start"] += 1


def _text_mismatch(ann):
    ann["mentions"][0]["span"]["text"] = "Moskva"


def _span_past_end(doc):
    doc["annotations"][0]["mentions"][0]["span"].update(start=len(doc["text"]) - 2, end=len(doc["text"]) + 5)


def _duplicate_id(ann):
    ann["mentions"][1]["id"] = ann["mentions"][0]["id"]


def _bad_role(ann):
    _event(ann, "e3")["arguments"][0]["role"] = "attacker"


def _bad_mode(ann):
    _event(ann, "e3")["mode"] = "aerial"


def _dangling_mention(ann):
    _event(ann, "e1")["arguments"][0]["mention"] = "m99"


def _about_wrong_kind(ann):
    _claim(ann, "c1")["about"]["events"] = ["q1"]


def _unknown_actor(ann):
    ann["mentions"][0]["actor"] = "RUS_GOVT"


def _mention_needs_type(ann):
    ann["mentions"][4].update(actor=None, type=None)


def _unknown_event_type(ann):
    _event(ann, "e1")["type"] = "BOMBING"


def _argument_two_fillers(ann):
    _event(ann, "e1")["arguments"][0]["event"] = "e2"


def _outlet_with_actor(ann):
    _claim(ann, "c7")["claimant"]["actor"] = "RUS_GOV"


def _quantity_no_number(ann):
    _event(ann, "e1")["quantities"][0]["value"] = None


def _quantity_low_high(ann):
    _event(ann, "e7")["quantities"][0].update(low=30, high=20)


def _self_link(ann):
    _claim(ann, "c2")["links"][0]["claim"] = "c2"


def _cause_needs_event(ann):
    _event(ann, "e6")["arguments"][0] = {"role": "cause", "mention": "m9"}


def _part_of_single(ann):
    _event(ann, "e5")["part_of"] = "e6"


def _claimant_disagrees(ann):
    _claim(ann, "c1")["claimant"]["actor"] = "USA_GOV"


BROKEN = [
    # (name, mutation, expected pointer, expected words in the message)
    ("text edited", lambda d: d.update(text=d["text"] + " "), "/text_sha256", "does not match the text"),
    ("wrong schema version", _set(["schema_version"], "0.0.9"), "/schema_version", "counterclaim schema migrate"),
    ("missing annotations", _delete(["annotations"]), "", "`annotations` is missing; add it"),
    ("unexpected property", _ann(lambda a: a.update(labels=[])), A, "unexpected property `labels`"),
    ("shifted span", _ann(_shift_span), f"{A}/mentions/0/span/text", "differs from text["),
    ("span text", _ann(_text_mismatch), f"{A}/mentions/0/span/text", "'Moskva' differs from text["),
    ("span past end", _span_past_end, f"{A}/mentions/0/span/end", "past the end of the text"),
    ("duplicate id", _ann(_duplicate_id), f"{A}/mentions/1/id", "id `m1` is already used at /annotations/0/mentions/0"),
    ("role not allowed", _ann(_bad_role), f"{A}/events/2/arguments/0/role", "role `attacker` is not allowed for DEPLOY"),
    ("mode not allowed", _ann(_bad_mode), f"{A}/events/2/mode", "mode `aerial` does not belong to DEPLOY"),
    ("dangling mention", _ann(_dangling_mention), f"{A}/events/0/arguments/0/mention", "`m99` does not name any mention"),
    ("wrong kind", _ann(_about_wrong_kind), f"{A}/claims/0/about/events/0", "`q1` is a quantity, not an event"),
    ("unknown actor", _ann(_unknown_actor), f"{A}/mentions/0/actor", "unknown actor `RUS_GOVT`; did you mean `RUS_GOV`?"),
    ("mention type", _ann(_mention_needs_type), f"{A}/mentions/4", "needs a `type`"),
    ("event type", _ann(_unknown_event_type), f"{A}/events/0/type", '"BOMBING" is not allowed here'),
    ("argument fillers", _ann(_argument_two_fillers), f"{A}/events/0/arguments/0", "exactly one of `mention`, `span` or `event`"),
    ("outlet claimant", _ann(_outlet_with_actor), f"{A}/claims/6/claimant", "kind `outlet` takes no `mention` or `actor`"),
    ("quantity number", _ann(_quantity_no_number), f"{A}/events/0/quantities/0", "needs a numeric `value`"),
    ("low > high", _ann(_quantity_low_high), f"{A}/events/6/quantities/0", "`low` (30) is greater than `high` (20)"),
    ("self link", _ann(_self_link), f"{A}/claims/1/links/0/claim", "cannot support or contest itself"),
    ("cause", _ann(_cause_needs_event), f"{A}/events/5/arguments/0", "role `cause` takes an `event`"),
    ("part_of", _ann(_part_of_single), f"{A}/events/4/part_of", "must point to an aggregate event"),
    ("claimant", _ann(_claimant_disagrees), f"{A}/claims/0/claimant/actor", "disagrees with its mention `m1`"),
    ("date", _ann(lambda a: _event(a, "e1").update(time={"span": None, "start": "2015-13-40", "end": None,
                                                          "precision": "day"})),
     f"{A}/events/0/time/start", "is not a 'date'"),
]


def test_example_is_valid(ontology, corpus_index):
    assert document_problems(load_example(), ontology, corpus_index) == []


def test_example_json_is_compiled_from_its_yaml(tmp_path):
    result = CliRunner().invoke(main, ["author", "compile", str(EXAMPLE_YAML), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / EXAMPLE_JSON.name).read_bytes() == EXAMPLE_JSON.read_bytes()


@pytest.mark.parametrize("name,fn,expected_pointer,expected_words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_copy_fails_at_its_pointer(name, fn, expected_pointer, expected_words, ontology, corpus_index):
    problems = document_problems(mutated(load_example(), fn), ontology, corpus_index)
    assert problems, f"{name}: no error reported"
    assert any(ptr == expected_pointer and expected_words in msg for ptr, msg in problems), problems


def test_all_errors_reported_in_one_run(ontology, corpus_index):
    """Schema errors in several places, a text-hash error, and the code rules of another annotation."""
    def several(doc):
        first = doc["annotations"][0]
        second = copy.deepcopy(first)
        second["id"] = "second"
        _unknown_event_type(first)
        first["mentions"][1]["type"] = 5
        first["claims"][0]["stance"] = "maybe"
        _shift_span(second)
        _bad_role(second)
        doc["annotations"].append(second)
        doc["text_sha256"] = "0" * 64

    pointers = {ptr for ptr, _ in document_problems(mutated(load_example(), several), ontology, corpus_index)}
    assert {f"{A}/events/0/type", f"{A}/mentions/1/type", f"{A}/claims/0/stance", "/text_sha256",
            "/annotations/1/mentions/0/span/text", "/annotations/1/events/2/arguments/0/role"} <= pointers


def test_text_differs_from_corpus(ontology):
    doc = load_example()
    doc["text"] = doc["text"].replace("astonishing", "ASTONISHING")
    doc["text_sha256"] = jsonio.sha256_text(doc["text"])
    problems = document_problems(doc, ontology, {doc["doc_id"]: "0" * 64})
    assert ("/text_sha256", "the text differs from the corpus document of this id; the annotation was made on another version of the text — re-annotate or migrate it") in problems


def test_unknown_document(ontology):
    problems = document_problems(mutated(load_example(), _set(["doc_id"], "deadbeef")), ontology, {})
    assert any(p == "/doc_id" and "is not in the corpus" in m for p, m in problems)


# -- CLI ------------------------------------------------------------------------------------------------


def test_cli_accepts_the_valid_example():
    result = CliRunner().invoke(main, ["validate", str(EXAMPLE_JSON)])
    assert result.exit_code == 0, result.output
    assert "1 document(s) valid" in result.output


def test_cli_rejects_each_broken_copy_with_its_location(tmp_path):
    paths = []
    for i, (name, fn, ptr, words) in enumerate(BROKEN):
        path = tmp_path / f"broken_{i:02d}.json"
        path.write_text(json.dumps(mutated(load_example(), fn), ensure_ascii=False), encoding="utf-8")
        paths.append((path, ptr, words))
    result = CliRunner().invoke(main, ["validate", *[str(p) for p, _, _ in paths]])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for path, ptr, words in paths:
        assert any(line.startswith(f"{path}: {ptr or '/'}: ") and words in line for line in lines), (path, ptr, words)


def test_cli_json_report(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(mutated(load_example(), _ann(_bad_role))), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--json", str(path)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False and report["documents"] == 1
    assert report["errors"][0]["pointer"] == f"{A}/events/2/arguments/0/role"
    assert report["errors"][0]["file"] == str(path)


def test_cli_invalid_json_names_file_and_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "doc_id": "x",\n  oops\n}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:3: invalid JSON" in result.output


def test_cli_jsonl_reports_line_numbers(tmp_path):
    good = load_example()
    bad = mutated(good, _ann(_bad_mode))
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: {A}/events/2/mode: mode `aerial` does not belong to DEPLOY" in result.output
    assert f"{path}:1:" not in result.output


def test_cli_validates_a_folder(tmp_path):
    (tmp_path / "a.json").write_text(EXAMPLE_JSON.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_text(json.dumps(mutated(load_example(), _ann(_bad_mode))), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "sub/b.json: /annotations/0/events/2/mode" in result.output


def test_an_unnamed_claimant_takes_no_actor(ontology):
    def unnamed_with_actor(doc):
        doc["annotations"][0]["claims"][0]["claimant"] = {"kind": "unnamed", "actor": "RUS_GOV"}

    problems = document_problems(mutated(load_example(), unnamed_with_actor), ontology)
    assert ("/annotations/0/claims/0/claimant", "a claimant of kind `unnamed` takes no `actor` (it is not "
            "identified); link its `mention`, whose actor may name the organisation it speaks for") in problems


def test_co_claimants_must_resolve_to_mentions(ontology):
    def dangling(doc):
        doc["annotations"][0]["claims"][0]["co_claimants"] = [{"mention": "m999"}]

    problems = document_problems(mutated(load_example(), dangling), ontology)
    assert any(ptr == "/annotations/0/claims/0/co_claimants/0/mention" and "does not name any mention" in msg
               for ptr, msg in problems), problems


def test_migrate_brings_a_0_1_0_document_to_the_current_schema(tmp_path, ontology):
    from click.testing import CliRunner

    from counterclaim.cli import main

    old = load_example()
    old["schema_version"] = "0.1.0"
    old["annotations"][0]["provenance"]["schema_version"] = "0.1.0"
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "migrate", str(path), "--project", str(REPO)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("1 document(s) migrated\n")
    migrated = json.loads(path.read_text(encoding="utf-8"))
    assert migrated["schema_version"] == ontology.version
    assert migrated["annotations"][0]["provenance"]["schema_version"] == "0.1.0"  # made under 0.1.0
    assert document_problems(migrated, ontology) == []
    again = CliRunner().invoke(main, ["schema", "migrate", str(path), "--project", str(REPO)])
    assert again.output.endswith("0 document(s) migrated\n")
