"""Two commands on one project: the second waits for the first, saying who holds the project, and nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import GOLD
from counterclaim.io.transaction import project_lock, recover
from hostile import mention_task, write_json


def _start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "counterclaim", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def _documents(project: Path) -> list[dict]:
    return [json.loads(line) for line in (project / "corpus" / "documents.jsonl").read_text().splitlines()]


def test_a_second_command_waits_and_names_the_holder(project):
    state = project / ".counterclaim"
    with project_lock(state, "studio pull"):
        holder = json.loads((state / "lock").read_text())
        assert holder["pid"] == os.getpid() and holder["command"] == "studio pull"
        export = _start("export", "--project", project, "--quiet")
        line = export.stderr.readline()
        assert line.startswith(f"waiting for `counterclaim studio pull` (pid {os.getpid()}, started ")
        assert "to finish: it holds the lock on this project" in line
        time.sleep(1.0)
        assert export.poll() is None  # still waiting
    out, err = export.communicate(timeout=120)
    assert export.returncode == 0, err
    assert (state / "lock").read_text() == ""  # released, holder cleared


def test_the_lock_dies_with_its_holder(project):
    state = project / ".counterclaim"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from counterclaim.io.transaction import project_lock\n"
        f"with project_lock({str(state)!r}, 'release'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(600)\n")], stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    assert holder.stdout.readline() == "held\n"
    holder.kill()  # kill -9: no clean-up runs
    holder.wait()
    started = time.monotonic()
    with project_lock(state, "export", on_wait=lambda message: None):
        assert time.monotonic() - started < 5


def test_two_pulls_at_once_lose_nothing(project, tmp_path):
    docs = [d for d in _documents(project) if d["doc_id"] != GOLD]
    (doc,) = docs
    first = write_json(tmp_path / "first.json", [mention_task(doc["text"], "Obama", doc_id=doc["doc_id"], project=1,
                                                               annotation_id=101)])
    second = write_json(tmp_path / "second.json", [mention_task(doc["text"], "Syria", doc_id=doc["doc_id"],
                                                                project=2, annotation_id=202)])
    pulls = [_start("studio", "pull", "--from-file", export, "--project", project, "--quiet")
             for export in (first, second)]
    for proc in pulls:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    written = json.loads((project / "corpus" / "annotations" / f"{doc['doc_id']}.json").read_text())
    assert sorted(a["id"] for a in written["annotations"]) == ["ls-1-101", "ls-2-202"]
    assert recover(project / ".counterclaim") == []  # nothing left to finish or undo
