"""`agreement`: span F1, Krippendorff's alpha with raw agreement, and links matched by their endpoints, on small
hand-computed cases; and the committed agreement record is current."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from counterclaim.io import jsonio
from counterclaim.quality.agreement import (
    AgreementError,
    Region,
    compute_agreement,
    krippendorff_alpha_nominal,
    match_regions,
)
from counterclaim.quality.links import Link, match_links
from counterclaim.cli.agreement import agreement, load_documents, report_markdown
from counterclaim.model.ontology import load_ontology
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")

#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890123456789
TEXT = "Moscow said Russian jets hit 55 targets. SOHR said 12 civilians died."


# -- a tiny builder of annotated documents -------------------------------------------------------------------


def sp(phrase: str, nth: int = 0, *, text: str = TEXT, extra: int = 0) -> dict:
    """The span of the ``nth`` occurrence of ``phrase``, its end moved by ``extra`` characters."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase) + extra
    return {"start": start, "end": end, "text": text[start:end]}


def mention(mid, phrase, actor=None, type=None, **kw):
    return {"id": mid, "span": sp(phrase, **kw), "actor": actor, "type": type}


def event(eid, type, phrase, *, mode="unspecified", realis="actual", arguments=(), quantities=(), text=TEXT):
    return {"id": eid, "type": type, "mode": mode, "trigger": sp(phrase, text=text), "arguments": list(arguments),
            "realis": realis, "granularity": "single", "quantities": list(quantities)}


def quantity(qid, phrase, measurand, value):
    return {"id": qid, "measurand": measurand, "qualifier": "exact", "value": value, "span": sp(phrase)}


def claim(cid, content, cue, claimant, *, events=(), quantities=(), links=(), text=TEXT):
    return {"id": cid, "content": [sp(content, text=text)], "cue": cue, "claimant": claimant, "reported_via": [],
            "about": {"events": list(events), "quantities": list(quantities)}, "stance": "affirm",
            "certainty": "certain", "links": [{"type": t, "claim": c} for t, c in links]}


def annotation(annotator, *, id=None, mentions=(), events=(), claims=(), cancelled=False, updated_at=None):
    return {"id": id or annotator, "cancelled": cancelled, "ground_truth": False, "mentions": list(mentions),
            "events": list(events), "claims": list(claims),
            "provenance": {"annotator": annotator, "origin": "manual", "tool": {"name": "test"},
                           "schema_version": "0.1.0", "corpus_version": "0.0.1", "updated_at": updated_at}}


def document(*annotations, doc_id="d1", text=TEXT) -> dict:
    doc = {"schema_version": ONT.version, "doc_id": doc_id, "corpus_version": "0.0.1", "text": text,
           "text_sha256": jsonio.sha256_text(text), "annotations": list(annotations)}
    assert document_problems(doc, ONT) == []  # every fixture is a valid annotated document
    return doc


def full(annotator, **kw) -> dict:
    """Everything in TEXT: 4 mentions, 2 events with arguments and quantities, 2 claims with a link."""
    return annotation(
        annotator,
        mentions=[mention("m1", "Moscow", "RUS_GOV"), mention("m2", "Russian jets", "RUS_MIL"),
                  mention("m3", "SOHR", "SOHR"), mention("m4", "12 civilians", type="civilians")],
        events=[
            event("e1", "ATTACK", "hit", mode="aerial",
                  arguments=[{"role": "attacker", "mention": "m2"}, {"role": "target", "span": sp("55 targets")}],
                  quantities=[quantity("q1", "55", "targets_struck", 55)]),
            event("e2", "DIE", "died", arguments=[{"role": "victim", "mention": "m4"}, {"role": "cause", "event": "e1"}],
                  quantities=[quantity("q2", "12", "killed", 12)]),
        ],
        claims=[
            claim("c1", "Russian jets hit 55 targets", sp("said"), {"kind": "actor", "mention": "m1"},
                  events=["e1"], quantities=["q1"]),
            claim("c2", "12 civilians died", sp("said", 1), {"kind": "actor", "mention": "m3"},
                  events=["e2"], quantities=["q2"], links=[("contests", "c1")]),
        ],
        **kw,
    )


def agree(*docs, **options):
    return compute_agreement(docs, ontology=ONT, **options)


def layer(result, name):
    return next(a for a in [*result.spans, *result.links] if a.name == name)


