"""Predictions: a proposed annotation becomes a Label Studio prediction through the results the converter reads."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from counterclaim.labelstudio.convert import ConvertOptions, convert_task
from counterclaim.labelstudio.predictions import (ALIAS_CONFIDENCE, ScoredAnnotation, find_actor_mentions,
                                                 prediction, propose_aliases)
from counterclaim.model.ontology import load_ontology
from counterclaim.studio.predictors import DEFAULT_PREDICTOR, PREDICTORS
from helpers import REPO

GOLD = sorted((REPO / "corpus" / "annotations").glob("*.json"))


@pytest.fixture(scope="module")
def ont():
    return load_ontology(REPO / "schema")


def test_alias_confidence_is_the_measured_precision_of_each_actor_type(ont):
    """The scores annotators see say how often an alias match of that actor type is right in the gold."""
    matched, right = Counter(), Counter()
    for path in GOLD:
        doc = json.loads(path.read_text(encoding="utf-8"))
        gold = {(m["span"]["start"], m["span"]["end"]): m["actor"] for m in doc["annotations"][0]["mentions"]}
        for match in find_actor_mentions(doc["text"], ont):
            atype = ont.actor_by_id[match.actor].type
            matched[atype] += 1
            right[atype] += gold.get((match.start, match.end)) == match.actor
    measured = {t: round((right[t] + 1) / (matched[t] + 2), 2) for t in matched}
    assert measured == ALIAS_CONFIDENCE
    assert ALIAS_CONFIDENCE["country"] < 0.5 < ALIAS_CONFIDENCE["armed_group"]


def test_alias_prediction_scores_each_region_and_the_whole(ont):
    text = "Moscow said Islamic State and Syria lost."
    proposal = propose_aliases(text, ont)
    made = prediction(text, proposal, ont)
    scores = {r["value"]["text"]: r["score"] for r in made["result"] if r["type"] == "labels"}
    assert scores == {"Moscow": ALIAS_CONFIDENCE["government"], "Islamic State": ALIAS_CONFIDENCE["armed_group"],
                      "Syria": ALIAS_CONFIDENCE["country"]}
    assert made["score"] == round(sum(scores.values()) / 3, 4)
    assert made["model_version"] == PREDICTORS["aliases"].version(ont) == f"counterclaim-aliases-{ont.version}"
    assert {r["origin"] for r in made["result"]} == {"prediction"}


def test_an_empty_proposal_has_no_score(ont):
    made = prediction("Nothing here.", ScoredAnnotation({"mentions": [], "events": [], "claims": []}, {}, "v"), ont)
    assert made == {"model_version": "v", "result": []}


def test_a_full_proposal_reaches_label_studio_with_its_links(ont):
    """Every layer and link of a proposal is in the prediction: converting it back gives the proposal."""
    doc = json.loads(GOLD[1].read_text(encoding="utf-8"))
    ann = doc["annotations"][0]
    ids = [o["id"] for o in ann["mentions"] + ann["events"] + ann["claims"]]
    ids += [q["id"] for ev in ann["events"] for q in ev["quantities"]]
    made = prediction(doc["text"], ScoredAnnotation(ann, {i: 0.9 for i in ids}, "engine-1"), ont)
    relations = [r for r in made["result"] if r["type"] == "relation"]
    regions = {r["id"] for r in made["result"] if r["type"] == "labels"}
    assert len(relations) > 100 and all(r["from_id"] in regions and r["to_id"] in regions for r in relations)
    assert {r["score"] for r in made["result"] if r["type"] == "labels"} == {0.9}
    task = {"id": 1, "data": {"text": doc["text"], "doc_id": doc["doc_id"]},
            "annotations": [{"id": 2, "result": made["result"]}]}
    back, report = convert_task(task, ont, ConvertOptions(schema_version=ont.version, corpus_version="0.0.1"))
    assert report == []
    for key in ("mentions", "events", "claims"):
        assert back["annotations"][0][key] == ann[key], key


def test_the_default_predictor_is_the_rule_engine_with_every_layer_and_its_links(ont):
    text = "Moscow said Russian jets hit 55 targets near Palmyra on Friday."
    chosen = PREDICTORS[DEFAULT_PREDICTOR]
    made = prediction(text, chosen.propose(text, ont), ont)
    assert DEFAULT_PREDICTOR == "rules" and made["model_version"] == chosen.version(ont)
    labels = {r["value"]["labels"][0] for r in made["result"] if r["type"] == "labels"}
    assert {"ACTOR", "EVENT", "QUANTITY", "CLAIM", "CUE"} <= labels
    relations = {r["labels"][0] for r in made["result"] if r["type"] == "relation"}
    assert {"claimant", "cue", "about", "attacker", "quantity"} <= relations
    assert all(0 < r["score"] <= 1 for r in made["result"] if r["type"] == "labels")
