"""The pre-annotation engine: each rule family on inline sentences (with what it must not do), the lexicon
against the ontology, valid output on every seed, and the evaluation."""

from __future__ import annotations

import copy
import json
import random
import time

import pytest
import yaml

from counterclaim.io import jsonio
from counterclaim.model.ontology import load_ontology, parse_ontology
from counterclaim.preannotate import (
    ANNOTATOR,
    DEV_DOCS,
    ENGINE_VERSION,
    HELDOUT_DOCS,
    RULES,
    EvaluationError,
    LexiconError,
    UnknownSplitError,
    evaluate,
    format_evaluation,
    lexicon_problems,
    propose,
    split_ids,
)
from counterclaim.preannotate.engine import Evidence, Proposal
from counterclaim.preannotate.pipeline import build_pipeline
from counterclaim.labelstudio.predictions import find_actor_mentions
from counterclaim.corpus.store import corpus_index as load_corpus_index
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")
SEEDS = {doc["doc_id"]: doc for _, doc in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")
         if doc["doc_id"] in (*DEV_DOCS, *HELDOUT_DOCS)}


def annotate(text: str) -> dict:
    return propose(text, ONT, corpus_version="0.1.0").annotation


def mentions(ann: dict) -> dict[str, tuple[str | None, str | None]]:
    return {m["span"]["text"]: (m["actor"], m["type"]) for m in ann["mentions"]}


def by_id(ann: dict) -> dict[str, dict]:
    found = {m["id"]: m for m in ann["mentions"]}
    for ev in ann["events"]:
        found[ev["id"]] = ev
        found.update({q["id"]: q for q in ev["quantities"]})
    found.update({c["id"]: c for c in ann["claims"]})
    return found


def event(ann: dict, trigger: str) -> dict:
    return next(ev for ev in ann["events"] if ev["trigger"]["text"] == trigger)


def quantity(ann: dict, text: str) -> dict:
    return next(q for ev in ann["events"] for q in ev["quantities"] if q["span"]["text"] == text)


def arguments(ann: dict, ev: dict) -> set[tuple[str, str]]:
    """(role, text of the filler) of an event's arguments."""
    objects = by_id(ann)
    out = set()
    for arg in ev["arguments"]:
        if "mention" in arg:
            out.add((arg["role"], objects[arg["mention"]]["span"]["text"]))
        elif "event" in arg:
            out.add((arg["role"], objects[arg["event"]]["trigger"]["text"]))
        else:
            out.add((arg["role"], arg["span"]["text"]))
    return out


def claims(ann: dict) -> list[dict]:
    """Each claim with its content, cue and claimant as text."""
    objects = by_id(ann)
    out = []
    for c in ann["claims"]:
        claimant = c["claimant"]
        out.append({
            "content": [s["text"] for s in c["content"]],
            "cue": c["cue"]["text"] if c["cue"] else None,
            "claimant": objects[claimant["mention"]]["span"]["text"] if claimant.get("mention") else claimant["kind"],
            "stance": c["stance"], "certainty": c["certainty"],
            "reported_via": [objects[s["mention"]]["span"]["text"] for s in c["reported_via"]],
            "about": [objects[i].get("trigger", objects[i].get("span"))["text"] for i in c["about"]["events"] + c["about"]["quantities"]],
            "links": [(link["type"], c2["content"][0]["text"]) for link in c["links"]
                      for c2 in ann["claims"] if c2["id"] == link["claim"]],
        })
    return out


# -- actor mentions ---------------------------------------------------------------------------------------------


def test_registry_aliases_give_the_canonical_actor():
    found = mentions(annotate("Moscow said the Syrian Observatory for Human Rights was wrong. Kerry disagreed."))
    assert found["Moscow"] == ("RUS_GOV", None)
    assert found["Syrian Observatory for Human Rights"] == ("SOHR", None)
    assert found["Kerry"] == ("KERRY", None)


def test_short_aliases_match_their_case_only():
    found = mentions(annotate("It is what it is, said the US. The IS group struck in earnest."))
    assert "is" not in found and "IS group" in found
    assert "earnest" not in found