def label(result, name, lab):
    return next(r for r in layer(result, name).labels if r.label == lab)


def alphas(result):
    return {f"{a.layer}.{a.attribute}": a.alpha.alpha for a in result.attributes}


def prf(counts):
    return counts.precision, counts.recall, counts.f1


# -- spans ----------------------------------------------------------------------------------------------------


def test_identical_annotations_agree_fully():
    result = agree(document(full("ann1"), full("ann2")))
    assert (result.compared, result.pairs, result.annotators) == (1, 1, ("ann1", "ann2"))
    for block in [*result.spans, *result.links]:
        for row in (block.total, block.unlabelled, *block.labels):  # F1 undefined for kinds nobody annotated
            assert row.exact.f1 == row.overlap.f1 == (1.0 if row.regions else None), (block.name, row.label)
    assert layer(result, "co_claimants").total.regions == 0
    assert layer(result, "mention").total.regions == 8  # 4 mentions x 2 annotations
    assert label(result, "mention", "government").exact.tp == 1  # RUS_GOV's registry type
    assert label(result, "mention", "civilians").exact.tp == 1  # no actor: the mention's own type
    # alpha is 1.0 where the attribute varies across regions, and undefined (None, shown "n/a") where every
    # region has the same value: no variation means no expected disagreement.
    assert alphas(result) == {
        "mention.actor": 1.0, "mention.type": 1.0,  # RUS_GOV, RUS_MIL, SOHR, null
        "event.type": 1.0, "event.mode": 1.0,  # ATTACK/DIE, aerial/unspecified
        "event.realis": None, "event.granularity": None,  # all actual, all single
        "quantity.measurand": 1.0, "quantity.qualifier": None,  # targets_struck/killed; all exact
        "claim.stance": None, "claim.certainty": None, "claim.claimant_kind": None,
    }
    realis = next(a for a in result.attributes if a.attribute == "realis")
    assert (realis.alpha.observed_agreement, realis.alpha.units, realis.alpha.values) == (1.0, 2, 4)


def test_a_missing_mention():
    a = annotation("ann1", mentions=[mention("m1", "Moscow", "RUS_GOV"), mention("m2", "Russian jets", "RUS_MIL"),
                                     mention("m3", "SOHR", "SOHR")])
    b = annotation("ann2", mentions=[mention("m1", "Moscow", "RUS_GOV"), mention("m2", "Russian jets", "RUS_MIL")])
    total = layer(agree(document(a, b)), "mention").total
    # ann1 is the reference (its id sorts first): tp 2, fp 0, fn 1 -> P 2/2, R 2/3, F1 2*2/(2*2+0+1) = 0.8
    assert (total.exact.tp, total.exact.fp, total.exact.fn) == (2, 0, 1)
    assert prf(total.exact) == (1.0, pytest.approx(2 / 3), pytest.approx(0.8))
    assert total.overlap == total.exact
    assert label(agree(document(a, b)), "mention", "ngo").exact.f1 == 0.0  # SOHR: fn 1
    # with the names swapped the reference changes: P and R swap, F1 stays
    b["provenance"]["annotator"] = "aaa"
    swapped = layer(agree(document(a, b)), "mention").total.exact
    assert prf(swapped) == (pytest.approx(2 / 3), 1.0, pytest.approx(0.8))


def test_off_by_one_spans_fail_exact_but_match_by_overlap():
    a = annotation("ann1", mentions=[mention("m1", "Moscow", "RUS_GOV")],
                   claims=[claim("c1", "Russian jets hit 55 targets", None, {"kind": "actor", "mention": "m1"})])
    b = copy.deepcopy(a)
    b["id"] = b["provenance"]["annotator"] = "ann2"
    b["mentions"][0]["span"] = sp("Moscow", extra=1)  # "Moscow " [0, 7) against [0, 6)
    b["claims"][0]["content"] = [sp("Russian jets hit 55 targets", extra=1)]  # takes the full stop
    result = agree(document(a, b))
    for name in ("mention", "claim"):
        total = layer(result, name).total
        # exact: tp 0, fp 1, fn 1 -> P = R = F1 = 0; overlap: tp 1 -> 1.0
        assert (total.exact.tp, total.exact.fp, total.exact.fn) == (0, 1, 1)
        assert prf(total.exact) == (0.0, 0.0, 0.0)
        assert prf(total.overlap) == (1.0, 1.0, 1.0)
    # the claimant's mention differs by one character as well
    claimant = layer(result, "claimant").total
    assert (claimant.exact.f1, claimant.overlap.f1) == (0.0, 1.0)


