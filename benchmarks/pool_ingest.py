"""Benchmark: pool ingest of a FakeNewsCorpus-layout CSV with both engines, against DuckDB's own floor.

    .venv/bin/python benchmarks/pool_ingest.py [--rows 1000000] [--workdir DIR] [--sides floor duckdb spark]
                                              [--select 5000] [--json]

1. Generates the CSV (benchmarks/generate_fakenewscorpus.py, seed 1; not timed; reused from --workdir).
2. Runs each side in a fresh process, one after the other, with the same file:
   - floor: DuckDB's ``COPY (SELECT * FROM read_csv(FILE, all_varchar=true)) TO 'floor.parquet'`` — reading the
     CSV and writing it as parquet, nothing else (DuckDB's defaults: all cores, memory up to 80% of RAM);
   - duckdb: ``counterclaim pool ingest FILE --pool P --quiet`` (the default engine: 512 MB DuckDB limit, one
     normalising worker per core);
   - spark: ``counterclaim pool ingest FILE --pool P --engine spark --quiet`` (local[*], driver memory 2g).
3. Measures wall time; CPU time (user + system: ``wait4`` of the process, which includes the children it
   waited for, or the sum over every process of the tree as sampled from /proc, whichever is larger — the
   Spark JVM is not always waited for); peak memory as the largest sum of RSS over the process tree, sampled
   every 50 ms (a forked or spawned worker's shared pages count twice, so this errs high).
4. Checks that both engines wrote the same pool (every file's bytes), then, with ``--select N``, times
   ``pool select --sample N --stratify reliability`` and ``corpus add`` of that selection into a scratch corpus.
5. Prints the table and the ratios to the floor; ``--json`` writes everything to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_fakenewscorpus  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measurement:
    wall_s: float
    cpu_s: float
    peak_mib: float
    returncode: int


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _sample(pid: int) -> tuple[int, dict[int, float]]:
    rss, cpu = 0, {}
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            cpu[p] = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime of this process alone
            rss += int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return rss, cpu


def measure(cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Measurement:
    log.parent.mkdir(parents=True, exist_ok=True)
    peak, cpu_seen = 0, {}
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env or os.environ.copy())
        done = threading.Event()

        def watch():
            nonlocal peak
            while not done.is_set():
                rss, cpu = _sample(proc.pid)
                peak = max(peak, rss)
                cpu_seen.update(cpu)
                done.wait(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu_seen.values()))
    m = Measurement(wall, cpu, max(peak / 2**20, usage.ru_maxrss / 1024), proc.returncode)
    if m.returncode != 0:
        tail = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"`{' '.join(map(str, cmd))}` exited with {m.returncode}:\n{tail}")
    return m


def _env() -> dict[str, str]:
    env = os.environ.copy()
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


FLOOR = """
import duckdb, sys
duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}', header=true, all_varchar=true, parallel=false)) "
                         f"TO '{sys.argv[2]}' (FORMAT parquet)")
