"""The pool on the DuckDB engine: the same documents and problems as `corpus add` on the same input, files
that do not depend on batching or workers, selections that `corpus add` takes unchanged, and the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.corpus.add import add_to_corpus
from counterclaim.corpus.build import make_documents
from counterclaim.corpus.readers import READERS, RowProblem, input_kind
from counterclaim.pool import ingest, open_pool
from counterclaim.pool.duckdb_engine import DuckDBOptions
from counterclaim.pool.query import Query
from counterclaim.pool.select import select_rows, write_selection
from helpers import REALDATA, REPO

FNC_SAMPLE = REALDATA / "news" / "fakenewscorpus_news_sample.csv"
SEEDS = REPO / "corpus" / "raw"
METADATA = ("url", "domain", "published", "retrieved_at", "reliability", "authors")


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def pool_documents(pool_dir: Path) -> dict[str, dict]:
    pool = open_pool(pool_dir)
    return {row["doc_id"]: row for path in pool.files() for row in pq.read_table(path).to_pylist()}


def report_lines(pool_dir: Path, ingest_id: str) -> list[dict]:
    path = pool_dir / "reports" / f"{ingest_id}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def corpus_way(path: Path) -> tuple[dict[str, dict], list[dict]]:
    """What `corpus add` makes of ``path``: its documents and its problems, in input order."""
    docs, problems = {}, []
    for result in make_documents(READERS[input_kind(path)](path)):
        if isinstance(result, RowProblem):
            problems.append(result.to_dict())
        else:
            docs[result["doc_id"]] = result
    return docs, problems


def assert_same_as_corpus(pool_dir: Path, ingest_id: str, path: Path) -> None:
    docs, problems = corpus_way(path)
    pooled = pool_documents(pool_dir)
    assert sorted(pooled) == sorted(docs)
    for doc_id, doc in docs.items():
        row = pooled[doc_id]
        assert (row["title"], row["text"], row["text_sha256"], row["raw_sha256"], row["normalisation"]) == \
               (doc["title"], doc["text"], doc["text_sha256"], doc["raw_sha256"], doc["normalisation"]), doc_id
        source = doc["source"]
        assert (row["kind"], row["source_file"], row["source_row"]) == (source["kind"], source["path"], source["row"])
        assert {key: row[key] for key in METADATA} == {key: source[key] for key in METADATA}
    assert report_lines(pool_dir, ingest_id) == problems


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


HEADER = ["", "id", "domain", "type", "url", "content", "scraped_at", "title", "authors"]


def fnc(i, doc_id, content, title="A headline", domain="example.org", kind="reliable"):
    return [str(i), doc_id, domain, kind, f"https://{domain}/{doc_id}", content, "2018-01-25 16:17:44", title, ""]


# --- the same documents and problems as corpus add ------------------------------------------------------------


def test_the_real_fakenewscorpus_sample_gives_what_corpus_add_gives(tmp_path):
    report = ingest(tmp_path / "pool", FNC_SAMPLE)
    assert (report.rows, report.ingested, report.refused) == (250, 239, 11)
    assert_same_as_corpus(tmp_path / "pool", "0001", FNC_SAMPLE)
    added = add_to_corpus(FNC_SAMPLE, tmp_path / "corpus")
    assert sorted(added.ingested) == sorted(pool_documents(tmp_path / "pool"))
    assert [p.to_dict() for p in added.problems] == report_lines(tmp_path / "pool", "0001")


def test_txt_folders_jsonl_and_malformed_csv_rows_give_what_corpus_add_gives(tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("\n".join([
        json.dumps({"id": "a1", "title": "Strikes", "text": "Jets hit  55 targets.\u00a0"}),
        json.dumps({"id": "a2", "title": "Again", "text": "Jets hit 55 targets."}),  # same body once normalised
        "{not json",
        json.dumps({"id": "bad id", "title": "T", "text": "x"}),
        json.dumps({"title": "No id", "text": "A body whose id is its content."}),
        json.dumps({"id": "a1", "title": "Reused id", "text": "Another body."}),
        json.dumps({"id": "a3", "title": " ", "text": "Body without a title."}),
    ]) + "\n", encoding="utf-8")
    rows = [HEADER, fnc(0, "c1", "Plain body."), fnc(1, "c2", "Body two.", domain="www.x.org"),
            [str(2), "c3", "x.org"], fnc(3, "c4", "Body with\nlines\r\n\r\nand more.")]
    data = csv_bytes(rows)
    data += b'4,c5,example.org,fake,u,"Spaced" ,2018-01-25,"T",\n5,c6,example.org,fake,u,\xff bad,2018,T,\n'
    data += b'6,c7,example.org,fake,u,trailing comma,2018,T,,\n'
    malformed = tmp_path / "in.csv"
    malformed.write_bytes(data)
    pool_dir = tmp_path / "pool"
    for number, path in enumerate((SEEDS, jsonl, malformed), start=1):
        ingest(pool_dir, path, options=DuckDBOptions(workers=0))
        one = tmp_path / f"alone{number}"
        ingest(one, path, options=DuckDBOptions(workers=0))
        assert_same_as_corpus(one, "0001", path)
    assert sorted(pool_documents(pool_dir)) == sorted(
        set(corpus_way(SEEDS)[0]) | set(corpus_way(jsonl)[0]) | set(corpus_way(malformed)[0]))
    refused = {line["row"]: line["reason"] for line in report_lines(pool_dir, "0003")}
    assert refused[3] == "3 fields where the header has 9"
    assert refused[6] == "undecodable bytes: not valid UTF-8 (field 'content')"
    assert refused[7] == "10 fields where the header has 9"
    # `"Spaced" ,` is the content 'Spaced ' for Python's csv module (and corpus add); DuckDB's reader says 'Spaced'
    assert pool_documents(pool_dir)["c5"]["raw_sha256"] == hashlib.sha256(b"Spaced ").hexdigest()


def test_ingesting_again_refuses_every_row_as_already_in_the_pool(tmp_path):
    pool_dir = tmp_path / "pool"
    ingest(pool_dir, SEEDS, options=DuckDBOptions(workers=0))
    before = {p: p.read_bytes() for p in (pool_dir / "documents").rglob("*.parquet")}
    report = ingest(pool_dir, SEEDS, options=DuckDBOptions(workers=0))
    assert (report.ingested, report.refused, report.files, report.document_count) == (0, 5, 0, 5)
    line = report_lines(pool_dir, "0002")[0]
    assert line == {"file": "000_17a8eb7dc5290d52.txt", "row": None, "id": "17a8eb7dc5290d52",
                    "reason": "duplicate id: already in the pool from 000_17a8eb7dc5290d52.txt"}
    assert {p: p.read_bytes() for p in (pool_dir / "documents").rglob("*.parquet")} == before


def test_files_do_not_depend_on_workers_memory_or_batching(tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    monkeypatch.setattr("counterclaim.pool.sources.BATCH_ROWS", 60)
    report = ingest(one, FNC_SAMPLE, options=DuckDBOptions(workers=2))  # five batches over two processes
    monkeypatch.setattr("counterclaim.pool.sources.BATCH_ROWS", 7)
    ingest(two, FNC_SAMPLE, options=DuckDBOptions(workers=0, memory_limit="64MB", threads=1))
    assert set(report.seconds) == {"stage", "decide", "write"}

    def files(root):
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
                and p.name != "pool.lock"}

    assert files(one) == files(two)
    assert len([name for name in files(one) if name.startswith("documents/")]) == 16


# --- selections into the corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pool(tmp_path_factory):
    root = tmp_path_factory.mktemp("pool") / "pool"
    ingest(root, FNC_SAMPLE)
    return root


def test_a_selection_goes_into_the_corpus_with_its_ids_texts_and_metadata(sample_pool, tmp_path):
    out = tmp_path / "selection.jsonl"
    report = write_selection(sample_pool, Query(sample=60, stratify="reliability", seed="7"), out)
    assert report.written == 60 and not report.skipped
    added = add_to_corpus(out, tmp_path / "corpus")
    assert not added.problems and len(added.ingested) == 60
    pooled = pool_documents(sample_pool)
    corpus = {json.loads(line)["doc_id"]: json.loads(line)
              for line in (tmp_path / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()}
    assert sorted(corpus) == sorted(json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines())
    for doc_id, doc in corpus.items():
        row = pooled[doc_id]
        assert (doc["title"], doc["text"], doc["text_sha256"]) == (row["title"], row["text"], row["text_sha256"])
        assert {key: doc["source"][key] for key in METADATA} == {key: row[key] for key in METADATA}


def test_samples_are_stratified_and_repeatable(sample_pool):
    def ids(**kw):
        return [row["doc_id"] for row in select_rows(sample_pool, Query(**kw))]

    first = ids(sample=30, stratify="reliability", seed="a")
    assert first == ids(sample=30, stratify="reliability", seed="a")
    assert first != ids(sample=30, stratify="reliability", seed="b")
    reliabilities = [row["reliability"] for row in select_rows(sample_pool, Query(sample=30, stratify="reliability",
                                                                                      seed="a"))]
    assert reliabilities.count("fake") == 18  # 146 of 239 documents: 18.3 of 30
    per = [row["reliability"] for row in select_rows(sample_pool, Query(per_stratum=2, stratify="reliability"))]
    sizes = Counter(doc["reliability"] for doc in pool_documents(sample_pool).values())
    assert Counter(per) == {label: min(2, n) for label, n in sizes.items()}
    assert ids(limit=3) == sorted(pool_documents(sample_pool))[:3]


def test_filters_select_by_domain_reliability_and_keyword(sample_pool):
    rows = list(select_rows(sample_pool, Query(domains=("beforeitsnews.com",), reliabilities=("fake",),
                                               keywords=("syria",))))
    assert rows and all(r["domain"] == "beforeitsnews.com" and r["reliability"] == "fake" for r in rows)
    assert all("syria" in r["text"].lower() for r in rows)
    everything = pool_documents(sample_pool).values()
    expected = [d for d in everything if d["domain"] == "beforeitsnews.com" and d["reliability"] == "fake"
                and any(w.strip(".,;:!?\"'()") == "syria" for w in d["text"].lower().split())]
    assert len(rows) >= len(expected)


# --- DuckDB's CSV reader (why the pool reads CSV with Python's csv module) ----------------------------------


def _duckdb_rows(path: Path, columns: int) -> list[list[str]]:
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(columns)) + "}"
    rel = duckdb.connect().sql(f"SELECT * FROM read_csv('{path}', header=true, quote='\"', escape='\"', delim=',', "
                               f"strict_mode=true, auto_detect=false, columns={cols})")
    return [["" if v is None else v for v in row] for row in rel.fetchall()]


def _python_rows(path: Path) -> list[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in list(csv.reader(fh))[1:] if row]


def test_duckdb_reads_the_real_sample_like_python_but_not_malformed_quoting(tmp_path):
    assert _duckdb_rows(FNC_SAMPLE, 16) == _python_rows(FNC_SAMPLE)
    spaced = tmp_path / "spaced.csv"
    spaced.write_bytes(b'a,b,c\n1,"quoted" ,x\n2, "quoted",x\n')
    assert _python_rows(spaced) == [["1", 'quoted ', "x"], ["2", ' "quoted"', "x"]]
    assert _duckdb_rows(spaced, 3) == [["1", "quoted", "x"], ["2", "quoted", "x"]]


# --- the CLI ------------------------------------------------------------------------------------------------


def test_cli_ingest_select_info_and_corpus_add(tmp_path):
    pool_dir = tmp_path / "pool"
    result = run("pool", "ingest", FNC_SAMPLE, "--pool", pool_dir, "--quiet", "--memory-limit", "256MB")
    assert result.exit_code == 0, result.output
    assert result.output == (f"fakenewscorpus_news_sample.csv: 250 rows, ingested 239, refused 11 "
                             f"(reasons in {pool_dir}/reports/0001.jsonl)\n"
                             f"pool {pool_dir}: 239 documents after ingest 0001\n")
    result = run("pool", "info", "--pool", pool_dir, "--top", "2")
    assert result.output == (
        f"pool {pool_dir}: 239 documents, 1 ingest(s), 16 buckets, normalisation policy 1\n"
        "  0001 fakenewscorpus_news_sample.csv (fakenewscorpus-csv): 250 rows, ingested 239, refused 11\n"
        "by reliability:\n         146  fake\n          31  conspiracy\n"
        "by domain:\n         146  beforeitsnews.com\n          24  canadafreepress.com\n")
    out = tmp_path / "chosen.jsonl"
    result = run("pool", "select", "--pool", pool_dir, "--reliability", "political", "--sample", "5", "--seed", "1",
                 "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"{out}: 5 documents\nadd them to the corpus with: counterclaim corpus add {out}\n"
    result = run("corpus", "add", out, "--corpus", tmp_path / "corpus", "--quiet")
    assert result.exit_code == 0 and result.output.startswith("chosen.jsonl: ingested 5, skipped 0\n"), result.output


def test_cli_explains_a_missing_pool_and_contradictory_options(tmp_path):
    result = run("pool", "select", "--pool", tmp_path / "none", "--out", tmp_path / "x.jsonl")
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'none'}: no pool here (pool.json is missing); create it with "
                             "`counterclaim pool ingest PATH`\n")
    result = run("pool", "select", "--pool", tmp_path / "none", "--per-stratum", "3", "--out", tmp_path / "x.jsonl")
    assert result.output == ("Error: a number per stratum needs a stratification column "
                             "(domain, reliability, source, kind, year)\n")
    result = run("pool", "ingest", SEEDS, "--pool", tmp_path / "p", "--memory-limit", "lots", "--quiet")
    assert result.output == "Error: memory limit 'lots' is not a size such as 512MB or 2GB\n"
    assert not (tmp_path / "p").exists()


def test_cli_clusters_lists_near_duplicates(tmp_path):
    body = " ".join(f"word{n} army{n % 7} strike{n % 11}" for n in range(120))
    lines = [{"id": "n1", "title": "One", "text": body},
             {"id": "n2", "title": "Two", "text": body.replace("word60 ", "edited ")},
             {"id": "n3", "title": "Three", "text": "Something else entirely, " * 20}]
    source = tmp_path / "near.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert run("pool", "ingest", source, "--pool", tmp_path / "pool", "--quiet", "--workers", "0").exit_code == 0
    result = run("pool", "clusters", "--pool", tmp_path / "pool", "--workers", "0")
    assert [json.loads(line) for line in result.output.splitlines()] == [
        {"cluster": "n1", "size": 2, "doc_id": "n1", "title": "One", "domain": None},
        {"cluster": "n1", "size": 2, "doc_id": "n2", "title": "Two", "domain": None},
    ]
    out = tmp_path / "distinct.jsonl"
    assert run("pool", "select", "--pool", tmp_path / "pool", "--one-per-cluster", "--workers", "0",
               "--out", out).exit_code == 0
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["n1", "n3"]
