"""Profile one step of our side with cProfile, on the same generated data as benchmarks/run.py.

    .venv/bin/python benchmarks/profile_pull.py [--tasks 1000] [--step pull|export] [--workdir DIR] [--top 25]

Sets up data and a scratch project like run.py (reused from ``--workdir``), runs the step under
``python -m cProfile`` in a fresh process, and prints the functions with the most own time and the
most cumulative time. The raw profile is kept as WORKDIR/STEP.prof (open it with ``python -m pstats``).
"""

from __future__ import annotations

import argparse
import io
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--step", choices=("pull", "export"), default="pull")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="counterclaim-profile-"))).resolve()
    export = run.prepare_data(workdir / "data", args.tasks, args.seed, print)
    project = workdir / "project"
    run.prepare_project(project, workdir / "data", print)
    prof = workdir / f"{args.step}.prof"
    base = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "counterclaim"]
    if args.step == "pull":
        project = run.fresh_copy(project, workdir / "runs", "profile-pull")
        cmd = base + ["studio", "pull", "--from-file", str(export), "--project", str(project), "--quiet"]
    else:
        project = run.fresh_copy(project, workdir / "runs", "profile-export")
        subprocess.run([sys.executable, "-m", "counterclaim", "studio", "pull", "--from-file", str(export),
                        "--project", str(project), "--quiet"], check=True, capture_output=True)
        cmd = base + ["export", "--project", str(project), "--quiet"]
    done = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return 1
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        out = io.StringIO()
        stats = pstats.Stats(str(prof), stream=out)
        stats.strip_dirs().sort_stats(key).print_stats(args.top)
        print(f"== {args.step}, {args.tasks} tasks: top {args.top} by {title} ==")
        print(out.getvalue().split("\n", 6)[-1] if "ncalls" in out.getvalue() else out.getvalue())
    print(f"profile: {prof}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
