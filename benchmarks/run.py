"""Benchmark: counterclaim's Label Studio export → dataset path against Label Studio's own converter.

    .venv/bin/python benchmarks/run.py [--tasks 5000 50000] [--cores 1 2] [--repeat 3] [--workdir DIR] [--json]

1. Generates N documents and their Label Studio JSON export (benchmarks/generate_export.py; not timed) and
   checks a sample of the tasks converts and validates.
2. Sets up a scratch counterclaim project in the work folder: a copy of schema/ and guidelines/, then
   ``counterclaim corpus add documents.jsonl`` (not timed).
3. Times, each in a fresh subprocess pinned to the first C cores with ``taskset`` (wall time, CPU time =
   user + system, peak memory = the child's ``ru_maxrss`` from ``wait4``; imports included):
   - ours: ``counterclaim studio pull --from-file export.json`` then ``counterclaim export`` (all configs);
     the two are summed (time) or the larger taken (memory);
   - theirs: ``label_studio_sdk.converter.Converter`` → CONLL2003 with our labeling config
     (benchmarks/ls_conll.py).
   Each side runs ``--repeat`` times, alternating; times are medians, peak memory the maximum.
   Every "ours" run works in its own fresh copy of the scratch project (see ``fresh_copy``).
4. Prints, per size and core count, the table and the ratios ours/theirs: CPU time (the figure that says
   how much work each does per task), wall time and peak memory, and the time per task, so that linearity
   in the number of tasks and flat memory can be read off.

Generated data and the scratch project are reused from ``--workdir`` when they match the parameters.
Without ``--workdir`` a temporary folder is used and removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_export  # noqa: E402

CHECK_SAMPLE = 200


class BenchError(Exception):
    """The benchmark could not run as set up; the message says why."""


@dataclass
class Measurement:
    wall_s: float
    peak_mib: float  # wait4's ru_maxrss
    cpu_s: float  # user + system
    returncode: int


def measure(cmd: list[str], cwd: Path, log: Path, cores: int | None = None) -> Measurement:
    """Run ``cmd`` in a fresh process (pinned to the first ``cores`` CPUs): wall time, CPU time and peak
    memory (``wait4``'s ``ru_maxrss``, imports included)."""
    if cores is not None:
        cmd = ["taskset", "-c", ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:cores]), *cmd]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=_child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting again
    m = Measurement(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, proc.returncode)
    if m.returncode != 0:
        tail = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")[-2000:]
        raise BenchError(f"`{' '.join(map(str, cmd))}` exited with {m.returncode}:\n{tail}")
    return m


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "COUNTERCLAIM_PROJECT"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# -- set-up (not timed) -------------------------------------------------------------------------------------


def _generator_hash() -> str:
    return hashlib.sha256((HERE / "generate_export.py").read_bytes()).hexdigest()[:16]


def prepare_data(datadir: Path, tasks: int, seed: int, say) -> Path:
    """documents.jsonl and export.json for these parameters, generated unless already there."""
    params = {"tasks": tasks, "seed": seed, "generator": _generator_hash()}
    stamp = datadir / "params.json"
    export = datadir / "export.json"
    if stamp.exists() and export.exists() and json.loads(stamp.read_text()) == params:
        say(f"reusing {export}")
        return export
    sys.path.insert(0, str(REPO / "src"))
    from counterclaim.model.ontology import load_ontology

    ont = load_ontology(REPO / "schema")
    say(f"generating {tasks} tasks (seed {seed}) into {datadir} ...")
    started = time.perf_counter()
    _, export, sample = generate_export.write(tasks, datadir, seed, ont, keep=CHECK_SAMPLE)
    say(f"  {export.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s; checking {len(sample)} tasks")
    problems = generate_export.check(sample, ont)
    if problems:
        raise BenchError("generated tasks do not convert cleanly:\n" + "\n".join(problems[:20]))
    stamp.write_text(json.dumps(params))
    return export