"""


def _portable(value, work: Path):
    """``value`` with the work folder's path written ``WORK``: the results are committed, this machine's paths are
    not."""
    if isinstance(value, dict):
        return {k: _portable(v, work) for k, v in value.items()}
    if isinstance(value, list):
        return [_portable(v, work) for v in value]
    if isinstance(value, str) and value.startswith(str(work)):
        return "WORK" + value[len(str(work)):]
    return value


def side_command(side: str, csv_path: Path, work: Path) -> list[str]:
    py = sys.executable
    if side == "floor":
        return [py, "-c", FLOOR, str(csv_path), str(work / "floor.parquet")]
    extra = ["--engine", "spark"] if side == "spark" else []
    return [py, "-m", "counterclaim", "pool", "ingest", str(csv_path), "--pool", str(work / f"pool-{side}"),
            "--quiet", "--json", *extra]


def folder_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "pool.lock"}


def machine() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    import duckdb
    import pyarrow

    versions = {"duckdb": duckdb.__version__, "pyarrow": pyarrow.__version__}
    try:
        import pyspark

        versions["pyspark"] = pyspark.__version__
    except ImportError:
        pass
    return {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
            "memory_gib": round(os.sysconf("SC_PHYS_PAGES") * PAGE / 2**30, 1), "commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "src")), "versions": versions,
            "load_before": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--sides", nargs="+", default=["floor", "duckdb", "spark"])
    parser.add_argument("--select", type=int, default=0, help="then select N documents and add them to a corpus")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="pool-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"fakenewscorpus-{args.rows}.csv"
    if not csv_path.exists():
        print(f"generating {csv_path} ...", file=sys.stderr)
        generate_fakenewscorpus.generate(args.rows, csv_path, seed=1)
    result = {"rows": args.rows, "csv_bytes": csv_path.stat().st_size, "machine": machine(), "sides": {}}
    for side in args.sides:
        for leftover in (work / f"pool-{side}", work / "floor.parquet"):
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)
        print(f"running {side} ...", file=sys.stderr)
        try:
            m = measure(side_command(side, csv_path, work), work, work / "logs" / side, _env())
        except SystemExit as failed:
            print(f"  {side} FAILED: {str(failed)[-600:]}", file=sys.stderr)
            result["sides"][side] = {"failed": str(failed)[-3000:]}
            continue
        result["sides"][side] = asdict(m)
        if side != "floor":
            result["sides"][side]["report"] = json.loads((work / "logs" / f"{side}.out").read_text())
        print(f"  {side}: {m.wall_s:.1f} s wall, {m.cpu_s:.1f} s CPU, {m.peak_mib:.0f} MiB", file=sys.stderr)
    ran = {side for side, m in result["sides"].items() if "failed" not in m}
    if {"duckdb", "spark"} <= ran:
        result["identical_pools"] = folder_digest(work / "pool-duckdb") == folder_digest(work / "pool-spark")
    if args.select and "duckdb" in ran:
        out, corpus = work / "selection.jsonl", work / "corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        py = sys.executable
        select = measure([py, "-m", "counterclaim", "pool", "select", "--pool", str(work / "pool-duckdb"),
                          "--sample", str(args.select), "--stratify", "reliability", "--out", str(out)],
                         work, work / "logs" / "select", _env())
        add = measure([py, "-m", "counterclaim", "corpus", "add", str(out), "--corpus", str(corpus), "--quiet",
                       "--json"], work, work / "logs" / "corpus-add", _env())
        report = json.loads((work / "logs" / "corpus-add.out").read_text())
        result["selection"] = {"documents": args.select, "select": asdict(select), "corpus_add": asdict(add),
                               "ingested": report["ingested"], "skipped": report["skipped"]}
    floor = result["sides"].get("floor")
    if floor and "failed" not in floor:
        for side, m in result["sides"].items():
            if "failed" in m:
                continue
            m["ratio_to_floor"] = {k: round(m[k] / floor[k], 2) for k in ("wall_s", "cpu_s", "peak_mib")}
    result["machine"]["load_after"] = os.getloadavg()
    print(table(result))
    if args.json:
        folder = HERE / "results"
        folder.mkdir(exist_ok=True)
        path = folder / f"pool-{args.rows}-rows-{result['machine']['commit']}.json"
        path.write_text(json.dumps(_portable(result, work), indent=2) + "\n", encoding="utf-8")
        print(f"written {path.relative_to(REPO)}", file=sys.stderr)
    return 0


def table(result: dict) -> str:
    lines = [f"{result['rows']:,} rows, {result['csv_bytes'] / 2**20:,.0f} MiB CSV, "
             f"{result['machine']['cpus']} CPUs",
             "| side | wall s | CPU s | peak MiB | wall / floor | CPU / floor | memory / floor |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for side, m in result["sides"].items():
        if "failed" in m:
            lines.append(f"| {side} | failed | | | | | |")
            continue
        r = m.get("ratio_to_floor", {})
        lines.append(f"| {side} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} | {m['peak_mib']:.0f} | "
                     f"{r.get('wall_s', '')} | {r.get('cpu_s', '')} | {r.get('peak_mib', '')} |")
    if "identical_pools" in result:
        lines.append(f"identical pools (duckdb, spark): {result['identical_pools']}")
    if "selection" in result:
        s = result["selection"]
        lines.append(f"select {s['documents']}: {s['select']['wall_s']:.1f} s; corpus add: "
                     f"{s['corpus_add']['wall_s']:.1f} s, {s['corpus_add']['peak_mib']:.0f} MiB, "
                     f"ingested {s['ingested']}, skipped {s['skipped']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
