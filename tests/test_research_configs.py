"""The researchers' configs of the committed export: `ner_sentences` (conll2003 layout, one sentence per row),
global ids that join across configs, sentence context in `events` / `claims`, `quantities`, and `bigbio_kb`
checked field by field against BigBio's schema and with BigBio's own checks on every row."""

from __future__ import annotations

import copy
import datetime as dt

import datasets
import pytest

from counterclaim.hf.bigbio import example_text, kb_problems
from counterclaim.hf.card_research import documented_nulls
from counterclaim.hf.export import CONFIGS
from counterclaim.hf.features import ConfigFeatures, bio_names
from counterclaim.hf.gids import gid
from counterclaim.incidents import event_incidents, project_incidents, select
from counterclaim.io.layout import Layout
from counterclaim.io import jsonio
from counterclaim.model.ontology import load_ontology
from helpers import REPO

ONT = load_ontology(REPO / "schema")
EXPORT = REPO / "export"
DOCS = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")}

# BigBio's knowledge-base schema, copied from bigscience-workshop/biomedical, utils/schemas/kb.py (`features`) at
# commit 89340fbbe99e4af0dafd369b65b86c942f9e8078 (identical at 0174514a02f2d909c6087ea3bacfd1e2f7e27d53).
BIGBIO_KB = datasets.Features(
    {
        "id": datasets.Value("string"),
        "document_id": datasets.Value("string"),
        "passages": [
            {
                "id": datasets.Value("string"),
                "type": datasets.Value("string"),
                "text": datasets.Sequence(datasets.Value("string")),
                "offsets": datasets.Sequence([datasets.Value("int32")]),
            }
        ],
        "entities": [
            {
                "id": datasets.Value("string"),
                "type": datasets.Value("string"),
                "text": datasets.Sequence(datasets.Value("string")),
                "offsets": datasets.Sequence([datasets.Value("int32")]),
                "normalized": [
                    {
                        "db_name": datasets.Value("string"),
                        "db_id": datasets.Value("string"),
                    }
                ],
            }
        ],
        "events": [
            {
                "id": datasets.Value("string"),
                "type": datasets.Value("string"),
                # refers to the text_bound_annotation of the trigger
                "trigger": {
                    "text": datasets.Sequence(datasets.Value("string")),
                    "offsets": datasets.Sequence([datasets.Value("int32")]),
                },
                "arguments": [
                    {
                        "role": datasets.Value("string"),
                        "ref_id": datasets.Value("string"),
                    }
                ],
            }
        ],
        "coreferences": [
            {
                "id": datasets.Value("string"),
                "entity_ids": datasets.Sequence(datasets.Value("string")),
            }
        ],
        "relations": [
            {
                "id": datasets.Value("string"),
                "type": datasets.Value("string"),
                "arg1_id": datasets.Value("string"),
                "arg2_id": datasets.Value("string"),
                "normalized": [
                    {
                        "db_name": datasets.Value("string"),
                        "db_id": datasets.Value("string"),
                    }
                ],
            }
        ],
    }
)


@pytest.fixture(scope="module")
def loaded():
    """Every config the committed export has rows for (a config without rows, e.g. `incidents` before any two
    gold documents report one event, is left out of the card and cannot be loaded)."""
    present = {p.name for p in EXPORT.iterdir() if p.is_dir() and any(p.glob("*.parquet"))}
    return {config: datasets.load_dataset(str(EXPORT), config) for config in CONFIGS if config in present}


@pytest.fixture(scope="module")
def rows(loaded):
    return {config: [r for split in ds.values() for r in split] for config, ds in loaded.items()}


# -- ner_sentences ------------------------------------------------------------------------------------------


def test_ner_sentences_has_the_conll2003_layout(loaded):
    split = loaded["ner_sentences"]["train"]
    assert list(split.features)[:1] == ["id"] and {"tokens", "ner_tags"} <= set(split.features)
    assert split.features["tokens"] == datasets.List(datasets.Value("string"))
    assert isinstance(split.features["ner_tags"].feature, datasets.ClassLabel)
    assert split.features["ner_tags"].feature.names == list(bio_names(ONT.ids("actor_types")))
    assert split.features["event_tags"].feature.names == list(bio_names(ONT.ids("event_types")))
    assert split.features["claim_tags"].feature.names == [
        "O", "B-CLAIM", "I-CLAIM", "B-CUE", "I-CUE", "B-CLAIMANT", "I-CLAIMANT"]


