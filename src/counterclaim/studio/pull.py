"""Pull annotations: a JSON export snapshot → annotated documents, one file per document.

The export is read as a stream (:mod:`counterclaim.io.jsonstream`), so memory does not grow with the number of
tasks. Converted documents are validated and staged in a temporary folder; only when every document is valid are
they moved into place, so a failed pull changes nothing. Local work is never destroyed: annotations that are not
from this Label Studio project are kept, and an annotation deleted in Label Studio is reported and kept unless
``prune`` is set.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import ijson

from counterclaim.io import jsonio, jsonstream
from counterclaim.io.progress import Progress
from counterclaim.errors import InputError, ValidationFailed
from counterclaim.model.ontology import Ontology
from counterclaim.labelstudio.codes import FOREIGN_LABEL, UNUSABLE_TASK, ReportItem, item
from counterclaim.labelstudio.convert import ConvertOptions, Tables, convert_task
from counterclaim.studio.errors import StudioError
from counterclaim.validation import Problem, document_problems


@dataclass
class PullReport:
    tasks: int = 0
    documents: int = 0
    annotations: int = 0
    results: int = 0
    items: list[ReportItem] = field(default_factory=list)
    deleted_in_studio: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    snapshot: str | None = None

    def counts(self) -> dict[str, int]:
        by_action: dict[str, int] = {}
        for item in self.items:
            by_action[item.action] = by_action.get(item.action, 0) + 1
        return by_action

    def to_dict(self) -> dict:
        return {
            "tasks": self.tasks, "documents": self.documents, "annotations": self.annotations,
            "results": self.results, "counts": self.counts(), "snapshot": self.snapshot,
            "written": self.written, "deleted_in_studio": self.deleted_in_studio, "pruned": self.pruned,
            "items": [i.to_dict() for i in self.items],
        }


# -- reading an export ------------------------------------------------------------------------------------


def _tasks_of(item: Any) -> list:
    """An array item of an export: one task, or an object holding ``tasks`` (an API dump)."""
    return item["tasks"] if isinstance(item, dict) and "tasks" in item and "data" not in item else [item]


def _invalid_json(path: Path, exc: Exception) -> InputError:
    return InputError(f"{path}: invalid or truncated JSON: {exc}; download the export again")


def _first_character(fh) -> bytes:
    """The first byte that is not a byte order mark or white space (the file is rewound)."""
    head = b""
    while True:
        block = fh.read(64)
        head += block
        first = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
        if first or not block:
            fh.seek(0)
            return first


def iter_export_tasks(path: str | os.PathLike) -> Iterator[dict]:
    """Tasks of a Label Studio JSON export, streamed.

    Accepts a list of tasks (what Label Studio exports; read by :mod:`counterclaim.io.jsonstream`), one task
    object, an object with ``tasks``, or an API dump of ``projects[].tasks[]``.
    """
    path = Path(path)
    with jsonio.open_input(path) as fh:
        first = _first_character(fh)
        if first == b"[":
            try:
                for item in jsonstream.iter_array(fh):
                    yield from _tasks_of(item)
            except jsonstream.JSONStreamError as exc:
                raise _invalid_json(path, exc) from None
        elif first == b"{":
            try:
                top = next(ijson.items(fh, "", use_float=True))
            except ijson.common.IncompleteJSONError as exc:
                raise _invalid_json(path, exc) from None
            if "projects" in top:
                for project in top["projects"]:
                    yield from project.get("tasks", [])
            elif "tasks" in top and "data" not in top:
                yield from top["tasks"]
            else:
                yield top
        else:
            raise InputError(f"{path}: not a Label Studio JSON export (it does not start with [ or {{)")


def _refuse_if_nothing_converted(path, report: PullReport, documents: int, converted: int) -> None:
    """Refuse an export of which nothing converts (another format or labeling config), saying why."""
    unusable = [i for i in report.items if i.code in UNUSABLE_TASK]
    if report.tasks and not documents and len({i.task_id for i in unusable}) == report.tasks:
        reasons = sorted({i.reason for i in unusable})
        raise StudioError(f"{path}: nothing converted from {report.tasks} task(s): " + "; ".join(reasons[:3])
                          + "; nothing was written")
    foreign = sorted({str(i.values["label"]) for i in report.items if i.code == FOREIGN_LABEL})
    if converted == 0 and foreign:
        labels = ", ".join(foreign)
        raise StudioError(
            f"{path}: nothing converted: its span labels ({labels}) are not counterclaim region kinds — the export "
            f"was made with another labeling config. Map them with --label-map LABEL=KIND (or LABEL=ACTOR:TYPE "
            f"for actor mentions, e.g. --label-map {foreign[0]}=ACTOR:other); nothing was written"
        )


def _annotation_key(ann: dict) -> tuple:
    tool = ann["provenance"]["tool"]
    return (ann["provenance"]["origin"] != "label-studio", tool.get("project_id") or 0,
            tool.get("annotation_id") or 0, ann["id"])


def _merge(local: dict | None, pulled: dict, project_ids: set, prune: bool, report: PullReport) -> dict:
    """The pulled document plus every local annotation it must not destroy."""
    if local is None:
        return pulled
    pulled_ids = {a["id"] for a in pulled["annotations"]}
    kept = []
    for ann in local.get("annotations", []):
        if ann["id"] in pulled_ids:
            continue
        from_here = ann["provenance"]["origin"] == "label-studio" and ann["provenance"]["tool"].get("project_id") in project_ids
        if from_here:
            label = f"{pulled['doc_id']}: annotation {ann['id']}"
            if prune:
                report.pruned.append(label)
                continue
            report.deleted_in_studio.append(label)
        kept.append(ann)
    merged = dict(pulled)
    merged["annotations"] = sorted(kept + pulled["annotations"], key=_annotation_key)
    return merged


@dataclass
class _Converted:
    """One task converted, checked and staged."""

    task_id: Any
    project: Any
    results: int
    items: list[ReportItem]
    annotations: int
    doc_id: str | None = None  # None: nothing to write
    staged: str = ""  # the staged file holding the document as it is written
    converted: int = 0  # mentions, events and claims
    problems: list[tuple[str, str]] = field(default_factory=list)
    against_corpus: bool = False


def _convert_one(task: Any, ont: Ontology, options: ConvertOptions, tables: Tables,
                 corpus_index: dict[str, str] | None, staged: Path) -> _Converted:
    """Convert and check one task; write its document to ``staged`` (a name no other task uses)."""
    is_task = isinstance(task, dict)
    annotations = task.get("annotations") if is_task else None
    results = sum(len(ann["result"]) for ann in annotations if isinstance(ann, dict)
                  and isinstance(ann.get("result"), list)) if isinstance(annotations, list) else 0
    doc, items = convert_task(task, ont, options, tables=tables)
    out = _Converted(task.get("id") if is_task else None, task.get("project") if is_task else None, results,
                     items, len(doc["annotations"]) if doc else 0)
    if doc is None or not doc["annotations"]:
        return out  # nothing annotated yet (predictions and drafts are reported above)
    # Tasks pushed from the corpus carry a doc_id and are checked against it; foreign exports are not.
    out.against_corpus = bool((task.get("data") or {}).get("doc_id"))
    out.doc_id = doc["doc_id"]
    out.converted = sum(len(a["mentions"]) + len(a["events"]) + len(a["claims"]) for a in doc["annotations"])
    out.problems = document_problems(doc, ont, corpus_index if out.against_corpus else None)
    data = jsonio.dump_bytes(doc, indent=2)
    with open(staged, "wb") as fh:  # the staging folder is private and removed on failure
        fh.write(data)
    out.staged = str(staged)
    return out


def _converted_tasks(path: Path, ont: Ontology, options: ConvertOptions, corpus_index,
                     staging: Path) -> Iterator[_Converted]:
    tables = Tables.of(ont)
    for seq, task in enumerate(iter_export_tasks(path)):
        yield _convert_one(task, ont, options, tables, corpus_index, staging / f"{seq:09d}.part")


def pull_export(path: str | os.PathLike, *, ont: Ontology, options: ConvertOptions, out_dir: str | os.PathLike,
                corpus_index: dict[str, str] | None, prune: bool = False,
                progress: Progress | None = None) -> PullReport:
    """Convert an export file into ``out_dir/<doc_id>.json`` files; see the module docstring."""
    path = Path(path)
    out_dir = Path(out_dir)
    report = PullReport()
    problems: list[Problem] = []
    project_ids: set = set()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pull-", dir=out_dir))
    try:
        # doc_id -> (staged file, the first task holding the document)
        staged: dict[str, tuple[Path, Any]] = {}
        converted = 0
        for one in _converted_tasks(path, ont, options, corpus_index, staging):
            report.tasks += 1
            if isinstance(one.project, int):
                project_ids.add(one.project)
            report.results += one.results
            report.items.extend(one.items)
            report.annotations += one.annotations
            if progress is not None:
                progress.update(1)
            if one.doc_id is None:
                continue
            found = one.problems
            if one.doc_id in staged:
                earlier, first_task = staged[one.doc_id]
                report.items.append(item("LS601", one.task_id, None, None, doc_id=one.doc_id, first_task=first_task))
                doc = jsonio.read_json(earlier)
                doc["annotations"] = sorted(doc["annotations"] + jsonio.read_json(one.staged)["annotations"],
                                            key=_annotation_key)
                found = document_problems(doc, ont, corpus_index if one.against_corpus else None)
                data = jsonio.dump_bytes(doc, indent=2)
                earlier.write_bytes(data)
                os.unlink(one.staged)
                staged[one.doc_id] = (earlier, first_task)
            else:
                staged[one.doc_id] = (Path(one.staged), one.task_id)
            converted += one.converted
            problems.extend(Problem(f"task {one.task_id}", ptr, msg) for ptr, msg in found)
        if problems:
            raise ValidationFailed(problems)
        _refuse_if_nothing_converted(path, report, len(staged), converted)

        # Commit: merge with local files, then move into place one by one (each rename is atomic).
        for doc_id in sorted(staged):
            source, _ = staged[doc_id]
            target = out_dir / f"{doc_id}.json"
            report.documents += 1
            if not target.exists():  # nothing local to keep: the staged file moves into place as it is
                os.replace(source, target)
                report.written.append(str(target))
                continue
            pulled = jsonio.read_json(source)
            local = jsonio.read_json(target)
            merged = _merge(local, pulled, project_ids, prune, report)
            if local != merged:
                jsonio.write_json(target, merged)
                report.written.append(str(target))
        staged_names = {f"{doc_id}.json" for doc_id in staged}
        # Documents of this project that the export no longer has (task deleted in Label Studio).
        for target in sorted(out_dir.glob("*.json")):
            if target.name in staged_names:
                continue
            local = jsonio.read_json(target)
            empty = {**local, "annotations": []}
            merged = _merge(local, empty, project_ids, prune, report)
            if merged != local:
                jsonio.write_json(target, merged)
                report.written.append(str(target))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


# -- talking to the server ----------------------------------------------------------------------------------


def download_snapshot(ls, project_id: int, dest_dir: str | os.PathLike, *, timeout: float = 600.0) -> Path:
    """Create a JSON export snapshot of the project, wait for it, and save it under ``dest_dir``."""
    from label_studio_sdk.core.api_error import ApiError

    dest_dir = Path(dest_dir)
    try:
        snapshot = ls.projects.exports.create(id=project_id, title=f"counterclaim pull {time.strftime('%Y%m%dT%H%M%S')}")
        deadline = time.monotonic() + timeout
        while True:
            status = ls.projects.exports.get(id=project_id, export_pk=snapshot.id).status
            if status == "completed":
                break
            if status == "failed":
                raise StudioError(f"Label Studio failed to build the export snapshot {snapshot.id} of project {project_id}")
            if time.monotonic() > deadline:
                raise StudioError(f"the export snapshot of project {project_id} was not ready after {timeout:.0f} s")
            time.sleep(0.5)
        target = dest_dir / f"project-{project_id}-export-{snapshot.id}.json"
        with jsonio.atomic_write(target, "wb") as fh:
            for chunk in ls.projects.exports.download(id=project_id, export_pk=snapshot.id, export_type="JSON"):
                fh.write(chunk)
    except ApiError as exc:
        raise StudioError(f"Label Studio refused the export of project {project_id} (HTTP {exc.status_code}): "
                          f"{str(exc.body)[:300]}") from None
    except StudioError:
        raise
    except Exception as exc:  # connection dropped mid-download
        import httpx

        if isinstance(exc, httpx.HTTPError):
            raise StudioError(f"lost the connection to Label Studio while exporting project {project_id}: "
                              f"{type(exc).__name__}; nothing was written — try again when the server is up") from None
        raise
    return target
