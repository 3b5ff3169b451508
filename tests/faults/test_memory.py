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
