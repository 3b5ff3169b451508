"""The walk-through's plan: from the predictions to the gold claim, only what is missing or wrong (no browser)."""

from __future__ import annotations

import copy
import json
import sys

import pytest

from counterclaim.labelstudio.convert import ConvertOptions, convert_task
from counterclaim.labelstudio.predictions import prediction_for
from counterclaim.labelstudio.results import annotation_to_results
from counterclaim.model.ontology import load_ontology
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from walkthrough_plan import SCOPES, Key, claim_view, plan, scoped_annotation  # noqa: E402

DOC = json.loads((REPO / "corpus" / "annotations" / "17a8eb7dc5290d52.json").read_text(encoding="utf-8"))
TEXT, GOLD = DOC["text"], DOC["annotations"][0]
CLAIM = "c3"  # "it had hit an astonishing 1,623 jihadi targets ... since raids began a month ago"


@pytest.fixture(scope="module")
def ont():
    return load_ontology(REPO / "schema")


def key(kind: str, quote: str, after: str = "Moscow today") -> Key:
    start = TEXT.index(quote, TEXT.index(after))
    return Key(kind, start, start + len(quote))


def steps_for(start: list[dict], scope: str, ont) -> list:
    target = annotation_to_results(TEXT, scoped_annotation(GOLD, CLAIM, SCOPES[scope]), ont)
    return plan(start, target, annotation_to_results(TEXT, GOLD, ont), ont, SCOPES[scope])


def test_the_gold_as_prediction_leaves_only_the_submit(ont):
    for scope in SCOPES.values():
        target = annotation_to_results(TEXT, scoped_annotation(GOLD, CLAIM, scope), ont)
        assert [s.action for s in steps_for(target, scope.name, ont)] == ["submit"]


def test_alias_predictions_leave_the_claim_event_number_and_links_to_do(ont):
    steps = steps_for(prediction_for(TEXT, ont)["result"], "reference", ont)
    created = {s.key for s in steps if s.action == "create_region"}
    assert created == {key("ACTOR", "it"), key("EVENT", "hit"), key("QUANTITY", "1,623"), key("CUE", "revealed", "Moscow"),
                       key("CLAIM", "it had hit an astonishing 1,623 jihadi targets, including military camps, "
                                    "command points and communication hubs since raids began a month ago")}
    links = sorted(s.label for s in steps if s.action == "relate")
    assert links == ["about", "about", "attacker", "claimant", "cue", "quantity"]
    moscow = key("ACTOR", "Moscow", "JUST one month")  # predicted with the right actor: accepted as it is
    assert not [s for s in steps if s.key == moscow]
    values = {(s.key.kind, s.control, s.value) for s in steps if s.action == "set_value"}
    assert ("EVENT", "mode_ATTACK", "aerial") in values and ("QUANTITY", "value", 1623.0) in values
    assert ("EVENT", "realis", "actual") not in values  # the default needs no click


def test_wrong_links_and_regions_around_the_claim_are_removed(ont):
    gold_results = annotation_to_results(TEXT, GOLD, ont)
    wrong = copy.deepcopy(GOLD)
    claim = next(c for c in wrong["claims"] if c["id"] == CLAIM)
    claim["about"]["events"].append("e1")  # a gold event elsewhere: only the link is wrong
    extra = {"id": "e99", "type": "ATTACK", "mode": "aerial", "trigger": {"start": 228, "end": 233, "text": "raids"},
             "arguments": [], "realis": "actual", "granularity": "single", "part_of": None, "time": None,
             "place": None, "quantities": []}
    wrong["events"].append(extra)
    claim["about"]["events"].append("e99")  # an event gold does not have: the region goes
    assert TEXT[228:233] == "raids"
    steps = steps_for(annotation_to_results(TEXT, wrong, ont), "reference", ont)
    assert [(s.action, s.label) for s in steps if s.action.startswith("delete")] == [
        ("delete_relation", "about"), ("delete_region", None)]
    assert steps[1].key == Key("EVENT", 228, 233)
    assert len(gold_results) > len(steps)


def test_claim_view_survives_label_studio_and_sees_a_wrong_mode(ont):
    results = annotation_to_results(TEXT, GOLD, ont)
    task = {"id": 1, "data": {"text": TEXT, "doc_id": DOC["doc_id"]}, "annotations": [{"id": 2, "result": results}]}
    back, _ = convert_task(task, ont, ConvertOptions(schema_version=ont.version, corpus_version="0.0.1"))
    pulled = back["annotations"][0]
    for scope in SCOPES.values():
        assert claim_view(pulled, CLAIM, scope) == claim_view(GOLD, CLAIM, scope)
    changed = copy.deepcopy(GOLD)
    next(e for e in changed["events"] if e["id"] == "e3")["mode"] = "missile"
    assert claim_view(changed, CLAIM, SCOPES["reference"]) != claim_view(GOLD, CLAIM, SCOPES["reference"])
    assert claim_view(changed, CLAIM, SCOPES["small"]) == claim_view(GOLD, CLAIM, SCOPES["small"])
    target = next(a for a in next(e for e in changed["events"] if e["id"] == "e3")["arguments"] if a["role"] == "target")
    target["span"] = {"start": 121, "end": 156, "text": TEXT[121:156]}
    assert claim_view(changed, CLAIM, SCOPES["full"]) != claim_view(GOLD, CLAIM, SCOPES["full"])


class _Clock:
    """A page whose waits advance a clock instead of sleeping."""

    def __init__(self, monkeypatch):
        import walkthrough

        self.now = 0.0
        monkeypatch.setattr(walkthrough.time, "monotonic", lambda: self.now)

    def wait_for_timeout(self, ms: float) -> None:
        self.now += ms / 1000


def _screen(page):
    import walkthrough

    screen = walkthrough.Screen.__new__(walkthrough.Screen)
    screen.page, screen.repeated = page, []
    return screen


def test_an_input_without_effect_is_made_again_and_named(monkeypatch):
    page = _Clock(monkeypatch)
    screen, acts = _screen(page), []
    screen._until_taken(lambda: acts.append(page.now), lambda: len(acts) == 2, "submitting")
    assert len(acts) == 2 and screen.repeated == ["submitting"]


def test_an_input_that_never_takes_effect_fails_after_the_wait(monkeypatch):
    import walkthrough

    page = _Clock(monkeypatch)
    screen = _screen(page)
    with pytest.raises(walkthrough.WalkthroughError, match="submitting had no effect"):
        screen._until_taken(lambda: None, lambda: False, "submitting")
    assert 1 <= len(screen.repeated) <= walkthrough.WAIT_MS / 1000 / walkthrough.REPEAT_AFTER_S
