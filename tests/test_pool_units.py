"""The pool's pure parts on inline data: the duplicate rule, refusal wording, near-duplicates, samples,
filters, batches and the deterministic writer. Queries run in a real (in-memory) DuckDB."""

from __future__ import annotations

import datetime as dt
import random
import re

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from counterclaim.corpus.build import DocumentChecker
from counterclaim.corpus.readers import METADATA_KEYS, RawRecord, RowProblem
from counterclaim.pool import dedup, neardup, records, schema
from counterclaim.pool.dialects import DUCKDB
from counterclaim.pool.duckdb_engine import DuckSql, QueryEngine
from counterclaim.pool.errors import PoolError
from counterclaim.pool.query import Query, keyword_pattern, where_clause
from counterclaim.pool.sample import draw_key, equal_quotas, proportional_quotas
from counterclaim.pool.writer import BucketWriter, to_documents

# --- the duplicate rule ---------------------------------------------------------------------------------------


def _record(row: int, source_id: str | None, body: str, title: str = "A title") -> RawRecord:
    return RawRecord(file="in.jsonl", row=row, kind="jsonl", source_id=source_id, title=title, body=body,
                     raw_sha256="x", metadata=dict.fromkeys(METADATA_KEYS))


def _decide(items: list[RawRecord], pool: list[RawRecord] = ()) -> dict[int, str | None]:
    """ord -> None (accepted) or the refusal reason, by the pool's SQL rule in DuckDB."""
    con = duckdb.connect()
    staged = records.stage_batch(records.raw_batch(items, 0), 16)
    existing = records.stage_batch(records.raw_batch(pool, 0), 16)
    con.register("staged_arrow", staged)
    con.register("pool_arrow", existing)
    sql = DuckSql(con)
    sql.view("staged_keys", "SELECT ord, doc_id, body_sha256, id_from_source, source_file, source_row, problem, "
                            "problem_id FROM staged_arrow")
    sql.view("pool_keys", "SELECT doc_id, body_sha256, 'pool.jsonl' AS source_file, source_row FROM pool_arrow "
                          "WHERE problem IS NULL")
    dedup.decide(sql)
    accepted = {row[0] for row in con.execute("SELECT ord FROM dedup_accepted").fetchall()}
    report = con.sql(f"SELECT * FROM ({dedup.REPORT_QUERY}) ORDER BY ord").to_arrow_table().to_pylist()
    out: dict[int, str | None] = {o: None for o in accepted}
    out.update({row["ord"]: dedup.refusal_reason(row) for row in report})
    return out


def _sequential(items: list[RawRecord], pool: list[RawRecord] = ()) -> dict[int, str | None]:
    existing = []
    for item in pool:
        doc = DocumentChecker().check(item)
        existing.append({**doc, "source": {**doc["source"], "path": "pool.jsonl"}})
    checker = DocumentChecker(existing)
    out = {}
    for ord_, item in enumerate(items):
        result = checker.check(item)
        out[ord_] = result.reason.replace("already in the corpus", "already in the pool") \
            if isinstance(result, RowProblem) else None
    return out


def test_a_refused_row_takes_nothing_so_a_later_row_may_use_its_id():
    items = [_record(1, "a", "Body X."), _record(2, "b", "Body X."), _record(3, "b", "Body Y.")]
    assert _decide(items) == {
        0: None,
        1: "duplicate content: same text as id a in row 1",
        2: None,
    }


def test_the_source_id_is_checked_before_the_body_and_a_content_id_after_it():
    items = [_record(1, "a", "Body X."), _record(2, "c", "Body Z."), _record(3, "a", "Body Z."),
             _record(4, None, "Body X.")]
    decided = _decide(items)
    assert decided[2] == "duplicate id: also used by row 1"
    assert decided[3] == "duplicate content: same text as id a in row 1"


def test_rows_already_in_the_pool_are_refused_with_their_origin():
    pool = [_record(7, "a", "Body X.")]
    decided = _decide([_record(1, "a", "Body new."), _record(2, "z", "Body X.")], pool)
    assert decided == {
        0: "duplicate id: already in the pool from pool.jsonl row 7",
        1: "duplicate content: same text as id a, already in the pool from pool.jsonl row 7",
    }


