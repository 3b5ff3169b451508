"""`counterclaim evaluate`: the official metric on hand-made gold/prediction pairs, with exact figures."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.io.jsonio import sha256_text
from counterclaim.model.ontology import load_ontology
from counterclaim.quality.evaluate import EvaluationError, evaluate
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")
TEXT = "Moscow said its jets hit 55 targets. SOHR said 12 civilians died."


def span(quote: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(quote, start + 1)
    return {"start": start, "end": start + len(quote), "text": quote}


def provenance(who: str, origin: str) -> dict:
    return {"annotator": who, "origin": origin, "tool": {"name": "counterclaim"}, "schema_version": ONT.version,
            "corpus_version": "0.1.0", "created_at": None, "updated_at": None, "lead_time": None,
            "guidelines_version": None}


def document(doc_id: str, ann: dict) -> dict:
    return {"schema_version": ONT.version, "doc_id": doc_id, "corpus_version": "0.1.0", "text": TEXT,
            "text_sha256": sha256_text(TEXT), "annotations": [ann]}


def event(eid, etype, mode, trigger, realis, arguments, quantities):
    return {"id": eid, "type": etype, "mode": mode, "trigger": trigger, "arguments": arguments, "realis": realis,
            "granularity": "single", "part_of": None, "time": None, "place": None, "quantities": quantities}


def claim(cid, content, cue, claimant, events, quantities, links=()):
    return {"id": cid, "content": [content], "cue": cue, "claimant": claimant, "reported_via": [],
            "about": {"events": events, "quantities": quantities}, "stance": "affirm", "certainty": "certain",
            "links": list(links)}


GOLD = {
    "id": "gold", "provenance": provenance("maintainers", "manual"), "cancelled": False, "ground_truth": True,
    "mentions": [
        {"id": "m1", "span": span("Moscow"), "actor": "RUS_GOV", "type": None},
        {"id": "m2", "span": span("jets"), "actor": None, "type": "military"},
        {"id": "m3", "span": span("SOHR"), "actor": "SOHR", "type": None},
        {"id": "m4", "span": span("civilians"), "actor": None, "type": "civilians"},
    ],
    "events": [
        event("e1", "ATTACK", "aerial", span("hit"), "actual", [{"role": "attacker", "mention": "m2"}],
              [{"id": "q1", "measurand": "targets_struck", "value": 55, "low": None, "high": None,
                "qualifier": "exact", "span": span("55"), "note": None}]),
        event("e2", "DIE", "unspecified", span("died"), "actual", [{"role": "victim", "mention": "m4"}],
              [{"id": "q2", "measurand": "killed_civilians", "value": 12, "low": None, "high": None,
                "qualifier": "exact", "span": span("12"), "note": None}]),
    ],
    "claims": [
        claim("c1", span("its jets hit 55 targets"), span("said"), {"kind": "actor", "mention": "m1"}, ["e1"], ["q1"]),
        claim("c2", span("12 civilians died"), span("said", 1), {"kind": "actor", "mention": "m3"}, ["e2"], ["q2"],
              [{"type": "contests", "claim": "c1"}]),
    ],
}

SYSTEM = {
    "id": "system", "provenance": provenance("baseline-test", "prediction"), "cancelled": False,
    "ground_truth": False,
    "mentions": [
        {"id": "m1", "span": span("Moscow"), "actor": "RUS_GOV", "type": None},  # exact
        {"id": "m2", "span": span("its jets"), "actor": None, "type": "military"},  # overlaps "jets"
        {"id": "m3", "span": span("SOHR"), "actor": "SOHR", "type": None},  # exact
        {"id": "m4", "span": span("targets"), "actor": None, "type": "armed_group"},  # spurious; "civilians" missed
    ],
    "events": [
        event("e1", "ATTACK", "aerial", span("hit"), "actual", [], []),
        event("e2", "DIE", "unspecified", span("died"), "hypothetical", [], []),  # realis wrong
    ],
    "claims": [
        claim("c1", span("its jets hit 55 targets"), span("said"), {"kind": "actor", "mention": "m1"}, ["e1"], []),
        claim("c2", span("civilians died"), None, {"kind": "outlet"}, ["e2"], []),  # overlap; no cue; claimant wrong
    ],
}


def test_hand_made_documents_are_valid():
    for doc in (document("tiny1", GOLD), document("tiny1", SYSTEM)):
        assert document_problems(doc, ONT, None) == []


def test_scores_of_a_hand_made_pair():
    result = evaluate([document("tiny1", GOLD)], [document("tiny1", SYSTEM)], ontology=ONT)
    mentions = result.span("mention")
    assert (mentions.total.exact.tp, mentions.total.exact.fp, mentions.total.exact.fn) == (2, 2, 2)
    assert mentions.total.exact.f1 == 0.5
    assert (mentions.total.overlap.tp, mentions.total.overlap.fp, mentions.total.overlap.fn) == (3, 1, 1)
    assert mentions.total.overlap.precision == 0.75 and mentions.total.regions == 4
    events = result.span("event")
    assert events.total.exact.f1 == 1.0
    assert result.attribute("event", "type").accuracy == 1.0
    assert (result.attribute("event", "realis").correct, result.attribute("event", "realis").pairs) == (1, 2)
    claims = result.span("claim")
    assert (claims.total.exact.tp, claims.total.exact.fp, claims.total.exact.fn) == (1, 1, 1)
    assert claims.total.overlap.f1 == 1.0
    cues = result.span("cue").total.exact
    assert (cues.tp, cues.fp, cues.fn, cues.precision, cues.recall) == (1, 0, 1, 1.0, 0.5)
    assert cues.f1 == pytest.approx(2 / 3)
    assert result.attribute("claim", "claimant").accuracy == 0.5
    assert result.attribute("claim", "claimant_kind").accuracy == 0.5
    links = result.relation("links").total.exact
    assert (links.tp, links.fp, links.fn, links.f1) == (0, 0, 1, 0.0)
    quantities = result.span("quantity").total.exact
    assert (quantities.tp, quantities.fp, quantities.fn, quantities.recall) == (0, 0, 2, 0.0)
    arguments = result.relation("arguments").total.exact
    assert (arguments.tp, arguments.fn) == (0, 2)


def test_gold_is_the_reference_precision_is_the_systems_share():
    """Swapping gold and system swaps precision and recall (F1 stays)."""
    forward = evaluate([document("tiny1", GOLD)], [document("tiny1", SYSTEM)], ontology=ONT).span("cue").total.exact
    system_as_gold = copy.deepcopy(SYSTEM)
    system_as_gold["ground_truth"] = True
    backward = evaluate([document("tiny1", system_as_gold)], [document("tiny1", GOLD)], ontology=ONT)
    back = backward.span("cue").total.exact
    assert (forward.precision, forward.recall) == (back.recall, back.precision)


def test_a_perfect_system_scores_one_everywhere():
    result = evaluate([document("tiny1", GOLD)], [document("tiny1", GOLD)], ontology=ONT)
    assert all(a.total.exact.f1 == 1.0 for a in result.spans)
    assert all(a.accuracy == 1.0 for a in result.attributes if a.pairs)
    assert all(a.total.exact.f1 in (1.0, None) for a in result.relations)


def test_a_missing_prediction_counts_as_empty_and_extra_ones_are_left_out():
    result = evaluate([document("tiny1", GOLD), document("tiny2", GOLD)],
                      [document("tiny1", GOLD), document("other", SYSTEM)], ontology=ONT)
    assert result.missing == ("tiny2",) and result.unscored == ("other",) and result.documents == 2
    mentions = result.span("mention").total.exact
    assert (mentions.tp, mentions.fp, mentions.fn) == (4, 0, 4)


def test_doc_ids_restrict_the_scored_documents():
    result = evaluate([document("tiny1", GOLD), document("tiny2", GOLD)], [document("tiny1", GOLD)],
                      ontology=ONT, doc_ids=lambda d: d == "tiny1")
    assert result.documents == 1 and result.missing == ()


def test_several_predicted_annotations_or_another_text_are_refused():
    doubled = document("tiny1", SYSTEM)
    doubled["annotations"].append({**SYSTEM, "id": "second"})
    with pytest.raises(EvaluationError, match="has 2 non-cancelled annotations"):
        evaluate([document("tiny1", GOLD)], [doubled], ontology=ONT)
    other = {**document("tiny1", SYSTEM), "text_sha256": "0" * 64}
    with pytest.raises(EvaluationError, match="made for another text"):
        evaluate([document("tiny1", GOLD)], [other], ontology=ONT)


def test_cli_prints_tables_and_json(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    (tmp_path / "gold" / "tiny1.json").write_text(json.dumps(document("tiny1", GOLD)), encoding="utf-8")
    (tmp_path / "pred" / "tiny1.json").write_text(json.dumps(document("tiny1", SYSTEM)), encoding="utf-8")
    args = ["evaluate", str(tmp_path / "gold"), str(tmp_path / "pred"), "--project", str(REPO)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 gold document(s) scored\n")
    assert "claim     claimant             0.500        1      2" in result.output
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert data["documents"] == {"scored": 1, "missing": [], "unscored": []}
    assert next(a for a in data["attributes"] if a["attribute"] == "realis")["accuracy"] == 0.5


def test_cli_refuses_invalid_predictions_with_their_place(tmp_path):
    broken = document("tiny1", SYSTEM)
    broken["annotations"][0]["mentions"][0]["span"]["start"] += 1
    (tmp_path / "gold.json").write_text(json.dumps(document("tiny1", GOLD)), encoding="utf-8")
    (tmp_path / "pred.json").write_text(json.dumps(broken), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "gold.json"), str(tmp_path / "pred.json"),
                                       "--project", str(REPO)])
    assert result.exit_code == 1
    assert "validation error(s) in the predicted documents" in result.output
    assert "pred.json" in result.output and "/annotations/0/mentions/0/span" in result.output


def test_cli_split_with_no_gold_document(tmp_path):
    (tmp_path / "gold.json").write_text(json.dumps(document("tiny1", GOLD)), encoding="utf-8")
    from counterclaim.hf.splits import split_of

    other = next(s for s in ("train", "validation", "test") if s != split_of("tiny1"))
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "gold.json"), str(tmp_path / "gold.json"),
                                       "--split", other, "--project", str(REPO)])
    assert result.exit_code == 0 and result.output == f"no gold document to score in the {other} split\n"