def test_ner_sentences_streams_like_it_loads(loaded):
    streamed = datasets.load_dataset(str(EXPORT), "ner_sentences", streaming=True)
    assert next(iter(streamed["test"])) == loaded["ner_sentences"]["test"][0]


def test_a_row_is_one_sentence_of_its_document_and_the_rows_give_the_ner_tokens_back(rows):
    documents = {r["doc_id"]: r for r in rows["documents"]}
    ner = {r["doc_id"]: r for r in rows["ner"]}
    by_doc: dict[str, list[dict]] = {}
    for row in rows["ner_sentences"]:
        by_doc.setdefault(row["doc_id"], []).append(row)
    assert set(by_doc) == set(ner)
    for doc_id, sentences in by_doc.items():
        sentences.sort(key=lambda r: r["sentence_index"])
        text = documents[doc_id]["text"]
        spans = [(s["start"], s["end"]) for s in documents[doc_id]["sentences"]]
        assert [(r["start"], r["end"]) for r in sentences] == spans
        for k, row in enumerate(sentences):
            assert row["id"] == f"{doc_id}:s{k}" and row["text"] == text[row["start"]:row["end"]]
            assert all(row["start"] <= s and e <= row["end"] for s, e in zip(row["token_starts"], row["token_ends"]))
            assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["event_tags"]) == len(row["claim_tags"])
            assert row["crossing_gids"] == []  # no gold span of the seeds crosses a sentence boundary
        for column in ("tokens", "token_starts", "token_ends"):
            assert [x for r in sentences for x in r[column]] == ner[doc_id][column]
        assert [t for r in sentences for t in r["ner_tags"]] == ner[doc_id]["actor_tags"]
        assert [t for r in sentences for t in r["event_tags"]] == ner[doc_id]["event_tags"]
        assert sentences[0]["text"] == documents[doc_id]["title"]


def test_claim_tags_mark_content_cue_and_claimant(loaded):
    split = loaded["ner_sentences"]["train"]
    names = split.features["claim_tags"].feature.names
    row = next(r for r in split if r["text"].startswith("Moscow today revealed it had hit"))
    tags = dict(zip(row["tokens"], (names[t] for t in row["claim_tags"])))
    assert (tags["Moscow"], tags["revealed"], tags["it"], tags["astonishing"]) == (
        "B-CLAIMANT", "B-CUE", "B-CLAIM", "I-CLAIM")


def test_a_span_cut_by_a_sentence_boundary_is_tagged_in_both_and_reported():
    from counterclaim.hf.rows import RowBuilder
    from counterclaim.hf.rows_sentences import DocumentContext, ner_sentence_rows

    text = "Russian jets struck. Aleppo burned."
    doc = {"doc_id": "cut", "title": None, "text": text}
    ann = {"mentions": [{"id": "m1", "span": {"start": 8, "end": 26, "text": text[8:26]}, "actor": None,
                         "type": "military"}], "events": [], "claims": []}
    features = ConfigFeatures(ONT)
    out = list(ner_sentence_rows(RowBuilder(ONT, features), DocumentContext.of(doc), ann))
    names = features.labels["actor_tags"].names
    assert [[names[t] for t in r["ner_tags"]] for r in out] == [
        ["O", "B-military", "I-military", "I-military"], ["B-military", "O", "O"]]
    assert [r["crossing_gids"] for r in out] == [["cut:m1"], ["cut:m1"]]


# -- global ids ---------------------------------------------------------------------------------------------


def test_global_ids_are_unique_and_carry_the_local_ids(rows):
    local = {"events": "event_id", "claims": "claim_id", "quantities": "quantity_id", "annotations": "annotation_id"}
    for config in ("events", "claims", "quantities", "annotations", "ner_sentences"):
        ids = [r["id"] for r in rows[config]]
        assert len(ids) == len(set(ids)), config
        for r in rows[config]:
            doc_id, _, rest = r["id"].partition(":")
            assert doc_id == r["doc_id"] and (config not in local or rest == r[local[config]])


