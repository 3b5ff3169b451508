"""Label Studio results <-> annotated documents, as pure functions (no server)."""

from __future__ import annotations

import pytest

from counterclaim.model.ontology import load_ontology
from counterclaim.labelstudio.config import PER_REGION, build_label_config, relation_labels
from counterclaim.labelstudio.convert import ConvertOptions, convert_task
from counterclaim.labelstudio.predictions import find_actor_mentions, prediction_for
from counterclaim.labelstudio.results import NotRepresentable, annotation_to_results
from counterclaim.validation import document_problems
from helpers import REPO, load_example

TEXT = "😀 Moscow said Russian jets hit 55 targets in Syria."


@pytest.fixture(scope="module")
def ont():
    return load_ontology(REPO / "schema")


@pytest.fixture(scope="module")
def options(ont):
    return ConvertOptions(schema_version=ont.version, corpus_version="0.0.1")


def span_of(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


def region(rid, label, quote, text=TEXT, **extra):
    start, end = span_of(text, quote)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": quote, "labels": [label], **extra}}


def attr(rid, name, rtype, key, value, quote, text=TEXT):
    start, end = span_of(text, quote)
    return {"id": rid, "from_name": name, "to_name": "text", "type": rtype,
            "value": {"start": start, "end": end, key: value}}


def rel(src, dst, label, direction="right"):
    return {"type": "relation", "from_id": src, "to_id": dst, "direction": direction, "labels": [label]}


def task_with(results, text=TEXT, **ann):
    return {"id": 1, "project": 9, "data": {"text": text, "doc_id": "doc1"},
            "annotations": [{"id": 2, "completed_by": 5, "result": results, **ann}]}


def minimal_results():
    return [
        region("m1", "ACTOR", "Moscow"),
        attr("m1", "actor", "taxonomy", "taxonomy", [["government", "RUS_GOV"]], "Moscow"),
        region("m2", "ACTOR", "Russian jets"),
        attr("m2", "actor", "taxonomy", "taxonomy", [["military", "RUS_MIL"]], "Russian jets"),
        region("e1", "EVENT", "hit"),
        attr("e1", "event_type", "choices", "choices", ["ATTACK"], "hit"),
        attr("e1", "mode", "choices", "choices", ["aerial"], "hit"),
        region("q1", "QUANTITY", "55"),
        attr("q1", "measurand", "choices", "choices", ["targets_struck"], "55"),
        attr("q1", "value", "number", "number", 55, "55"),
        region("c1", "CLAIM", "Russian jets hit 55 targets in Syria"),
        region("k1", "CUE", "said"),
        rel("e1", "m2", "attacker"),
        rel("e1", "q1", "quantity"),
        rel("c1", "m1", "claimant"),
        rel("c1", "k1", "cue"),
        rel("c1", "e1", "about"),
        rel("c1", "q1", "about"),
    ]


def convert(results, ont, options, **kw):
    doc, report = convert_task(task_with(results, **kw), ont, options)
    return doc, [str(r) for r in report]


def test_minimal_annotation_converts_without_report(ont, options):
    doc, report = convert(minimal_results(), ont, options)
    assert report == []
    ann = doc["annotations"][0]
    assert ann["id"] == "ls-9-2" and ann["provenance"]["annotator"] == "ls-user-5"
    assert [m["actor"] for m in ann["mentions"]] == ["RUS_GOV", "RUS_MIL"]
    event = ann["events"][0]
    assert event["arguments"] == [{"role": "attacker", "mention": "m2"}]
    assert event["quantities"][0]["value"] == 55 and event["quantities"][0]["qualifier"] == "exact"
    claim = ann["claims"][0]
    assert claim["claimant"] == {"kind": "actor", "mention": "m1"}
    assert claim["about"] == {"events": ["e1"], "quantities": ["q1"]}
    assert claim["cue"]["text"] == "said"
    assert document_problems(doc, ont) == []


def test_offsets_are_code_points_after_an_astral_character(ont, options):
    doc, _ = convert(minimal_results(), ont, options)
    span = doc["annotations"][0]["mentions"][0]["span"]
    assert (span["start"], span["end"]) == (2, 8)  # the emoji is one code point
    assert TEXT[span["start"]:span["end"]] == "Moscow"


def test_value_text_is_never_trusted(ont, options):
    results = minimal_results()
    results[0]["value"]["text"] = "Mos  cow\\n"
    doc, report = convert(results, ont, options)
    assert doc["annotations"][0]["mentions"][0]["span"]["text"] == "Moscow"
    assert report == []


def test_reversed_relation_is_oriented_by_region_kinds(ont, options):
    results = minimal_results()
    results[-6] = rel("m2", "e1", "attacker", direction="left")
    doc, report = convert(results, ont, options)
    assert doc["annotations"][0]["events"][0]["arguments"] == [{"role": "attacker", "mention": "m2"}]


@pytest.mark.parametrize("change,expected", [
    (lambda r: r.append(region("x1", "PERSON", "Syria")),
     "task 1, annotation 2, region x1: dropped: label `PERSON` (control `label`) is not a counterclaim region kind"),
    (lambda r: r[0]["value"].update(labels=["ACTOR", "EVENT"]),
     "region m1: dropped: a region needs exactly one label"),
    (lambda r: r.append(attr("zz", "stance", "choices", "choices", ["affirm"], "Syria")),
     "region zz: dropped: `stance` belongs to no converted region"),
    (lambda r: r.append(attr("e1", "stance", "choices", "choices", ["affirm"], "hit")),
     "region e1: dropped: `stance` applies to CLAIM regions; this region is EVENT"),
    (lambda r: r.append(attr("e1", "sentiment", "choices", "choices", ["Positive"], "hit")),
     "region e1: dropped: per-region choices `sentiment` is not a counterclaim control"),
    (lambda r: r.__setitem__(6, attr("e1", "mode", "choices", "choices", ["naval_blockade"], "hit")),
     "region e1: dropped: `mode` value 'naval_blockade' is not in the ontology"),
    (lambda r: r.append({"type": "relation", "from_id": "e1", "to_id": "m1", "labels": []}),
     "region e1->m1: dropped: relation without a label"),
    (lambda r: r.append(rel("e1", "gone", "target")),
     "region e1->gone: dropped: relation ['target'] points to region gone, which was not converted"),
    (lambda r: r.append(rel("e1", "k1", "claimant")),
     "dropped: relation `claimant` links EVENT to CUE; it must link CLAIM to ACTOR"),
    (lambda r: r.append(rel("e1", "m1", "host")),
     "region e1->m1: dropped: role `host` is not allowed for ATTACK"),
    (lambda r: r.append(region("t1", "TIME", "targets")),
     "region t1: dropped: TIME region [34, 41) is not linked to anything that uses it"),
    (lambda r: r.append(region("a9", "ACTOR", "Syria")),
     "region a9: dropped: ACTOR region has neither a canonical actor nor an actor type"),
    (lambda r: r.append(region("e9", "EVENT", "targets")),
     "region e9: dropped: EVENT region without an event type"),
    (lambda r: r.append(region("c9", "CLAIM", "Syria")),
     "region c9: dropped: CLAIM without a claimant: link an ACTOR with `claimant`, tick `unsourced`, or choose `unnamed source`"),
    (lambda r: r.__setitem__(9, attr("q1", "value", "number", "number", "55", "55")),
     "region q1: dropped: `value` is not a number: '55'"),
    (lambda r: r[0]["value"].update(start=0, end=99),
     "region m1: dropped: offsets [0, 99) fall outside the text"),
    (lambda r: r.append({"id": "h1", "from_name": "label", "type": "labels",
                         "value": {"startOffset": 0, "labels": ["ACTOR"]}}),
     "region h1: dropped: the region has no integer start/end offsets"),
    (lambda r: r.append({"id": "p1", "from_name": "x", "type": "polygonlabels", "value": {}}),
     "region p1: dropped: result type `polygonlabels` is not used by counterclaim"),
])
def test_every_unconverted_result_is_reported_with_its_reason(change, expected, ont, options):
    results = minimal_results()
    change(results)
    doc, report = convert(results, ont, options)
    assert any(expected in line for line in report), report
    assert document_problems(doc, ont) == []


def test_whitespace_at_span_edges_is_trimmed_and_reported(ont, options):
    results = minimal_results()
    results[0]["value"].update(start=1, end=9)  # " Moscow "
    doc, report = convert(results, ont, options)
    assert doc["annotations"][0]["mentions"][0]["span"] == {"start": 2, "end": 8, "text": "Moscow"}
    assert "task 1, annotation 2, region m1: adjusted: whitespace trimmed from the span edges: [1, 9) -> [2, 8) [LS208]" in report


def test_predictions_and_drafts_are_reported_not_converted(ont, options):
    task = task_with(minimal_results())
    task["predictions"] = [{"id": 4, "model_version": "v1", "result": [region("p", "ACTOR", "Syria")]}]
    task["drafts"] = [{"id": 6, "result": []}]
    doc, report = convert_task(task, ont, options)
    lines = [str(r) for r in report]
    assert "task 1: skipped: prediction 4 (model_version 'v1') with 1 result(s): not a submitted annotation [LS106]" in lines
    assert "task 1: skipped: draft 6 with 0 result(s): not a submitted annotation [LS106]" in lines


def test_cancelled_and_ground_truth_flags_are_kept(ont, options):
    doc, _ = convert(minimal_results(), ont, options, was_cancelled=True, ground_truth=True, lead_time=7.5)
    ann = doc["annotations"][0]
    assert ann["cancelled"] is True and ann["ground_truth"] is True and ann["provenance"]["lead_time"] == 7.5


def test_legacy_completions_export_is_refused(ont, options):
    doc, report = convert_task({"id": 348, "completions": [], "data": {"text": "x"}}, ont, options)
    assert doc is None
    assert "pre-1.0 Label Studio export (`completions`)" in str(report[0])


def test_missing_text_field_names_the_fields(ont, options):
    doc, report = convert_task({"id": 3, "data": {"reviewText": "x"}, "annotations": []}, ont, options)
    assert doc is None
    assert str(report[0]) == "task 3: skipped: task data has no `text` text (fields: reviewText); pass --text-field [LS103]"


def test_label_map_converts_foreign_labels(ont):
    options = ConvertOptions(schema_version=ont.version, corpus_version="0.0.1",
                             label_map={"Person": ("ACTOR", "person")})
    results = [dict(region("r1", "Person", "Moscow"), from_name="ner")]
    doc, report = convert_task(task_with(results), ont, options)
    assert doc["annotations"][0]["mentions"] == [
        {"id": "r1", "span": {"start": 2, "end": 8, "text": "Moscow"}, "actor": None, "type": "person"}]
    assert report == []


def test_example_round_trips_through_label_studio_results(ont, options):
    example = load_example()
    ann = example["annotations"][0]
    results = annotation_to_results(example["text"], ann, ont)
    task = {"id": 1, "project": 2, "data": {"text": example["text"], "doc_id": example["doc_id"]},
            "annotations": [{"id": 3, "result": results, "ground_truth": True}]}
    doc, report = convert_task(task, ont, options)
    assert report == []
    back = doc["annotations"][0]
    for key in ("mentions", "events", "claims", "ground_truth", "cancelled"):
        assert back[key] == ann[key], key


def test_claimant_without_mention_cannot_be_pushed(ont):
    example = load_example()
    ann = example["annotations"][0]
    ann["claims"][0]["claimant"] = {"kind": "actor", "actor": "RUS_GOV"}
    with pytest.raises(NotRepresentable, match="claim c1 names its claimant only as actor RUS_GOV"):
        annotation_to_results(example["text"], ann, ont)


def test_config_has_a_relation_per_role_and_escapes_values(ont):
    xml = build_label_config(ont)
    for label in relation_labels(ont):
        assert f'<Relation value="{label}" />' in xml
    assert "<HyperText" not in xml and '<Text name="text" value="$text" />' in xml
    assert 'whenLabelValue="CLAIM"' in xml and 'perRegion="true"' in xml
    assert 'required="true"' not in xml  # Label Studio would demand the field on every region


def test_alias_preannotation_matches_whole_words_longest_first(ont):
    text = "Iranian officials met Iran; the Russian Defense Ministry and Russia agreed."
    matches = find_actor_mentions(text, ont)
    found = [(text[m.start:m.end], m.actor) for m in matches]
    assert ("Iran", "IRN") in found
    assert ("Russian Defense Ministry", "RUS_MOD") in found
    assert ("Russia", "RUS") in found
    assert all(m.start != 0 for m in matches)  # "Iran" is not matched inside "Iranian"
    prediction = prediction_for(text, ont)
    assert prediction["model_version"].startswith("counterclaim-aliases-")
    assert prediction["result"][1]["type"] == "taxonomy"


def test_several_claimant_links_are_kept_as_co_claimants(ont, options):
    """Ontology 0.2.0: "Moscow and Damascus said" is one claim with a claimant and a co-claimant."""
    text = "😀 Moscow and Damascus said Russian jets hit 55 targets in Syria."
    results = [r for r in minimal_results() if r.get("id") not in ("m1", "m2", "e1", "q1", "c1", "k1")
               and r.get("type") != "relation"]
    results += [region("m1", "ACTOR", "Moscow", text), attr("m1", "actor", "taxonomy", "taxonomy",
                                                            [["government", "RUS_GOV"]], "Moscow", text),
                region("m3", "ACTOR", "Damascus", text), attr("m3", "actor", "taxonomy", "taxonomy",
                                                              [["government", "SYR_GOV"]], "Damascus", text),
                region("c1", "CLAIM", "Russian jets hit 55 targets in Syria", text), region("k1", "CUE", "said", text),
                rel("c1", "m1", "claimant"), rel("c1", "m3", "claimant"), rel("c1", "k1", "cue")]
    doc, report = convert(results, ont, options, text=text)
    claim = doc["annotations"][0]["claims"][0]
    assert claim["claimant"] == {"kind": "actor", "mention": "m1"}
    assert claim["co_claimants"] == [{"mention": "m3"}]
    assert report == [] and document_problems(doc, ont) == []
    back = annotation_to_results(text, doc["annotations"][0], ont)
    again, _ = convert(back, ont, options, text=text)
    assert again["annotations"][0]["claims"] == doc["annotations"][0]["claims"]


@pytest.mark.parametrize("linked", [True, False])
def test_an_unnamed_source_is_its_own_claimant_kind(ont, options, linked):
    text = "😀 Sources said Russian jets hit 55 targets in Syria."
    results = [region("c1", "CLAIM", "Russian jets hit 55 targets in Syria", text),
               attr("c1", "claimant_kind", "choices", "choices", ["unnamed source"],
                    "Russian jets hit 55 targets in Syria", text)]
    if linked:
        results += [region("m1", "ACTOR", "Sources", text),
                    attr("m1", "actor_type", "choices", "choices", ["person"], "Sources", text),
                    rel("c1", "m1", "claimant")]
    doc, report = convert(results, ont, options, text=text)
    claim = doc["annotations"][0]["claims"][0]
    assert claim["claimant"] == ({"kind": "unnamed", "mention": "m1"} if linked else {"kind": "unnamed"})
    assert report == [] and document_problems(doc, ont) == []
    back = annotation_to_results(text, doc["annotations"][0], ont)
    again, _ = convert(back, ont, options, text=text)
    assert again["annotations"][0]["claims"] == doc["annotations"][0]["claims"]


def test_config_lays_out_text_and_fields_side_by_side(ont):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(build_label_config(ont))
    row = root.find("View")
    text_column, fields_column = row.findall("View")
    assert "display: flex" in row.get("style")
    assert text_column.find("Text") is not None and text_column.find("View/Labels") is not None
    assert "position: sticky" in fields_column.get("style") and "position: sticky" in text_column.find("View").get("style")
    panels = {v.get("whenLabelValue"): v for v in fields_column.findall("View")}
    assert list(panels) == ["ACTOR", "EVENT", "QUANTITY", "TIME", "PLACE", "CLAIM"]
    # every field has a header naming it, right before it
    headers = {h.get("value") for h in root.iter("Header")}
    for control in PER_REGION:
        if not control.per_event_type:
            assert control.title in headers, control.name
    quantity = [el.get("name") for el in panels["QUANTITY"] if el.tag == "Number"]
    assert quantity == ["value", "low", "high"]


def test_each_event_type_offers_only_its_modes_once_chosen(ont):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(build_label_config(ont))
    shown = {v.get("whenChoiceValue"): v for v in root.iter("View") if v.get("visibleWhen") == "choice-selected"}
    assert list(shown) == [t.id for t in ont.event_types]
    for etype in ont.event_types:
        view = shown[etype.id]
        assert view.get("whenTagName") == "event_type"
        (choices,) = view.findall("Choices")
        assert choices.get("name") == f"mode_{etype.id}" and choices.get("perRegion") == "true"
        assert [c.get("value") for c in choices] == list(etype.modes)
        assert view.find("Header").get("value") == f"Mode of {etype.id}"
    assert not [c for c in root.iter("Choices") if c.get("name") == "mode"]


def test_mode_is_read_from_the_control_of_the_event_type(ont, options):
    results = minimal_results()
    results[6] = attr("e1", "mode_ATTACK", "choices", "choices", ["aerial"], "hit")
    doc, report = convert(results, ont, options)
    assert doc["annotations"][0]["events"][0]["mode"] == "aerial" and report == []


def test_a_mode_chosen_under_an_earlier_type_is_reported(ont, options):
    results = minimal_results()
    results[5] = attr("e1", "event_type", "choices", "choices", ["CLASH"], "hit")
    results[6] = attr("e1", "mode_ATTACK", "choices", "choices", ["aerial"], "hit")
    results.insert(7, attr("e1", "mode_CLASH", "choices", "choices", ["ground"], "hit"))
    results.remove(rel("e1", "m2", "attacker"))
    doc, report = convert(results, ont, options)
    assert doc["annotations"][0]["events"][0]["mode"] == "ground"
    assert report == ["task 1, annotation 2, region e1: dropped: mode `aerial` was chosen while the event type was "
                      "ATTACK; the event is now CLASH, so choose its mode again [LS519]"]


def test_a_mode_value_of_another_type_is_refused(ont, options):
    results = minimal_results()
    results[6] = attr("e1", "mode_ATTACK", "choices", "choices", ["ground"], "hit")
    doc, report = convert(results, ont, options)
    assert doc["annotations"][0]["events"][0]["mode"] is None
    assert any("`mode_ATTACK` value 'ground' is not in the ontology" in line for line in report), report


def test_results_write_the_mode_of_the_event_type_and_scores_for_predictions(ont):
    example = load_example()
    ann = example["annotations"][0]
    results = annotation_to_results(example["text"], ann, ont)
    modes = {r["from_name"] for r in results if r.get("from_name", "").startswith("mode")}
    assert modes == {f"mode_{ev['type']}" for ev in ann["events"] if ev["mode"]}
    assert all("score" not in r and r["origin"] == "manual" for r in results if r["type"] != "relation")
    claim = next(c for c in ann["claims"] if c["cue"])
    scored = annotation_to_results(example["text"], ann, ont, scores={claim["id"]: 0.8, ann["mentions"][0]["id"]: 0.3},
                                   origin="prediction")
    score = {r["id"]: r.get("score") for r in scored if r["type"] == "labels"}
    assert score[claim["id"]] == 0.8 and score[f"{claim['id']}_cue"] == 0.8  # the cue takes its claim's
    assert score[ann["mentions"][0]["id"]] == 0.3 and score[ann["mentions"][1]["id"]] is None
    assert {r["origin"] for r in scored if r["type"] != "relation"} == {"prediction"}
