"""Adjudication on hand-made disagreements, and which annotation is gold."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from click.testing import CliRunner

from counterclaim.quality.adjudicate import merge_document
from counterclaim.cli import main
from counterclaim.model.selection import select_gold
from counterclaim.model.ontology import load_ontology
from counterclaim.validation import document_problems
from helpers import REPO, load_example

ONT = load_ontology(REPO / "schema")


def annotator(ann: dict, name: str, **flags) -> dict:
    out = copy.deepcopy(ann)
    out["id"] = f"ann-{name}"
    out["provenance"] = {**out["provenance"], "annotator": name, "origin": "label-studio"}
    out["ground_truth"] = False
    out.update(flags)
    return out


def disagreeing_pair():
    """Annotator a = the example; b drops mention m2, calls e1 a missile attack, drops e1's target,
    and gives claim c2 stance `deny`."""
    doc = load_example()
    a = annotator(doc["annotations"][0], "a")
    b = annotator(doc["annotations"][0], "b")
    b["mentions"] = [m for m in b["mentions"] if m["id"] != "m2"]
    for ev in b["events"]:
        if ev["id"] == "e3":  # e3's agent was m2
            ev["arguments"] = [x for x in ev["arguments"] if x.get("mention") != "m2"]
    e1 = next(e for e in b["events"] if e["id"] == "e1")
    e1["mode"] = "missile"
    e1["arguments"] = [x for x in e1["arguments"] if x["role"] != "target"]
    next(c for c in b["claims"] if c["id"] == "c2")["stance"] = "deny"
    doc["annotations"] = [a, b]
    return doc, a, b


def test_two_annotators_keep_only_what_both_marked_and_report_the_rest():
    doc, a, b = disagreeing_pair()
    merge = merge_document(doc, schema_version=ONT.version, corpus_version="0.0.1")
    merged = merge.annotation
    assert merge.annotators == ["a", "b"]
    texts = [m["span"]["text"] for m in merged["mentions"]]
    assert "Washington" not in texts and "Moscow" in texts  # m2 "Washington" had only one of two
    e1 = next(e for e in merged["events"] if e["trigger"]["text"] == "hit" and e["quantities"]
              and e["quantities"][0]["span"]["start"] < 200)
    assert e1["mode"] == "aerial"  # tie: the first annotator's value
    assert [x["role"] for x in e1["arguments"]] == ["attacker"]  # the target was given by one of two
    kinds = {(d.kind, d.detail.split(" ")[0]) for d in merge.disagreements}
    assert ("span", "marked") in kinds
    assert ("attribute", "`mode`") in kinds and ("attribute", "`stance`") in kinds
    assert any(d.kind == "argument" and "'target'" in d.detail for d in merge.disagreements)
    tie = next(d for d in merge.disagreements if d.detail == "`mode` tied")
    assert tie.values == {"a": "aerial", "b": "missile"} and tie.decision == "'aerial' (first annotator, a)"
    doc["annotations"].append(merged)
    assert document_problems(doc, ONT) == []
    gold = select_gold(doc)
    assert gold.source == "adjudication" and gold.annotation is merged


def test_one_number_counting_for_two_events_keeps_two_quantities():
    """"Dozens martyred and injured": the same span is the DIE event's quantity and the INJURE event's."""
    doc = load_example()
    base = doc["annotations"][0]
    ann = copy.deepcopy(base)
    die = next(e for e in ann["events"] if e["quantities"])
    other = next(e for e in ann["events"] if e is not die and e.get("trigger") and not e["quantities"])
    other["quantities"] = [{**copy.deepcopy(die["quantities"][0]), "id": "q-shared"}]
    doc["annotations"] = [annotator(ann, "a"), annotator(ann, "b")]
    merge = merge_document(doc, schema_version=ONT.version, corpus_version="0.0.1")
    ids = [q["id"] for e in merge.annotation["events"] for q in e["quantities"]]
    assert len(ids) == len(set(ids)) == sum(len(e["quantities"]) for e in ann["events"])
    assert merge.disagreements == []
    doc["annotations"].append(merge.annotation)
    assert document_problems(doc, ONT) == []


def test_three_annotators_take_the_majority():
    doc, a, b = disagreeing_pair()
    c = annotator(a, "c")
    doc["annotations"].append(c)
    merge = merge_document(doc, schema_version=ONT.version, corpus_version="0.0.1")
    merged = merge.annotation
    assert len(merged["mentions"]) == len(a["mentions"])  # m2 has 2 of 3
    e1 = next(e for e in merged["events"] if e["trigger"]["start"] == next(
        x for x in a["events"] if x["id"] == "e1")["trigger"]["start"])
    assert e1["mode"] == "aerial" and {x["role"] for x in e1["arguments"]} == {"attacker", "target"}
    stance = next(d for d in merge.disagreements if d.detail == "`stance` differs")
    assert stance.decision == "'affirm' (majority)"
    # the merge equals annotator a up to ids
    assert [c2["stance"] for c2 in merged["claims"]] == [c1["stance"] for c1 in sorted(
        a["claims"], key=lambda x: (x["content"][0]["start"], x["content"][0]["end"]))]


def test_a_ground_truth_flag_outranks_adjudication_and_is_not_overridden():
    doc, a, b = disagreeing_pair()
    b["ground_truth"] = True
    merge = merge_document(doc, schema_version=ONT.version, corpus_version="0.0.1")
    assert merge.annotation is None and merge.skipped == "an annotation is already flagged ground truth"
    assert select_gold(doc).annotation is b


@pytest.mark.parametrize("flags,expected", [
    ([{"ground_truth": False}], "single"),
    ([{"ground_truth": False}, {"ground_truth": False}], "none"),
    ([{"ground_truth": True}, {"ground_truth": False}], "ground_truth"),
    ([{"ground_truth": True}, {"ground_truth": True}], "none"),
    ([{"ground_truth": False}, {"ground_truth": False, "cancelled": True}], "single"),
])
def test_gold_selection(flags, expected):
    doc = load_example()
    base = doc["annotations"][0]
    doc["annotations"] = [annotator(base, f"x{i}", **f) for i, f in enumerate(flags)]
    assert select_gold(doc).source == expected


def test_cli_writes_the_merge_and_the_review_file(tmp_path):
    project = tmp_path / "p"
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("annotations", "adjudication"))
    doc, a, b = disagreeing_pair()
    (project / "corpus" / "annotations").mkdir()
    path = project / "corpus" / "annotations" / f"{doc['doc_id']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["adjudicate", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert f"{doc['doc_id']}: merged 2 annotators (a, b)" in result.output
    written = json.loads(path.read_text(encoding="utf-8"))
    assert [x["id"] for x in written["annotations"]] == ["ann-a", "ann-b", "adjudicated"]
    review = (project / "corpus" / "adjudication" / "review.jsonl").read_text(encoding="utf-8").splitlines()
    assert review and all(json.loads(line)["doc_id"] == doc["doc_id"] for line in review)
    # running again replaces the merge, it does not add a second one
    assert CliRunner().invoke(main, ["adjudicate", "--project", str(project)]).exit_code == 0
    again = json.loads(path.read_text(encoding="utf-8"))
    assert [x["id"] for x in again["annotations"]] == ["ann-a", "ann-b", "adjudicated"]
    assert again == written


def test_the_review_keeps_the_disagreements_of_documents_left_alone(tmp_path):
    """A document already adjudicated (flagged ground truth) keeps the review lines its adjudicator decided; a
    document merged again gets its new lines; lines stay grouped by document."""
    project = tmp_path / "p"
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("annotations", "adjudication"))
    (project / "corpus" / "annotations").mkdir()
    doc, a, b = disagreeing_pair()
    path = project / "corpus" / "annotations" / f"{doc['doc_id']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    review = project / "corpus" / "adjudication" / "review.jsonl"
    review.parent.mkdir(parents=True)
    decided = json.dumps({"doc_id": "0-decided-earlier", "kind": "span", "layer": "mentions", "where": "[0, 1) 'x'",
                          "detail": "marked by 1 of 2 annotators", "values": {"a": True, "b": False},
                          "decision": "left out"}, sort_keys=True, separators=(",", ":"))
    stale = decided.replace("0-decided-earlier", doc["doc_id"])
    review.write_text(decided + "\n" + stale + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["adjudicate", "--project", str(project)])
    assert result.exit_code == 0, result.output
    lines = review.read_text(encoding="utf-8").splitlines()
    merged = [line for line in lines if json.loads(line)["doc_id"] == doc["doc_id"]]
    assert lines[0] == decided and stale not in lines and len(merged) == len(lines) - 1
    assert f"disagreement(s) to {review} (kept 1 of documents left alone)" in result.output
    # flagged ground truth now: the document is left alone, its lines stay as they are
    written = json.loads(path.read_text(encoding="utf-8"))
    written["annotations"][0]["ground_truth"] = True
    path.write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    again = CliRunner().invoke(main, ["adjudicate", "--project", str(project)])
    assert again.exit_code == 0, again.output
    assert review.read_text(encoding="utf-8").splitlines() == lines
    assert f"wrote 0 disagreement(s) to {review} (kept {len(lines)} of documents left alone)" in again.output


def test_the_committed_review_file_is_what_adjudicate_gives_on_the_two_passes():
    """corpus/adjudication/review.jsonl lists the disagreements of the two passes of every double-annotated
    document (the adjudicated gold, flagged ground truth, is left out: it was made from this review)."""
    from counterclaim.io import jsonio

    expected = []
    for path in sorted((REPO / "corpus" / "annotations").glob("*.json")):
        doc = jsonio.read_json(path)
        passes = [a for a in doc["annotations"] if not a["ground_truth"]]
        if len(passes) < 2:
            continue
        merge = merge_document({**doc, "annotations": passes}, schema_version=ONT.version, corpus_version="0.1.0")
        expected += [jsonio.dumps(d.to_dict()) for d in merge.disagreements]
    lines = (REPO / "corpus" / "adjudication" / "review.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == expected, "run `counterclaim adjudicate` on the two passes (see corpus/adjudication/DECISIONS.md)"
    assert len(lines) == 269


def test_every_adjudicated_document_has_its_decisions_written_down():
    """DECISIONS.md has a section per adjudicated document, counting the review's disagreements of that document,
    and every adjudicated gold is the flagged ground truth of its document."""
    import re
    from collections import Counter

    from counterclaim.io import jsonio

    review = Counter(json.loads(line)["doc_id"] for line in
                     (REPO / "corpus" / "adjudication" / "review.jsonl").read_text(encoding="utf-8").splitlines())
    decisions = (REPO / "corpus" / "adjudication" / "DECISIONS.md").read_text(encoding="utf-8")
    sections = {m[1]: int(m[2]) for m in re.finditer(r"^### (\S+) \(.*\) — (\d+) disagreements$", decisions, re.M)}
    adjudicated = sorted(p.stem for p in (REPO / "corpus" / "gold" / "adjudicated").glob("*.yaml"))
    assert sorted(sections) == adjudicated == sorted(review)
    assert sections == dict(review)
    for doc_id in adjudicated:
        gold = select_gold(jsonio.read_json(REPO / "corpus" / "annotations" / f"{doc_id}.json"))
        assert (gold.source, gold.annotation["id"], gold.annotation["provenance"]["annotator"]) == (
            "ground_truth", "adjudicated", "adjudicator")
