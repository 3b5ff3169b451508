"""Benchmark: `studio push` of N documents to the embedded Label Studio — the first push, a push with nothing
new checked by the local record, and one with the record removed (every task listed back, what push always did).

    .venv/bin/python benchmarks/push.py [--tasks 10000 1000] [--repeat 3] [--predictor aliases] [--workdir DIR]
        [--keep] [--json]

1. Generates N documents of about 400 words (``benchmarks/generate_export.py``'s generator, seed 1; not timed)
   and adds them to a scratch project per size (``counterclaim corpus add``; not timed).
2. Starts one embedded Label Studio (``counterclaim studio serve --background`` in a scratch project, as the
   walk-through does: :func:`walkthrough.embedded_server`), on SQLite.
3. Times, each in a fresh process (``python -m counterclaim studio push --json``; wall time, CPU time = user +
   system, peak memory: ``run.measure``), and the server's CPU time over the same span (``/proc/PID/stat``):
   - ``first``: the project is created and every document imported with its prediction (once per size);
   - ``noop_record``: nothing new; the tasks are known from the record, checked (``"verified": "record"``);
   - ``noop_listing``: nothing new, the record removed first: every task is listed (``"verified": "listing"``).
   The two no-op kinds alternate, ``--repeat`` times each; times are medians.
4. Prints the table and the ratios: the no-op push with the record against the full listing and against the
   first push. The client and the server share the machine's cores (no pinning): wall time is what a user waits.

The predictor defaults to ``aliases`` (about 1 ms a document); ``rules`` proposes every layer and costs about
85 ms a document, which only the first push pays. Generated documents and the scratch projects are reused from
``--workdir`` when they match; the server and its projects are new at every run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_export  # noqa: E402
from run import BenchError, _generator_hash, _versions, machine, measure, source_state  # noqa: E402

KINDS = ("first", "noop_record", "noop_listing")


def prepare_documents(datadir: Path, tasks: int, seed: int, say) -> Path:
    """``documents.jsonl`` of N generated documents (``{"id", "title", "text"}``), reused when already there."""
    params = {"tasks": tasks, "seed": seed, "generator": _generator_hash()}
    stamp, docs = datadir / "params.json", datadir / "documents.jsonl"
    if stamp.exists() and docs.exists() and json.loads(stamp.read_text()) == params:
        say(f"reusing {docs}")
        return docs
    from counterclaim.model.ontology import load_ontology

    datadir.mkdir(parents=True, exist_ok=True)
    say(f"generating {tasks} documents (seed {seed}) ...")
    ont = load_ontology(REPO / "schema")
    with docs.open("w", encoding="utf-8") as fh:
        for item in generate_export.generate(tasks, seed, ont):
            fh.write(json.dumps(item.document, ensure_ascii=False) + "\n")
    stamp.write_text(json.dumps(params))
    return docs


def prepare_project(project: Path, docs: Path, say) -> None:
    """A scratch project (schema/, guidelines/ copied) whose corpus holds the documents, reused when it does."""
    stamp = project / "bench-params.json"
    params = (docs.parent / "params.json").read_text()
    if stamp.exists() and stamp.read_text() == params:
        say(f"reusing project {project}")
        return
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, project / name)
    say("counterclaim corpus add documents.jsonl ...")
    from click.testing import CliRunner

    from counterclaim.cli import main

    added = CliRunner().invoke(main, ["corpus", "add", str(docs), "--project", str(project), "--quiet"])
    if added.exit_code != 0:
        raise BenchError(f"corpus add failed:\n{added.output[-1500:]}")
    stamp.write_text(params)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its waited-for children (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def push_once(project: Path, title: str, predictor: str, logs: Path, server_pid: int, expect: str) -> dict:
    """One `studio push` in a fresh process; its measurement, the server's CPU time and what push reported."""
    cmd = [sys.executable, "-m", "counterclaim", "studio", "push", "--project", str(project), "--title", title,
           "--predictor", predictor, "--quiet", "--json"]
    before = cpu_seconds(server_pid)
    m = measure(cmd, project, logs)
    server_cpu = cpu_seconds(server_pid) - before
    report = json.loads(logs.with_suffix(".out").read_text(encoding="utf-8"))
    if report["verified"] != expect:
        raise BenchError(f"push verified by {report['verified']!r}, expected {expect!r}: {report['listing_reason']}")
    return {"wall_s": m.wall_s, "cpu_s": m.cpu_s, "peak_mib": m.peak_mib, "server_cpu_s": server_cpu,
            "imported": report["imported"], "already_present": report["already_present"],
            "verified": report["verified"], "listing_reason": report["listing_reason"]}


