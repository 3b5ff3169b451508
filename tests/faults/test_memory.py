"""Memory of `corpus add` does not grow with the number of rows: records, texts and outputs are streamed (the
documents of the build live in a SQLite spool on disk). What still grows is the list of added ids the report
gives (about 150 bytes a row) and SQLite's page cache up to its bound (16 MB)."""

from __future__ import annotations

import json
import shutil

from faultkit import run_process
from helpers import REPO

SMALL, LARGE = 8_000, 80_000
ALLOWED_GROWTH = 40 * 2**20  # the code before the spool grew by ~3.5 KB a row: 250 MB here


def _rows(path, n: int):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"r{i}", "title": f"Report {i}", "text": f"Strikes hit target {i} today."}))
            fh.write("\n")
    return path


def _project(root):
    (root / "schema").mkdir(parents=True)
    shutil.copy(REPO / "schema" / "ontology.yaml", root / "schema")
    return root


def test_corpus_add_memory_does_not_grow_with_the_rows(tmp_path):
    peaks = {}
    for n in (SMALL, LARGE):
        source = _rows(tmp_path / f"rows-{n}.jsonl", n)
        code, output, peak = run_process("corpus", "add", source, "--project", _project(tmp_path / f"p{n}"),
                                         "--quiet", timeout=900)
        assert code == 0 and f"ingested {n}, skipped 0" in output, output
        peaks[n] = peak
    growth = peaks[LARGE] - peaks[SMALL]
    assert growth < ALLOWED_GROWTH, (f"{SMALL} rows: {peaks[SMALL] / 2**20:.0f} MB, {LARGE} rows: "
                                     f"{peaks[LARGE] / 2**20:.0f} MB")


PULL_SMALL, PULL_LARGE = 150, 600
PULL_ALLOWED_GROWTH = 200 * 2**10  # the code before the spools held ~3 KB a task more: 1.4 MB here


def test_pull_keeps_nothing_per_task_in_memory(tmp_path):
    """`studio pull` holds no Python object per task: the transaction's plan, the report's items and the
    documents seen are on disk, and the report is written streamed. Measured with tracemalloc (Python's objects,
    not SQLite's bounded page cache) once the report is written, before the commit: what is held then was held
    all along. A first small pull warms the caches up."""
    import sys
    import tracemalloc

    from counterclaim.io.transaction import transaction
    from counterclaim.labelstudio.convert import ConvertOptions
    from counterclaim.model.ontology import load_ontology
    from counterclaim.studio.pull import pull_export

    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate_export

    ont = load_ontology(REPO / "schema")
    options = ConvertOptions(schema_version=ont.version, corpus_version="0.0.0")
    held = {}
    for n in (20, PULL_SMALL, PULL_LARGE):
        _, export, _ = generate_export.write(n, tmp_path / f"data-{n}", 1, ont)
        state = tmp_path / f"project-{n}" / ".counterclaim"
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            with transaction(state, "studio pull") as tx:
                report = pull_export(export, ont=ont, options=options, out_dir=state.parent / "annotations",
                                     corpus_index=None, tx=tx)
                with tx.open_staged(state / "pull-report.json") as fh:
                    report.write(fh)
                held[n] = tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
        assert report.written_count == n and len(report.items) >= n
    assert held[PULL_LARGE] - held[PULL_SMALL] < PULL_ALLOWED_GROWTH, held
