"""Benchmark: `corpus add`, `corpus build`, `corpus check` and `export` as the corpus grows.

    .venv/bin/python benchmarks/corpus_scale.py [--rows 5000 50000] [--workdir DIR] [--max-shard-size 500MB] [--json]

For each row count:

1. Generates a CSV in the FakeNewsCorpus layout (benchmarks/generate_fakenewscorpus.py, seed 1; not timed;
   reused from --workdir). 5,000 rows are about 22 MB, 50,000 about 235 MB: under and over the 50 MiB above which
   `corpus add` references an input instead of copying it.
2. In a fresh scratch project (the real schema), runs each step in a process of its own, one after the other:
   - add: ``counterclaim corpus add CSV --quiet --json`` (ingest, then build);
   - build: ``counterclaim corpus build --raw-from DIR --json`` (a rebuild that changes nothing: it re-reads the
     input, re-checks every row and compares the outputs);
   - check: ``counterclaim corpus check --raw-from DIR --json`` (documents.jsonl against manifest.json and raw/);
   - export: ``counterclaim export --quiet --json`` (parquet per config and split, in shards of --max-shard-size).
3. Measures wall time, CPU time (user + system of the process tree) and peak RSS of the process tree, sampled
   every 50 ms (benchmarks/pool_ingest.py `measure`), and the size of what each writes: raw/, documents.jsonl,
   manifest.json, CHANGELOG.md, corpus/changes/, export/ and its number of parquet files.
4. Prints a table with the time per document; ``--json`` writes everything to benchmarks/results/.

The machine is shared and has two cores: figures are indicative, not a contract.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_fakenewscorpus  # noqa: E402
from pool_ingest import _env, machine, measure  # noqa: E402


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def steps(csv_path: Path, project: Path, max_shard_size: str) -> list[tuple[str, list[str]]]:
    py = [sys.executable, "-m", "counterclaim"]
    where = ["--project", str(project)]
    raw_from = ["--raw-from", str(csv_path.parent)]
    return [
        ("add", [*py, "corpus", "add", str(csv_path), *where, "--quiet", "--json"]),
        ("build", [*py, "corpus", "build", *where, *raw_from, "--json"]),
        ("check", [*py, "corpus", "check", *where, *raw_from, "--json"]),
        ("export", [*py, "export", *where, "--quiet", "--json", "--max-shard-size", max_shard_size]),
    ]


def run_rows(rows: int, work: Path, max_shard_size: str) -> dict:
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    csv_path = data / f"fakenewscorpus-{rows}.csv"
    if not csv_path.exists():
        print(f"generating {csv_path} ...", file=sys.stderr)
        generate_fakenewscorpus.generate(rows, csv_path, seed=1)
    project = work / f"project-{rows}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "schema").mkdir(parents=True)
    shutil.copy(REPO / "schema" / "ontology.yaml", project / "schema")
    result: dict = {"rows": rows, "csv_bytes": csv_path.stat().st_size, "steps": {}}
    for name, cmd in steps(csv_path, project, max_shard_size):
        print(f"  {rows} rows: {name} ...", file=sys.stderr)
        m = measure(cmd, project, work / "logs" / f"{rows}-{name}", _env())
        result["steps"][name] = asdict(m)
        print(f"    {m.wall_s:.1f} s wall, {m.cpu_s:.1f} s CPU, {m.peak_mib:.0f} MiB", file=sys.stderr)
    add_report = json.loads((work / "logs" / f"{rows}-add.out").read_text())
    documents = add_report["build"]["document_count"]
    corpus = project / "corpus"
    result["documents"] = documents
    result["ingested"], result["skipped"] = add_report["ingested"], add_report["skipped"]
    result["raw_written"] = add_report["raw_written"]
    result["check_ok"] = json.loads((work / "logs" / f"{rows}-check.out").read_text())["ok"]
    result["bytes"] = {name: _size(corpus / name) for name in
                       ("raw", "documents.jsonl", "manifest.json", "CHANGELOG.md", "changes")}
    result["bytes"]["export"] = _size(project / "export")
    result["parquet_files"] = len(list((project / "export").rglob("*.parquet")))
    for m in result["steps"].values():
        m["ms_per_document"] = 1000 * m["wall_s"] / documents
    return result


def table(results: list[dict]) -> str:
    lines = [f"{'rows':>7} {'docs':>7} {'step':<7} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'ms/doc':>7}"]
    for r in results:
        for name, m in r["steps"].items():
            lines.append(f"{r['rows']:>7} {r['documents']:>7} {name:<7} {m['wall_s']:>8.1f} {m['cpu_s']:>8.1f} "
                         f"{m['peak_mib']:>9.0f} {m['ms_per_document']:>7.2f}")
    lines.append("")
    lines.append(f"{'rows':>7} " + " ".join(f"{k:>16}" for k in results[0]["bytes"]) + f" {'parquet files':>14}")
    for r in results:
        lines.append(f"{r['rows']:>7} " + " ".join(f"{v:>16,}" for v in r["bytes"].values())
                     + f" {r['parquet_files']:>14}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--max-shard-size", default="500MB")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="corpus-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    about = machine()
    results = [run_rows(rows, work, args.max_shard_size) for rows in args.rows]
    print(table(results))
    if args.json:
        out = HERE / "results" / f"corpus-scale-{'-'.join(map(str, args.rows))}-{about['commit']}.json"
        out.write_text(json.dumps({"machine": about, "results": results}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(REPO)}", file=sys.stderr)
    return 0 if all(r["check_ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
