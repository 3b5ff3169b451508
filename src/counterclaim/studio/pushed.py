"""What `studio push` put on a server, recorded locally and checked against the server with two small requests,
instead of listing every task back.

Why a record: Label Studio 1.23 lists tasks at about 1,000 a second on its side whatever the request asks for.
Measured on 10,000 tasks of about 2.6 KB (SQLite, two cores): ``/api/tasks?include=id,data`` 12 s and 28 MB,
``include=id`` 11 s and 0.1 MB, ``/api/projects/ID/tasks`` 70 s — for every page the server loads each task in
full with its annotations and predictions, so no parameter makes a listing light. A page of a few tasks chosen
by id or ordered by id, which carries the project's task count too, takes 0.05-0.1 s.

The record is one file per server URL and project id in ``.counterclaim/pushed/`` (git-ignored: task ids are the
server's; :func:`~counterclaim.io.layout.pushed_record_name`)::

    {"format": 1, "server": "http://127.0.0.1:8080", "project_id": 3,
     "project_created_at": "2026-01-05T10:00:00.123456+00:00",
     "tasks": [[17, "17a8eb7dc5290d52", "<text_sha256>"], [18, null, null], ...]}

``tasks`` holds every task of the project (those without a ``doc_id`` too) as ``[id, doc_id, text_sha256]``,
sorted by id. Push writes it (atomically, under the project lock) from what it knows at its end: the tasks it
found, and the tasks it imported with the ids Label Studio gave them (``return_task_ids``).

The record is used only if :func:`check` finds nothing against it:

1. it names this server, this project id and this project's creation time (a server set up anew gives its
   projects the same ids again);
2. the project holds as many tasks as the record, and its :data:`NEWEST` highest task ids are the record's, each
   with the recorded ``doc_id`` and ``text_sha256`` (one request: the tasks ordered by id, and the count);
3. :data:`SAMPLE` more tasks, spread evenly over the record's ids, are there with the recorded ``doc_id`` and
   ``text_sha256`` (one request).

Why that sees tasks added or deleted since (in the UI, through the API, by a push from another folder): Label
Studio gives a new task an id above every task that exists when it is made (PostgreSQL: a sequence; SQLite: the
highest id in the database plus one). A task added since the record therefore has an id above the record's
highest (2: the highest ids differ) unless the highest tasks had been deleted first, and then it takes one of
their ids and is checked against the task recorded there (2); a deleted task lowers the count (2) unless another
was added. Two things go unseen: a task's data edited in place through the API at an id outside the sample, and
more than :data:`NEWEST` of the newest tasks deleted and others imported at their ids with the same documents at
the ids checked. ``studio push --relist`` lists every task.

Anything else — no record, an unreadable one, any difference — falls back to listing every task
(``include=id,data``, as push always did); the reason is reported and the record is written anew.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from counterclaim.errors import CounterclaimError
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout

FORMAT = 1
NEWEST = 8  # the highest task ids, checked with the count in one request
SAMPLE = 24  # tasks spread over the other ids, checked in a second request
LISTING_PAGE = 1000  # tasks per page of the full listing
NO_RECORD = "no record of this project from an earlier push"
RELIST = "asked to list every task"
LISTING, RECORD = "listing", "record"  # how the project's tasks were known (PushReport.verified)

Row = tuple[int, str | None, str | None]  # task id, doc_id, text_sha256


@dataclass
class PushedTasks:
    """Every task of one project of one server, as push needs it: id, doc_id, text_sha256, sorted by id."""

    server: str
    project_id: int
    project_created_at: str
    tasks: list[Row] = field(default_factory=list)

    def by_doc(self) -> dict[str, dict]:
        """``doc_id -> {"id", "text_sha256"}``: the task with the lowest id of each doc_id."""
        found: dict[str, dict] = {}
        for task_id, doc_id, sha in self.tasks:
            if doc_id and doc_id not in found:
                found[doc_id] = {"id": task_id, "text_sha256": sha}
        return found

    def add(self, rows: Iterable[Row]) -> None:
        known = {row[0]: row for row in self.tasks}
        known.update((row[0], row) for row in rows)
        self.tasks = [known[task_id] for task_id in sorted(known)]

    def to_dict(self) -> dict:
        return {"format": FORMAT, "server": self.server, "project_id": self.project_id,
                "project_created_at": self.project_created_at, "tasks": [list(row) for row in self.tasks]}


class BadRecord(CounterclaimError):
    """A record file that is not what push writes."""


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_row(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], int)
            and not isinstance(value[0], bool) and _text_or_none(value[1]) and _text_or_none(value[2]))


def from_dict(data: Any) -> PushedTasks:
    """The record in ``data`` (a parsed record file); raise :class:`BadRecord` on anything push does not write."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadRecord(f"not a format-{FORMAT} record")
    tasks = data.get("tasks")
    if not (isinstance(data.get("server"), str) and isinstance(data.get("project_id"), int)
            and isinstance(data.get("project_created_at"), str) and isinstance(tasks, list)):
        raise BadRecord("server, project_id, project_created_at or tasks missing")
    bad = next((i for i, row in enumerate(tasks) if not _is_row(row)), None)
    if bad is not None:
        raise BadRecord(f"/tasks/{bad} is not [task id, doc_id, text_sha256]")
    ids = [row[0] for row in tasks]
    if ids != sorted(set(ids)):
        raise BadRecord("the task ids are not sorted and distinct")
    return PushedTasks(data["server"], data["project_id"], data["project_created_at"],
                       [(row[0], row[1], row[2]) for row in tasks])