@pytest.mark.parametrize("seed", range(12))
def test_the_rule_equals_the_corpus_checks_row_by_row_on_random_collisions(seed):
    rnd = random.Random(seed)
    ids = [None, "a", "b", "c", "d", "e"]
    bodies = [f"Body {n}." for n in range(6)]
    items = [_record(i + 1, rnd.choice(ids), rnd.choice(bodies)) for i in range(40)]
    pool = [_record(100 + i, rnd.choice(ids[1:]), rnd.choice(bodies)) for i in range(rnd.randint(0, 2))]
    pool = [p for i, p in enumerate(pool) if all(p.source_id != q.source_id and p.body != q.body for q in pool[:i])]
    assert _decide(items, pool) == _sequential(items, pool)


def test_problems_of_single_records_keep_the_corpus_wording():
    items = [_record(1, "bad id!", "Body."), _record(2, "x", "   "), _record(3, "y", "Body.", title=" ")]
    problem = RowProblem("in.jsonl", 4, None, "invalid JSON: Expecting value (column 1)")
    decided = _decide(items + [problem])
    assert decided == {
        0: "invalid id 'bad id!': ids must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        1: "empty content: no article text after normalisation",
        2: "missing title: the title is empty after normalisation",
        3: "invalid JSON: Expecting value (column 1)",
    }


# --- records --------------------------------------------------------------------------------------------------


def test_raw_batches_round_trip_records_and_problems():
    items = [_record(1, "a", "Body.\u00a0x"), RowProblem("in.jsonl", 2, "b", "why"),
             RawRecord("f.txt", None, "txt", None, None, "T\n\nB", "h", {**dict.fromkeys(METADATA_KEYS), "url": "u"})]
    back = [item for _, item in records.raw_items(records.raw_batch(items, 5))]
    assert back[0] == items[0] and back[1] == items[1]
    assert back[2] == items[2] and back[2].title is None and back[2].row is None


@pytest.mark.parametrize("value, expected", [
    ("2015-10-30", dt.date(2015, 10, 30)), ("2018-01-25 16:17:44.789555", dt.date(2018, 1, 25)),
    ("2015-10-30T08:00:00Z", dt.date(2015, 10, 30)), (" 2015-10-30", dt.date(2015, 10, 30)),
    ("October 30, 2015", None), ("2015-02-30", None), ("", None), (None, None),
])
def test_dates_are_read_from_an_iso_prefix_only(value, expected):
    assert records.iso_date(value) == expected


def test_buckets_depend_on_the_id_alone():
    assert records.doc_bucket("20749", 16) == records.doc_bucket("20749", 16)
    assert {records.doc_bucket(str(n), 16) for n in range(400)} == set(range(16))


def test_staged_rows_are_the_corpus_documents():
    item = _record(3, None, "Share\n\nRussian jets hit  55 targets.\u00a0")
    row = records.staged_row(0, item, 16)
    doc = DocumentChecker().check(item)
    assert (row["doc_id"], row["title"], row["text"], row["text_sha256"]) == \
           (doc["doc_id"], doc["title"], doc["text"], doc["text_sha256"])
    assert row["id_from_source"] is False and row["source_row"] == 3


# --- the writer -----------------------------------------------------------------------------------------------


def test_the_same_rows_give_the_same_file_however_they_are_batched(tmp_path, monkeypatch):
    monkeypatch.setattr("counterclaim.pool.writer.ROW_GROUP_ROWS", 7)
    items = [_record(i, f"d{i}", f"Body number {i} " + "x" * (i * 37 % 300)) for i in range(50)]
    staged = records.stage_batch(records.raw_batch(items, 0), 16)
    table = to_documents(staged, "0001")
    paths = []
    for name, sizes in (("one", [50]), ("many", [3, 11, 1, 20, 15])):
        writer = BucketWriter(tmp_path / f"{name}.parquet", group_bytes=2000)
        start = 0
        for size in sizes:
            writer.write(table.slice(start, size))
            start += size
        writer.close()
        paths.append(tmp_path / f"{name}.parquet")
    assert paths[0].read_bytes() == paths[1].read_bytes()
    meta = pq.ParquetFile(paths[0]).metadata
    assert meta.num_rows == 50 and meta.num_row_groups > 50 // 7
    assert pq.read_table(paths[0]).column("doc_id").to_pylist() == [f"d{i}" for i in range(50)]


