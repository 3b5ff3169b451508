"""Where `studio pull --from-file` spends its time, phase by phase, without a profiler's overhead.

    .venv/bin/python benchmarks/pull_phases.py EXPORT_JSON PROJECT_DIR

Does in one process what ``pull_export`` does per task (stream the export, convert, validate against the
corpus, write one JSON file per document into a temporary folder) and times each phase separately with
``perf_counter``. cProfile (benchmarks/profile_pull.py) names the functions; this gives honest proportions,
since cProfile inflates code made of many small calls. Run on the data of a kept run.py work folder, e.g.
``benchmarks/pull_phases.py WORK/data/export.json WORK/project``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
from counterclaim.corpus.store import BuiltCorpus  # noqa: E402
from counterclaim.io import jsonio  # noqa: E402
from counterclaim.labelstudio.convert import ConvertOptions, Tables, convert_task  # noqa: E402
from counterclaim.model.ontology import default_ontology  # noqa: E402
from counterclaim.studio.pull import iter_export_tasks  # noqa: E402
from counterclaim.validation import document_problems  # noqa: E402

IMPORTS = time.perf_counter() - T0


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    export, project = Path(argv[0]), Path(argv[1])
    phases = {"imports": IMPORTS, "setup (ontology, corpus index)": 0.0, "parse (jsonstream)": 0.0,
              "convert_task": 0.0, "document_problems": 0.0, "write (staged file)": 0.0}
    t = time.perf_counter()
    ont = default_ontology(project / "schema")
    corpus = BuiltCorpus.open(project / "corpus")
    index = corpus.index()
    options = ConvertOptions(schema_version=ont.version, corpus_version=corpus.version)
    tables = Tables.of(ont)
    document_problems({}, ont)  # compile the validators outside the loop
    phases["setup (ontology, corpus index)"] = time.perf_counter() - t
    tasks = problems = 0
    with tempfile.TemporaryDirectory() as out:
        it = iter_export_tasks(export)
        while True:
            t = time.perf_counter()
            task = next(it, None)
            t1 = time.perf_counter()
            phases["parse (jsonstream)"] += t1 - t
            if task is None:
                break
            tasks += 1
            doc, _ = convert_task(task, ont, options, tables=tables)
            t2 = time.perf_counter()
            problems += len(document_problems(doc, ont, index))
            t3 = time.perf_counter()
            (Path(out) / f"{doc['doc_id']}.json").write_bytes(jsonio.dump_bytes(doc, indent=2))
            t4 = time.perf_counter()
            phases["convert_task"] += t2 - t1
            phases["document_problems"] += t3 - t2
            phases["write (staged file)"] += t4 - t3
    total = sum(phases.values())
    print(f"{tasks} tasks from {export} ({export.stat().st_size / 1e6:.1f} MB); {problems} validation problem(s)")
    print(f"{'phase':<34} {'s':>7} {'ms/task':>8} {'share':>6}")
    for name, seconds in phases.items():
        print(f"{name:<34} {seconds:>7.2f} {1000 * seconds / max(tasks, 1):>8.2f} {seconds / total:>6.0%}")
    print(f"{'total':<34} {total:>7.2f} {1000 * total / max(tasks, 1):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