def read_record(path: str | Path) -> tuple[PushedTasks | None, str]:
    """The record in ``path``, or None and why not (none yet, or unreadable: it is then made anew)."""
    path = Path(path)
    if not path.is_file():
        return None, NO_RECORD
    try:
        return from_dict(jsonio.read_json(path)), ""
    except CounterclaimError as exc:
        return None, f"the record {path.name} cannot be used ({exc}); it is made anew"


def write_record(path: str | Path, pushed: PushedTasks) -> None:
    """Write the record atomically (compact JSON: 10,000 tasks take about 1 MB)."""
    with jsonio.atomic_write(path, "wb") as fh:
        fh.write(jsonio.dump_bytes(pushed.to_dict()) + b"\n")


def created_at(project) -> str:
    """The project's creation time as the record keeps it."""
    value = getattr(project, "created_at", None)
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def _row(task) -> Row:
    data = getattr(task, "data", None) or {}
    doc_id, sha = data.get("doc_id"), data.get("text_sha256")
    return task.id, doc_id if isinstance(doc_id, str) else None, sha if isinstance(sha, str) else None


def list_tasks(ls, project_id: int) -> list[Row]:
    """Every task of the project, sorted by id: the full listing (``include=id,data``), seconds per thousand."""
    rows = [_row(task) for task in ls.tasks.list(project=project_id, include="id,data", page_size=LISTING_PAGE)]
    return sorted(rows, key=lambda row: row[0])


def _page(ls, project_id: int, size: int, query: dict):
    """One page of tasks with their data, and the number of tasks the query selects (one request)."""
    pager = ls.tasks.list(project=project_id, include="id,data", page_size=size, query=json.dumps(query))
    return [_row(task) for task in pager.items or []], pager.response.total


def spread(rows: list[Row], k: int) -> list[Row]:
    """``k`` rows spread evenly over ``rows``, the first and the last included (the same rows every time)."""
    if k <= 0 or not rows:
        return []
    if k >= len(rows):
        return list(rows)
    if k == 1:
        return [rows[-1]]
    return [rows[round(j * (len(rows) - 1) / (k - 1))] for j in range(k)]


def _differs(recorded: Row, found: Row | None) -> str | None:
    """Why the task found at a recorded id is not the recorded one, or None."""
    if found is None:
        return f"task {recorded[0]} is in the record, not in the project (deleted?)"
    if found[1] != recorded[1]:
        return f"task {recorded[0]} holds {found[1]!r}, the record says {recorded[1]!r}"
    if found[2] != recorded[2]:
        return f"task {recorded[0]} ({recorded[1]}) holds another text than the record says"
    return None


def check(ls, record: PushedTasks, *, server: str, project_id: int, project_created_at: str) -> str | None:
    """None if the server's project holds what the record says (see the module docstring), else why not."""
    if record.server != server:
        return f"the record was made for another server ({record.server})"
    if record.project_id != project_id:
        return f"the record was made for project {record.project_id}"
    if record.project_created_at != project_created_at:
        return "the record was made for an earlier project with this id (was the server set up anew?)"
    newest, total = _page(ls, project_id, NEWEST, {"ordering": ["-tasks:id"]})
    if total != len(record.tasks):
        return f"the project holds {total} task(s), the record {len(record.tasks)}"
    expected = record.tasks[::-1][:NEWEST]
    for recorded, found in zip(expected, newest):
        if found[0] > recorded[0]:
            return f"task {found[0]} is in the project, not in the record (added since the last push?)"
        reason = _differs(recorded, found if found[0] == recorded[0] else None)
        if reason:
            return reason
    if len(newest) != len(expected):
        return f"the project lists {len(newest)} of its newest tasks, {len(expected)} expected"
    sample = spread(record.tasks[:-NEWEST], SAMPLE)
    if sample:
        found_rows, _ = _page(ls, project_id, len(sample),
                              {"selectedItems": {"all": False, "included": [row[0] for row in sample]}})
        found = {row[0]: row for row in found_rows}
        for recorded in sample:
            reason = _differs(recorded, found.get(recorded[0]))
            if reason:
                return reason
    return None


@dataclass
class KnownTasks:
    """The project's tasks and how they were known: ``verified`` is :data:`RECORD` (the local record, checked)
    or :data:`LISTING` (every task listed; ``reason`` says why)."""

    tasks: PushedTasks
    verified: str
    reason: str | None = None


def known_tasks(ls, layout: Layout, project, *, server: str, relist: bool = False) -> KnownTasks:
    """The project's tasks from the record if :func:`check` accepts it, else from the full listing."""
    stamp = created_at(project)
    reason = RELIST
    if not relist:
        record, reason = read_record(layout.pushed_record_path(server, project.id))
        if record is not None:
            reason = check(ls, record, server=server, project_id=project.id, project_created_at=stamp)
            if reason is None:
                return KnownTasks(record, RECORD)
    return KnownTasks(PushedTasks(server, project.id, stamp, list_tasks(ls, project.id)), LISTING, reason)