def run_size(project: Path, tasks: int, *, predictor: str, repeat: int, logs: Path, server_pid: int, say) -> dict:
    """The first push, then ``repeat`` no-op pushes of each kind, alternating."""
    title = f"bench push {tasks} {uuid.uuid4().hex[:6]}"
    pushed = project / ".counterclaim" / "pushed"
    shutil.rmtree(pushed, ignore_errors=True)
    runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    say(f"{tasks} tasks: first push ...")
    runs["first"].append(push_once(project, title, predictor, logs / f"{tasks}-first", server_pid, "listing"))
    if runs["first"][0]["imported"] != tasks:
        raise BenchError(f"the first push imported {runs['first'][0]['imported']} tasks, expected {tasks}")
    for rep in range(repeat):
        say(f"{tasks} tasks: no-op push with the record, run {rep + 1}/{repeat} ...")
        runs["noop_record"].append(push_once(project, title, predictor, logs / f"{tasks}-record-{rep}", server_pid,
                                             "record"))
        say(f"{tasks} tasks: no-op push listing every task, run {rep + 1}/{repeat} ...")
        shutil.rmtree(pushed)
        runs["noop_listing"].append(push_once(project, title, predictor, logs / f"{tasks}-listing-{rep}",
                                              server_pid, "listing"))
    for kind in ("noop_record", "noop_listing"):
        if any(r["imported"] or r["already_present"] != tasks for r in runs[kind]):
            raise BenchError(f"a no-op push ({kind}) imported something or missed tasks: {runs[kind]}")
    return {"tasks": tasks, "runs": runs, "summary": summarise(runs, tasks)}


def _median(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in ("wall_s", "cpu_s", "peak_mib", "server_cpu_s")}


def summarise(runs: dict[str, list[dict]], tasks: int) -> dict:
    med = {kind: _median(runs[kind]) for kind in KINDS}
    record, listing, first = med["noop_record"], med["noop_listing"], med["first"]

    def both_cpu(m: dict) -> float:
        return m["cpu_s"] + m["server_cpu_s"]

    return {
        "median": med,
        "ratios": {
            "noop_record_vs_listing_wall": record["wall_s"] / listing["wall_s"],
            "noop_record_vs_listing_cpu": both_cpu(record) / both_cpu(listing),
            "noop_record_vs_first_wall": record["wall_s"] / first["wall_s"],
            "noop_listing_vs_first_wall": listing["wall_s"] / first["wall_s"],
        },
        "per_1000_tasks_s": {kind: 1000 * med[kind]["wall_s"] / tasks for kind in KINDS},
    }


def table(result: dict) -> str:
    m = result["machine"]
    lines = [f"studio push against the embedded Label Studio (SQLite), predictor {result['predictor']}; each push a "
             f"fresh process; no-op pushes: median of {result['repeat']}",
             f"machine: {m['nproc']} CPU(s) ({m['cpu']}), {m['memory_gib']} GiB RAM, Python {m['python']}; "
             f"load average after: {', '.join(f'{x:.2f}' for x in result['load_average_after'])}",
             f"code: commit {result['source']['commit']}" + (" + uncommitted changes in src/"
                                                             if result["source"]["src_dirty"] else "")]
    names = {"first": "first push (create, import all)", "noop_record": "no-op push, record checked",
             "noop_listing": "no-op push, every task listed"}
    for case in result["cases"]:
        s = case["summary"]
        lines += ["", f"{case['tasks']} tasks",
                  f"  {'':<34} {'wall s':>8} {'client cpu s':>13} {'server cpu s':>13} {'peak MiB':>9}"]
        for kind in KINDS:
            r = s["median"][kind]
            lines.append(f"  {names[kind]:<34} {r['wall_s']:>8.2f} {r['cpu_s']:>13.2f} {r['server_cpu_s']:>13.2f} "
                         f"{r['peak_mib']:>9.1f}")
        q = s["ratios"]
        lines.append(f"  no-op with the record / with the listing: wall {q['noop_record_vs_listing_wall']:.2f}x, "
                     f"CPU (client + server) {q['noop_record_vs_listing_cpu']:.2f}x; "
                     f"no-op with the record / first push: wall {q['noop_record_vs_first_wall']:.3f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, nargs="+", default=[10000], help="documents to push (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="no-op pushes of each kind (default 3)")
    parser.add_argument("--predictor", default="aliases", help="the predictor of the first push (default aliases)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        import counterclaim  # noqa: F401
        import label_studio  # noqa: F401
    except ImportError as exc:
        print(f"error: {exc}; run with the project's virtualenv: .venv/bin/python benchmarks/push.py",
              file=sys.stderr)
        return 2
    from walkthrough import WalkthroughError, embedded_server

    from counterclaim.io.layout import Layout
    from counterclaim.studio import server as ls_server

    say = (lambda msg: print(msg, file=sys.stderr)) if args.json else print
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="counterclaim-bench-push-"))).resolve()
    remove = args.workdir is None and not args.keep
    cases = []
    saved = {k: os.environ.get(k) for k in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")}
    try:
        projects = {}
        for tasks in args.tasks:
            docs = prepare_documents(workdir / f"data-{tasks}", tasks, args.seed, say)
            projects[tasks] = workdir / f"project-{tasks}"
            prepare_project(projects[tasks], docs, say)
        say("starting Label Studio ...")
        with embedded_server() as (server, server_project):
            pid = ls_server.running(ls_server.default_data_dir(Layout(server_project)))["pid"]
            os.environ.update(LABEL_STUDIO_URL=server.url, LABEL_STUDIO_API_KEY=server.api_key)  # for the children
            for tasks in args.tasks:
                cases.append(run_size(projects[tasks], tasks, predictor=args.predictor, repeat=args.repeat,
                                      logs=workdir / "logs", server_pid=pid, say=say))
        result = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "predictor": args.predictor, "seed": args.seed,
                  "repeat": args.repeat, "machine": machine(), "load_average_after": os.getloadavg(),
                  "versions": _versions(), "source": source_state(), "cases": cases}
    except (BenchError, WalkthroughError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if remove:
            print(f"(work folder kept for inspection: {workdir})", file=sys.stderr)
        return 1
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
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
