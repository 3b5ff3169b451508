"""Near-duplicate clusters: MinHash signatures of word 5-grams, banded, verified, joined into clusters.

The rule (``NUM_PERM``, ``BANDS``, ``SHINGLE`` and ``MIN_AGREEMENT`` below):

1. A document's shingles are the runs of 5 consecutive words of its body (words: ``\\w+`` in the lower-cased
   body; a body of fewer than 5 words is one shingle). Its signature holds, for each of 64 hash functions,
   the smallest hash of its shingles (MinHash); the share of equal positions in two signatures estimates the
   Jaccard similarity of their shingle sets.
2. The 64 positions form 16 bands of 4. In every band, documents with the same 4 values are candidates of
   that band's first document (the smallest ``doc_id`` among them).
3. A candidate is linked to that first document when their signatures agree in at least 52 of 64 positions
   (estimated Jaccard ≥ 0.8).
4. Clusters are the connected components of the links, named by their smallest ``doc_id``; a document
   without links is its own cluster.

Signatures are computed by ``signature_batch`` (pure, numpy), run by the engine on batches; bands, links and
components are SQL the engines share. Written here rather than taken from ``datasketch``: its MinHash
hashes every shingle through SHA-1 in a Python loop (about 6 times slower on article-sized texts) and its
LSH index lives in memory, while the banding here runs in the engine, out of core.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pyarrow as pa

NUM_PERM = 64
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE = 5
MIN_AGREEMENT = 52  # of NUM_PERM: ceil(0.8 * 64)
TITLE_SEPARATOR = "\n\n"

_WORD = re.compile(r"\w+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# The 64 hash functions: splitmix64 of (shingle hash XOR a fixed 64-bit seed).
_SEEDS = np.array([(0x9E3779B97F4A7C15 * (i + 1)) & 0xFFFFFFFFFFFFFFFF for i in range(NUM_PERM)],
                  dtype=np.uint64)[:, None]
_MULTIPLIER = np.uint64(1099511628211)  # FNV prime: combines word hashes into a shingle hash

SIGNATURE_COLUMNS = tuple(f"s{i}" for i in range(NUM_PERM))
SIGNATURE_SCHEMA = pa.schema([pa.field("doc_id", pa.string())] +
                             [pa.field(name, pa.int64()) for name in SIGNATURE_COLUMNS])


def _splitmix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def shingle_hashes(body: str) -> np.ndarray:
    """A 64-bit hash per shingle (5 consecutive lower-cased words) of ``body``."""
    words = _WORD.findall(body.lower())
    if not words:
        return np.zeros(1, dtype=np.uint64)
    hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE, len(words))
    count = len(words) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            combined = combined * _MULTIPLIER + hashes[offset:offset + count]
    return _splitmix64(combined)


def signature(body: str) -> list[int]:
    """The MinHash signature of ``body``: 64 values below 2**32."""
    shingles = shingle_hashes(body)
    permuted = _splitmix64(shingles[None, :] ^ _SEEDS)
    return (permuted.min(axis=1) >> np.uint64(32)).astype(np.int64).tolist()


def signature_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Rows ``(doc_id, title, text)`` in, ``SIGNATURE_SCHEMA`` rows out (signatures of the bodies)."""
    ids = batch.column("doc_id").to_pylist()
    titles = batch.column("title").to_pylist()
    texts = batch.column("text").to_pylist()
    signatures = [signature(text[len(title) + len(TITLE_SEPARATOR):]) for title, text in zip(titles, texts)]
    columns = [pa.array(ids, pa.string())]
    columns += [pa.array([sig[i] for sig in signatures], pa.int64()) for i in range(NUM_PERM)]
    return pa.RecordBatch.from_arrays(columns, schema=SIGNATURE_SCHEMA)


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b)) / NUM_PERM


# --- SQL shared by the engines (tables: signatures(doc_id, s0..s63)) --------------------------------------


def _band_links(band: int) -> str:
    columns = SIGNATURE_COLUMNS[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]
    on = " AND ".join(f"f.{c} = s.{c}" for c in columns)
    keys = ", ".join(columns)
    return (f"SELECT s.doc_id AS a, f.first_id AS b FROM signatures s "
            f"JOIN (SELECT {keys}, min(doc_id) AS first_id FROM signatures GROUP BY {keys}) f ON {on} "
            f"WHERE s.doc_id <> f.first_id")


CANDIDATES_QUERY = " UNION ".join(_band_links(band) for band in range(BANDS))

LINKS_QUERY = (
    "SELECT c.a, c.b FROM neardup_candidates c "
    "JOIN signatures x ON x.doc_id = c.a JOIN signatures y ON y.doc_id = c.b WHERE "
    + " + ".join(f"(CASE WHEN x.{col} = y.{col} THEN 1 ELSE 0 END)" for col in SIGNATURE_COLUMNS)
    + f" >= {MIN_AGREEMENT}"
)

# Both directions of every link.
EDGES_QUERY = "SELECT a, b FROM neardup_links UNION ALL SELECT b AS a, a AS b FROM neardup_links"

LABELS_START = "SELECT DISTINCT a AS doc_id, a AS label FROM neardup_edges"

LABELS_STEP = """
SELECT l.doc_id, CASE WHEN m.best IS NOT NULL AND m.best < l.label THEN m.best ELSE l.label END AS label
FROM {labels} l
LEFT JOIN (SELECT e.a AS doc_id, min(n.label) AS best FROM neardup_edges e JOIN {labels} n ON n.doc_id = e.b
           GROUP BY e.a) m ON m.doc_id = l.doc_id
"""

LABELS_CHANGED = "SELECT count(*) FROM {new} n JOIN {old} o ON o.doc_id = n.doc_id WHERE n.label <> o.label"


def cluster(sql, max_rounds: int = 10_000) -> str:
    """From a ``signatures`` table, make ``neardup_clusters(doc_id, cluster)`` for the documents that have links;
    return its name. ``sql`` has ``table(name, query)`` and ``scalar(query)``."""
    sql.table("neardup_candidates", CANDIDATES_QUERY)
    sql.table("neardup_links", LINKS_QUERY)
    sql.table("neardup_edges", EDGES_QUERY)
    labels = "neardup_labels_0"
    sql.table(labels, LABELS_START)
    for round_ in range(1, max_rounds + 1):
        following = f"neardup_labels_{round_}"
        sql.table(following, LABELS_STEP.format(labels=labels))
        changed = sql.scalar(LABELS_CHANGED.format(new=following, old=labels))
        labels = following
        if not changed:
            break
    sql.table("neardup_clusters", f"SELECT doc_id, label AS cluster FROM {labels}")
    return "neardup_clusters"
