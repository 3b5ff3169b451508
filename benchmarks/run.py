"""Benchmark: counterclaim's Label Studio export → dataset path against Label Studio's own converter.

    .venv/bin/python benchmarks/run.py [--tasks 5000] [--workdir DIR] [--keep] [--repeat 3] [--json]

1. Generates N documents and their Label Studio JSON export (benchmarks/generate_export.py; not timed) and
   checks a sample of the tasks converts and validates.
2. Sets up a scratch counterclaim project in the work folder: a copy of schema/ and guidelines/, then
   ``counterclaim corpus add documents.jsonl`` (not timed).
3. Times, each in a fresh subprocess (wall time; peak memory = the larger of the child's ``ru_maxrss``
   from ``wait4`` and the sampled peak of the summed RSS of the child and its worker processes; imports
   included):
   - ours: ``counterclaim studio pull --from-file export.json`` then ``counterclaim export`` (the dataset
     build); the sum of the two is compared (wall: sum, peak: the larger). If ``counterclaim export`` is
     not available, pull alone is timed and the result is marked PARTIAL;
   - theirs: ``label_studio_sdk.converter.Converter`` → CONLL2003 with our labeling config
     (benchmarks/ls_conll.py).
   Each side runs ``--repeat`` times, alternating; wall is the median, peak the maximum.
   Every "ours" run works in its own fresh copy of the scratch project (see ``fresh_copy``).
4. Prints the table, the ratios ours/theirs and the targets (time ≤ 0.5×, memory ≤ 1.5×).

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
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_export  # noqa: E402

TIME_TARGET = 0.5  # ours/theirs wall time must be at most this
MEMORY_TARGET = 1.5  # ours/theirs peak RSS must be at most this
CHECK_SAMPLE = 200


class BenchError(Exception):
    """The benchmark could not run as set up; the message says why."""


@dataclass
class Measurement:
    wall_s: float
    peak_mib: float  # the larger of the two below
    cpu_s: float
    returncode: int
    maxrss_mib: float = 0.0  # wait4's ru_maxrss: the largest single process
    tree_peak_mib: float = 0.0  # sampled peak of the summed RSS of the process and its descendants
    processes: int = 1


_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0  # gone


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


class TreeSampler(threading.Thread):
    """The largest sum of resident memory over a process and all its descendants, sampled every 20 ms.

    ``ru_maxrss`` from ``wait4`` is the peak of the largest single process of a tree, not of the tree: a
    command that forks workers would be under-counted. The sum of RSS counts pages a forked worker shares
    with its parent twice, so this errs on the high side."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.processes = 1
        self._stop_event = threading.Event()

    def run(self) -> None:
        known, last_scan = {self.pid}, 0.0
        while not self._stop_event.is_set():
            now = time.monotonic()
            if now - last_scan > 0.2:
                known |= _descendants(self.pid)
                self.processes = max(self.processes, len(known))
                last_scan = now
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(pid) for pid in known))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(cmd: list[str], cwd: Path, log: Path) -> Measurement:
    """Run ``cmd`` in a fresh process: wall time, and peak memory — the larger of the child's ``ru_maxrss``
    (``wait4``, imports included) and the sampled peak of the process tree's summed RSS (worker processes
    included)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=_child_env())
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting again
    m = Measurement(wall, max(usage.ru_maxrss, sampler.peak_kib) / 1024, usage.ru_utime + usage.ru_stime,
                    proc.returncode, usage.ru_maxrss / 1024, sampler.peak_kib / 1024, sampler.processes)
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


def export_available() -> bool:
    done = subprocess.run([sys.executable, "-m", "counterclaim", "export", "--help"], capture_output=True,
                          env=_child_env())
    return done.returncode == 0


# -- the runs -----------------------------------------------------------------------------------------------


def run_ours(project: Path, export: Path, logs: Path, rep: int, with_export: bool, tasks: int) -> dict:
    py = sys.executable
    steps = {}
    steps["pull"] = measure([py, "-m", "counterclaim", "studio", "pull", "--from-file", str(export),
                             "--project", str(project), "--quiet"], project, logs / f"ours-pull-{rep}")
    written = len(list((project / "corpus" / "annotations").glob("*.json")))
    if written != tasks:
        raise BenchError(f"pull wrote {written} annotated documents, expected {tasks}")
    if with_export:
        steps["export"] = measure([py, "-m", "counterclaim", "export", "--project", str(project), "--quiet"],
                                  project, logs / f"ours-export-{rep}")
        if not list((project / "export").rglob("*.parquet")):
            raise BenchError(f"`counterclaim export` wrote no parquet file under {project / 'export'}")
    return steps


def run_theirs(project: Path, export: Path, logs: Path, workdir: Path, rep: int) -> Measurement:
    out = workdir / f"conll-{rep}"
    if out.exists():
        shutil.rmtree(out)
    m = measure([sys.executable, str(HERE / "ls_conll.py"), str(project / "guidelines" / "labelstudio.xml"),
                 str(export), str(out)], workdir, logs / f"theirs-{rep}")
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
    for name in ("counterclaim", "label-studio-sdk", "orjson", "pyarrow", "jsonschema", "ijson"):
        try:
            out[name] = version(name)
        except Exception:  # not installed
            out[name] = None
    return out


def summarise(runs: list[dict], theirs: list[Measurement], with_export: bool) -> dict:
    def agg(ms: list[Measurement]) -> dict:
        return {"wall_s": statistics.median(m.wall_s for m in ms), "peak_mib": max(m.peak_mib for m in ms),
                "cpu_s": statistics.median(m.cpu_s for m in ms), "processes": max(m.processes for m in ms),
                "wall_min_s": min(m.wall_s for m in ms), "wall_max_s": max(m.wall_s for m in ms)}

    steps = {name: agg([r[name] for r in runs]) for name in runs[0]}
    totals = [sum(m.wall_s for m in r.values()) for r in runs]
    ours = {"wall_s": sum(s["wall_s"] for s in steps.values()), "peak_mib": max(s["peak_mib"] for s in steps.values()),
            "cpu_s": sum(s["cpu_s"] for s in steps.values()), "wall_min_s": min(totals), "wall_max_s": max(totals)}
    base = agg(theirs)
    time_ratio = ours["wall_s"] / base["wall_s"]
    mem_ratio = ours["peak_mib"] / base["peak_mib"]
    return {
        "partial": not with_export,
        "ours": {"steps": steps, "total": ours},
        "theirs": base,
        "ratios": {"time": time_ratio, "memory": mem_ratio},
        "targets": {"time": TIME_TARGET, "memory": MEMORY_TARGET},
        "pass": {"time": time_ratio <= TIME_TARGET, "memory": mem_ratio <= MEMORY_TARGET},
    }


def table(result: dict) -> str:
    s = result["summary"]
    n, reps = result["tasks"], result["repeat"]
    lines = [
        f"{n} tasks, export.json {result['export_mb']:.1f} MB; each command in a fresh process, run {reps}x: "
        f"wall = median, peak RSS = max over the runs (of ru_maxrss and the sampled sum over the process "
        f"tree); ours total = sum of the step medians",
        f"machine: {result['machine']['nproc']} CPU(s) ({result['machine']['cpu']}), "
        f"{result['machine']['memory_gib']} GiB RAM, Python {result['machine']['python']}",
        f"code: commit {result['source']['commit']}" + (" + uncommitted changes in src/" if result["source"]["src_dirty"]
                                                         else "") + f" (src sha256 {result['source']['src_sha256']})",
        "",
        f"{'tool':<46} {'wall s':>8} {'(min-max)':>13} {'peak MiB':>9} {'cpu s':>7} {'procs':>5}",
    ]

    def row(name: str, m: dict) -> None:
        spread = f"({m['wall_min_s']:.1f}-{m['wall_max_s']:.1f})"
        procs = str(m.get("processes", "")) if "processes" in m else ""
        lines.append(f"{name:<46} {m['wall_s']:>8.2f} {spread:>13} {m['peak_mib']:>9.1f} {m['cpu_s']:>7.2f} {procs:>5}")

    steps = s["ours"]["steps"]
    row("ours: counterclaim studio pull --from-file", steps["pull"])
    if "export" in steps:
        row("ours: counterclaim export", steps["export"])
        row("ours: total (pull + export)", s["ours"]["total"])
    else:
        row("ours: PARTIAL (pull only; no `export` command)", s["ours"]["total"])
    row("theirs: label_studio_sdk Converter -> CONLL2003", s["theirs"])
    lines.append("")
    for key, label in (("time", "wall time"), ("memory", "peak RSS")):
        verdict = "PASS" if s["pass"][key] else "FAIL"
        lines.append(f"ours/theirs {label:<9}: {s['ratios'][key]:6.2f}x   target <= {s['targets'][key]}x   {verdict}"
                     + ("  (PARTIAL: pull only)" if s["partial"] else ""))
    if result["source_changed_during_run"]:
        lines.append("WARNING: src/ changed during the run, so the runs measured different code; run again")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5000, help="tasks in the export (default 5000)")
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

    say = (lambda msg: print(msg, file=sys.stderr)) if args.json else print
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="counterclaim-bench-"))
    workdir = workdir.resolve()
    remove = args.workdir is None and not args.keep
    try:
        export = prepare_data(workdir / "data", args.tasks, args.seed, say)
        project = workdir / "project"
        prepare_project(project, workdir / "data", say)
        with_export = export_available()
        if not with_export:
            say("`counterclaim export` is not available: timing `studio pull` alone (PARTIAL result)")
        logs = workdir / "logs"
        runs, theirs, states = [], [], [source_state()]
        runs_dir = workdir / "runs"
        for rep in range(args.repeat):
            say(f"run {rep + 1}/{args.repeat}: ours ...")
            copy = fresh_copy(project, runs_dir, f"ours-{rep}")
            runs.append(run_ours(copy, export, logs, rep, with_export, args.tasks))
            say(f"run {rep + 1}/{args.repeat}: theirs ...")
            theirs.append(run_theirs(project, export, logs, workdir, rep))
            states.append(source_state())
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "tasks": args.tasks,
            "seed": args.seed,
            "repeat": args.repeat,
            "export_mb": export.stat().st_size / 1e6,
            "machine": machine(),
            "load_average_after": os.getloadavg(),
            "versions": _versions(),
            "source": states[0],
            "source_changed_during_run": len({st["src_sha256"] for st in states}) > 1,
            "workdir": str(workdir) if not remove else None,
            "runs": {"ours": [{k: asdict(v) for k, v in r.items()} for r in runs],
                     "theirs": [asdict(m) for m in theirs]},
        }
        result["summary"] = summarise(runs, theirs, with_export)
        shutil.rmtree(runs_dir, ignore_errors=True)
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
