"""Two commands on one project: the second waits for the first, saying who holds the project, and nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from faultkit import GOLD
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


def test_a_full_disk_is_a_plain_error_and_leaves_nothing(project, tmp_path, monkeypatch):
    import errno

    from click.testing import CliRunner

    from counterclaim.cli import main
    from counterclaim.io import transaction
    from crash import snapshot

    source = tmp_path / "rows.jsonl"
    source.write_text(json.dumps({"id": "f1", "title": "Full", "text": "The disk fills up."}) + "\n")
    real = transaction.Transaction.stage_file
    calls = []

    def stage_until_full(self, target):
        calls.append(target)
        if len(calls) == 3:  # the raw file and documents.jsonl are staged; the changelog does not fit
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(self, target)

    monkeypatch.setattr(transaction.Transaction, "stage_file", stage_until_full)
    before = snapshot(project)
    result = CliRunner().invoke(main, ["corpus", "add", str(source), "--project", str(project), "--quiet"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: the disk is full while writing {project / 'corpus' / 'CHANGELOG.md'}" in result.output
    assert snapshot(project) == before