def test_titles_stay_in_the_name_and_job_descriptions_do_not():
    found = mentions(annotate(
        "Syrian Army Chief of Staff Gen Ali Abdullah Ayoub said the attack began. White House spokesman Josh "
        "Earnest insists it did not. Maj. Jamil al-Saleh said it did. Mr Kerry spoke of Syrian President Assad."
    ))
    assert found["Gen Ali Abdullah Ayoub"] == ("AYOUB", None)
    assert found["Josh Earnest"] == ("EARNEST", None)
    assert found["Maj. Jamil al-Saleh"] == (None, "person")
    assert found["Mr Kerry"] == ("KERRY", None)
    assert found["President Assad"] == ("ASSAD", None)  # R3: the title stays, the nationality goes
    for job in ("White House", "Syrian Army", "Assad", "Syrian President Assad", "Syrian Army Chief of Staff"):
        assert job not in found


def test_nationality_adjectives_follow_the_guidelines():
    found = mentions(annotate(
        "Russian jets carried out raids. The Russian air strikes had weakened IS. Iranian officials praised "
        "Russian actions. Russian military forces advanced."
    ))
    assert found["Russian jets"] == ("RUS_MIL", None)  # aircraft are the military
    assert found["Russian military forces"] == ("RUS_MIL", None)
    assert found["Iranian officials"] == (None, "government")  # no Iranian government in the registry
    russian = [m for m in annotate("The Russian air strikes had weakened IS.")["mentions"] if m["span"]["text"] == "Russian"]
    assert [m["actor"] for m in russian] == ["RUS_MIL"]  # the attacker of "air strikes" is the military
    actions = [m for m in annotate("Iranian officials praised Russian actions.")["mentions"] if m["span"]["text"] == "Russian"]
    assert [m["actor"] for m in actions] == ["RUS"]  # a country acting as a whole


def test_officials_described_by_their_country_are_unnamed_sources_of_its_government():
    ann = annotate("One senior Washington official said troops will go. The USA official said they would not go.")
    found = mentions(ann)
    assert found["senior Washington official"] == ("USA_GOV", None)  # R2: no "One"; R15: the government
    assert found["USA official"] == ("USA_GOV", None)
    assert "Washington" not in found and "USA" not in found
    assert [c["claimant"]["kind"] for c in ann["claims"]] == ["unnamed", "unnamed"]


def test_a_country_named_as_where_it_happens_is_a_place_not_an_actor():
    ann = annotate("Russian jets carried out air strikes on areas in western Syria on Saturday. Iran is one of Assad's allies.")
    found = mentions(ann)
    assert "Syria" not in found
    assert found["Iran"] == ("IRN", None)
    strikes = event(ann, "air strikes")
    assert strikes["place"]["span"]["text"] == "western Syria"


def test_a_bracketed_acronym_is_a_mention_of_the_name_before_it():
    ann = annotate("The Popular Mobilization Forces (PMF) attacked the town. Later the PMF said it had won.")
    spans = [(m["span"]["text"], m["actor"]) for m in ann["mentions"]]
    assert ("Popular Mobilization Forces", "PMF") in spans
    assert spans.count(("PMF", "PMF")) == 2  # R4: the one in brackets and the later bare use
    bracketed = ann["mentions"][0]["span"]["end"] + 2
    assert any(m["span"]["start"] == bracketed for m in ann["mentions"])


def test_pronouns_are_mentions_only_when_used():
    ann = annotate("Moscow today revealed it had hit 55 targets. It was a cold day.")
    pronouns = [m for m in ann["mentions"] if m["span"]["text"].lower() == "it"]
    assert [(p["span"]["text"], p["actor"]) for p in pronouns] == [("it", "RUS_GOV")]
    assert ("attacker", "it") in arguments(ann, event(ann, "hit"))


def test_a_state_that_speaks_is_its_government():
    ann = annotate("The US announced it was reassessing its strategy. The US is big.")
    found = [(m["span"]["text"], m["actor"]) for m in ann["mentions"]]
    assert found[0] == ("US", "USA_GOV")
    assert ("US", "USA") in found[1:]