def test_overlap_matching_is_one_to_one_by_largest_overlap():
    a = [Region("X", ((0, 10),)), Region("X", ((12, 20),))]
    b = [Region("X", ((5, 15),))]  # overlaps a[0] by 5 and a[1] by 3
    assert match_regions(a, b, exact=False) == [(0, 0)]
    assert match_regions(a, [Region("Y", ((5, 15),))], exact=False) == []  # labels differ
    assert match_regions(a, [Region("Y", ((5, 15),))], exact=False, labelled=False) == [(0, 0)]
    # equal overlap: the tighter (smaller union) candidate wins
    assert match_regions([Region("X", ((0, 4),)), Region("X", ((0, 10),))], [Region("X", ((0, 4),))],
                         exact=False) == [(0, 0)]


def test_event_type_disagreement_lowers_alpha():
    def ann(annotator, second):
        return annotation(annotator, mentions=[mention("m4", "12 civilians", type="civilians")],
                          events=[event("e1", "ATTACK", "hit"),
                                  event("e2", second, "died", arguments=[{"role": "victim", "mention": "m4"},
                                                                         {"role": "cause", "event": "e1"}])])
    result = agree(document(ann("ann1", "DIE"), ann("ann2", "INJURE")))
    events = layer(result, "event")
    # labelled: ATTACK tp 1, DIE fn 1, INJURE fp 1 -> P = R = F1 = 1/2; the triggers themselves all match
    assert (events.total.exact.tp, events.total.exact.fp, events.total.exact.fn) == (1, 1, 1)
    assert prf(events.total.exact) == (0.5, 0.5, 0.5)
    assert events.unlabelled.exact.f1 == 1.0
    assert [(r.label, r.exact.f1) for r in events.labels] == [("ATTACK", 1.0), ("DIE", 0.0), ("INJURE", 0.0)]
    # units (ATTACK, ATTACK) and (DIE, INJURE): o[A,A] = 2, o[D,I] = o[I,D] = 1; n_A = 2, n_D = n_I = 1, n = 4;
    # alpha = 1 - (n - 1) * 2 / (n^2 - (4 + 1 + 1)) = 1 - 3 * 2 / 10 = 0.4; observed agreement 2/4
    event_type = next(a for a in result.attributes if (a.layer, a.attribute) == ("event", "type"))
    assert event_type.alpha.alpha == pytest.approx(0.4)
    assert event_type.alpha.observed_agreement == 0.5
    assert event_type.alpha.units == 2
    # the arguments join the same triggers to the same fillers: they agree (the type is the event's attribute)
    assert layer(result, "arguments").total.exact.f1 == 1.0
    assert layer(result, "arguments").pairs == 1  # one annotator pair


# -- Krippendorff's alpha ------------------------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example: 4 observers x 12 units,
# None = missing. Unit 12 has a single value and is not pairable. alpha = 1 - 39 * 8 / 1216 = 0.743.
TEXTBOOK = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def test_krippendorff_textbook_example():
    units = [[row[u] for row in TEXTBOOK.values() if row[u] is not None] for u in range(12)]
    result = krippendorff_alpha_nominal(units)
    assert result.alpha == pytest.approx(1 - 39 * 8 / 1216)
    assert round(result.alpha, 3) == 0.743
    assert (result.units, result.values) == (11, 40)


def test_krippendorff_textbook_example_through_documents():
    """The same data as event types of 12 triggers, annotated by 4 annotators: aligns units of 2 to 4 values."""
    text = " ".join(f"hit{u:02d}" for u in range(12))
    types = {1: "ATTACK", 2: "CLASH", 3: "DEPLOY", 4: "MEET", 5: "AGREE"}
    anns = [annotation(name, events=[event(f"e{u}", types[v], f"hit{u:02d}", text=text)
                                     for u, v in enumerate(values) if v is not None])
            for name, values in TEXTBOOK.items()]
    result = agree(document(*anns, text=text))
    event_type = next(a for a in result.attributes if (a.layer, a.attribute) == ("event", "type"))
    assert round(event_type.alpha.alpha, 3) == 0.743
    assert (event_type.alpha.units, event_type.alpha.values) == (11, 40)
    assert result.pairs == 6  # 4 annotators: 6 pairs


