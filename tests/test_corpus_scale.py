"""The corpus at scale: references to large inputs, manifest shards, summarised changelog sections, ``corpus
check``, and memory that does not grow with the documents. Small limits (``Limits``) make each path reachable
with a handful of documents."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.corpus.add import add_to_corpus
from counterclaim.corpus.build import build_corpus
from counterclaim.corpus.check import check_corpus
from counterclaim.corpus.limits import Limits
from counterclaim.corpus.manifest import SHARD_SCHEME, entry_line, shard_of, write_manifest
from counterclaim.errors import CorpusError, RawInputMissing
from counterclaim.io.jsonio import dump_bytes, sha256_text
from helpers import REALDATA, REPO

FAKES_CSV = REALDATA / "news" / "fa-kes.csv"
LISTED = Limits(manifest_documents=3, changelog_ids=2, raw_copy_bytes=50 * 2**20)  # copies, shards, summaries
REFERENCE = Limits(raw_copy_bytes=100)  # references every input over 100 bytes


def rows(path: Path, ids, *, extra: list[str] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for i in ids:
            fh.write(json.dumps({"id": f"r{i}", "title": f"Report {i}", "text": f"Strikes hit target {i} today.",
                                 "domain": f"d{i % 2}.org"}) + "\n")
        for line in extra:
            fh.write(line + "\n")
    return path


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def documents(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in read(corpus / "documents.jsonl").splitlines()]


def without_origin(doc: dict) -> dict:
    """A document without where it was stored (``source.path`` and ``source.row``)."""
    source = {k: v for k, v in doc["source"].items() if k not in ("path", "row")}
    return {**doc, "source": source}


# --- references to large inputs ------------------------------------------------------------------------------


def test_a_large_input_is_referenced_by_digest_not_copied(tmp_path):
    source = rows(tmp_path / "in" / "news.jsonl", range(4), extra=['{"id": "r1", "title": "Again", "text": "x"}'])
    corpus = tmp_path / "corpus"
    report = add_to_corpus(source, corpus, limits=REFERENCE)
    assert report.ingested == ["r0", "r1", "r2", "r3"] and report.raw_written == ["raw/news.input.json"]
    assert [str(p) for p in report.problems] == ["news.jsonl: row 5 (id r1): duplicate id: also used by row 2"]
    assert sorted(p.name for p in (corpus / "raw").iterdir()) == ["news.input.json"]
    assert json.loads(read(corpus / "raw" / "news.input.json")) == {
        "format": "counterclaim.raw-input/1", "name": "news.jsonl", "kind": "jsonl",
        "size": source.stat().st_size, "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "rows": 5, "skipped_rows": [5],
    }  # fmt: skip
    docs = documents(corpus)
    assert [(d["source"]["path"], d["source"]["row"]) for d in docs] == [("raw/news.input.json", r) for r in (1, 2, 3, 4)]

    # the same documents as a copy gives, but for where they are stored
    copied = tmp_path / "copied"
    add_to_corpus(source, copied)
    assert [without_origin(d) for d in docs] == [without_origin(d) for d in documents(copied)]
    assert [d["source"]["path"] for d in documents(copied)] == ["raw/news.jsonl"] * 4


def test_re_adding_a_referenced_input_changes_nothing(tmp_path):
    source = rows(tmp_path / "news.jsonl", range(3))
    corpus = tmp_path / "corpus"
    add_to_corpus(source, corpus, limits=REFERENCE)
    before = {p.name: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    report = add_to_corpus(source, corpus, limits=REFERENCE)
    assert report.already_present == 3 and report.ingested == [] and report.build is None
    assert {p.name: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == before


def test_a_build_reads_a_referenced_input_only_from_the_folders_given(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    source = rows(data / "news.jsonl", range(3))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    corpus = tmp_path / "corpus"
    add_to_corpus(source, corpus, limits=REFERENCE)
    with pytest.raises(RawInputMissing) as missing:
        build_corpus(corpus)
    assert str(missing.value) == (
        f"raw/news.input.json refers to news.jsonl (sha256 {digest}, {source.stat().st_size:,} bytes), an input "
        "kept outside the corpus because it is large, and it is not here (looked in: no --raw-from folder was "
        "given). Pass --raw-from DIR with the folder that holds this file, unchanged")
    assert build_corpus(corpus, raw_from=[data]).written == []

    other = tmp_path / "other"
    other.mkdir()
    changed = other / "news.jsonl"
    changed.write_bytes(source.read_bytes().replace(b"target 1", b"target 7"))
    with pytest.raises(RawInputMissing) as differs:
        build_corpus(corpus, raw_from=[other])
    assert str(differs.value).endswith(
        f"and it is not here; found only other bytes: {changed} has sha256 "
        f"{hashlib.sha256(changed.read_bytes()).hexdigest()}. Pass --raw-from DIR with the folder that holds this "
        "file, unchanged")
    assert build_corpus(corpus, raw_from=[other, data]).written == []  # the folder with the right bytes is used


def test_a_reference_cannot_name_a_file_outside_the_folders(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "news.jsonl", range(3)), corpus, limits=REFERENCE)
    ref = corpus / "raw" / "news.input.json"
    data = json.loads(read(ref))
    ref.write_bytes(dump_bytes({**data, "name": "../news.jsonl"}, indent=2))
    with pytest.raises(CorpusError) as exc:
        build_corpus(corpus, raw_from=[tmp_path / "corpus"])
    assert str(exc.value) == (
        "raw/news.input.json: not a raw-input reference ('name' must be a file name without folders, not "
        "'../news.jsonl'); restore the file from version control or remove it and add the input again")


def test_a_reference_and_a_copy_of_the_same_name_clash(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "news.jsonl", range(2)), corpus)
    bigger = rows(tmp_path / "big" / "news.jsonl", range(5, 9))
    with pytest.raises(CorpusError) as exc:
        add_to_corpus(bigger, corpus, limits=REFERENCE)
    assert str(exc.value).startswith("raw/news.jsonl already exists with different content")
    assert sorted(p.name for p in (corpus / "raw").iterdir()) == ["news.jsonl"]


def test_a_referenced_input_keeps_the_reliabilities_its_map_filled_in(tmp_path):
    source = rows(tmp_path / "news.jsonl", range(3))
    websites = tmp_path / "websites.csv"
    websites.write_text(",url,type\n0,www.d0.org,satire\n1,other.net,fake\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    add_to_corpus(source, corpus, reliability_map=websites, limits=REFERENCE)
    assert json.loads(read(corpus / "raw" / "news.input.json"))["reliability_map"] == {
        "file": "websites.csv", "domains": {"d0.org": "satire"}}
    assert [d["source"]["reliability"] for d in documents(corpus)] == ["satire", None, "satire"]
    assert build_corpus(corpus, raw_from=[tmp_path]).written == []  # filled in again, the same way


@pytest.mark.skipif(not FAKES_CSV.exists(), reason=f"FA-KES is not at {FAKES_CSV}")
def test_fakes_referenced_gives_the_committed_documents(tmp_path):
    """FA-KES's merged rows, skipped rows and ids are the same whether its CSV is copied or referenced."""
    corpus = tmp_path / "corpus"
    report = add_to_corpus(FAKES_CSV, corpus, limits=Limits(raw_copy_bytes=1000))
    assert report.raw_written == ["raw/fa-kes.input.json"] and len(report.ingested) == 788
    assert len(report.merged) == 16 and report.problems == []
    committed = [d for d in documents(REPO / "corpus") if d["doc_id"].startswith("fakes-")]
    assert [without_origin(d) for d in documents(corpus)] == [without_origin(d) for d in committed]
    assert build_corpus(corpus, raw_from=[FAKES_CSV.parent]).written == []