# -- quantities -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, span, expected", [
    ("Moscow said its jets hit 1,623 targets.", "1,623",
     {"measurand": "targets_struck", "qualifier": "exact", "value": 1623, "low": None, "high": None}),
    ("At least 12 civilians were killed in the attack.", "At least 12",
     {"measurand": "killed_civilians", "qualifier": "at_least", "value": 12}),
    ("Jets carried out between 10 and 20 strikes.", "between 10 and 20",
     {"measurand": "strikes", "qualifier": "range", "low": 10, "high": 20, "value": None}),
    ("Only 5% of the air strikes hit IS.", "5%", {"measurand": "percent_on_target", "value": 5}),
    ("Dozens more were wounded in the attack.", "Dozens",
     {"measurand": "injured", "qualifier": "vague", "low": 24, "value": None}),
    ("Washington ended a $580 million program to train fighters.", "$580 million",
     {"measurand": "money_usd", "value": 580_000_000}),
    ("The campaign of air strikes will last for three to four months.", "three to four months",
     {"measurand": "duration_months", "qualifier": "range", "low": 3, "high": 4}),
    ("Government forces fired more than 11 missiles at a market.", "more than 11",
     {"measurand": "missiles", "qualifier": "more_than", "value": 11}),
    ("Around 50 commandos are to be deployed in the country.", "Around 50",
     {"measurand": "troops", "qualifier": "about", "value": 50}),
])
def test_quantities(text, span, expected):
    q = quantity(annotate(text), span)
    assert {key: q[key] for key in expected} == expected


def test_years_ordinals_and_the_pronoun_one_are_not_quantities():
    ann = annotate("In 2015 the first air strikes hit one of the towns in the past 24 hours.")
    assert [q["span"]["text"] for ev in ann["events"] for q in ev["quantities"]] == []


# -- events ---------------------------------------------------------------------------------------------------


def test_an_attack_with_its_arguments_time_and_place():
    ann = annotate("Russian jets carried out air strikes on areas in western Syria on Saturday.")
    strikes = event(ann, "air strikes")
    assert (strikes["type"], strikes["mode"], strikes["realis"], strikes["granularity"]) == \
        ("ATTACK", "aerial", "actual", "aggregate")
    assert arguments(ann, strikes) == {("attacker", "Russian jets"), ("target", "areas in western Syria")}  # R27
    assert strikes["time"]["span"]["text"] == "on Saturday" and strikes["time"]["precision"] == "day"


@pytest.mark.parametrize("text, trigger, realis", [
    ("Our planes do not strike populated areas.", "strike", "negated"),
    ("There will be no boots on the ground in Syria, said the US.", "boots on the ground", "negated"),
    ("The Iraqi government may ask Russia to intervene.", "ask", "hypothetical"),
    ("Around 50 are to be deployed in the country.", "deployed", "future"),
    ("The army started a big attack to retake towns.", "retake", "hypothetical"),  # R10: a purpose
    ("Russian jets hit 55 targets on Saturday.", "hit", "actual"),
])
def test_realis_cues(text, trigger, realis):
    assert event(annotate(text), trigger)["realis"] == realis


def test_common_verbs_are_triggers_only_in_a_sentence_about_force():
    assert [ev["trigger"]["text"] for ev in annotate("The news hit the markets hard.")["events"]] == []
    assert [(ev["trigger"]["text"], ev["mode"]) for ev in annotate("Missiles hit the town.")["events"]] == \
        [("hit", "missile")]


def test_a_death_is_linked_to_the_attack_that_caused_it():
    ann = annotate("Syrian rebels were targeted today with 57 killed in missile attacks on Douma.")
    killed = event(ann, "killed")
    assert ("cause", "targeted") in arguments(ann, killed)  # R25: "missile attacks" names the targeting
    assert [q["span"]["text"] for q in killed["quantities"]] == ["57"]
    assert event(ann, "targeted")["place"]["span"]["text"] == "Douma"