# --- filters --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("keyword, text, found", [
    ("syria", "Air strikes in Syria today", True),
    ("Syria", "SYRIA: strikes", True),
    ("syria", "the Syrian army", False),
    ("isis", "a crisis deepens", False),
    ("al-Nusra", "fighters of al-Nusra said", True),
    ("U.S.", "the U.S. envoy", True),
    ("U.S.", "the UxSx envoy", False),
    ("air strike", "an air strike hit", True),
    ("air strike", "an air striker", False),
    ("Alep", "Alepp o", False),
    ("5%", "only 5% of strikes", True),
    ("Hama", "near Hama\nlater", True),
])
def test_keywords_match_whole_words_ignoring_case(keyword, text, found):
    pattern = keyword_pattern(keyword)
    assert bool(re.search(pattern, text.lower())) is found
    sql = DUCKDB.regex_match(DUCKDB.string(text.lower()), DUCKDB.string(pattern))
    assert duckdb.connect().execute(f"SELECT {sql}").fetchone()[0] is found


def _docs(con, rows):
    table = pa.Table.from_pylist(rows, schema=pa.schema([f for f in schema.DOCUMENT if f.name in rows[0]]))
    con.register("pool_docs", table)


def test_filters_combine_domain_reliability_dates_and_keywords():
    rows = [
        {"doc_id": "1", "domain": "www.Example.com", "reliability": "reliable", "text": "Strikes on Homs",
         "published_date": dt.date(2016, 3, 1), "retrieved_date": dt.date(2018, 1, 1)},
        {"doc_id": "2", "domain": "example.com", "reliability": "fake", "text": "Strikes on Homs",
         "published_date": dt.date(2016, 3, 1), "retrieved_date": dt.date(2018, 1, 1)},
        {"doc_id": "3", "domain": "other.org", "reliability": "reliable", "text": "Homs and Hama",
         "published_date": None, "retrieved_date": dt.date(2018, 1, 1)},
        {"doc_id": "4", "domain": "example.com", "reliability": "reliable", "text": "Hama only",
         "published_date": dt.date(2015, 1, 1), "retrieved_date": dt.date(2018, 1, 1)},
    ]
    con = duckdb.connect()
    _docs(con, rows)

    def ids(**kw):
        return [r[0] for r in con.execute(
            f"SELECT doc_id FROM pool_docs WHERE {where_clause(Query(**kw), DUCKDB)} ORDER BY doc_id").fetchall()]

    assert ids() == ["1", "2", "3", "4"]
    assert ids(domains=("EXAMPLE.com",)) == ["1", "2", "4"]
    assert ids(domains=("www.example.com",), reliabilities=("reliable",)) == ["1", "4"]
    assert ids(since=dt.date(2016, 1, 1)) == ["1", "2"]
    assert ids(until=dt.date(2015, 12, 31)) == ["4"]
    assert ids(since=dt.date(2017, 1, 1), dates="retrieved") == ["1", "2", "3", "4"]
    assert ids(keywords=("homs", "hama")) == ["1", "2", "3", "4"]
    assert ids(keywords=("homs", "hama"), all_keywords=True) == ["3"]
    assert ids(keywords=("o'brien",)) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"since": dt.date(2017, 1, 2), "until": dt.date(2017, 1, 1)},
     "the date range is empty: since 2017-01-02 is after until 2017-01-01"),
    ({"sample": 3, "per_stratum": 2, "stratify": "domain"}, "give either a sample size or a number per stratum, not both"),
    ({"per_stratum": 2}, "a number per stratum needs a stratification column (domain, reliability, source, kind, year)"),
    ({"stratify": "domain"}, "stratifying needs a sample size or a number per stratum"),
    ({"stratify": "colour", "sample": 2}, "cannot stratify by 'colour'; use one of domain, reliability, source, kind, year"),
    ({"sample": 2, "limit": 3}, "a limit and a sample exclude each other; the sample size is the limit"),
    ({"keywords": (" ",)}, "a keyword must not be empty"),
    ({"sample": 0}, "sample must be at least 1, not 0"),
])
def test_contradictory_queries_are_refused(kwargs, message):
    with pytest.raises(PoolError) as info:
        Query(**kwargs)
    assert str(info.value) == message