# --- manifest shards -----------------------------------------------------------------------------------------


def test_beyond_the_limit_the_manifest_keeps_a_digest_per_shard(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "news.jsonl", range(6)), corpus, limits=LISTED)
    manifest = json.loads(read(corpus / "manifest.json"))
    assert "documents" not in manifest and manifest["document_count"] == 6
    expected: dict[str, list[bytes]] = {}
    for doc in documents(corpus):
        expected.setdefault(shard_of(doc["doc_id"]), []).append(
            entry_line(doc["doc_id"], doc["raw_sha256"], doc["text_sha256"]))
    assert manifest["document_shards"] == {"scheme": SHARD_SCHEME, "shards": {
        shard: {"count": len(lines), "sha256": hashlib.sha256(b"".join(lines)).hexdigest()}
        for shard, lines in sorted(expected.items())}}
    assert entry_line("r0", "a", "b") == b'{"doc_id":"r0","raw_sha256":"a","text_sha256":"b"}\n'
    assert build_corpus(corpus, limits=LISTED).written == []


def test_with_shards_an_added_document_changes_only_its_shard(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "a.jsonl", range(6)), corpus, limits=LISTED)
    before = json.loads(read(corpus / "manifest.json"))["document_shards"]["shards"]
    report = add_to_corpus(rows(tmp_path / "b.jsonl", [40]), corpus, limits=LISTED)
    assert report.build.added == ["r40"]
    after = json.loads(read(corpus / "manifest.json"))["document_shards"]["shards"]
    assert [s for s in sorted(set(before) | set(after)) if before.get(s) != after.get(s)] == [shard_of("r40")]


