"""Exact duplicates across millions of rows: the corpus's rule, decided in SQL that both engines run.

``corpus add`` checks records one by one in input order: a record is refused when its id, or the sha256 of
its body, is already taken by a document accepted before it (documents already in the pool count as
accepted before every new row). A refused record takes nothing, so a later record may still use its id. With
a dictionary of every id and body hash that is one pass, but the dictionaries outgrow memory at millions of
rows; here the same sequential rule is reached in rounds of set operations, which the engines run out of core:

1. rows whose id or body is in the pool are refused;
2. a round accepts every unresolved row that comes first (lowest ``ord``) both among the unresolved rows with
   its id and among those with its body — whatever came before it in either group is refused already, so
   the sequential check would accept it too — and refuses the unresolved rows sharing an id or a body with
   a row just accepted;
3. rounds repeat until no row is unresolved (each accepts at least the first unresolved row; real inputs
   need one or two).

Why a row was refused is then read off the accepted rows before it, in the order ``DocumentChecker`` checks
them (a source id is checked before the body, a content id after it), and worded as ``corpus add`` words it.

The queries are plain SQL that DuckDB and Spark SQL both accept; an engine only has to materialise tables.
"""

from __future__ import annotations

from typing import Any, Protocol

# Tables the engine provides before ``decide`` runs:
#   staged_keys(ord, doc_id, body_sha256, id_from_source, source_file, source_row, problem, problem_id)
#   pool_keys(doc_id, body_sha256, source_file, source_row)   -- the documents already in the pool

MAX_ROUNDS = 10_000


class Sql(Protocol):
    """What ``decide`` needs of an engine: materialise a query as a named table, and count a table's rows."""

    def table(self, name: str, query: str) -> None: ...

    def count(self, name: str) -> int: ...


_CANDIDATES = """
SELECT ord, doc_id, body_sha256 AS body, id_from_source, source_file, source_row
FROM staged_keys WHERE problem IS NULL
"""

_NOT_IN_POOL = """
SELECT c.* FROM dedup_candidates c
WHERE NOT EXISTS (SELECT 1 FROM pool_keys p WHERE p.doc_id = c.doc_id)
  AND NOT EXISTS (SELECT 1 FROM pool_keys p WHERE p.body_sha256 = c.body)
"""

_ACCEPT_ROUND = """
SELECT u.* FROM {unresolved} u
JOIN (SELECT doc_id, min(ord) AS first_ord FROM {unresolved} GROUP BY doc_id) i
  ON i.doc_id = u.doc_id AND i.first_ord = u.ord
JOIN (SELECT body, min(ord) AS first_ord FROM {unresolved} GROUP BY body) b
  ON b.body = u.body AND b.first_ord = u.ord
"""

_STILL_UNRESOLVED = """
SELECT u.* FROM {unresolved} u
WHERE NOT EXISTS (SELECT 1 FROM {accepted} a WHERE a.doc_id = u.doc_id)
  AND NOT EXISTS (SELECT 1 FROM {accepted} a WHERE a.body = u.body)
"""

# A refused row and the documents it collides with: in the pool by id / by body, accepted earlier by id / body.
_REFUSED = """
SELECT c.ord, c.doc_id, c.id_from_source, c.source_file, c.source_row,
       pi.doc_id AS pool_id_doc, pi.source_file AS pool_id_file, pi.source_row AS pool_id_row,
       pb.doc_id AS pool_body_doc, pb.source_file AS pool_body_file, pb.source_row AS pool_body_row,
       ai.doc_id AS seen_id_doc, ai.source_file AS seen_id_file, ai.source_row AS seen_id_row,
       ab.doc_id AS seen_body_doc, ab.source_file AS seen_body_file, ab.source_row AS seen_body_row
FROM dedup_candidates c
LEFT JOIN pool_keys pi ON pi.doc_id = c.doc_id
LEFT JOIN pool_keys pb ON pb.body_sha256 = c.body
LEFT JOIN dedup_accepted ai ON ai.doc_id = c.doc_id AND ai.ord < c.ord
LEFT JOIN dedup_accepted ab ON ab.body = c.body AND ab.ord < c.ord
WHERE NOT EXISTS (SELECT 1 FROM dedup_accepted a WHERE a.ord = c.ord)
"""