def test_one_event_where_the_guidelines_see_one():
    ann = annotate("Russian air strikes hit 55 Islamic State targets. ISIS has been hit by Russian airstrikes.")
    assert [ev["trigger"]["text"] for ev in ann["events"]] == ["hit", "hit"]  # the verbs, not the nouns too
    first, second = ann["events"]
    assert arguments(ann, first) == {("attacker", "Russian"), ("target", "Islamic State")}
    assert arguments(ann, second) == {("target", "ISIS"), ("attacker", "Russian")}
    ann = annotate("He said the campaign of Russian air strikes will last for three to four months.")
    [campaign] = ann["events"]
    assert (campaign["trigger"]["text"], campaign["realis"], campaign["mode"]) == ("campaign", "future", "aerial")
    assert arguments(ann, campaign) == {("attacker", "Russian")}  # R7, R8: the mention inside the phrase
    ann = annotate("The USA and its allies are carrying out airstrikes in Syria, targeting the Islamic State.")
    [strikes] = ann["events"]
    assert arguments(ann, strikes) == {("attacker", "USA"), ("attacker", "its allies"), ("target", "Islamic State")}


def test_noun_triggers_take_no_object():
    ann = annotate("The Russian bombing campaign appears to have weakened these groups.")
    assert arguments(ann, event(ann, "bombing campaign")) == {("attacker", "Russian")}


def test_single_and_aggregate():
    assert event(annotate("A large explosion rocked the base."), "explosion")["granularity"] == "single"
    assert event(annotate("The bombing campaign weakened IS."), "bombing campaign")["granularity"] == "aggregate"


# -- claims ---------------------------------------------------------------------------------------------------


def test_preposed_attribution_drops_the_complementiser():
    [c] = claims(annotate("Moscow today revealed that it had hit 1,623 targets."))
    assert c["content"] == ["it had hit 1,623 targets"]
    assert (c["cue"], c["claimant"], c["stance"], c["certainty"]) == ("revealed", "Moscow", "affirm", "certain")
    assert set(c["about"]) == {"hit", "1,623"}


def test_postposed_and_inverted_attribution():
    [c] = claims(annotate("Russia has deployed a battalion of marines near Latakia, Konashenkov said."))
    assert (c["content"], c["cue"], c["claimant"]) == (["Russia has deployed a battalion of marines near Latakia"],
                                                      "said", "Konashenkov")
    [c] = claims(annotate("The air strikes hit the district, said the Britain-based monitor."))
    assert (c["content"], c["claimant"]) == (["The air strikes hit the district"], "Britain-based monitor")


def test_a_parenthesis_between_subject_and_cue_is_skipped_and_the_outlets_clause_is_cut():
    [official, cnn] = claims(annotate(
        "The USA official, who spoke on condition of anonymity, said the missiles landed in Iran on Wednesday, "
        "confirming a story first reported by CNN."
    ))
    assert (official["content"], official["claimant"]) == (["the missiles landed in Iran on Wednesday"], "USA official")
    assert (cnn["claimant"], cnn["cue"], cnn["content"]) == ("CNN", "first reported", ["a story"])  # R18
    assert cnn["about"] == official["about"] == ["landed"]  # R31: the story is about what confirms it
    assert official["links"] == [("supports", "a story")]


def test_quotation_marks_inside_the_content_stay():
    [c] = claims(annotate("White House spokesman Josh Earnest insists the elite fighters will be there to “train, advise and assist”."))
    assert c["content"] == ["the elite fighters will be there to “train, advise and assist”"]
    [c] = claims(annotate("He said: “There’s no denying the serious risk.”"))
    assert c["content"] == ["There’s no denying the serious risk"]


def test_a_second_attribution_ends_the_first_content():
    found = claims(annotate(
        "But the US maintaining there will be no boots on the ground in Syria White House spokesman Josh Earnest "
        "insists the elite fighters will be there."
    ))
    assert [(c["content"], c["claimant"]) for c in found] == [
        (["there will be no boots on the ground in Syria"], "US"),
        (["the elite fighters will be there"], "Josh Earnest"),
    ]


def test_a_postposed_claim_continues_after_a_participle():
    [c] = claims(annotate("The Russian air strikes had weakened IS, Syrian Army Chief of Staff Gen Ali Abdullah Ayoub "
                          "said on Thursday, enabling the army to start a big attack."))
    assert c["content"] == ["The Russian air strikes had weakened IS", "enabling the army to start a big attack"]
    assert c["claimant"] == "Gen Ali Abdullah Ayoub"
    [c] = claims(annotate("The warehouse was completely destroyed, the ministry said, referring to a huge crater."))
    assert c["content"] == ["The warehouse was completely destroyed", "a huge crater"]