def prepare_project(project: Path, datadir: Path, say) -> None:
    """A scratch project (schema/, guidelines/ copied) whose corpus holds the generated documents."""
    stamp = project / "bench-params.json"
    params = (datadir / "params.json").read_text()
    if stamp.exists() and stamp.read_text() == params:
        say(f"reusing project {project}")
        return
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, project / name)
    say("counterclaim corpus add documents.jsonl ...")
    cmd = [sys.executable, "-m", "counterclaim", "corpus", "add", str(datadir / "documents.jsonl"),
           "--project", str(project), "--quiet"]
    done = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=_child_env())
    if done.returncode != 0:
        raise BenchError(f"corpus add failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    # Every document must come out of normalisation unchanged, or the export's offsets would not fit.
    corpus = {}
    with open(project / "corpus" / "documents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = doc["text_sha256"]
    with open(datadir / "documents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            text = doc["title"] + "\n\n" + doc["text"]
            if corpus.get(doc["id"]) != hashlib.sha256(text.encode("utf-8")).hexdigest():
                raise BenchError(f"document {doc['id']} changed on its way into the corpus")
    stamp.write_text(params)


def fresh_copy(project: Path, runs_dir: Path, name: str) -> Path:
    """A copy of the scratch project without pull or export outputs, so every run does the same work.

    Each run gets its own copy, and copies are removed only after the last run: deleting a run's 5,000
    files just before the next run writes 5,000 new ones makes ext4 look for free inodes among recently
    deleted ones (``recently_deleted`` in the kernel), which tripled pull's system time — a cost of the
    benchmark's clean-up, not of the tool."""
    target = runs_dir / name
    if target.exists():
        shutil.rmtree(target)
    skip = {"annotations", "export", ".counterclaim"}
    shutil.copytree(project, target, ignore=lambda folder, names: [n for n in names if n in skip])
    return target


def run_ours(project: Path, export: Path, logs: Path, tasks: int, cores: int) -> dict[str, Measurement]:
    py = sys.executable
    steps = {}
    steps["pull"] = measure([py, "-m", "counterclaim", "studio", "pull", "--from-file", str(export),
                             "--project", str(project), "--quiet"], project, logs / "pull", cores)
    written = len(list((project / "corpus" / "annotations").glob("*.json")))
    if written != tasks:
        raise BenchError(f"pull wrote {written} annotated documents, expected {tasks}")
    steps["export"] = measure([py, "-m", "counterclaim", "export", "--project", str(project), "--quiet"],
                              project, logs / "export", cores)
    if not list((project / "export").rglob("*.parquet")):
        raise BenchError(f"`counterclaim export` wrote no parquet file under {project / 'export'}")
    return steps


def run_theirs(project: Path, export: Path, logs: Path, workdir: Path, cores: int) -> Measurement:
    out = workdir / "conll"
    if out.exists():
        shutil.rmtree(out)
    m = measure([sys.executable, str(HERE / "ls_conll.py"), str(project / "guidelines" / "labelstudio.xml"),
                 str(export), str(out)], workdir, logs / "theirs", cores)
    if not (out / "result.conll").exists():
        raise BenchError(f"the Label Studio converter wrote no {out / 'result.conll'}")
    shutil.rmtree(out)
    return m


def source_state() -> dict:
    """The code being measured: git commit, whether src/ has uncommitted changes, a hash of src/ as it is."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")

    def git(*args: str) -> str | None:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--", "src")
    return {"commit": git("rev-parse", "--short", "HEAD"), "src_dirty": bool(status) if status is not None else None,
            "src_sha256": digest.hexdigest()[:16]}


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kib = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(mem_kib / 2**20, 1),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _versions() -> dict:
    from importlib.metadata import version

    out = {}
    for name in ("counterclaim", "label-studio-sdk", "orjson", "pyarrow", "jsonschema", "jsonschema-rs", "ijson"):
        try:
            out[name] = version(name)
        except Exception:  # not installed
            out[name] = None
    return out


def _agg(ms: list[Measurement]) -> dict:
    return {"wall_s": statistics.median(m.wall_s for m in ms), "cpu_s": statistics.median(m.cpu_s for m in ms),
            "peak_mib": max(m.peak_mib for m in ms), "wall_min_s": min(m.wall_s for m in ms),
            "wall_max_s": max(m.wall_s for m in ms)}


def summarise(runs: list[dict[str, Measurement]], theirs: list[Measurement], tasks: int) -> dict:
    steps = {name: _agg([r[name] for r in runs]) for name in runs[0]}
    totals = [sum(m.wall_s for m in r.values()) for r in runs]
    ours = {"wall_s": sum(s["wall_s"] for s in steps.values()), "cpu_s": sum(s["cpu_s"] for s in steps.values()),
            "peak_mib": max(s["peak_mib"] for s in steps.values()), "wall_min_s": min(totals),
            "wall_max_s": max(totals)}
    base = _agg(theirs)
    return {
        "ours": {"steps": steps, "total": ours},
        "theirs": base,
        "ratios": {"cpu": ours["cpu_s"] / base["cpu_s"], "wall": ours["wall_s"] / base["wall_s"],
                   "memory": ours["peak_mib"] / base["peak_mib"]},
        "per_task_ms": {"ours_cpu": 1000 * ours["cpu_s"] / tasks, "theirs_cpu": 1000 * base["cpu_s"] / tasks,
                        "ours_wall": 1000 * ours["wall_s"] / tasks, "theirs_wall": 1000 * base["wall_s"] / tasks},
    }


def table(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"each command in a fresh process pinned with taskset, run {result['repeat']}x, alternating: times = "
        "median, peak RSS = max; ours total = sum of the step medians",
        f"machine: {m['nproc']} CPU(s) ({m['cpu']}), {m['memory_gib']} GiB RAM, Python {m['python']}; "
        f"load average after: {', '.join(f'{x:.2f}' for x in result['load_average_after'])}",
        f"code: commit {result['source']['commit']}" + (" + uncommitted changes in src/" if result["source"]["src_dirty"]
                                                         else "") + f" (src sha256 {result['source']['src_sha256']})",
    ]

    def row(name: str, r: dict) -> str:
        spread = f"({r['wall_min_s']:.1f}-{r['wall_max_s']:.1f})"
        return f"  {name:<44} {r['wall_s']:>8.2f} {spread:>13} {r['cpu_s']:>8.2f} {r['peak_mib']:>9.1f}"

    for case in result["cases"]:
        s = case["summary"]
        lines += ["", f"{case['tasks']} tasks ({case['export_mb']:.1f} MB export), {case['cores']} core(s)",
                  f"  {'':<44} {'wall s':>8} {'(min-max)':>13} {'cpu s':>8} {'peak MiB':>9}",
                  row("ours: counterclaim studio pull --from-file", s["ours"]["steps"]["pull"]),
                  row("ours: counterclaim export", s["ours"]["steps"]["export"]),
                  row("ours: total", s["ours"]["total"]),
                  row("theirs: label_studio_sdk Converter -> CONLL2003", s["theirs"]),
                  f"  ours/theirs: CPU time {s['ratios']['cpu']:.2f}x, wall time {s['ratios']['wall']:.2f}x, "
                  f"peak memory {s['ratios']['memory']:.2f}x; per task: ours {s['per_task_ms']['ours_cpu']:.2f} ms "
                  f"CPU, theirs {s['per_task_ms']['theirs_cpu']:.2f} ms CPU"]
    if result["source_changed_during_run"]:
        lines.append("WARNING: src/ changed during the run, so the runs measured different code; run again")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, nargs="+", default=[5000], help="tasks in the export (default 5000)")
    parser.add_argument("--cores", type=int, nargs="+", default=[1, 2], help="cores each command may use "
                        "(taskset; default: 1 and 2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (default 3)")
    parser.add_argument("--workdir", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    try:
        import counterclaim  # noqa: F401
        import label_studio_sdk  # noqa: F401
    except ImportError as exc:
        print(f"error: {exc}; run with the project's virtualenv: .venv/bin/python benchmarks/run.py", file=sys.stderr)
        return 2
    if shutil.which("taskset") is None:
        print("error: taskset (util-linux) is needed to pin each command to its cores", file=sys.stderr)
        return 2
    available = len(os.sched_getaffinity(0))
    if max(args.cores) > available:
        print(f"error: --cores {max(args.cores)} but only {available} CPU(s) are available", file=sys.stderr)
        return 2

    say = (lambda msg: print(msg, file=sys.stderr)) if args.json else print
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="counterclaim-bench-"))
    workdir = workdir.resolve()
    remove = args.workdir is None and not args.keep
    states = [source_state()]
    cases = []
    try:
        for tasks in args.tasks:
            datadir = workdir / f"data-{tasks}"
            export = prepare_data(datadir, tasks, args.seed, say)
            project = workdir / f"project-{tasks}"
            prepare_project(project, datadir, say)
            for cores in args.cores:
                runs, theirs = [], []
                runs_dir = workdir / "runs"
                for rep in range(args.repeat):
                    logs = workdir / "logs" / f"{tasks}-{cores}core-{rep}"
                    say(f"{tasks} tasks, {cores} core(s), run {rep + 1}/{args.repeat}: ours ...")
                    copy = fresh_copy(project, runs_dir, f"ours-{rep}")
                    runs.append(run_ours(copy, export, logs, tasks, cores))
                    say(f"{tasks} tasks, {cores} core(s), run {rep + 1}/{args.repeat}: theirs ...")
                    theirs.append(run_theirs(project, export, logs, workdir, cores))
                    states.append(source_state())
                shutil.rmtree(runs_dir, ignore_errors=True)
                cases.append({"tasks": tasks, "cores": cores, "export_mb": export.stat().st_size / 1e6,
                              "runs": {"ours": [{k: asdict(v) for k, v in r.items()} for r in runs],
                                       "theirs": [asdict(m) for m in theirs]},
                              "summary": summarise(runs, theirs, tasks)})
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "seed": args.seed,
            "repeat": args.repeat,
            "machine": machine(),
            "load_average_after": os.getloadavg(),
            "versions": _versions(),
            "source": states[0],
            "source_changed_during_run": len({st["src_sha256"] for st in states}) > 1,
            "workdir": "WORK" if not remove else None,  # given with --workdir (its path is this machine's)
            "cases": cases,
        }
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if remove:
            print(f"(work folder kept for inspection: {workdir})", file=sys.stderr)
        return 1
    if remove:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print()
        print(table(result))
        if not remove:
            print(f"\nwork folder: {workdir} (logs in {workdir / 'logs'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