def test_alpha_is_undefined_without_values_or_variation():
    assert krippendorff_alpha_nominal([]).alpha is None
    assert krippendorff_alpha_nominal([["x"], ["y"]]).units == 0  # no unit has two values
    same = krippendorff_alpha_nominal([["x", "x"], ["x", "x", "x"]])
    assert (same.alpha, same.observed_agreement, same.units) == (None, 1.0, 2)


def paradox_pair():
    """34 unsourced claims marked by both annotators; all `certain` but one, which ann2 calls `probable`."""
    text = " ".join(f"Claim {u:02d}." for u in range(34))

    def ann(name, odd):
        claims = [claim(f"c{u}", f"Claim {u:02d}", None, {"kind": "outlet"}, text=text) for u in range(34)]
        claims[0]["certainty"] = odd
        return annotation(name, claims=claims)
    return document(ann("ann1", "certain"), ann("ann2", "probable"), text=text)


def test_the_kappa_paradox_shows_as_high_raw_agreement_beside_alpha_zero():
    certainty = agree(paradox_pair()).attribute("claim", "certainty").alpha
    # 68 values: 67 `certain`, 1 `probable`; o[certain, probable] = o[probable, certain] = 1.
    # alpha = 1 - (n - 1) * 2 / (n^2 - (67^2 + 1^2)) = 1 - 67 * 2 / 134 = 0; raw agreement = 1 - 2/68 = 66/68;
    # chance agreement = 1 - 134 / (68 * 67) = 66/68 as well
    assert certainty.alpha == pytest.approx(0.0, abs=1e-12)
    assert certainty.observed_agreement == pytest.approx(66 / 68)
    assert certainty.expected_agreement == pytest.approx(66 / 68)
    assert (certainty.units, certainty.values) == (34, 68)


def test_the_kappa_paradox_in_the_table_and_the_json(tmp_path):
    write(tmp_path / "d1.json", paradox_pair())
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert ["claim", "certainty", "0.000*", "0.971", "0.971", "34"] in [line.split() for line in result.output.splitlines()]
    assert ("* low alpha with high raw agreement: nearly every value is one category, so chance agreement is high "
            "too (the kappa paradox); read the raw agreement") in result.output
    row = next(a for a in json.loads(run(tmp_path, "--json").output)["attributes"] if a["attribute"] == "certainty")
    assert row["alpha"] == pytest.approx(0.0, abs=1e-12) and row["raw_agreement"] == pytest.approx(66 / 68)
    assert row["expected_agreement"] == pytest.approx(66 / 68)


# -- arguments and claim links -------------------------------------------------------------------------------


def test_arguments_and_claim_links():
    a = full("ann1")
    b = full("ann2")
    b["events"][0]["arguments"][0] = {"role": "attacker", "span": sp("jets")}  # a span inside "Russian jets"
    b["claims"][0]["claimant"] = {"kind": "outlet"}  # c1 unsourced instead of Moscow's
    b["claims"][1]["links"] = []  # c2 no longer contests c1
    result = agree(document(a, b))
    args = layer(result, "arguments").total
    # e1: {attacker [12,24), target [29,39)} vs {attacker [20,24), target [29,39)}; e2 the same on both sides:
    # exact tp 1 + 2, fp 1, fn 1 -> F1 6/8; by overlap the attackers match too -> 1.0
    assert (args.exact.tp, args.exact.fp, args.exact.fn) == (3, 1, 1)
    assert args.exact.f1 == pytest.approx(0.75)
    assert args.overlap.f1 == 1.0
    claimant = layer(result, "claimant").total
    # c1: Moscow's span vs outlet -> fp 1, fn 1; c2: SOHR on both -> tp 1; F1 = 2/4
    assert (claimant.exact.tp, claimant.exact.fp, claimant.exact.fn) == (1, 1, 1)
    assert claimant.overlap.f1 == 0.5
    links = layer(result, "supports_contests").total
    # ann1's link (contests c1) has no counterpart: tp 0, fn 1 -> P undefined, R 0, F1 0
    assert prf(links.exact) == (None, 0.0, 0.0)
    assert layer(result, "about_events").total.exact.f1 == 1.0
    assert layer(result, "about_quantities").total.exact.f1 == 1.0
    kind = next(x for x in result.attributes if x.attribute == "claimant_kind")
    # units (actor, outlet), (actor, actor): n_actor 3, n_outlet 1, n 4; alpha = 1 - 3 * 2 / (16 - 10) = 0
    assert kind.alpha.alpha == pytest.approx(0.0)


