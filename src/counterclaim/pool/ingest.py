"""``ingest``: add one input to the pool with the engine chosen, then record it in ``pool.json``.

Every row of the input is either a document in the pool or a line of the ingest's report (``reports/``),
with the reason ``corpus add`` would give. Nothing of an ingest is visible before its manifest entry is
written, which happens last.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterclaim.pool import engines, store
from counterclaim.pool.sources import raw_batches, resolve_kind


@dataclass
class IngestReport:
    pool_dir: Path
    ingest: str
    input: str
    kind: str
    engine: str
    rows: int = 0
    ingested: int = 0
    refused: int = 0
    report: str = ""
    files: int = 0
    rounds: int = 0
    document_count: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of the engine's phases

    def to_dict(self) -> dict[str, Any]:
        return {"pool": str(self.pool_dir), "ingest": self.ingest, "input": self.input, "kind": self.kind,
                "engine": self.engine, "rows": self.rows, "ingested": self.ingested, "refused": self.refused,
                "report": self.report, "files": self.files, "pool_documents": self.document_count,
                "seconds": {phase: round(value, 2) for phase, value in self.seconds.items()}}


def ingest(
    pool_dir: str | os.PathLike,
    path: str | os.PathLike,
    *,
    kind: str | None = None,
    engine: str = engines.DEFAULT,
    buckets: int | None = None,
    options: Any = None,
    progress=None,
) -> IngestReport:
    """Ingest the articles at ``path`` (any input ``corpus add`` reads) into the pool at ``pool_dir``.

    The pool is created when the folder holds none (with ``buckets`` buckets, default 16). ``kind`` names
    the reader (a ``corpus.readers.READERS`` key; default: chosen from the path as ``corpus add`` does);
    ``options`` are the engine's (``DuckDBOptions`` or ``SparkOptions``); ``progress`` gets ``update(rows)``.
    """
    path, pool_dir = Path(path), Path(pool_dir)
    kind = resolve_kind(path, kind)
    run = engines.ingest_function(engine)
    with store.writing(pool_dir) as tmp:
        pool = store.open_or_create(pool_dir, buckets)
        store.check_policy(pool)
        ingest_id = pool.next_ingest_id()
        staged_docs = tmp / store.DOCUMENTS
        report_path = tmp / "report.jsonl"
        result = run(
            raw_batches(path, kind),
            pool_files=pool.files(),
            buckets=pool.buckets,
            ingest_id=ingest_id,
            tmp=tmp,
            documents_dir=staged_docs,
            report_path=report_path,
            options=options,
            progress=progress,
        )
        report_name = f"{store.REPORTS}/{ingest_id}.jsonl"
        for written in result.files:
            target = pool.documents_dir / written.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged_docs / written.path, target)
        pool.reports_dir.mkdir(exist_ok=True)
        os.replace(report_path, pool.root / report_name)
        ingested = sum(f.rows for f in result.files)
        pool.ingests.append(store.Ingest(
            id=ingest_id, input=path.name, kind=kind, rows=result.rows, ingested=ingested, refused=result.refused,
            report=report_name, files=[{"path": f.path, "rows": f.rows} for f in result.files],
        ))
        pool.save()
    return IngestReport(pool_dir=pool_dir, ingest=ingest_id, input=str(path), kind=kind, engine=engine,
                        rows=result.rows, ingested=ingested, refused=result.refused, report=report_name,
                        files=len(result.files), rounds=result.rounds, document_count=pool.document_count,
                        seconds=result.seconds)