def test_with_shards_a_changed_text_needs_a_version_and_is_named(tmp_path):
    corpus = tmp_path / "corpus"
    source = rows(tmp_path / "news.jsonl", range(6))
    add_to_corpus(source, corpus, limits=LISTED)
    stored = corpus / "raw" / "news.jsonl"
    stored.write_text(read(stored).replace("target 3 today", "target 3 yesterday"), encoding="utf-8")
    with pytest.raises(CorpusError) as exc:
        build_corpus(corpus, limits=LISTED)
    assert str(exc.value).startswith("1 existing document(s) would change (text changed: r3). Annotations index")
    report = build_corpus(corpus, limits=LISTED, version="0.1.0")
    assert report.changed == ["r3"] and report.added == [] and report.removed == []


def test_with_shards_the_previous_documents_must_be_the_ones_the_manifest_records(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "a.jsonl", range(6)), corpus, limits=LISTED)
    (corpus / "documents.jsonl").unlink()
    assert build_corpus(corpus, limits=LISTED).written == ["documents.jsonl"]  # every shard as it was
    (corpus / "documents.jsonl").unlink()
    with pytest.raises(CorpusError) as exc:  # a document added: which ones are new needs the previous documents
        add_to_corpus(rows(tmp_path / "b.jsonl", [40]), corpus, limits=LISTED)
    assert str(exc.value) == (
        f"{corpus}/documents.jsonl: missing; manifest.json lists documents by shard only, so the build needs the "
        "documents.jsonl of the last build to tell which documents changed: restore it from version control")


def test_write_manifest_streams_the_bytes_of_the_whole_manifest(tmp_path):
    fields = {"name": "x", "version": "0.1.0", "document_count": 2, "documents_sha256": "d", "normalisation": "1"}
    docs = [("a", "r1", "t1"), ("b", "r2", "t2")]
    pending = {"count": 1500, "file": "changes/unreleased.jsonl", "sha256": "s"}
    shards = {"scheme": SHARD_SCHEME, "shards": {"0a": {"count": 2, "sha256": "h"}}}
    for with_docs, unreleased in ((True, ["a"]), (True, []), (False, pending)):
        path = tmp_path / "m.json"
        more = {} if with_docs else {"document_shards": shards}
        with open(path, "wb") as fh:
            write_manifest(fh, {**fields, **more}, docs if with_docs else None, unreleased)
        whole = {**fields, **more, "unreleased_added": unreleased}
        if with_docs:
            whole["documents"] = {d: {"raw_sha256": r, "text_sha256": t} for d, r, t in docs}
        assert path.read_bytes() == dump_bytes(whole, indent=2)


# --- changelog summaries -------------------------------------------------------------------------------------