def test_global_ids_join_across_configs_on_one_key(rows):
    ids = {config: {r["id"] for r in rows[config]} for config in ("events", "claims", "quantities", "ner_sentences")}
    for r in rows["claims"]:
        assert set(r["about_event_gids"]) <= ids["events"] and set(r["about_quantity_gids"]) <= ids["quantities"]
        assert set(r["supports_gids"]) | set(r["contests_gids"]) <= ids["claims"]
        assert r["sentence_gids"] and set(r["sentence_gids"]) <= ids["ner_sentences"]
    for r in rows["events"]:
        assert set(r["asserted_by_gids"]) <= ids["claims"] and r["sentence_gid"] in ids["ner_sentences"]
        assert r["part_of_gid"] is None or r["part_of_gid"] in ids["events"]
    for r in rows["quantities"]:
        assert r["event_gid"] in ids["events"] and {c["gid"] for c in r["claims"]} <= ids["claims"]
    assert sum(len(r["about_event_gids"]) for r in rows["claims"]) == \
        sum(len(r["asserted_by_gids"]) for r in rows["events"])


# -- sentence context -------------------------------------------------------------------------------------------


def test_event_and_claim_context_is_whole_sentences(rows):
    sentences = {r["id"]: r for r in rows["ner_sentences"]}
    for r in rows["events"]:
        sentence = sentences[r["sentence_gid"]]
        assert (r["context"], r["context_start"]) == (sentence["text"], sentence["start"])
        assert sentence["start"] <= r["trigger"]["start"] < sentence["end"]
    for r in rows["claims"]:
        chosen = [sentences[g] for g in r["sentence_gids"]]
        assert r["context_start"] == chosen[0]["start"]
        assert r["context"] == DOCS[r["doc_id"]]["text"][chosen[0]["start"]:chosen[-1]["end"]]
        for span in r["content"]:
            assert r["context_start"] <= span["start"] and span["end"] <= r["context_start"] + len(r["context"])


def test_event_context_is_no_longer_cut_at_abbreviations(rows):
    """Fixed in 0.2: 11 events' context was cut at "U.S." and 4 at "Maj."."""
    events = {(r["doc_id"], r["event_id"]): r for r in rows["events"]}
    assert "drawn ire from the U.S.-led coalition that is fighting ISIS." in events[("65e93feecc888cc5", "e27")]["context"]
    assert events[("f7adc2e7615265e7", "e2")]["context"].startswith("Maj. Jamil al-Saleh, the leader")
    assert not any(r["context"].endswith(("U.", "Maj.")) for r in rows["events"])


# -- quantities ---------------------------------------------------------------------------------------------------


def test_quantities_has_one_row_per_gold_number(rows):
    gold = {(r["doc_id"], q["id"]) for r in rows["documents"] for e in r["events"] for q in e["quantities"]}
    assert {(r["doc_id"], r["quantity_id"]) for r in rows["quantities"]} == gold and gold


# (incident, event type, day, governorate) of the gold incidents whose numbers the outlets contest
GOLD_INCIDENTS = (("Ghouta", "ATTACK", "2013-08-21", "Damascus"), ("Qamishli", "ATTACK", "2016-07-27", "Al-Hasakah"),
                  ("Khan Shaykhun", "ATTACK", "2017-04-04", "Idlib"), ("Rashidin", "ATTACK", "2017-04-15", "Aleppo"))