def test_unlisted_speakers_and_appositions():
    ann = annotate("Ahead of the talks, a Putin ally and senior lawmaker said the campaign will last for months.")
    [c] = claims(ann)
    assert c["claimant"] == "Putin ally and senior lawmaker"
    assert ann["claims"][0]["claimant"]["kind"] == "unnamed"  # R15
    assert "Putin" not in mentions(ann)  # R23: named only to describe the lawmaker
    [c] = claims(annotate("Meanwhile, Philip Hammond, the UK Foreign Secretary said Russian actions are a mistake."))
    assert c["claimant"] == "Philip Hammond"
    found = mentions(annotate("Meanwhile, Philip Hammond, the UK Foreign Secretary said so."))
    assert set(found) == {"Philip Hammond"}  # R23: neither the description nor the UK in it


def test_according_to():
    [c] = claims(annotate("According to CNN, four missiles crashed in Iran."))
    assert (c["content"], c["cue"], c["claimant"]) == (["four missiles crashed in Iran"], "According to", "CNN")


def test_nested_attribution_keeps_the_original_source():
    [c] = claims(annotate(
        "British intelligence services observed that only five per cent of Russian air strikes had attacked the "
        "IS group, Fallon told the tabloid."
    ))
    assert c["claimant"] == "British intelligence services" and c["cue"] == "observed"
    assert c["reported_via"] == ["Fallon", "tabloid"]  # R17: the medium too, nearest the claimant first
    assert c["content"] == ["only five per cent of Russian air strikes had attacked the IS group"]


def test_a_relative_clause_with_its_own_cue_is_a_claim_of_its_own():
    first, second = claims(annotate(
        "Russian officials said 26 cruise missiles were launched at 11 Islamic State targets, which officials said "
        "were destroyed."
    ))
    assert first["content"] == ["26 cruise missiles were launched at 11 Islamic State targets"]
    assert second["content"] == ["which", "were destroyed"] and second["claimant"] == "officials"


def test_coordinated_sources_make_one_joint_claim():
    ann = annotate(
        "The Syrian Observatory for Human Rights and the Local Coordination Committees said government forces "
        "fired more than 11 missiles at a market."
    )
    [c] = claims(ann)
    assert c["claimant"] == "Syrian Observatory for Human Rights" and c["links"] == []
    assert [by_id(ann)[s["mention"]]["span"]["text"] for s in ann["claims"][0]["co_claimants"]] == \
        ["Local Coordination Committees"]  # R16


def test_stance_and_certainty():
    [denial] = claims(annotate("The ministry denied that its jets hit a hospital."))
    assert denial["stance"] == "deny"
    [belief] = claims(annotate("US officials said they believed four Russian cruise missiles had crashed in Iran."))
    assert belief["certainty"] == "probable"
    assert belief["content"] == ["four Russian cruise missiles had crashed in Iran"]
    [hedged] = claims(annotate("Kerry said the campaign may fail."))
    assert hedged["certainty"] == "possible"


def test_unsourced_claims_of_the_outlet():
    found = claims(annotate(
        "Russia destroys 1,600 ISIS targets in JUST one month – and now US commandos join fight\n\n"
        "Around 50 are to be deployed in the country.\nThe weather in Vienna was mild.\n"
        "The announcement comes amidst claims hundreds of Iranian troops have arrived in Syria."
    ))
    outlet = [(c["content"], c["stance"], c["certainty"]) for c in found if c["claimant"] == "outlet"]
    assert outlet == [
        (["Russia destroys 1,600 ISIS targets in JUST one month"], "affirm", "certain"),
        (["now US commandos join fight"], "affirm", "certain"),
        (["Around 50 are to be deployed in the country"], "affirm", "certain"),
    ]
    unnamed = [(c["content"], c["stance"], c["certainty"]) for c in found if c["claimant"] == "unnamed"]
    assert unnamed == [(["hundreds of Iranian troops have arrived in Syria"], "affirm", "certain")]  # R15: "claims"