def test_beyond_the_limit_a_changelog_section_is_summarised_and_listed_beside_it(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "a.jsonl", range(3)), corpus, limits=LISTED)
    changelog = read(corpus / "CHANGELOG.md")
    assert changelog.split("## Unreleased\n\n")[1] == (
        "Added (3): too many to list here; every id is in `changes/unreleased.jsonl`.\n\n"
        "- by source: `raw/a.jsonl` 3\n"
        "- by outlet: `d0.org` 2, `d1.org` 1\n"
        "- first ids: `r0`, `r1`, `r2`\n")
    listed = read(corpus / "changes" / "unreleased.jsonl")
    assert listed == "".join(f'{{"change":"added","doc_id":"r{i}"}}\n' for i in range(3))
    manifest = json.loads(read(corpus / "manifest.json"))
    assert manifest["unreleased_added"] == {"count": 3, "file": "changes/unreleased.jsonl",
                                            "sha256": hashlib.sha256(listed.encode()).hexdigest()}

    # more added documents join the list; a release moves it to the version's
    add_to_corpus(rows(tmp_path / "b.jsonl", [7]), corpus, limits=LISTED)
    assert read(corpus / "changes" / "unreleased.jsonl").count("\n") == 4
    report = build_corpus(corpus, version="0.1.0", limits=LISTED)
    assert sorted(report.written) == ["CHANGELOG.md", "changes/0.1.0.jsonl", "changes/unreleased.jsonl",
                                      "manifest.json"]
    assert not (corpus / "changes" / "unreleased.jsonl").exists()
    assert read(corpus / "changes" / "0.1.0.jsonl").count('"change":"added"') == 4
    assert "## 0.1.0\n\nAdded (4): too many to list here; every id is in `changes/0.1.0.jsonl`." in read(
        corpus / "CHANGELOG.md")
    assert json.loads(read(corpus / "manifest.json"))["unreleased_added"] == []


def test_a_changed_unreleased_list_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "a.jsonl", range(3)), corpus, limits=LISTED)
    listed = corpus / "changes" / "unreleased.jsonl"
    listed.write_text(read(listed)[:-1] + "\n\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"unreleased.jsonl: changed since the last build"):
        add_to_corpus(rows(tmp_path / "b.jsonl", [9]), corpus, limits=LISTED)


# --- corpus check --------------------------------------------------------------------------------------------


def _edit(corpus: Path, doc_id: str, fn) -> None:
    lines = read(corpus / "documents.jsonl").splitlines(keepends=True)
    for n, line in enumerate(lines):
        doc = json.loads(line)
        if doc["doc_id"] == doc_id:
            fn(doc)
            lines[n] = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    (corpus / "documents.jsonl").write_text("".join(lines), encoding="utf-8")


def test_check_names_the_shard_and_the_document_that_changed(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "a.jsonl", range(6)), corpus, limits=LISTED)
    assert check_corpus(corpus).problems == []
    _edit(corpus, "r2", lambda d: d.update(text=d["text"].replace("target", "depot")))
    shard = shard_of("r2")
    assert check_corpus(corpus, rebuild=False).problems == [
        "documents.jsonl line 3 (id r2): the text does not have its text_sha256: the text was changed after the build",
        f"documents.jsonl: shard {shard} (1 documents, manifest.json records 1) differs from manifest.json; in it, "
        "the text of r2 was changed",
        "documents.jsonl: its sha256 is not manifest.json's documents_sha256",
    ]
    # edited with its hash: the shard is named, and rebuilding from raw/ names the document
    _edit(corpus, "r2", lambda d: d.update(text_sha256=sha256_text(d["text"])))
    assert check_corpus(corpus).problems == [
        f"documents.jsonl: shard {shard} (1 documents, manifest.json records 1) differs from manifest.json",
        "documents.jsonl: its sha256 is not manifest.json's documents_sha256",
        "documents.jsonl: document r2 differs from what raw/ builds",
    ]


