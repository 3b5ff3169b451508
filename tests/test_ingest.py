"""``add_to_corpus``: txt folders, JSONL and FakeNewsCorpus CSV, every bad row reported with its reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from counterclaim.corpus.add import add_to_corpus, load_reliability_map
from counterclaim.corpus.build import build_corpus
from counterclaim.errors import CorpusError, InputError

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "corpus" / "raw"
REALDATA = REPO.parent / "shared" / "realdata" / "news"
FNC_SAMPLE = REALDATA / "fakenewscorpus_news_sample.csv"
FNC_WEBSITES = REALDATA / "fakenewscorpus_websites.csv"
FNC_HEADER = [
    "", "id", "domain", "type", "url", "content", "scraped_at", "inserted_at", "updated_at", "title", "authors",
    "keywords", "meta_keywords", "meta_description", "tags", "summary",
]  # fmt: skip
ID_RULE = "ids must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

needs_realdata = pytest.mark.skipif(
    not FNC_SAMPLE.exists(), reason=f"the real FakeNewsCorpus sample is not at {REALDATA} (../shared/realdata/news)"
)


def seeded_corpus(root: Path, *, version: str | None = "0.0.1") -> Path:
    raw = root / "raw"
    raw.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        (raw / seed.name).write_bytes(seed.read_bytes())
    build_corpus(root, version=version)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def documents(corpus: Path) -> dict[str, dict]:
    lines = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {doc["doc_id"]: doc for doc in map(json.loads, lines)}


def fnc_row(index: int, doc_id: str, *, content: str, title: str, domain="example.org", kind="reliable") -> list[str]:
    row = dict.fromkeys(FNC_HEADER, "")
    row.update({
        "": str(index), "id": doc_id, "domain": domain, "type": kind, "url": f"https://{domain}/{doc_id}",
        "content": content, "scraped_at": "2018-01-25 16:17:44.789555", "title": title, "authors": "Ruth Harris",
    })  # fmt: skip
    return [row[c] for c in FNC_HEADER]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FNC_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_bad_fnc_csv(path: Path) -> Path:
    """One row per reason; row 1 spans several lines, so record numbers differ from line numbers."""
    rows = [
        fnc_row(0, "101", content="First line.\n\nSecond line, with “quotes”.", title="Good one"),
        fnc_row(1, "102", content="Share\n\nAdvertisement\n", title="Only residue"),
        fnc_row(2, "103", content="Body text.", title="  \u00a0"),
        fnc_row(3, "101", content="Different body.", title="Duplicate id"),
        fnc_row(4, "105", content="First line.\n\nSecond line, with “quotes”.", title="Other title"),
        fnc_row(5, "106", content="CAFE_PLACEHOLDER", title="Latin-1"),
        fnc_row(6, "bad id", content="Fine body.", title="Fine"),
        ["7", "108", "example.org"],
        fnc_row(8, "109", content="Newsmax body.", title="Newsmax", domain="www.newsmax.com", kind=""),
    ]
    data = csv_bytes(rows).replace(b"CAFE_PLACEHOLDER", "Café".encode("latin-1"))
    path.write_bytes(data)
    return path


BAD_CSV_PROBLEMS = [
    "news.csv: row 2 (id 102): empty content: no article text after normalisation",
    "news.csv: row 3 (id 103): missing title: the title is empty after normalisation",
    "news.csv: row 4 (id 101): duplicate id: also used by row 1",
    "news.csv: row 5 (id 105): duplicate content: same text as id 101 in row 1",
    "news.csv: row 6 (id 106): undecodable bytes: not valid UTF-8 (field 'content')",
    f"news.csv: row 7 (id bad id): invalid id 'bad id': {ID_RULE}",
    "news.csv: row 8 (id 108): 3 fields where the header has 16",
]


# --- FakeNewsCorpus CSV -----------------------------------------------------------------------------


def test_csv_rows_are_ingested_or_reported_with_row_and_reason(tmp_path):
    source = write_bad_fnc_csv(tmp_path / "news.csv")
    corpus = tmp_path / "scratch"
    report = add_to_corpus(source, corpus, name="scratch")
    assert [str(p) for p in report.problems] == BAD_CSV_PROBLEMS
    assert report.ingested == ["101", "109"] and report.rows == 9 and report.ok
    docs = documents(corpus)
    assert sorted(docs) == ["101", "109"]
    assert docs["101"]["text"] == "Good one\n\nFirst line.\n\nSecond line, with “quotes”."
    assert docs["101"]["source"] == {
        "kind": "fakenewscorpus-csv", "path": "raw/news.jsonl", "row": 1, "url": "https://example.org/101",
        "domain": "example.org", "published": None, "retrieved_at": "2018-01-25 16:17:44.789555",
        "reliability": "reliable", "authors": "Ruth Harris",
    }  # fmt: skip
    assert docs["109"]["source"]["reliability"] is None
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["version"], manifest["document_count"]) == ("scratch", "0.0.0", 2)


def test_csv_raw_store_keeps_original_fields_and_origin(tmp_path):
    source = write_bad_fnc_csv(tmp_path / "news.csv")
    add_to_corpus(source, tmp_path / "scratch")
    stored = [
        json.loads(line) for line in (tmp_path / "scratch" / "raw" / "news.jsonl").read_text("utf-8").splitlines()
    ]
    assert [r["_source"] for r in stored] == [
        {"file": "news.csv", "row": 1, "format": "fakenewscorpus-csv"},
        {"file": "news.csv", "row": 9, "format": "fakenewscorpus-csv"},
    ]
    assert {k: v for k, v in stored[0].items() if k != "_source"} == dict(
        zip(FNC_HEADER, fnc_row(0, "101", content="First line.\n\nSecond line, with “quotes”.", title="Good one"))
    )


def test_reliability_map_fills_missing_reliability(tmp_path):
    source = write_bad_fnc_csv(tmp_path / "news.csv")
    websites = tmp_path / "websites.csv"
    websites.write_text(
        ",url,type,2nd_type,3rd_type,active\n0,newsmax.com,unreliable,,,\n1,example.org,fake,,,\n", encoding="utf-8"
    )
    corpus = tmp_path / "scratch"
    add_to_corpus(source, corpus, reliability_map=websites)
    docs = documents(corpus)
    assert docs["109"]["source"]["reliability"] == "unreliable"  # www.newsmax.com matched without www.
    assert docs["101"]["source"]["reliability"] == "reliable"  # the row's own label wins
    stored = (corpus / "raw" / "news.jsonl").read_text("utf-8").splitlines()
    assert json.loads(stored[1])["_source"]["reliability_map"] == {"file": "websites.csv", "reliability": "unreliable"}
    assert json.loads(stored[1])["type"] == ""  # the original field stays as read
    # the build reads the filled value back from the raw store
    assert build_corpus(corpus).written == []


def test_reliability_map_leaves_out_ambiguous_domains(tmp_path):
    websites = tmp_path / "websites.csv"
    websites.write_text(
        ",url,type\n0,Example.org,fake\n1,example.org,satire\n2,www.rt.com,state\n3,bias.net,bias\n4,bias.net,bias\n",
        encoding="utf-8",
    )
    assert load_reliability_map(websites) == {"rt.com": "state", "bias.net": "bias"}


def test_csv_without_the_fakenewscorpus_columns_is_unusable(tmp_path):
    source = tmp_path / "other.csv"
    source.write_text("id,headline,body\n1,a,b\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        add_to_corpus(source, tmp_path / "scratch")
    assert str(exc.value) == (
        f"{source}: not in the FakeNewsCorpus layout: missing column(s) domain, type, url, content, title; "
        "the header must name at least id, domain, type, url, content, title"
    )
    assert not (tmp_path / "scratch").exists()


# --- JSONL ------------------------------------------------------------------------------------------

JSONL_ROWS = [
    {"id": "j1", "title": "T1", "text": "Body one.", "url": "https://example.org/j1", "publisher": "Example"},
    {"doc_id": 7, "title": "T2", "content": "Body two.", "date": "2015-10-30", "authors": ["A", "B"]},
    {"id": "j3", "title": "", "text": "Body three."},
    {"id": "j4", "title": "T4", "text": "  \u00a0\nAdvertisement\n"},
    {"id": "j1", "title": "T5", "text": "Body five."},
    {"id": "j6", "title": "T6", "text": "Body one."},
    ["not", "an", "object"],
    {"id": "a/b", "title": "T8", "text": "Body eight."},
    {"id": "j9", "doc_id": "x9", "title": "T9", "text": "Body nine."},
    {"id": "j10", "title": 5, "text": "Body ten."},
    {"id": "j11", "title": "T11", "text": "Body eleven.", "_source": {"file": "x"}},
    None,  # a blank line: skipped, but it still counts for line numbers
    {"title": "No id", "text": "Body thirteen.", "reliability": "reliable"},
    {"id": "j14", "title": "T14", "text": "Body \ud800 fourteen."},
]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join("\n" if r is None else json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_rows_are_ingested_or_reported_with_line_and_reason(tmp_path):
    source = write_jsonl(tmp_path / "export.jsonl", JSONL_ROWS)
    corpus = tmp_path / "scratch"
    report = add_to_corpus(source, corpus)
    assert [str(p) for p in report.problems] == [
        "export.jsonl: row 3 (id j3): missing title: the title is empty after normalisation",
        "export.jsonl: row 4 (id j4): empty content: no article text after normalisation",
        "export.jsonl: row 5 (id j1): duplicate id: also used by row 1",
        "export.jsonl: row 6 (id j6): duplicate content: same text as id j1 in row 1",
        "export.jsonl: row 7: not a JSON object but list",
        f"export.jsonl: row 8 (id a/b): invalid id 'a/b': {ID_RULE}",
        "export.jsonl: row 9 (id j9): fields 'id' and 'doc_id' differ ('j9', 'x9'); give only one",
        "export.jsonl: row 10 (id j10): field 'title' must be a string, not int",
        "export.jsonl: row 11: field '_source' is reserved for the corpus raw store",
        "export.jsonl: row 14: undecodable text: a lone surrogate escape (\\ud800-\\udfff without its pair) is not a "
        "character; fix the text (column 45)",
    ]
    content_id = report.ingested[2]
    assert report.ingested == ["j1", "7", content_id] and len(content_id) == 16
    docs = documents(corpus)
    assert docs["j1"]["source"]["domain"] == "Example" and docs["j1"]["source"]["kind"] == "jsonl"
    assert docs["7"]["source"]["published"] == "2015-10-30" and docs["7"]["source"]["authors"] == "A, B"
    assert docs[content_id]["text"] == "No id\n\nBody thirteen." and docs[content_id]["source"]["row"] == 3


def test_jsonl_lines_that_are_not_utf8_or_not_json_are_reported_and_the_rest_ingested(tmp_path):
    source = tmp_path / "export.jsonl"
    source.write_bytes(
        b'{"id": "j1", "title": "T", "text": "ok"}\n'
        b'{"id": "j2", "title": "Caf\xe9", "text": "x"}\n'
        b'{"id": "j3", "title": oops}\n'
    )
    report = add_to_corpus(source, tmp_path / "scratch")
    assert report.ingested == ["j1"]
    assert [str(p) for p in report.problems] == [
        "export.jsonl: row 2: undecodable bytes: not valid UTF-8 (byte 26 of the line); save the file as UTF-8",
        "export.jsonl: row 3: invalid JSON: Expecting value (column 23)",
    ]


# --- .txt folders -----------------------------------------------------------------------------------


def test_txt_folder_files_are_ingested_or_reported(tmp_path):
    corpus = seeded_corpus(tmp_path / "corpus")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "010_abcdef0123456789.txt").write_text("Share\nA new headline\n\nA new body.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("Share\n\nLeave a Reply\nConnecting to %s\n", encoding="utf-8")
    (folder / "title-only.txt").write_text("Just a headline\n\nAdvertisement\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Café headline\nbody\n".encode("latin-1"))
    (folder / "011_17a8eb7dc5290d52.txt").write_text("Other headline\nOther body.\n", encoding="utf-8")
    (folder / "copy-of-seed.txt").write_bytes((SEEDS / "001_01c6e4c94616b3f2.txt").read_bytes())
    (folder / "000_17a8eb7dc5290d52.txt").write_bytes((SEEDS / "000_17a8eb7dc5290d52.txt").read_bytes())
    (folder / "004_f7adc2e7615265e7.txt").write_text("Changed headline\nChanged body.\n", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    report = add_to_corpus(folder, corpus)
    assert [str(p) for p in report.problems] == [
        "004_f7adc2e7615265e7.txt (id f7adc2e7615265e7): file name clash: raw/004_f7adc2e7615265e7.txt already "
        "exists with different bytes; rename the file to add it",
        "011_17a8eb7dc5290d52.txt (id 17a8eb7dc5290d52): duplicate id: already in the corpus from "
        "raw/000_17a8eb7dc5290d52.txt",
        "copy-of-seed.txt (id 5ae7d0f0a57b1a8d): duplicate content: same text as id 01c6e4c94616b3f2, already in "
        "the corpus from raw/001_01c6e4c94616b3f2.txt",
        "empty.txt: empty content: no article text after normalisation",
        "latin1.txt: undecodable bytes: not valid UTF-8 (byte 3)",
        "title-only.txt: empty content: no article text after normalisation",
    ]
    assert report.ingested == ["abcdef0123456789"] and report.already_present == 1 and report.rows == 8
    assert report.raw_written == ["raw/010_abcdef0123456789.txt"]
    assert (corpus / "raw" / "010_abcdef0123456789.txt").read_bytes() == (
        folder / "010_abcdef0123456789.txt"
    ).read_bytes()
    assert documents(corpus)["abcdef0123456789"]["text"] == "A new headline\n\nA new body."
    assert report.build is not None and report.build.added == ["abcdef0123456789"]


def test_empty_txt_folder_is_unusable(tmp_path):
    (tmp_path / "incoming").mkdir()
    with pytest.raises(InputError, match=r"incoming: no \.txt files in this folder; corpus add accepts a folder"):
        add_to_corpus(tmp_path / "incoming", tmp_path / "scratch")


@pytest.mark.parametrize("name", ["notes.md", "data.json"])
def test_other_inputs_are_refused_with_what_is_accepted(tmp_path, name):
    (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        add_to_corpus(tmp_path / name, tmp_path / "scratch")
    assert str(exc.value) == (
        f"{tmp_path / name}: cannot read this kind of file; corpus add accepts a folder of .txt files, "
        "a .jsonl file, or a FakeNewsCorpus or FA-KES .csv file"
    )


# --- nothing half-written ---------------------------------------------------------------------------


def test_input_without_usable_rows_writes_nothing(tmp_path):
    source = write_jsonl(tmp_path / "bad.jsonl", [{"id": "x", "title": "", "text": "Body."}])
    report = add_to_corpus(source, tmp_path / "scratch")
    assert not report.ok and report.ingested == [] and len(report.problems) == 1
    assert not (tmp_path / "scratch").exists()


def test_failing_rebuild_removes_the_new_raw_files(tmp_path):
    corpus = seeded_corpus(tmp_path / "corpus")
    seed = corpus / "raw" / "002_b9349cabdf37dc18.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Russia Guts", b"Russia Guts the"))  # a pending text change
    before = snapshot(corpus)
    source = write_jsonl(tmp_path / "export.jsonl", [{"id": "j1", "title": "T1", "text": "Body one."}])
    with pytest.raises(CorpusError, match=r"re-run with --version 0\.1\.0"):
        add_to_corpus(source, corpus)
    assert snapshot(corpus) == before


def test_readding_the_same_input_is_a_no_op(tmp_path):
    source = write_bad_fnc_csv(tmp_path / "news.csv")
    corpus = tmp_path / "scratch"
    add_to_corpus(source, corpus)
    before = snapshot(corpus)
    report = add_to_corpus(source, corpus)
    assert report.ok and report.ingested == [] and report.already_present == 2 and report.build is None
    assert [str(p) for p in report.problems] == BAD_CSV_PROBLEMS
    assert snapshot(corpus) == before


def test_a_different_input_with_the_same_name_is_refused(tmp_path):
    corpus = tmp_path / "scratch"
    add_to_corpus(write_jsonl(tmp_path / "export.jsonl", [{"id": "j1", "title": "T", "text": "One."}]), corpus)
    before = snapshot(corpus)
    other = tmp_path / "other"
    other.mkdir()
    source = write_jsonl(other / "export.jsonl", [{"id": "j2", "title": "T", "text": "Two."}])
    with pytest.raises(CorpusError) as exc:
        add_to_corpus(source, corpus)
    assert str(exc.value) == (
        "raw/export.jsonl already exists with different content (from an earlier `corpus add` of a file named "
        "export.jsonl, or of this one with other options); rename the input file to add it as a separate source"
    )
    assert snapshot(corpus) == before


# --- ids stay stable ---------------------------------------------------------------------------------


def test_adding_keeps_existing_ids_and_texts(tmp_path):
    corpus = seeded_corpus(tmp_path / "corpus")
    old = documents(corpus)
    report = add_to_corpus(write_bad_fnc_csv(tmp_path / "news.csv"), corpus)
    new = documents(corpus)
    assert {i: new[i] for i in old} == old
    assert sorted(new) == sorted([*old, "101", "109"])
    assert report.build.version == "0.0.1" and report.build.added == ["101", "109"]


def test_progress_hook_sees_every_row(tmp_path):
    seen = []

    def progress(items, total):
        seen.append(total)
        return items

    add_to_corpus(write_bad_fnc_csv(tmp_path / "news.csv"), tmp_path / "scratch", progress=progress)
    assert seen == [9]


# --- the real FakeNewsCorpus sample ------------------------------------------------------------------


@needs_realdata
def test_real_sample_every_row_is_ingested_or_reported(tmp_path):
    corpus = seeded_corpus(tmp_path / "corpus")
    report = add_to_corpus(FNC_SAMPLE, corpus)
    assert report.rows == 250
    assert len(report.ingested) + len(report.problems) + report.already_present == 250
    assert len(report.problems) == 11 and len(report.ingested) == 239
    assert all(p.reason.startswith("duplicate content: same text as id ") for p in report.problems)
    assert str(report.problems[0]) == (
        "fakenewscorpus_news_sample.csv: row 127 (id 21110): duplicate content: same text as id 20749 in row 124"
    )
    assert str(report.problems[-1]) == (
        "fakenewscorpus_news_sample.csv: row 236 (id 37842): duplicate content: same text as id 37771 in row 235"
    )
    docs = documents(corpus)
    assert len(docs) == 244
    fnc = [d for d in docs.values() if d["source"]["kind"] == "fakenewscorpus-csv"]
    assert len(fnc) == 239 and sum(1 for d in fnc if d["source"]["reliability"] is None) == 12
    assert all(d["source"]["published"] is None for d in docs.values())
    assert len((corpus / "raw" / "fakenewscorpus_news_sample.jsonl").read_text("utf-8").splitlines()) == 239


@needs_realdata
def test_real_sample_with_the_websites_map_has_no_unknown_reliability(tmp_path):
    corpus = tmp_path / "scratch"
    report = add_to_corpus(FNC_SAMPLE, corpus, reliability_map=FNC_WEBSITES)
    assert len(report.ingested) == 239
    docs = documents(corpus)
    assert [d["source"]["reliability"] for d in docs.values()].count(None) == 0
    assert {d["source"]["reliability"] for d in docs.values() if d["source"]["domain"] == "www.newsmax.com"} == {
        "unreliable"
    }