# Every row the report lists, in input order: the per-record problems and the refused duplicates.
REPORT_QUERY = """
SELECT ord, source_file, source_row, problem_id AS doc_id, problem,
       CAST(NULL AS BOOLEAN) AS id_from_source,
       CAST(NULL AS STRING) AS pool_id_doc, CAST(NULL AS STRING) AS pool_id_file, CAST(NULL AS BIGINT) AS pool_id_row,
       CAST(NULL AS STRING) AS pool_body_doc, CAST(NULL AS STRING) AS pool_body_file,
       CAST(NULL AS BIGINT) AS pool_body_row,
       CAST(NULL AS STRING) AS seen_id_doc, CAST(NULL AS STRING) AS seen_id_file, CAST(NULL AS BIGINT) AS seen_id_row,
       CAST(NULL AS STRING) AS seen_body_doc, CAST(NULL AS STRING) AS seen_body_file,
       CAST(NULL AS BIGINT) AS seen_body_row
FROM staged_keys WHERE problem IS NOT NULL
UNION ALL
SELECT ord, source_file, source_row, doc_id, CAST(NULL AS STRING) AS problem, id_from_source,
       pool_id_doc, pool_id_file, pool_id_row, pool_body_doc, pool_body_file, pool_body_row,
       seen_id_doc, seen_id_file, seen_id_row, seen_body_doc, seen_body_file, seen_body_row
FROM dedup_refused
"""


def decide(sql: Sql) -> int:
    """Create ``dedup_accepted(ord, doc_id, body, …)`` and ``dedup_refused``; return the number of rounds."""
    sql.table("dedup_candidates", _CANDIDATES)
    sql.table("dedup_unresolved_0", _NOT_IN_POOL)
    rounds: list[str] = []
    unresolved = "dedup_unresolved_0"
    while sql.count(unresolved):
        if len(rounds) >= MAX_ROUNDS:
            raise RuntimeError(f"duplicate resolution did not settle within {MAX_ROUNDS} rounds")
        accepted = f"dedup_accepted_{len(rounds)}"
        sql.table(accepted, _ACCEPT_ROUND.format(unresolved=unresolved))
        rounds.append(accepted)
        following = f"dedup_unresolved_{len(rounds)}"
        sql.table(following, _STILL_UNRESOLVED.format(unresolved=unresolved, accepted=accepted))
        unresolved = following
    union = " UNION ALL ".join(f"SELECT * FROM {name}" for name in rounds) or \
        "SELECT * FROM dedup_candidates WHERE 1 = 0"
    sql.table("dedup_accepted", union)
    sql.table("dedup_refused", _REFUSED)
    return len(rounds)


# --- the words of a refusal, as corpus add has them ---------------------------------------------------


def _ref(file: str, row: int | None) -> str:
    return file if row is None else f"{file} row {row}"


def _where(file: str, row: int | None, from_file: str, *, in_pool: bool) -> str:
    if in_pool:
        return f"already in the pool from {_ref(file, row)}"
    if file == from_file and row is not None:
        return f"row {row}"
    return _ref(file, row)


def _duplicate_id(file: str, row: int | None, from_file: str, *, in_pool: bool) -> str:
    where = _where(file, row, from_file, in_pool=in_pool)
    return f"duplicate id: {where}" if in_pool else f"duplicate id: also used by {where}"


def _duplicate_content(doc_id: str, file: str, row: int | None, from_file: str, *, in_pool: bool) -> str:
    where = _where(file, row, from_file, in_pool=in_pool)
    where = f", {where}" if in_pool else f" in {where}"
    return f"duplicate content: same text as id {doc_id}{where}"


def refusal_reason(row: dict[str, Any]) -> str:
    """The reason of one row of ``REPORT_QUERY``: its problem, or the duplicate check it fails first."""
    if row["problem"] is not None:
        return row["problem"]
    file = row["source_file"]
    by_id = by_body = None
    if row["pool_id_doc"] is not None:
        by_id = _duplicate_id(row["pool_id_file"], row["pool_id_row"], file, in_pool=True)
    elif row["seen_id_doc"] is not None:
        by_id = _duplicate_id(row["seen_id_file"], row["seen_id_row"], file, in_pool=False)
    if row["pool_body_doc"] is not None:
        by_body = _duplicate_content(row["pool_body_doc"], row["pool_body_file"], row["pool_body_row"], file,
                                     in_pool=True)
    elif row["seen_body_doc"] is not None:
        by_body = _duplicate_content(row["seen_body_doc"], row["seen_body_file"], row["seen_body_row"], file,
                                     in_pool=False)
    first, second = (by_id, by_body) if row["id_from_source"] else (by_body, by_id)
    reason = first or second
    if reason is None:  # cannot happen: a refused row collides with something accepted before it
        raise AssertionError(f"row {row['ord']} was refused without a collision")
    return reason