def test_plain_background_makes_no_claim():
    assert annotate("The weather in Vienna was mild. Talks are held every year.")["claims"] == []


def test_a_quotation_without_a_cue_is_the_outlets():
    """R20: nothing identifies the speaker; a first-person pronoun is no speaker to guess."""
    ann = annotate("Fallon spoke to the tabloid.\n\n“We’re not going to co-operate with a Russian campaign.”")
    [c] = claims(ann)
    assert c["claimant"] == "outlet" and c["cue"] is None
    assert mentions(ann).get("We") in (None, (None, "government"))
    [c] = claims(annotate("“That is a recipe for disaster.”"))
    assert c["claimant"] == "outlet"


def test_scraped_residue_gets_no_proposals():
    ann = annotate("Russia hits targets in Syria\n\nRussian jets struck Raqqa on Monday.\n\n"
                   "Sergei Lavrov, John Kerry and Staffan de Mistura in Vienna\n\n"
                   "With Naval Strikes into Syria, Russia Is Now Messaging with Missiles")
    assert {m["span"]["text"] for m in ann["mentions"]} == {"Russia", "Russian jets"}
    assert [ev["trigger"]["text"] for ev in ann["events"]] == ["hits", "struck"]


# -- the annotation as a whole ----------------------------------------------------------------------------------


def test_provenance_ids_and_evidence():
    proposal = propose(SEEDS[DEV_DOCS[1]]["text"], ONT, corpus_version="0.1.0")
    ann = proposal.annotation
    assert ann["provenance"]["origin"] == "prediction"
    assert ann["provenance"]["annotator"] == ANNOTATOR == "counterclaim-preannotate"
    assert ann["provenance"]["tool"] == {"name": "counterclaim-preannotate", "version": ENGINE_VERSION}
    ids = set(by_id(ann))
    assert ids == set(proposal.objects)  # every object has its evidence, and nothing else has
    for evidence in proposal.objects.values():
        assert evidence == Evidence(evidence.rule, RULES[evidence.rule].confidence)
    n_args = sum(len(ev["arguments"]) for ev in ann["events"])
    assert len([link for link in proposal.links if link.relation.startswith("argument:")]) == n_args
    assert {link.source for link in proposal.links if link.relation == "claimant"} == {c["id"] for c in ann["claims"]}
    assert all(0 < link.confidence <= 1 and link.rule in RULES for link in proposal.links)


def test_every_seed_proposal_validates():
    index = load_corpus_index(REPO / "corpus")
    for doc_id in (*DEV_DOCS, *HELDOUT_DOCS):
        seed = jsonio.read_json(REPO / "corpus" / "annotations" / f"{doc_id}.json")
        proposal = propose(seed["text"], ONT, corpus_version=seed["corpus_version"])
        wrapped = {key: seed[key] for key in ("doc_id", "text", "text_sha256", "schema_version", "corpus_version")}
        wrapped["annotations"] = [proposal.annotation]
        assert document_problems(wrapped, ONT, index) == [], doc_id
        assert proposal.document(doc_id, seed["text"]) == wrapped


def test_cut_and_stitched_texts_never_break_the_engine():
    """Scraped articles end mid-sentence and glue fragments together: every cut must still give valid output."""
    rng = random.Random(20151030)
    texts = [doc["text"] for doc in SEEDS.values()]
    for _ in range(150):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        cut = rng.choice(["", "“", "said ", "And "]) + text[start:rng.randrange(start + 1, len(text) + 1)] + \
            rng.choice(["", " said", ", said the", " (SOHR", " according to", " –", "\n\n"])
        if cut.strip():
            proposal = propose(cut, ONT, corpus_version="0.1.0")
            assert document_problems(proposal.document("cut", cut), ONT) == [], cut


def test_the_pipeline_is_built_once_and_proposals_are_deterministic():
    assert build_pipeline(ONT) is build_pipeline(ONT)
    text = SEEDS[DEV_DOCS[0]]["text"]
    assert propose(text, ONT, corpus_version="0.1.0") == propose(text, ONT, corpus_version="0.1.0")


