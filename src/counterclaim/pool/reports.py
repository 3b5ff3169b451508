"""The report of an ingest: one JSON line per input row that was not ingested, in input order.

Each line is ``{"file", "row", "id", "reason"}`` — the fields and the words of ``corpus add``'s problems.
Lines are written as the engine streams them, never gathered in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from counterclaim.io.jsonio import atomic_write, dumps
from counterclaim.pool.dedup import refusal_reason


def write_report(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write the rows of ``dedup.REPORT_QUERY`` (ordered by ``ord``) to ``path``; return how many."""
    count = 0
    with atomic_write(path, durable=False) as fh:
        for row in rows:
            fh.write(dumps({"file": row["source_file"], "row": row["source_row"], "id": row["doc_id"],
                            "reason": refusal_reason(row)}))
            fh.write("\n")
            count += 1
    return count
