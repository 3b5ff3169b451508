"""The record of what `studio push` put on a server (studio/pushed.py): units, then pushes against the session's
real Label Studio that count the requests push makes and change the project behind the record's back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout, pushed_record_name
from counterclaim.io.transaction import project_lock
from counterclaim.model.ontology import load_ontology
from counterclaim.studio.push import push_project, task_for
from counterclaim.studio.pushed import (LISTING, NEWEST, NO_RECORD, RECORD, RELIST, BadRecord, PushedTasks,
                                        from_dict, read_record, spread, write_record)
from helpers import EMOJI_DOC_ID, REPO

SHA = "a" * 64


# -- units -------------------------------------------------------------------------------------------------------


def test_record_round_trips_and_keeps_tasks_sorted(tmp_path):
    pushed = PushedTasks("http://127.0.0.1:8080", 3, "2026-01-05T10:00:00+00:00",
                         [(5, "b", SHA), (9, None, None)])
    pushed.add([(7, "a", SHA), (12, "c", None)])
    assert [row[0] for row in pushed.tasks] == [5, 7, 9, 12]
    path = tmp_path / "record.json"
    write_record(path, pushed)
    again, reason = read_record(path)
    assert reason == "" and again == pushed


def test_by_doc_keeps_the_lowest_task_id_of_each_document():
    pushed = PushedTasks("u", 1, "t", [(3, "x", "s1"), (4, None, None), (8, "x", "s2"), (9, "y", None)])
    assert pushed.by_doc() == {"x": {"id": 3, "text_sha256": "s1"}, "y": {"id": 9, "text_sha256": None}}


def test_a_missing_record_is_no_record(tmp_path):
    assert read_record(tmp_path / "none.json") == (None, NO_RECORD)


@pytest.mark.parametrize("content, why", [
    ("{not json", "invalid JSON"),
    ('{"format": 2, "server": "u", "project_id": 1, "project_created_at": "t", "tasks": []}', "not a format-1 record"),
    ('{"format": 1, "server": "u", "project_id": 1, "tasks": []}', "project_created_at or tasks missing"),
    ('{"format": 1, "server": "u", "project_id": 1, "project_created_at": "t", "tasks": [[1, "a", null], [2, 3, null]]}',
     "/tasks/1 is not [task id, doc_id, text_sha256]"),
    ('{"format": 1, "server": "u", "project_id": 1, "project_created_at": "t", "tasks": [[2, "a", null], [1, "b", null]]}',
     "the task ids are not sorted and distinct"),
])
def test_an_unusable_record_is_ignored_saying_why(tmp_path, content, why):
    path = tmp_path / "project-1-x.json"
    path.write_text(content, encoding="utf-8")
    record, reason = read_record(path)
    assert record is None
    assert reason.startswith("the record project-1-x.json cannot be used (") and why in reason
    assert reason.endswith("; it is made anew")


def test_from_dict_refuses_a_boolean_task_id():
    with pytest.raises(BadRecord, match="/tasks/0"):
        from_dict({"format": 1, "server": "u", "project_id": 1, "project_created_at": "t", "tasks": [[True, "a", None]]})


def test_spread_takes_the_first_the_last_and_evenly_between():
    rows = [(i, None, None) for i in range(100)]
    assert [r[0] for r in spread(rows, 5)] == [0, 25, 50, 74, 99]
    assert spread(rows, 5) == spread(rows, 5)
    assert spread(rows[:3], 5) == rows[:3] and spread(rows, 0) == [] and spread([], 3) == []
    assert spread(rows, 1) == [rows[-1]]


def test_a_record_is_named_by_server_and_project():
    name = pushed_record_name("http://127.0.0.1:8080", 3)
    assert name.startswith("project-3-") and name.endswith(".json")
    assert name != pushed_record_name("http://localhost:8080", 3) != pushed_record_name("http://127.0.0.1:8080", 4)
    layout = Layout(REPO)
    assert layout.pushed_record_path("http://127.0.0.1:8080", 3) == REPO / ".counterclaim" / "pushed" / name


# -- against the real server -------------------------------------------------------------------------------------


class Requests:
    """Every request a client sends: the full listings (``/api/tasks`` without a ``query``) told apart."""

    def __init__(self):
        self.seen: list[tuple[str, str, dict]] = []

    def __call__(self, request: httpx.Request) -> None:
        parts = urlsplit(str(request.url))
        self.seen.append((request.method, parts.path, parse_qs(parts.query)))

    def tasks(self) -> list[dict]:
        return [q for method, path, q in self.seen if method == "GET" and path.rstrip("/") == "/api/tasks"]

    def listings(self) -> list[dict]:
        return [q for q in self.tasks() if "query" not in q]

    def clear(self) -> None:
        self.seen.clear()


def counted_client(label_studio, requests: Requests):
    """A real sdk client whose httpx client reports every request to ``requests``."""
    from label_studio_sdk import LabelStudio

    http = httpx.Client(timeout=60, trust_env=False, event_hooks={"request": [requests]})
    return LabelStudio(base_url=label_studio.url, api_key=label_studio.api_key, httpx_client=http)


@pytest.fixture
def project(project_dir, tmp_path):
    """A copy of the scratch project with its own local state."""
    root = tmp_path / "project"
    shutil.copytree(project_dir, root, ignore=shutil.ignore_patterns(".counterclaim"))
    return root


def documents(root) -> dict[str, dict]:
    return {d["doc_id"]: d for _, d in jsonio.iter_jsonl(root / "corpus" / "documents.jsonl")}


def push(ls, root, title, **kwargs):
    return push_project(ls, Layout(root), title=title, predictor="aliases", **kwargs)


def server_tasks(ls, project_id) -> list[tuple]:
    return sorted((t.id, t.data.get("doc_id"), t.data.get("text_sha256"))
                  for t in ls.tasks.list(project=project_id, include="id,data"))


@pytest.mark.server
def test_a_second_push_checks_the_record_instead_of_listing_every_task(label_studio, project):
    requests = Requests()
    ls = counted_client(label_studio, requests)
    title = f"record {uuid.uuid4().hex[:6]}"
    first = push(ls, project, title)
    assert (first.imported, first.verified, first.listing_reason) == (6, LISTING, NO_RECORD)
    assert len(requests.listings()) == 1  # the new project's (empty) listing; none after the import
    record, _ = read_record(Layout(project).pushed_record_path(label_studio.url, first.project_id))
    assert [tuple(row) for row in record.tasks] == server_tasks(ls, first.project_id)
    assert {row[1]: row[2] for row in record.tasks} == {k: d["text_sha256"] for k, d in documents(project).items()}

    requests.clear()
    second = push(ls, project, title)
    assert (second.imported, second.already_present, second.verified, second.listing_reason) == (0, 6, RECORD, None)
    assert requests.listings() == []
    assert len(requests.tasks()) == 1  # 6 tasks: all of them among the newest, checked with the count at once
    assert second.changed_in_corpus == []


@pytest.mark.server
def test_a_task_deleted_on_the_server_is_imported_again(label_studio, project):
    ls = label_studio.client()
    title = f"deleted {uuid.uuid4().hex[:6]}"
    first = push(ls, project, title)
    (task_id,) = [row[0] for row in server_tasks(ls, first.project_id) if row[1] == EMOJI_DOC_ID]
    ls.tasks.delete(id=task_id)
    second = push(ls, project, title)
    assert (second.verified, second.listing_reason) == (LISTING, "the project holds 5 task(s), the record 6")
    assert (second.imported, second.already_present) == (1, 5)
    assert sorted(row[1] for row in server_tasks(ls, first.project_id)) == sorted(documents(project))
    third = push(ls, project, title)
    assert (third.verified, third.imported) == (RECORD, 0)


@pytest.mark.server
def test_a_task_another_folder_imported_is_not_imported_twice(label_studio, project, tmp_path):
    ls = label_studio.client()
    title = f"added {uuid.uuid4().hex[:6]}"
    first = push(ls, project, title)
    extra = tmp_path / "another.jsonl"
    extra.write_text(json.dumps({"id": "another0001", "title": "Another", "text": "Damascus said on Monday that "
                                 "rebels shelled the city."}) + "\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["corpus", "add", str(extra), "--project", str(project), "--quiet"]).exit_code == 0
    doc = documents(project)["another0001"]
    ont = load_ontology(REPO / "schema")
    ls.projects.import_tasks(id=first.project_id, request=[task_for(doc, ont, corpus_version="0.0.1")])
    second = push(ls, project, title)
    assert second.verified == LISTING
    assert second.listing_reason == "the project holds 7 task(s), the record 6"
    assert (second.imported, second.already_present) == (0, 7)
    assert len(server_tasks(ls, first.project_id)) == 7


@pytest.mark.server
def test_a_task_replaced_at_the_newest_id_is_seen(label_studio, project):
    """Label Studio on SQLite gives a new task the highest id in the database plus one, so a deleted newest task's
    id comes back: the check compares what the newest ids hold, not only how many there are."""
    ls = label_studio.client()
    title = f"replaced {uuid.uuid4().hex[:6]}"
    first = push(ls, project, title)
    newest_id, doc_id, _ = server_tasks(ls, first.project_id)[-1]
    ls.tasks.delete(id=newest_id)
    doc = dict(documents(project)[doc_id])
    doc["text"] += " Updated."
    doc["text_sha256"] = jsonio.sha256_text(doc["text"])
    ls.projects.import_tasks(id=first.project_id, request=[task_for(doc, load_ontology(REPO / "schema"),
                                                                      corpus_version="0.0.0")])
    second = push(ls, project, title)
    assert second.verified == LISTING
    assert second.listing_reason in (f"task {newest_id} ({doc_id}) holds another text than the record says",
                                     f"task {newest_id + 1} is in the project, not in the record (added since the "
                                     "last push?)")
    assert second.changed_in_corpus == [doc_id] and second.imported == 0


@pytest.mark.server
def test_a_sample_task_edited_through_the_api_is_seen(label_studio, project, tmp_path):
    """Tasks beyond the newest are checked by a sample: the oldest task is always in it."""
    ls = label_studio.client()
    title = f"sample {uuid.uuid4().hex[:6]}"
    extra = tmp_path / "more.jsonl"
    extra.write_text("".join(json.dumps({"id": f"more{i:04d}", "title": f"More {i}", "text": f"Story {i} from Homs."})
                             + "\n" for i in range(NEWEST)), encoding="utf-8")
    assert CliRunner().invoke(main, ["corpus", "add", str(extra), "--project", str(project), "--quiet"]).exit_code == 0
    first = push(ls, project, title)
    oldest_id, doc_id, _ = server_tasks(ls, first.project_id)[0]
    ls.tasks.update(id=oldest_id, data={**ls.tasks.get(id=oldest_id).data, "text_sha256": "0" * 64})
    second = push(ls, project, title)
    assert (second.verified, second.listing_reason) == (LISTING, f"task {oldest_id} ({doc_id}) holds another text "
                                                                 "than the record says")
    assert second.changed_in_corpus == [doc_id]


@pytest.mark.server
def test_a_record_of_another_server_or_project_is_ignored(label_studio, project):
    ls = label_studio.client()
    layout = Layout(project)
    titles = [f"stale {uuid.uuid4().hex[:6]}" for _ in range(2)]
    a, b = (push(ls, project, title) for title in titles)
    path_a = layout.pushed_record_path(label_studio.url, a.project_id)
    path_b = layout.pushed_record_path(label_studio.url, b.project_id)
    record_a = json.loads(path_a.read_text(encoding="utf-8"))
    record_b = json.loads(path_b.read_text(encoding="utf-8"))
    cases = [
        (record_a, f"the record was made for project {a.project_id}"),
        ({**record_b, "server": "http://127.0.0.1:1"}, "the record was made for another server (http://127.0.0.1:1)"),
        ({**record_b, "project_created_at": "2020-01-01T00:00:00+00:00"},
         "the record was made for an earlier project with this id (was the server set up anew?)"),
    ]
    for content, reason in cases:
        path_b.write_text(json.dumps(content), encoding="utf-8")
        report = push(ls, project, titles[1])
        assert (report.verified, report.listing_reason, report.imported, report.already_present) == \
            (LISTING, reason, 0, 6)
        assert json.loads(path_b.read_text(encoding="utf-8")) == record_b  # written anew from the listing
    assert push(ls, project, titles[1]).verified == RECORD


def cli(label_studio, root, title, *extra):
    return CliRunner().invoke(main, ["studio", "push", "--project", str(root), "--url", label_studio.url,
                                     "--api-key", label_studio.api_key, "--title", title, "--quiet",
                                     "--predictor", "aliases", *extra], catch_exceptions=False)


@pytest.mark.server
def test_push_says_how_it_knew_the_tasks(label_studio, project):
    title = f"cli {uuid.uuid4().hex[:6]}"
    first = json.loads(cli(label_studio, project, title, "--json").output)
    assert (first["verified"], first["listing_reason"]) == ("listing", NO_RECORD)
    second = json.loads(cli(label_studio, project, title, "--json").output)
    assert (second["verified"], second["listing_reason"], second["imported"]) == ("record", None, 0)
    ls = label_studio.client()
    ls.tasks.delete(id=server_tasks(ls, second["project_id"])[0][0])
    result = cli(label_studio, project, title)
    assert result.exit_code == 0, result.output
    assert "tasks: 1 imported, 5 already present\nlisted every task of the project: the project holds 5 task(s), " \
           "the record 6\n" in result.output
    quiet = cli(label_studio, project, title)
    assert "tasks: 0 imported, 6 already present\nannotators start" in quiet.output  # checked by the record: no note
    relisted = json.loads(cli(label_studio, project, title, "--relist", "--json").output)
    assert (relisted["verified"], relisted["listing_reason"], relisted["imported"]) == ("listing", RELIST, 0)


@pytest.mark.server
def test_push_waits_for_the_command_that_holds_the_project(label_studio, project):
    state = project / ".counterclaim"
    title = f"lock {uuid.uuid4().hex[:6]}"
    args = ["studio", "push", "--project", project, "--url", label_studio.url, "--title", title,
            "--predictor", "aliases", "--quiet", "--json"]
    env = {**os.environ, "LABEL_STUDIO_API_KEY": label_studio.api_key}
    with project_lock(state, "studio pull"):
        pushing = subprocess.Popen([sys.executable, "-m", "counterclaim", *map(str, args)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env)
        line = pushing.stderr.readline()
        assert line.startswith(f"waiting for `counterclaim studio pull` (pid {os.getpid()}, started ")
        time.sleep(1.0)
        assert pushing.poll() is None
        ls = label_studio.client()
        assert not [p for p in ls.projects.list(title=title) if p.title == title]  # nothing done while it waits
    out, err = pushing.communicate(timeout=300)
    assert pushing.returncode == 0, err
    assert json.loads(out)["imported"] == 6