def test_check_of_a_per_document_manifest_names_missing_documents(tmp_path):
    corpus = tmp_path / "corpus"
    add_to_corpus(rows(tmp_path / "a.jsonl", range(3)), corpus)
    path = corpus / "documents.jsonl"
    path.write_text("".join(read(path).splitlines(keepends=True)[1:]), encoding="utf-8")
    assert check_corpus(corpus).problems == [
        "manifest.json: document r0 is not in documents.jsonl",
        "documents.jsonl: 2 documents, manifest.json records 3",
        "documents.jsonl: its sha256 is not manifest.json's documents_sha256",
        "documents.jsonl: document r0 is missing; raw/ builds it",
    ]


# --- the commands --------------------------------------------------------------------------------------------


def cli(*args) -> object:
    return CliRunner().invoke(main, ["corpus", *map(str, args)], catch_exceptions=False)


def test_cli_add_with_a_copy_limit_then_build_and_check_with_raw_from(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    source = rows(data / "news.jsonl", range(3))
    corpus = tmp_path / "corpus"
    result = cli("add", source, "--corpus", corpus, "--copy-limit", "0", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "news.jsonl: ingested 3, skipped 0"
    result = cli("build", "--corpus", corpus)
    assert result.exit_code == 1
    assert result.output.startswith("Error: raw/news.input.json refers to news.jsonl (sha256 ")
    result = cli("build", "--corpus", corpus, "--raw-from", data)
    assert result.exit_code == 0 and result.output.endswith("3 documents (added 0, text changed 0, removed 0); "
                                                            "outputs unchanged\n")
    result = cli("check", "--corpus", corpus, "--raw-from", data)
    assert (result.exit_code, result.output) == (0, "3 documents checked against manifest.json and raw/: as recorded\n")
    (corpus / "documents.jsonl").write_text("", encoding="utf-8")
    result = cli("check", "--corpus", corpus, "--no-rebuild")
    assert (result.exit_code, result.output) == (1, (
        "manifest.json: document r0 is not in documents.jsonl\n"
        "manifest.json: document r1 is not in documents.jsonl\n"
        "manifest.json: document r2 is not in documents.jsonl\n"
        "documents.jsonl: 0 documents, manifest.json records 3\n"
        "documents.jsonl: its sha256 is not manifest.json's documents_sha256\n"
        "0 documents checked against manifest.json: 5 problem(s)\n"))


def test_cli_copy_limit_takes_sizes_as_datasets_writes_them(tmp_path):
    result = cli("add", rows(tmp_path / "a.jsonl", [1]), "--corpus", tmp_path / "c", "--copy-limit", "5 parsecs")
    assert result.exit_code == 2
    assert "'5 parsecs' is not a size: give bytes, or a number with KB, MB, GB, KiB, MiB or GiB (e.g. 500MB)" in (
        result.output)
    assert cli("add", rows(tmp_path / "b.jsonl", [1]), "--corpus", tmp_path / "c", "--copy-limit", "1KiB",
               "--quiet").exit_code == 0
    assert (tmp_path / "c" / "raw" / "b.jsonl").exists()  # 70 bytes: copied


# --- memory --------------------------------------------------------------------------------------------------


def _peak_of_add(tmp_path: Path, n: int) -> int:
    source = rows(tmp_path / f"rows-{n}.jsonl", range(n))
    tracemalloc.start()
    try:
        report = add_to_corpus(source, tmp_path / f"corpus-{n}", limits=Limits(manifest_documents=1_000,
                                                                                changelog_ids=100,
                                                                                raw_copy_bytes=0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(report.ingested) == n
    return peak


def test_add_and_build_memory_grows_only_by_the_ids_of_the_report(tmp_path):
    """1,000 and 10,000 documents, referenced, sharded, summarised: the extra 9,000 documents (about 1 KB each as
    parsed objects) may only cost the two id lists the reports return (about 125 bytes a document)."""
    small, large = _peak_of_add(tmp_path, 1_000), _peak_of_add(tmp_path, 10_000)
    per_document = (large - small) / 9_000
    assert per_document < 250, f"{small / 2**20:.1f} MiB -> {large / 2**20:.1f} MiB: {per_document:.0f} B/document"