# --- samples --------------------------------------------------------------------------------------------------


def test_proportional_quotas_use_largest_remainders_and_names_for_ties():
    assert proportional_quotas({"a": 50, "b": 30, "c": 20}, 10) == {"a": 5, "b": 3, "c": 2}
    assert proportional_quotas({"a": 5, "b": 5, "c": 5}, 4) == {"a": 2, "b": 1, "c": 1}
    assert proportional_quotas({"a": 1, "b": 99}, 10) == {"a": 0, "b": 10}
    assert proportional_quotas({"a": 3, "b": 4}, 100) == {"a": 3, "b": 4}
    assert sum(proportional_quotas({str(i): i + 1 for i in range(30)}, 97).values()) == 97
    assert equal_quotas({"a": 3, "b": 40}, 5) == {"a": 3, "b": 5}


def test_the_draw_is_sha256_of_seed_and_id():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT '20749' AS doc_id")
    key = con.execute(f"SELECT {draw_key(DUCKDB, 'seed-1')} FROM t").fetchone()[0]
    import hashlib

    assert key == hashlib.sha256(b"seed-1:20749").hexdigest()


# --- near-duplicates ------------------------------------------------------------------------------------------

WORDS = ("army rebels said forces city strike killed civilians ministry report town province attack group "
         "government official troops border convoy shelling").split()


def _text(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) + str(rnd.randint(0, 50)) for _ in range(n))


def test_signatures_estimate_the_overlap_of_word_5_grams():
    rnd = random.Random(3)
    base = _text(rnd, 400)
    words = base.split()
    near = " ".join(words[:200] + ["changed"] + words[201:])  # 5 of 396 shingles differ
    other = _text(rnd, 400)
    assert neardup.signature(base) == neardup.signature(base.upper())  # case is ignored
    assert neardup.estimated_jaccard(neardup.signature(base), neardup.signature(near)) >= 0.9
    assert neardup.estimated_jaccard(neardup.signature(base), neardup.signature(other)) < 0.2
    assert len(neardup.signature("two words")) == 64 and neardup.signature("") == neardup.signature("!")


def test_clusters_join_near_duplicates_and_keep_distinct_documents_apart(tmp_path):
    rnd = random.Random(5)
    base, other = _text(rnd, 300), _text(rnd, 300)
    words = base.split()
    docs = {
        "d1": base,
        "d2": " ".join(words[:100] + ["edited"] + words[101:]),
        "d3": " ".join(words[:250] + ["tail", "edit"] + words[252:]),
        "d4": other,
        "d5": " ".join(words[:150]),  # half of d1: Jaccard ~0.5, not a near-duplicate
    }
    engine = QueryEngine(tmp_path, None)
    try:
        engine.register("pool_docs", pa.table({"doc_id": list(docs), "title": ["T"] * 5,
                                               "text": [f"T\n\n{body}" for body in docs.values()]}))
        engine.map_batches("signatures", "SELECT doc_id, title, text FROM pool_docs", neardup.signature_batch,
                           neardup.SIGNATURE_SCHEMA)
        clusters = dict(engine.con.execute(f"SELECT doc_id, cluster FROM {neardup.cluster(engine)}").fetchall())
    finally:
        engine.close()
    assert clusters == {"d1": "d1", "d2": "d1", "d3": "d1"}