def test_links_survive_a_boundary_difference_on_a_contested_claim():
    a = full("ann1")
    b = full("ann2")
    b["claims"][0]["content"] = [sp("Russian jets hit 55 targets", extra=1)]  # c1 takes the full stop
    result = agree(document(a, b))
    contests = layer(result, "supports_contests").total
    # c2 contests c1 in both: the targets (c1's content) differ by one character. Exact: tp 0, fp 1, fn 1;
    # by the overlap of both endpoints the link matches: tp 1, F1 1.0
    assert (contests.exact.tp, contests.exact.fp, contests.exact.fn) == (0, 1, 1)
    assert (contests.overlap.tp, contests.overlap.fp, contests.overlap.fn) == (1, 0, 0)
    # c1's own links (claimant, cue, about) have the changed claim as their source: exact fails, overlap holds
    for name in ("claimant", "cue", "about_events", "about_quantities"):
        total = result.link(name).total  # the links, not the span layer "cue"
        assert (total.exact.tp, total.exact.fp, total.exact.fn) == (1, 1, 1), name  # c2's still match exactly
        assert total.overlap.f1 == 1.0, name


def test_a_link_from_an_unmatched_claim_counts_as_missed():
    a = full("ann1")
    b = full("ann2")
    del b["claims"][1]  # ann2 has no c2: its claimant, cue, about and contests links are all missing
    result = agree(document(a, b))
    contests = layer(result, "supports_contests").total
    assert (contests.overlap.tp, contests.overlap.fp, contests.overlap.fn) == (0, 0, 1)
    claimant = layer(result, "claimant").total
    assert (claimant.overlap.tp, claimant.overlap.fp, claimant.overlap.fn) == (1, 0, 1)


def test_links_match_one_to_one_on_both_endpoints():
    def link(label, source, target, key=None):
        return Link(label, (source,), (target,) if target else (), key)

    a = [link("supports", (0, 10), (20, 30)), link("supports", (0, 10), (40, 50))]
    b = [link("supports", (5, 12), (25, 45))]  # overlaps both targets of a: by 5 each; the smaller union wins
    assert match_links(a, b, exact=False) == [(0, 0)]
    assert match_links(a, [link("supports", (12, 15), (20, 30))], exact=False) == []  # sources apart
    assert match_links(a, [link("supports", (0, 10), (31, 39))], exact=False) == []  # targets apart
    assert match_links(a, [link("contests", (0, 10), (20, 30))], exact=False) == []  # labels differ
    assert match_links(a, [link("contests", (0, 10), (20, 30))], exact=False, labelled=False) == [(0, 0)]
    assert match_links(a, [link("supports", (0, 10), (20, 29))], exact=True) == []
    outlet = [link("outlet", (0, 10), None, "outlet")]
    assert match_links(outlet, [link("outlet", (3, 4), None, "outlet")], exact=False) == [(0, 0)]
    assert match_links(outlet, [link("outlet", (3, 4), None, "unnamed")], exact=False) == []
    assert match_links(outlet, [link("outlet", (0, 10), (0, 6))], exact=False) == []  # a mention is no key


# -- which annotations count ---------------------------------------------------------------------------------


def test_cancelled_annotations_are_left_out():
    different = annotation("ann3", mentions=[mention("m1", "SOHR", "SOHR")], cancelled=True)
    result = agree(document(full("ann1"), full("ann2"), different))
    assert (result.cancelled, result.annotators, result.pairs) == (1, ("ann1", "ann2"), 1)
    assert layer(result, "mention").total.exact.f1 == 1.0
    alone = agree(document(full("ann1"), full("ann2", cancelled=True)))
    assert (alone.cancelled, alone.compared, alone.pairs) == (1, 0, 0)


