"""Incidents across documents: the rule on small reports, the Ghouta articles annotated by hand, the
`incidents` config, and `counterclaim incidents`."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil

import datasets
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.hf.features import ConfigFeatures
from counterclaim.hf.splits import split_of
from counterclaim.incidents import (DocumentAnnotation, Report, claim_records, event_incidents, event_reports,
                                    find_incidents, format_number, incident_id, incidents_of, link, rule_text)
from counterclaim.model.ontology import load_ontology
from ghouta import ARABIYA, OTHER, REUTERS, SPUTNIK, compiled, ghouta_project
from helpers import REPO

ONT = load_ontology(REPO / "schema")
GHOUTA_ID = "inc-c2bd860867fe"


def report(doc: str, event: str = "e1", *, type: str = "ATTACK", days=("2013-08-21", "2013-08-21"),
           place: str | None = None, governorates=("Damascus",), actors=()) -> Report:
    first, last = (dt.date.fromisoformat(d) for d in days)
    return Report(doc_id=doc, event_id=event, type=type, realis="actual", first_day=first, last_day=last,
                  date_basis="article", place=place, governorates=frozenset(governorates), actors=frozenset(actors),
                  status="gold", annotation_id="gold", source={}, claims=())


# --- the rule -----------------------------------------------------------------------------------------


def test_same_type_day_governorate_and_unknown_actors_link_weakly():
    found = link(report("a"), report("b"))
    assert (found.date, found.place, found.actors, found.score) == (1.0, 0.5, 0.5, 0.67)


@pytest.mark.parametrize("other", [
    report("b", type="CLASH"),
    report("b", days=("2013-08-22", "2013-08-22")),
    report("b", governorates=("Rif Dimashq",)),
    report("b", actors=("type:armed_group",)),
])  # fmt: skip
def test_type_date_place_and_actors_each_keep_reports_apart(other):
    assert link(report("a", actors=("type:civilians",)), other) is None


def test_fine_places_must_be_compatible_names():
    assert link(report("a", place="Ghouta"), report("b", place="eastern Ghouta")).place == 1.0
    assert link(report("a", place="Zamalka"), report("b", place="Ein Tarma")) is None
    # a fine place and none: the governorates decide
    assert link(report("a", place="Zamalka"), report("b")).place == 0.5
    assert link(report("a", place="Zamalka", governorates=()), report("b")) is None


def test_actors_score_by_what_they_share():
    civilians = ("type:civilians",)
    assert link(report("a", actors=civilians), report("b", actors=civilians)).actors == 0.75
    assert link(report("a", actors=("SOHR", "type:ngo")), report("b", actors=("SOHR", "type:ngo"))).actors == 1.0


def test_overlapping_intervals_link_with_a_lower_date_score():
    wide = report("b", days=("2013-08-19", "2013-08-21"))
    assert link(report("a"), wide).date == 0.5
    assert link(report("a", days=("2013-08-22", "2013-08-22")), wide) is None


def test_incidents_need_two_documents_and_chain_through_a_third():
    reports = [report("a", place="Zamalka"), report("b"), report("c", place="Ein Tarma"), report("d", type="DIE"),
               report("a", "e2", days=("2015-01-01", "2015-01-01"))]
    (incident,) = find_incidents(reports)
    assert [m.report.key for m in incident.members] == ["a#e1", "b#e1", "c#e1"]
    assert [m.confidence for m in incident.members] == [0.67, 0.67, 0.67]
    assert incident.documents == ["a", "b", "c"] and incident.places == ["Ein Tarma", "Zamalka"]


def test_grouping_does_not_depend_on_order_and_ids_survive_unrelated_documents():
    reports = [report("a"), report("b"), report("c", days=("2014-01-01", "2014-01-01")),
               report("d", days=("2014-01-01", "2014-01-01"))]
    first = find_incidents(reports)
    shuffled = reports[:]
    random.Random(7).shuffle(shuffled)
    assert find_incidents(shuffled) == first
    more = find_incidents(reports + [report("x", governorates=("Aleppo",)), report("y", governorates=("Aleppo",))])
    assert {i.id for i in first} < {i.id for i in more}
    assert first[0].id == incident_id(["a#e1", "b#e1"]) == "inc-" + __import__("hashlib").sha256(
        b"a#e1\nb#e1").hexdigest()[:12]


def test_the_rule_the_card_states_has_its_numbers():
    text = " ".join(rule_text().split())
    assert "spans at most 3 days" in text and "the 2 days before it" in text and "``" not in text


# --- reports of a hand-annotated document ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ghouta():
    corpus = BuiltCorpus.open(REPO / "corpus")
    docs = corpus.by_id()
    annotated = compiled(corpus, ONT)
    return [DocumentAnnotation(docs[d], a["annotations"][0], "gold") for d, a in annotated.items()]


def test_deaths_belong_to_the_attack_that_caused_them(ghouta):
    reuters = next(item for item in ghouta if item.doc["doc_id"] == REUTERS)
    (attack,) = event_reports(reuters, ONT)  # e2 and e3 are deaths caused by e1
    assert (attack.event_id, attack.date_basis, attack.place, attack.governorates) == (
        "e1", "event", None, frozenset({"Damascus"}))
    assert attack.actors == {"type:civilians"}  # the victims of the deaths; the culprit is left out
    assert [(c.claim_id, [n.value for n in c.numbers], [k.actor for k in c.culprits]) for c in attack.claims] == [
        ("c1", [213.0], ["SYR_MIL"]), ("c2", [], ["SYR_MIL"]), ("c3", [213.0], [])]


def test_an_event_without_its_own_date_takes_the_articles(ghouta):
    sputnik = next(item for item in ghouta if item.doc["doc_id"] == SPUTNIK)
    (attack,) = event_reports(sputnik, ONT)
    assert (attack.first_day, attack.date_basis, attack.place) == (dt.date(2013, 8, 21), "article", "Eastern Ghouta")


def test_aggregates_and_unreal_events_are_no_members(ghouta):
    item = next(item for item in ghouta if item.doc["doc_id"] == OTHER)
    ann = item.annotation
    for change in ({"granularity": "aggregate"}, {"realis": "hypothetical"}):
        changed = {**ann, "events": [{**ann["events"][0], **change}]}
        assert event_reports(DocumentAnnotation(item.doc, changed, "gold"), ONT) == []
    assert len(event_reports(item, ONT)) == 1


def test_a_document_without_date_or_place_gives_no_report(ghouta):
    item = next(item for item in ghouta if item.doc["doc_id"] == OTHER)
    undated = {**item.doc, "source": {**item.doc["source"], "date": None}}
    assert event_reports(DocumentAnnotation(undated, item.annotation, "gold"), ONT) == []
    several = {**item.doc, "source": {**item.doc["source"], "location": None, "source_records": [
        {"location": "Aleppo"}, {"location": "Homs"}]}}  # rows that disagree: every governorate counts
    (r,) = event_reports(DocumentAnnotation(several, item.annotation, "gold"), ONT)
    assert r.governorates == {"Aleppo", "Homs"}


def test_the_ghouta_articles_are_one_incident_with_every_claim_side_by_side(ghouta):
    (incident,) = incidents_of(ghouta, ONT)
    assert incident.id == GHOUTA_ID and incident.type == "ATTACK"
    assert incident.documents == [ARABIYA, REUTERS, SPUTNIK]
    assert [(m.report.key, m.confidence) for m in incident.members] == [
        (f"{ARABIYA}#e1", 0.92), (f"{ARABIYA}#e3", 0.83), (f"{REUTERS}#e1", 0.75), (f"{SPUTNIK}#e1", 0.92)]
    records = claim_records(incident, ONT)
    table = [(r["outlet_name"], r["outlet_side"], r["claimant_name"], r["stance"],
              [format_number(n) for n in r["numbers"]], [c["name"] for c in r["culprits"]], r["credibility"])
             for r in records]
    assert table == [
        ("Al Arabiya", None, "George Sabra", "affirm", ["killed: at least 1300"], [], "credible"),
        ("Al Arabiya", None, "Ahmed al-Jarba", "affirm", [], ["Syrian Arab Army"], "credible"),
        ("Reuters", None, "Syrian activists", "affirm", ["killed: at least 213"], ["Syrian Arab Army"], "credible"),
        ("Reuters", None, "Syrian state television", "deny", [], ["Syrian Arab Army"], "credible"),
        ("Reuters", None, "Bayan Baker", "affirm", ["killed: 213"], [], "credible"),
        ("Sputnik", "government", "two pro-opposition groups", "affirm", ["killed: “dozens” (≥24)"],
         ["Syrian Arab Army"], "credible"),
        ("Sputnik", "government", "Government of Syria", "deny", [], ["Syrian Arab Army"], "credible"),
        ("Sputnik", "government", "Local Coordination Committees", "affirm", ["killed: “hundreds” (≥200)"], [],
         "credible"),
    ]
    assert {r["annotation"] for r in records} == {"gold"}


def test_every_event_a_member_stands_for_takes_its_incident(ghouta):
    (incident,) = incidents_of(ghouta, ONT)
    found = event_incidents([incident])
    # Reuters e1 is the attack; e2 and e3 are deaths it caused, whose numbers the `quantities` config lists
    assert {key for key in found if key[0] == REUTERS} == {(REUTERS, "e1"), (REUTERS, "e2"), (REUTERS, "e3")}
    assert set(found.values()) == {GHOUTA_ID} and (OTHER, "e1") not in found
    assert event_incidents([]) == {}


def test_an_event_no_claim_asserts_still_gives_a_row(ghouta):
    item = next(item for item in ghouta if item.doc["doc_id"] == REUTERS)
    unclaimed = DocumentAnnotation(item.doc, {**item.annotation, "claims": []}, "silver")
    (incident,) = incidents_of([*(i for i in ghouta if i is not item), unclaimed], ONT)
    rows = [r for r in claim_records(incident, ONT) if r["doc_id"] == REUTERS]
    assert [(r["claim_id"], r["event_id"], r["annotation"], [format_number(n) for n in r["numbers"]],
             [c["actor"] for c in r["culprits"]]) for r in rows] == [
        (None, "e1", "silver", ["killed: at least 213", "killed: 213"], ["SYR_MIL"])]


# --- the dataset config and the command --------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = ghouta_project(tmp_path_factory.mktemp("ghouta"))
    result = CliRunner().invoke(main, ["export", "--project", str(root), "--quiet"])
    assert result.exit_code == 0, result.output
    return root


def test_who_said_how_many_died_at_ghouta_in_three_lines(project):
    rows = datasets.load_dataset(str(project / "export"), "incidents", split="all")
    ghouta = rows.filter(lambda r: r["date_start"] <= "2013-08-21" <= r["date_end"] and "Damascus" in r["governorates"])
    said = {(r["outlet_name"], r["claimant_name"], tuple((n["value"], n["low"]) for n in r["numbers"]),
             tuple(c["actor"] for c in r["culprits"])) for r in ghouta}
    assert ("Al Arabiya", "George Sabra", ((1300.0, None),), ()) in said
    assert ("Reuters", "Syrian activists", ((213.0, None),), ("SYR_MIL",)) in said
    assert ("Sputnik", "two pro-opposition groups", ((None, 24.0),), ("SYR_MIL",)) in said
    assert len(ghouta) == 8 and set(ghouta["incident_id"]) == {GHOUTA_ID}
    names = rows.features["numbers"].feature["measurand"].names
    assert {names[n["measurand"]] for r in ghouta for n in r["numbers"]} == {"killed"}


def test_incident_rows_sit_in_their_documents_split_also_streaming(project):
    loaded = datasets.load_dataset(str(project / "export"), "incidents")
    expected = datasets.Features.from_dict(ConfigFeatures(ONT).to_dict("incidents"))
    for split, ds in loaded.items():
        assert ds.features == expected
        assert {split_of(d) for d in ds["doc_id"]} == {split}
    assert sorted(loaded) == sorted({split_of(d) for d in (ARABIYA, REUTERS, SPUTNIK)})
    streamed = datasets.load_dataset(str(project / "export"), "incidents", streaming=True)
    for split, ds in loaded.items():
        assert list(streamed[split]) == list(ds)


def test_documents_carry_the_fakes_metadata_and_the_outlet_registry(project):
    docs = datasets.load_dataset(str(project / "export"), "documents", split="all")
    row = next(r for r in docs if r["doc_id"] == SPUTNIK)
    source = row["source"]
    assert (source["outlet"], source["outlet_name"], source["outlet_side"], source["outlet_country"]) == (
        "sputnik", "Sputnik", "government", "RUS")
    assert (source["date"], source["location"], source["credibility"], source["dataset"]) == (
        "2013-08-21", "Damascus", "credible", "FA-KES")
    assert source["source_records"] == [{"row": 654, "id": "1965495325", "relation": "kept", "label": "credible",
                                         "date": "2013-08-21", "location": "Damascus"}]
    seed = next(r for r in docs if r["doc_id"] == "17a8eb7dc5290d52")["source"]
    assert seed["outlet"] is None and seed["source_records"] is None


def test_the_card_answers_the_ghouta_question_and_credits_fakes(project):
    card = (project / "export" / "README.md").read_text(encoding="utf-8")
    assert "## Incidents across documents" in card and rule_text() in card
    assert f"The largest incident, `{GHOUTA_ID}`" in card
    assert ("| Reuters | credible | Syrian activists | affirm | killed: at least 213 | Syrian Arab Army | "
            f"`{REUTERS}` | gold |") in card
    assert "| `sana` | Syrian Arab News Agency (SANA) | SYR | state news agency of Syria (Ministry of Information) | " \
           "`government` |" in card
    assert "removed every apostrophe and comma" in card and "53 documents hold" in card
    assert "not a judgement of ours" in card and "credible 414, fake 364, mixed 10" in card
    assert "doi       = {10.1609/icwsm.v13i01.3254}" in card
    licence = (project / "export" / "LICENSE").read_text(encoding="utf-8")
    assert "FA-KES article texts and their metadata" in licence and "Attribute the authors and the paper" in licence


def test_the_export_without_incidents_says_so(tmp_path):
    """The seed annotations alone report no event twice: the card says there is no incident yet."""
    root = tmp_path / "p"
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("releases", "fakes-*", "second"))
    assert CliRunner().invoke(main, ["export", "--project", str(root), "--quiet"]).exit_code == 0
    card = (root / "export" / "README.md").read_text(encoding="utf-8")
    assert "This release has no incident yet" in card and not (root / "export" / "incidents").exists()
    assert 'rows = datasets.load_dataset("path/to/export", "incidents", split="all")' in card
    assert "- 788 document(s) not annotated yet" in card


def run(*args):
    return CliRunner().invoke(main, ["incidents", *args], catch_exceptions=False)


def test_list_and_show_print_the_contested_numbers(project):
    result = run("list", "--type", "attack", "--date", "2013-08-21", "--place", "Ghouta", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "incident          type    days        places                            docs  outlets                    "
        "contested  min conf.",
        f"{GHOUTA_ID}  ATTACK  2013-08-21  Eastern Ghouta, Ghouta, Damascus  3     arabiya, reuters, sputnik  "
        "killed     0.75",
    ]
    shown = run("show", GHOUTA_ID, "--project", str(project)).output.splitlines()
    assert shown[0] == (f"{GHOUTA_ID}: ATTACK on 2013-08-21 at Eastern Ghouta, Ghouta, Damascus — 3 documents, 8 claims; "
                        "contested: killed")
    assert shown[1].split() == ["outlet", "FA-KES", "label", "claimant", "stance", "numbers", "culprits", "document",
                                "annotation", "conf."]
    assert shown[4].split("  ")[0] == "Reuters" and "killed: at least 213" in shown[4]
    assert "Sputnik (government)" in shown[7] and "killed: “dozens” (≥24)" in shown[7]


def test_show_json_and_the_errors(project):
    data = json.loads(run("show", GHOUTA_ID, "--json", "--project", str(project)).output)
    assert data["incident"]["documents"] == [ARABIYA, REUTERS, SPUTNIK] and len(data["claims"]) == 8
    assert data["claims"][0]["numbers"][0] | {"quantity_id": None} == {
        "quantity_id": None, "event_id": "e2", "measurand": "killed", "value": 1300.0, "low": None, "high": None,
        "qualifier": "at_least", "text": "1300"}
    missing = run("show", "inc-000000000000", "--project", str(project))
    assert missing.exit_code == 1 and missing.output == (
        "Error: no incident 'inc-000000000000' among 1 incident(s); `counterclaim incidents list` shows their ids\n")
    bad = run("list", "--type", "BOMBING", "--project", str(project))
    assert bad.exit_code == 1 and bad.output.startswith("Error: unknown event type 'BOMBING'; use one of ATTACK, CLASH")
    none = run("list", "--date", "2014-01-01", "--project", str(project))
    assert none.output == "no incident matches (1 incident(s) across the annotated documents)\n"
    assert json.loads(run("list", "--json", "--project", str(project)).output)[0]["contested"] == ["killed"]


def test_invalid_annotations_stop_the_command_with_their_place(project, tmp_path):
    broken = tmp_path / "p"
    shutil.copytree(project, broken)
    path = broken / "corpus" / "annotations" / f"{REUTERS}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["annotations"][0]["events"][0]["type"] = "BOMBING"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["incidents", "list", "--project", str(broken)])
    assert result.exit_code == 1
    assert "/annotations/0/events/0/type" in result.output and "validation error(s) in the annotations" in result.output


def test_the_export_groups_slim_reports_and_reads_the_members_whole_from_its_spool(ghouta, tmp_path):
    """The export keeps only what the rule compares in memory and the whole reports in a SQLite spool: the same
    incidents as grouping the whole reports, with every member's claims and source read back."""
    from counterclaim.hf.export import _ReportSpool

    spool = _ReportSpool(tmp_path / "reports.sqlite")
    whole = []
    for item in ghouta:
        found = event_reports(item, ONT)
        spool.add(found)
        whole += found
    try:
        assert whole and all(r.claims == () and r.source == {} for r in spool.slim)
        assert len(spool.slim) == len(whole)
        (incident,) = spool.incidents()
        assert spool.incidents() == find_incidents(whole)
        assert incident.id == GHOUTA_ID and all(m.report.claims and m.report.source for m in incident.members)
        assert claim_records(incident, ONT) == claim_records(incidents_of(ghouta, ONT)[0], ONT)
    finally:
        spool.close()