def test_quantities_carry_the_gold_incident_of_their_event(rows):
    incidents = project_incidents(Layout(REPO), ONT)
    expected = {gid(doc_id, event_id): inc for (doc_id, event_id), inc in event_incidents(incidents).items()}
    assert [r["incident_id"] for r in rows["quantities"]] == [expected.get(r["event_gid"]) for r in rows["quantities"]]
    assert {r["incident_id"] for r in rows["quantities"]} - {None} <= {r["incident_id"] for r in rows["incidents"]}
    for name, event_type, day, governorate in GOLD_INCIDENTS:
        (incident,) = select(incidents, type=event_type, date=dt.date.fromisoformat(day), place=governorate)
        assert name in incident.places
        numbers = [r for r in rows["quantities"] if r["incident_id"] == incident.id]
        assert len({r["doc_id"] for r in numbers}) >= 2, name  # numbers of one incident from several outlets
    # Al Arabiya: "at least 1300" killed, a death caused by the Ghouta attack, carries the attack's incident
    (arabiya,) = [r for r in rows["quantities"] if r["doc_id"] == "fakes-1926479334" and r["text"] == "1300"]
    ghouta = select(incidents, type="ATTACK", date=dt.date(2013, 8, 21), place="Damascus")[0]
    assert arabiya["incident_id"] == ghouta.id and arabiya["event_gid"] not in {
        gid(m.report.doc_id, m.report.event_id) for m in ghouta.members}


def test_who_said_how_many_is_one_filter(loaded):
    quantities = datasets.concatenate_datasets(list(loaded["quantities"].values()))
    by_moscow = quantities.filter(lambda r: "RUS_GOV" in r["claimant_actors"])
    assert sorted(by_moscow["text"]) == ["1,623", "11", "26", "several"]  # "Russia is claiming": R21
    strikes = quantities.filter(lambda r: any(a["actor"] in ("RUS", "RUS_MIL", "RUS_GOV") for a in r["actors"]))
    assert "two women and a child" in strikes["text"]  # a DIE event: its attacker is on the ATTACK that caused it


def test_quantities_keep_numbers_without_an_attacker_and_say_where_actors_come_from(rows):
    by_id = {r["id"]: r for r in rows["quantities"]}
    no_attacker = by_id["01c6e4c94616b3f2:q3"]
    assert no_attacker["actors"] == [] and no_attacker["actors_from_gid"] is None
    died = by_id["f7adc2e7615265e7:q3"]
    assert died["actors_from_gid"] == "f7adc2e7615265e7:e18" != died["event_gid"]
    assert by_id["17a8eb7dc5290d52:q8"]["claimant_actors"] == ["LCC", "SOHR"]


# -- bigbio_kb ------------------------------------------------------------------------------------------------


def test_bigbio_kb_features_are_bigbios_field_by_field(loaded):
    declared = datasets.Features.from_dict(ConfigFeatures(ONT).to_dict("bigbio_kb"))
    assert list(declared) == list(BIGBIO_KB)
    for name in BIGBIO_KB:
        assert declared[name] == BIGBIO_KB[name], name
    for split in loaded["bigbio_kb"].values():
        assert split.features == BIGBIO_KB


def test_bigbio_kb_streams(loaded):
    streamed = datasets.load_dataset(str(EXPORT), "bigbio_kb", streaming=True)
    assert next(iter(streamed["validation"])) == loaded["bigbio_kb"]["validation"][0]


def test_every_bigbio_row_passes_bigbios_checks(rows):
    seen: set[str] = set()
    assert len(rows["bigbio_kb"]) == len(rows["ner"])  # one per gold document
    for row in rows["bigbio_kb"]:
        text = DOCS[row["id"]]["text"]
        assert kb_problems(row, text, seen) == []
        joined = example_text(row)
        assert len(joined) == len(text) and joined.replace(" ", "\n") == text.replace(" ", "\n")
        assert [p["type"] for p in row["passages"]] == ["title", "body"]


def test_bigbio_rows_hold_mentions_events_claims_and_links(rows):
    row = next(r for r in rows["bigbio_kb"] if r["id"] == "17a8eb7dc5290d52")
    entities = {e["id"]: e for e in row["entities"]}
    assert entities["17a8eb7dc5290d52:m1"]["normalized"] == [{"db_name": "counterclaim-actors", "db_id": "RUS"},
                                                             {"db_name": "wikidata", "db_id": "Q159"}]
    claim = entities["17a8eb7dc5290d52:c3"]
    assert claim["type"] == "claim" and claim["text"][0].startswith("it had hit an astonishing 1,623")
    relations = {(r["type"], r["arg1_id"], r["arg2_id"]) for r in row["relations"]}
    assert ("cue", "17a8eb7dc5290d52:c3", "17a8eb7dc5290d52:c3#cue") in relations
    assert ("supports", "17a8eb7dc5290d52:c1", "17a8eb7dc5290d52:c3") in relations
    event = next(e for e in row["events"] if e["id"] == "17a8eb7dc5290d52:e3")
    assert {"role": "asserted_by", "ref_id": "17a8eb7dc5290d52:c3"} in event["arguments"]
    assert {"role": "quantity", "ref_id": "17a8eb7dc5290d52:q2"} in event["arguments"]
    assert any(set(c["entity_ids"]) >= {"17a8eb7dc5290d52:m1"} for c in row["coreferences"])