def test_the_adjudicated_gold_is_left_out_unless_asked_for():
    adjudicated = annotation("adjudicator", mentions=[mention("m1", "SOHR", "SOHR")])
    adjudicated["ground_truth"] = True
    doc = document(full("ann1"), full("ann2"), adjudicated)
    result = agree(doc)
    assert (result.ground_truth, result.annotators, result.pairs) == (1, ("ann1", "ann2"), 1)
    assert layer(result, "mention").total.exact.f1 == 1.0
    everyone = agree(doc, include_ground_truth=True)
    assert (everyone.ground_truth, everyone.annotators, everyone.pairs) == (0, ("adjudicator", "ann1", "ann2"), 3)
    alone = agree(document(full("ann1"), {**full("ann2"), "ground_truth": True}))
    assert (alone.ground_truth, alone.compared) == (1, 0)  # one pass flagged as gold: nothing left to compare


def test_the_latest_annotation_of_an_annotator_counts():
    older = annotation("ann1", id="old", mentions=[mention("m1", "SOHR", "SOHR")], updated_at="2024-01-01T00:00:00Z")
    newer = full("ann1", id="new", updated_at="2024-01-02T00:00:00Z")
    result = agree(document(newer, older, full("ann2")))  # the newer one comes first in the list
    assert [s.to_dict() for s in result.superseded] == [
        {"doc_id": "d1", "annotator": "ann1", "kept": "new", "dropped": ["old"]}]
    assert layer(result, "mention").total.exact.f1 == 1.0
    undated = agree(document(full("ann1", id="first"), annotation("ann1", id="last"), full("ann2")))
    assert undated.superseded[0].kept == "last"  # no dates: the last in the list
    assert layer(undated, "mention").total.exact.f1 == 0.0


def test_documents_are_merged_by_id_and_must_share_their_text():
    result = agree(document(full("ann1")), document(full("ann2")))
    assert (result.documents, result.compared) == (1, 1)
    other = document(full("ann2"), text=TEXT + " More.")
    with pytest.raises(AgreementError, match="document `d1` is given twice with different texts"):
        agree(document(full("ann1")), other)


def test_a_single_annotator_corpus_compares_nothing():
    result = agree(document(full("ann1")), document(full("ann1"), doc_id="d2"))
    assert (result.documents, result.compared, result.pairs) == (2, 0, 0)
    assert all(a.total.exact == a.total.overlap == a.unlabelled.exact for a in result.spans)
    assert layer(result, "mention").total.exact.tp == 0
    assert all(a.alpha.alpha is None and a.alpha.units == 0 for a in result.attributes)


# -- CLI ------------------------------------------------------------------------------------------------------


def write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(agreement, [*map(str, args)])