def test_a_batch_of_articles_takes_well_under_a_second_each():
    texts = [doc["text"] for doc in SEEDS.values()] * 20
    propose(texts[0], ONT, corpus_version="0.1.0")
    start = time.process_time()  # CPU time: other processes on the machine do not count
    for text in texts:
        propose(text, ONT, corpus_version="0.1.0")
    assert (time.process_time() - start) / len(texts) < 0.05


# -- the lexicon ------------------------------------------------------------------------------------------------


def test_the_lexicon_names_only_what_the_ontology_defines():
    assert lexicon_problems(ONT) == []


def test_a_lexicon_that_does_not_fit_the_ontology_is_refused():
    data = yaml.safe_load((REPO / "schema" / "ontology.yaml").read_text(encoding="utf-8"))
    attack = next(t for t in data["event_types"] if t["id"] == "ATTACK")
    attack["modes"].remove("aerial")
    data["quantity"]["measurands"] = [m for m in data["quantity"]["measurands"] if m["id"] != "sorties"]
    broken = parse_ontology(data)
    problems = lexicon_problems(broken)
    assert any("`aerial` is not a mode of ATTACK" in p for p in problems)
    assert any("measurand `sorties`" in p for p in problems)
    with pytest.raises(LexiconError, match="edit counterclaim/preannotate/lexicon.py"):
        build_pipeline(broken)


# -- splits and evaluation --------------------------------------------------------------------------------------


def test_splits():
    assert split_ids("dev") == DEV_DOCS and split_ids("heldout") == HELDOUT_DOCS
    assert set(DEV_DOCS).isdisjoint(HELDOUT_DOCS) and len(DEV_DOCS + HELDOUT_DOCS) == 5
    with pytest.raises(UnknownSplitError, match="use one of: dev, heldout, all"):
        split_ids("train")


def _gold_from(proposal: Proposal, doc_id: str, text: str) -> dict:
    doc = proposal.document(doc_id, text)
    doc["annotations"][0] = {**copy.deepcopy(proposal.annotation), "ground_truth": True}
    return doc


def test_a_proposal_scores_perfectly_against_itself():
    proposals = {d: propose(SEEDS[d]["text"], ONT, corpus_version="0.1.0") for d in DEV_DOCS}
    result = evaluate([_gold_from(proposals[d], d, SEEDS[d]["text"]) for d in DEV_DOCS], proposals, ontology=ONT)
    for layer in result.layers:
        assert (layer.exact.f1, layer.overlap.f1, layer.labelled.f1) == (1.0, 1.0, 1.0), layer.name
    for link in result.links:
        assert link.exact.f1 in (1.0, None), link.name
    assert all(a.accuracy == 1.0 for a in result.attributes)
    assert all(r.precision == 1.0 for r in result.rules)
    assert {"link:argument", "link:claimant", "link:co_claimant", "link:cue", "link:about", "link:supports",
            "link:contests", "link:reported_via"} <= {r.layer for r in result.rules}
    assert {"claimant-claims-noun", "co-claimant", "medium", "same-figure"} <= {r.rule for r in result.rules}


def test_scores_count_misses_and_false_alarms():
    text = "Moscow said Russian jets hit 55 targets."
    proposal = propose(text, ONT, corpus_version="0.1.0")
    gold = _gold_from(proposal, "x", text)
    ann = gold["annotations"][0]
    ann["mentions"] = [m for m in ann["mentions"] if m["span"]["text"] == "Moscow"]  # the jets are a false alarm
    ann["mentions"].append({"id": "extra", "span": {"start": 0, "end": 6, "text": "Moscow"}, "actor": "RUS", "type": None})
    ann["mentions"][0]["actor"] = "RUS"  # a wrong actor on a matched mention
    for ev in ann["events"]:
        ev["arguments"] = []
    result = evaluate([gold], {"x": proposal}, ontology=ONT)
    mention = result.layer("mention")
    assert (mention.gold, mention.predicted, mention.exact.tp, mention.exact.fp, mention.exact.fn) == (2, 2, 1, 1, 1)
    actor = next(a for a in result.attributes if (a.layer, a.attribute) == ("mention", "actor"))
    assert (actor.compared, actor.correct) == (1, 0)
    arguments_ = result.link("arguments")
    assert (arguments_.gold, arguments_.overlap.tp, arguments_.overlap.precision) == (0, 0, 0.0)
    subject = next(r for r in result.rules if r.rule == "argument-subject")
    assert (subject.proposed, subject.matched) == (1, 0)  # the gold event has no arguments
    assert result.to_dict()["layers"][0]["name"] == "mention"
    assert "mention" in format_evaluation(result, "x") and "Rules" in format_evaluation(result, "x")


