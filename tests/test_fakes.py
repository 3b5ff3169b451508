"""FA-KES through `corpus add`: the real file row by row, its repeated rows, dates, outlets; small inputs for
every rule and reason."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.corpus.add import add_to_corpus
from counterclaim.corpus.build import build_corpus
from counterclaim.corpus.readers import input_kind
from counterclaim.corpus.readers_fakes import COLUMNS, FakesFieldError, parse_date
from counterclaim.errors import OntologyError
from counterclaim.model.ontology import load_ontology, parse_ontology
from helpers import REALDATA, REPO

FAKES = REALDATA / "news" / "fa-kes.csv"
SEEDS = REPO / "corpus" / "raw"
ONT = load_ontology(REPO / "schema")

needs_fakes = pytest.mark.skipif(not FAKES.exists(), reason=f"FA-KES is not at {FAKES} (../shared/realdata/news)")


def documents(corpus: Path) -> dict[str, dict]:
    lines = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {doc["doc_id"]: doc for doc in map(json.loads, lines)}


def seeded(root: Path) -> Path:
    (root / "raw").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, root / "raw" / seed.name)
    build_corpus(root, version="0.1.0")
    return root


# --- the real file ----------------------------------------------------------------------------------

# (row, merged into, relation) of every row that is not a document of its own, as the file has them
MERGED_ROWS = [
    (301, "fakes-1924058042", "same-text"), (316, "fakes-1919191772", "same-text"),
    (351, "fakes-1918398786", "same-text"), (375, "fakes-1918398793", "same-text"),
    (463, "fakes-1926479049", "same-id"), (464, "fakes-1926479049", "same-id"), (465, "fakes-1926479049", "same-id"),
    (491, "fakes-1926479112", "same-id-other-text"), (495, "fakes-1926479123", "same-id"),
    (503, "fakes-1926479154", "same-id"), (538, "fakes-1926479289", "same-id"), (540, "fakes-1926479296", "same-id"),
    (545, "fakes-1926479313", "same-id"), (546, "fakes-1926479313", "same-id"), (549, "fakes-1926479318", "same-id"),
    (575, "fakes-1962495645", "same-id"),
]  # fmt: skip


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    corpus = seeded(tmp_path_factory.mktemp("fakes") / "corpus")
    seeds_before = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    report = add_to_corpus(FAKES, corpus)
    return corpus, report, seeds_before


@needs_fakes
def test_every_row_is_ingested_or_reported(added):
    corpus, report, _ = added
    assert report.kind == "fakes-csv" and report.rows == 804
    assert (len(report.ingested), len(report.merged), len(report.problems), report.already_present) == (788, 16, 0, 0)
    rows = {int(r["row"]) for r in documents(corpus)["fakes-1926479049"]["source"]["source_records"]}
    assert rows == {462, 463, 464, 465}
    merged = [(p.row, p.merged_into) for p in report.merged]
    assert merged == [(row, into) for row, into, _ in MERGED_ROWS]
    docs = documents(corpus)
    # every row of the file is a document's record, exactly once
    recorded = Counter(r["row"] for d in docs.values() if d["source"]["kind"] == "fakes-csv"
                       for r in d["source"]["source_records"])
    assert sorted(recorded) == list(range(1, 805)) and set(recorded.values()) == {1}
    relations = {(r["row"], d["doc_id"], r["relation"]) for d in docs.values() if d["source"]["kind"] == "fakes-csv"
                 for r in d["source"]["source_records"] if r["relation"] != "kept"}
    assert sorted(relations) == MERGED_ROWS
    assert len(docs) == 5 + 788


@needs_fakes
def test_the_report_says_what_happened_to_each_repeated_row(added):
    _, report, _ = added
    lines = {p.row: str(p) for p in report.merged}
    assert lines[463] == (
        "fa-kes.csv: row 463 (id fakes-1926479049): same unit_id and text as row 462: merged into document "
        "fakes-1926479049 (label fake here, credible in row 462; governorate Aleppo here, Damascus in row 462)")
    assert lines[491] == (
        "fa-kes.csv: row 491 (id fakes-1926479112): same unit_id as row 490 but another text (from character 237: "
        "row 490 has “…Attacks on Saraqib Idlib. Activists said regime …”, this row “…Attacks on Saraqib Idlib "
        "Twitter font size Activ…”): not ingested; recorded on document fakes-1926479112 (label credible here, fake "
        "in row 490)")
    assert lines[351] == (
        "fa-kes.csv: row 351 (id fakes-1924058140): duplicate content: same text as id fakes-1918398786 in row 40; "
        "recorded on that document as a second FA-KES unit_id (label fake here, credible in row 40; date 2017-04-14 "
        "here, 2017-04-02 in row 40)")
    assert lines[375].endswith("recorded on that document as a second FA-KES unit_id")  # nothing differs


@needs_fakes
def test_conflicting_labels_are_kept_never_picked(added):
    docs = documents(added[0])
    one = docs["fakes-1926479123"]["source"]
    assert one["credibility"] == "mixed" and one["source_ids"] == ["1926479123"]
    assert [(r["row"], r["label"]) for r in one["source_records"]] == [(494, "fake"), (495, "credible")]
    several = docs["fakes-1926479049"]["source"]  # one article, rows for two governorates
    assert (several["credibility"], several["location"], several["date"]) == ("mixed", None, "2016-11-18")
    assert [(r["location"], r["label"]) for r in several["source_records"]] == [
        ("Damascus", "credible"), ("Aleppo", "fake"), ("Aleppo", "fake"), ("Aleppo", "fake")]
    agreeing = docs["fakes-1918398793"]["source"]
    assert (agreeing["credibility"], agreeing["date"], agreeing["location"]) == ("credible", "2016-07-05", "Al-Hasakah")
    credibility = Counter(d["source"]["credibility"] for d in docs.values() if d["source"]["kind"] == "fakes-csv")
    assert credibility == {"credible": 414, "fake": 364, "mixed": 10}
    assert {d["source"]["credibility_by"] for d in docs.values() if d["source"]["kind"] == "fakes-csv"} == {
        "FA-KES authors: the article's casualty facts checked against the VDC casualty database"}


@needs_fakes
def test_a_repeated_id_with_another_text_keeps_the_first_text(added):
    doc = documents(added[0])["fakes-1926479112"]
    assert "Attacks on Saraqib Idlib. Activists said" in doc["text"] and "Twitter font size" not in doc["text"]
    assert [(r["row"], r["relation"]) for r in doc["source"]["source_records"]] == [
        (490, "kept"), (491, "same-id-other-text")]
    stored = [json.loads(line) for line in (added[0] / "raw" / "fa-kes.jsonl").read_text("utf-8").splitlines()]
    kept = next(r for r in stored if r["unit_id"] == "1926479112")
    assert kept["_source"]["row"] == 490
    assert [m["row"] for m in kept["_source"]["merged"]] == [491]
    assert "Twitter font size" in kept["_source"]["merged"][0]["fields"]["article_content"]  # kept, as read


@needs_fakes
def test_one_article_under_two_ids_is_one_document_with_both_ids(added):
    docs = documents(added[0])
    assert "fakes-1924058140" not in docs
    both = docs["fakes-1918398786"]["source"]
    assert both["source_ids"] == ["1918398786", "1924058140"]
    assert (both["credibility"], both["date"]) == ("mixed", None)  # the two rows disagree on both


@needs_fakes
def test_dates_are_iso_and_the_source_metadata_is_kept(added):
    docs = documents(added[0])
    first = docs["fakes-1914947530"]
    assert first["source"] | {"source_records": None} == {
        "kind": "fakes-csv", "path": "raw/fa-kes.jsonl", "row": 1, "url": None, "domain": None, "published": None,
        "retrieved_at": None, "reliability": None, "authors": None, "dataset": "FA-KES", "outlet": "nna",
        "date": "2017-04-05", "location": "Idlib", "credibility": "fake",
        "credibility_by": "FA-KES authors: the article's casualty facts checked against the VDC casualty database",
        "source_ids": ["1914947530"], "source_records": None,
    }  # fmt: skip
    fakes = [d for d in docs.values() if d["source"]["kind"] == "fakes-csv"]
    dates = [d["source"]["date"] for d in fakes]
    assert sum(date is None for date in dates) == 3  # rows of one article with different dates
    assert min(filter(None, dates)) == "2011-02-02" and max(filter(None, dates)) == "2018-07-18"


@needs_fakes
def test_every_outlet_and_governorate_of_the_file_is_known():
    with FAKES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    outlets = {row["source"] for row in rows}
    assert outlets <= set(ONT.outlet_by_id) and len(outlets) == 15
    from counterclaim.corpus.places import governorate

    assert {governorate(row["location"]) for row in rows} == {
        "Aleppo", "Damascus", "Idlib", "Deir ez-Zor", "Raqqa", "Homs", "Al-Hasakah", "Hama", "Daraa", "Latakia",
        "Quneitra", "Tartus"}  # fmt: skip


@needs_fakes
def test_texts_are_kept_as_the_dataset_has_them(added):
    fakes = [d for d in documents(added[0]).values() if d["source"]["kind"] == "fakes-csv"]
    assert not any("'" in d["text"] or "," in d["text"] for d in fakes)  # stripped by the dataset's authors
    assert sum("\ufffd" in d["text"] for d in fakes) == 53  # lost characters stay visible
    assert documents(added[0])["fakes-1924058042"]["title"] == "At least 70 killed in north of Syria\ufffd_s Aleppo \ufffd_ monitor | Jordan Times"


@needs_fakes
def test_seeds_keep_their_bytes_and_the_build_is_deterministic(added, tmp_path):
    corpus, _, seeds_before = added
    lines = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith('{"doc_id":"fakes-')] == seeds_before
    assert build_corpus(corpus).written == []
    outputs = []
    for name in ("one", "two"):
        shutil.copytree(corpus / "raw", tmp_path / name / "raw")
        build_corpus(tmp_path / name, version="0.2.0")
        outputs.append({f: (tmp_path / name / f).read_bytes() for f in ("documents.jsonl", "manifest.json", "CHANGELOG.md")})
    assert outputs[0] == outputs[1]
    assert outputs[0]["documents.jsonl"] == (corpus / "documents.jsonl").read_bytes()


@needs_fakes
def test_readding_fakes_changes_nothing(added):
    corpus = added[0]
    before = {p.name: p.read_bytes() for p in (corpus / "raw").iterdir()}
    report = add_to_corpus(FAKES, corpus)
    assert (len(report.ingested), report.already_present, len(report.merged), report.build) == (0, 788, 16, None)
    assert {p.name: p.read_bytes() for p in (corpus / "raw").iterdir()} == before


@needs_fakes
def test_cli_lists_every_merged_row(tmp_path):
    result = CliRunner().invoke(main, ["corpus", "add", str(FAKES), "--corpus", str(tmp_path / "c"), "--quiet"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "fa-kes.csv: ingested 788, merged into other rows' documents 16, skipped 0"
    assert [int(line.split("row ")[1].split(" ")[0]) for line in lines[1:17]] == [row for row, _, _ in MERGED_ROWS]
    assert lines[-1] == "counterclaim 0.0.0: 788 documents (added 788, text changed 0, removed 0); outputs written"


# --- small inputs: one row per rule and reason --------------------------------------------------------


def fakes_csv(path: Path, rows: list[list[str]], header=COLUMNS) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


SMALL = [
    ["100", "Ten killed in Aleppo", "Ten people were killed in Aleppo on Monday.", "sana", "8/21/2013", "aleppo", "1"],
    ["101", "Shelling in Homs", "Shelling hit Homs.", "etilaf", "21/8/2013", "homs", "1"],
    ["102", "Shelling in Homs", "Shelling hit Homs.", "etilaf", "2/30/2015", "homs", "0"],
    ["103", "Raid in Hama", "A raid in Hama.", "reuters", "3/1/2015", "hama", "yes"],
    ["104", "Raid in Suwayda", "A raid in Suwayda.", "reuters", "3/1/2015", "sweida", "1"],
    ["105", "Raid in Gaza", "A raid in Gaza.", "reuters", "3/1/2015", "gaza", "1"],
    ["100", "Ten killed in Aleppo", "Ten people were killed in Aleppo on Monday.", "sana", "8/21/2013", "aleppo", "0"],
    ["100", "Ten killed in Aleppo", "Ten people were killed in Aleppo on Monday. Share this", "sana", "8/21/2013",
     "aleppo", "1"],
    ["107", "Other title", "Ten people were killed in Aleppo on Monday.", "alalam", "8/22/2013", "aleppo", "1"],
    ["108", "Too short"],
    ["bad id", "Title", "Body.", "sana", "1/1/2015", "idlib", "1"],
    ["110", "", "Body without a title.", "sana", "1/1/2015", "idlib", "1"],
]  # fmt: skip

SMALL_REPORT = [
    "small.csv: row 2 (id fakes-101): unreadable date '21/8/2013': month 21, day 8 is not a day of 2013",
    "small.csv: row 3 (id fakes-102): unreadable date '2/30/2015': month 2, day 30 is not a day of 2015",
    "small.csv: row 4 (id fakes-103): unknown label 'yes': FA-KES labels are 1 (credible) or 0 (fake)",
    "small.csv: row 6 (id fakes-105): unknown governorate 'gaza': expected one of Aleppo, Al-Hasakah, As-Suwayda, "
    "Damascus, Daraa, Deir ez-Zor, Hama, Homs, Idlib, Latakia, Quneitra, Raqqa, Rif Dimashq, Tartus (or a spelling "
    "listed in corpus/places.py)",
    "small.csv: row 7 (id fakes-100): same unit_id and text as row 1: merged into document fakes-100 (label fake "
    "here, credible in row 1)",
    "small.csv: row 8 (id fakes-100): same unit_id as row 1 but another text (from character 65: row 1 has "
    "“…led in Aleppo on Monday.”, this row “…led in Aleppo on Monday. Share this”): not ingested; recorded "
    "on document fakes-100",
    "small.csv: row 9 (id fakes-107): duplicate content: same text as id fakes-100 in row 1; recorded on that "
    "document as a second FA-KES unit_id (date 2013-08-22 here, 2013-08-21 in row 1)",
    "small.csv: row 10 (id fakes-108): 2 fields where the header has 7",
    "small.csv: row 11: invalid unit_id 'bad id': expected letters, digits, '.', '_' or '-'",
    "small.csv: row 12 (id fakes-110): missing title: the title is empty after normalisation",
]


def test_each_rule_and_reason_on_a_small_file(tmp_path):
    source = fakes_csv(tmp_path / "small.csv", SMALL)
    report = add_to_corpus(source, tmp_path / "c")
    shown = sorted(report.problems + report.merged, key=lambda p: p.row)
    assert [str(p) for p in shown] == SMALL_REPORT
    assert report.ingested == ["fakes-100", "fakes-104"] and report.rows == 12
    assert [p.row for p in report.merged] == [7, 8, 9]
    docs = documents(tmp_path / "c")
    assert docs["fakes-104"]["source"]["location"] == "As-Suwayda"
    assert docs["fakes-100"]["source"]["source_ids"] == ["100", "107"]
    assert [(r["row"], r["relation"], r["label"]) for r in docs["fakes-100"]["source"]["source_records"]] == [
        (1, "kept", "credible"), (7, "same-id", "fake"), (8, "same-id-other-text", "credible"),
        (9, "same-text", "credible")]


def test_cli_prints_rows_in_file_order_with_the_merged_count(tmp_path):
    source = fakes_csv(tmp_path / "small.csv", SMALL)
    result = CliRunner().invoke(main, ["corpus", "add", str(source), "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "small.csv: ingested 2, merged into other rows' documents 3, skipped 7", *SMALL_REPORT,
        "counterclaim 0.0.0: 2 documents (added 2, text changed 0, removed 0); outputs written"]
    report = json.loads(CliRunner().invoke(main, ["corpus", "add", str(source), "--corpus", str(tmp_path / "c"),
                                                  "--json"]).output)
    assert (report["merged"], report["skipped"], report["already_present"]) == (3, 7, 2)
    assert report["merged_rows"][0] == {"file": "small.csv", "row": 7, "id": "fakes-100",
                                        "reason": SMALL_REPORT[4].split("(id fakes-100): ")[1],
                                        "merged_into": "fakes-100"}


def test_merged_rows_of_a_refused_record_are_refused_too(tmp_path):
    corpus = tmp_path / "c"
    add_to_corpus(fakes_csv(tmp_path / "first.csv", [SMALL[0]]), corpus)
    rows = [["200", "Another title", SMALL[0][2], "sana", "8/21/2013", "aleppo", "1"],
            ["200", "Another title", SMALL[0][2], "sana", "8/21/2013", "aleppo", "0"]]
    report = add_to_corpus(fakes_csv(tmp_path / "second.csv", rows), corpus)
    assert [str(p) for p in report.problems] == [
        "second.csv: row 1 (id fakes-200): duplicate content: same text as id fakes-100, already in the corpus from "
        "raw/first.jsonl row 1",
        "second.csv: row 2 (id fakes-200): same unit_id and text as row 1: merged into document fakes-200 (label "
        "fake here, credible in row 1); but row 1 was not ingested, so neither is this one",
    ]
    assert report.merged == [] and not report.ok


@pytest.mark.parametrize("text,expected", [("8/21/2013", "2013-08-21"), ("1/2/2011", "2011-01-02"),
                                           (" 12/31/2018 ", "2018-12-31")])
def test_dates_are_month_day_year(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2013-08-21", "8/21/13", "", "13/1/2015", "Aug 21 2013"])
def test_other_date_forms_are_reported_not_guessed(text):
    with pytest.raises(FakesFieldError, match="unreadable date"):
        parse_date(text)


def test_the_kind_of_a_csv_comes_from_its_header(tmp_path):
    assert input_kind(fakes_csv(tmp_path / "a.csv", [], header=list(reversed(COLUMNS)))) == "fakes-csv"
    assert input_kind(fakes_csv(tmp_path / "FAKES.CSV", [])) == "fakes-csv"
    other = tmp_path / "b.csv"
    other.write_text(",id,domain,type,url,content,title\n", encoding="utf-8")
    assert input_kind(other) == "fakenewscorpus-csv"
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert input_kind(tmp_path / "empty.csv") == "fakenewscorpus-csv"  # whose reader says the file is empty


# --- the outlet registry ----------------------------------------------------------------------------


def test_outlets_carry_what_the_card_needs():
    sana, reuters = ONT.outlet_by_id["sana"], ONT.outlet_by_id["reuters"]
    assert (sana.country, sana.side, sana.domain) == ("SYR", "government", "sana.sy")
    assert "state news agency of Syria" in sana.affiliation
    assert (reuters.side, reuters.qid) == (None, "Q130879")
    assert {o.side for o in ONT.outlets} == {"government", "opposition", None}


@pytest.mark.parametrize("change,message", [
    (lambda o: o["outlets"].append(dict(o["outlets"][0])), "outlets[15]: outlet id `sana` is declared twice"),
    (lambda o: o["outlets"][0].update(side="loyalist"),
     "outlets[0] (`sana`): side 'loyalist' is not one of ['government', 'opposition'] (declared under "
     "`outlet_sides`) or null"),
    (lambda o: o["outlets"][0].update(qid="1234"), "outlets[0] (`sana`): qid '1234' is not a Wikidata item id"),
    (lambda o: o["outlets"][0].update(domain="https://sana.sy/"), "outlets[0] (`sana`): domain 'https://sana.sy/' "),
    (lambda o: o["outlets"][0].pop("affiliation"), "outlets[0] needs an `id`, a `name` and an `affiliation`"),
])  # fmt: skip
def test_the_outlet_registry_is_checked(change, message):
    import yaml

    raw = yaml.safe_load((REPO / "schema" / "ontology.yaml").read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(OntologyError) as exc:
        parse_ontology(raw, "ontology.yaml")
    assert message in str(exc.value)


def test_an_ontology_without_outlets_still_loads():
    import yaml

    raw = yaml.safe_load((REPO / "schema" / "ontology.yaml").read_text(encoding="utf-8"))
    del raw["outlets"], raw["outlet_sides"]
    assert parse_ontology(raw).outlets == ()