def test_cli_table_and_json(tmp_path):
    a = full("ann1")
    b = full("ann2")
    del b["mentions"][2]  # SOHR (m3) is missing; c2's claimant becomes an actor-only claimant
    b["claims"][1]["claimant"] = {"kind": "actor", "actor": "SOHR"}
    write(tmp_path / "d1.json", document(a, b))
    write(tmp_path / "d2.json", document(full("ann1"), doc_id="d2"))  # one annotator: not compared
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1 document(s) compared of 2 read; 2 annotator(s) (ann1, ann2), 1 annotator pair(s)"
    rows = [line.split() for line in lines]
    # mentions: tp 3, fp 0, fn 1 -> P 1, R 0.75, F1 6/7; n = 4 + 3 mentions
    assert ["mention", "ACTOR", "7", "1.000", "0.750", "0.857", "0.857"] in rows
    assert ["mention", "ngo", "1", "n/a", "0.000", "0.000", "0.000"] in rows
    assert ["event", "EVENT", "4", "1.000", "1.000", "1.000", "1.000"] in rows
    assert ["event", "realis", "n/a", "1.000", "1.000", "2"] in rows  # alpha, raw agreement, chance, units
    # c1's claimants agree (Moscow's mention); c2's differ: SOHR's mention vs the actor SOHR without a mention
    # -> tp 1, fp 1, fn 1 over 4 claimants: P = R = F1 = 0.5
    assert ["claimant", "CLAIMANT", "4", "0.500", "0.500", "0.500", "0.500"] in rows
    assert "mention   ACTOR   " in result.output  # fixed-width columns

    as_json = run(tmp_path, "--json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["documents"] == {"read": 2, "compared": 1}
    mention_total = data["spans"][0]["total"]
    assert (data["spans"][0]["name"], mention_total["label"]) == ("mention", "ACTOR")
    assert mention_total["exact"] == {"tp": 3, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.75,
                                      "f1": pytest.approx(6 / 7)}
    assert [a["attribute"] for a in data["attributes"][:3]] == ["actor", "type", "type"]


def test_cli_single_annotator_corpus(tmp_path):
    write(tmp_path / "d1.json", document(full("ann1"), full("ann2", cancelled=True)))
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output == ("no document has annotations by two or more annotators (1 document(s) read, "
                             "1 cancelled annotation(s) left out); nothing to compare\n")
    data = json.loads(run(tmp_path, "--json").output)
    assert data["pairs"] == 0 and data["documents"] == {"read": 1, "compared": 0}
    assert data["spans"][0]["total"]["exact"] == {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None,
                                                  "f1": None}


def test_cli_rejects_invalid_documents_with_their_pointers(tmp_path):
    good = write(tmp_path / "good.json", document(full("ann1"), full("ann2")))
    bad_doc = document(full("ann1"), full("ann2"))
    bad_doc["annotations"][1]["mentions"][0]["span"]["text"] = "Moskva"
    bad = write(tmp_path / "bad.json", bad_doc)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    result = run(good, bad, tmp_path / "broken.json")
    assert result.exit_code == 1
    assert "Error: 2 validation error(s)" in result.output
    assert f"{bad}: /annotations/1/mentions/0/span/text: span text 'Moskva' differs" in result.output
    assert f"{tmp_path / 'broken.json'}:1:2: invalid JSON" in result.output


def test_cli_reads_the_project_annotations_by_default(tmp_path):
    missing = run("--project", tmp_path)
    assert missing.exit_code == 1
    assert "corpus/annotations not found; pull annotations with `counterclaim studio pull` or pass PATHS" in missing.output
    (tmp_path / "corpus" / "annotations").mkdir(parents=True)
    write(tmp_path / "corpus" / "annotations" / "d1.json", document(full("ann1"), full("ann2")))
    result = run("--project", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["pairs"] == 1


def test_cli_leaves_the_ground_truth_out_and_says_so(tmp_path):
    adjudicated = {**full("adjudicator"), "ground_truth": True}
    write(tmp_path / "d1.json", document(full("ann1"), full("ann2"), adjudicated))
    lines = run(tmp_path).output.splitlines()
    assert lines[:2] == [
        "1 document(s) compared of 1 read; 2 annotator(s) (ann1, ann2), 1 annotator pair(s)",
        "1 annotation(s) flagged ground truth left out (gold, not an independent pass; --with-ground-truth compares "
        "them too)"]
    assert run(tmp_path, "--with-ground-truth").output.splitlines()[0] == (
        "1 document(s) compared of 1 read; 3 annotator(s) (adjudicator, ann1, ann2), 3 annotator pair(s)")


def test_cli_save_writes_the_record_the_card_reads(tmp_path):
    annotations = tmp_path / "corpus" / "annotations"
    annotations.mkdir(parents=True)
    write(annotations / "d1.json", document(full("ann1"), full("ann2")))
    result = run("--project", tmp_path, "--save")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"wrote {tmp_path}/corpus/adjudication/agreement.json and "
                                  f"{tmp_path}/corpus/adjudication/AGREEMENT.md\n")
    saved = jsonio.read_json(tmp_path / "corpus" / "adjudication" / "agreement.json")
    assert saved == json.loads(run("--project", tmp_path, "--json").output)
    report = (tmp_path / "corpus" / "adjudication" / "AGREEMENT.md").read_text(encoding="utf-8")
    table = run("--project", tmp_path).output
    assert f"```text\n{table}```\n" in report
    refused = run(annotations, "--project", tmp_path, "--save")
    assert refused.exit_code == 1
    assert refused.output == ("Error: --save records the agreement of the project's corpus/annotations/; run it "
                              "without PATHS\n")


def test_the_committed_agreement_record_is_current():
    """corpus/adjudication/agreement.json (the card's table) and AGREEMENT.md are what the corpus gives now."""
    docs, problems = load_documents([REPO / "corpus" / "annotations"], ONT)
    assert problems == []
    result = compute_agreement(docs, ontology=ONT)
    record = REPO / "corpus" / "adjudication"
    assert (record / "agreement.json").read_bytes() == jsonio.dump_bytes(result.to_dict(), indent=2), \
        "run `counterclaim agreement --save`"
    assert (record / "AGREEMENT.md").read_text(encoding="utf-8") == report_markdown(result)
    assert result.compared >= 12 and result.annotators == ("annotator-b", "maintainer-a")