def test_evaluation_needs_a_gold_annotation_and_a_proposal_for_each_document():
    seed = jsonio.read_json(REPO / "corpus" / "annotations" / f"{DEV_DOCS[0]}.json")
    with pytest.raises(EvaluationError, match=f"no proposal for document `{DEV_DOCS[0]}`"):
        evaluate([seed], {}, ontology=ONT)
    not_gold = json.loads(json.dumps(seed))
    not_gold["annotations"][0]["ground_truth"] = False
    proposal = propose(seed["text"], ONT, corpus_version="0.1.0")
    with pytest.raises(EvaluationError, match="has no ground-truth annotation"):
        evaluate([not_gold], {DEV_DOCS[0]: proposal}, ontology=ONT)


def _alias_baseline(text: str) -> Proposal:
    """Today's alias matcher as a proposal (mentions only)."""
    mentions_ = [{"id": f"m{k}", "span": {"start": m.start, "end": m.end, "text": text[m.start:m.end]},
                  "actor": m.actor, "type": None} for k, m in enumerate(find_actor_mentions(text, ONT), 1)]
    annotation = {"id": "baseline", "provenance": {"annotator": "aliases", "origin": "prediction",
                                                   "tool": {"name": "aliases"}, "schema_version": ONT.version,
                                                   "corpus_version": "0.1.0"},
                  "cancelled": False, "ground_truth": False, "mentions": mentions_, "events": [], "claims": []}
    return Proposal(annotation, {m["id"]: Evidence("alias", 0.9) for m in mentions_}, ())


def test_mentions_beat_the_alias_matcher_on_the_dev_seeds():
    gold = [jsonio.read_json(REPO / "corpus" / "annotations" / f"{d}.json") for d in DEV_DOCS]
    engine = evaluate(gold, {d["doc_id"]: propose(d["text"], ONT, corpus_version="0.1.0") for d in gold}, ontology=ONT)
    baseline = evaluate(gold, {d["doc_id"]: _alias_baseline(d["text"]) for d in gold}, ontology=ONT)
    assert engine.layer("mention").exact.f1 >= baseline.layer("mention").exact.f1 + 0.15


def test_a_hyphenated_number_word_is_one_number_not_a_range():
    """"Twenty-six civilians" (a FA-KES article) once became the range 20–6, which does not validate."""
    proposal = propose("Twenty-six civilians were killed. Between 10 and 20 fighters died.", ONT, corpus_version="0.1.0")
    found = [(q["span"]["text"], q["value"], q["low"], q["high"]) for e in proposal.annotation["events"]
             for q in e["quantities"]]
    assert ("Twenty-six", 26, None, None) in found and ("Between 10 and 20", None, 10, 20) in found


@pytest.mark.parametrize("text", ["The attack on 27-7-2016 killed 20 people.", "The score was 9-7 at the end."])
def test_a_date_or_score_with_a_hyphen_is_not_a_range(text):
    proposal = propose(text, ONT, corpus_version="0.1.0")
    assert not [q for e in proposal.annotation["events"] for q in e["quantities"] if q["qualifier"] == "range"]
    assert document_problems(proposal.document("d", text), ONT) == []


def test_proposals_for_fakes_articles_validate():
    """Silver annotations cover every corpus document: a sample of the FA-KES articles must give valid output."""
    index = load_corpus_index(REPO / "corpus")
    fakes = [doc for _, doc in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")
             if doc["doc_id"].startswith("fakes-")]
    for doc in random.Random(7).sample(fakes, 60):
        proposal = propose(doc["text"], ONT, corpus_version="0.2.0")
        assert document_problems(proposal.document(doc["doc_id"], doc["text"]), ONT, index) == [], doc["doc_id"]