def test_bigbio_checks_catch_what_bigbio_checks(rows):
    row = copy.deepcopy(next(r for r in rows["bigbio_kb"] if r["id"] == "17a8eb7dc5290d52"))
    row["entities"][0]["offsets"][0][0] += 1
    row["relations"][0]["arg2_id"] = "17a8eb7dc5290d52:nowhere"
    row["events"][1]["id"] = row["events"][0]["id"]
    row["entities"][1]["type"] = "government|military"
    problems = kb_problems(row, DOCS[row["id"]]["text"])
    assert any("entity 17a8eb7dc5290d52:m1 text 'Russia' != passages' text" in p for p in problems)
    assert any("arg2_id 17a8eb7dc5290d52:nowhere resolves to no entity" in p for p in problems)
    assert any("is not unique" in p for p in problems) and any("holds several labels" in p for p in problems)


# -- nulls ------------------------------------------------------------------------------------------------------


def _null_paths(value, path=""):
    if value is None:
        yield path
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _null_paths(sub, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _null_paths(item, f"{path}[]")


def test_every_null_in_the_export_is_explained_in_the_card(rows):
    documented = documented_nulls()
    unexplained = set()
    for config, config_rows in rows.items():
        for row in config_rows:
            for path in _null_paths(row):
                parts = path.split(".")
                suffixes = {".".join(parts[i:]) for i in range(len(parts))}
                if not any((config, s) in documented for s in suffixes):
                    unexplained.add((config, path))
    assert not unexplained, sorted(unexplained)
    card = (EXPORT / "README.md").read_text(encoding="utf-8")
    assert "### What null means" in card and "| quantities | `incident_id` |" in card


def test_a_global_id_splits_at_its_first_colon():
    from counterclaim.hf.gids import split_gid

    assert split_gid("17a8eb7dc5290d52:c3") == ("17a8eb7dc5290d52", "c3")
    assert split_gid("doc:ls:region-1") == ("doc", "ls:region-1")  # local ids may contain ":", doc ids never
    with pytest.raises(ValueError, match="is not a global id"):
        split_gid("c3")


def test_check_worthy_is_counted_in_totals_per_document_as_it_is_exported():
    """The card's check_worthy paragraph comes from totals kept as documents are exported (no counter per
    document): documents set on every claim are listed with their claims, the others give the set claims by
    claimant kind, and a document without claims counts for nothing."""
    from counterclaim.hf.card_research import ResearchStats, check_worthy_text

    stats = ResearchStats()
    claim = lambda kind, value: {"claimant": {"kind": kind}, "check_worthy": value}  # noqa: E731
    stats.add("train", {"claims": [claim("actor", True), claim("outlet", False)]}, "doc-b")
    stats.add("train", {"claims": [claim("actor", None), claim("actor", True), claim("outlet", None)]}, "doc-c")
    stats.add("test", {"claims": []}, "doc-d")
    stats.add("test", {"claims": [claim("outlet", True)]}, "doc-a")
    text = check_worthy_text(stats)
    assert "It is 2 of 6 gold claims." in text
    assert "on every claim of 2 document(s) (`doc-a`, `doc-b`, 3 claims), and on 1 of the 3 claims of the other " \
           "documents (1 actor-asserted)" in text
    assert check_worthy_text(ResearchStats()) == ""
    full = ResearchStats()
    full.add("train", {"claims": [claim("actor", False)]}, "doc-a")
    assert check_worthy_text(full) == "**`check_worthy`** is set on every gold claim."
