"""Pull annotations: a JSON export snapshot → annotated documents, one file per document.

The export is read as a stream (:mod:`counterclaim.io.jsonstream`), so memory does not grow with the number of
tasks. Every converted document is checked and staged in a transaction (:mod:`counterclaim.io.transaction`);
then each local file it replaces is read and checked (a corrupt or odd local file is an error naming it), merged,
and the merge checked; only when all of that passed are the files committed, all together — a failed pull
changes nothing, and a crash in the commit is completed by the next command. Local work is never destroyed:
annotations that are not from this Label Studio project are kept, and an annotation deleted in Label Studio is
reported and kept unless ``prune`` is set. Only files of documents this pull (or an earlier pull of the same
project) brought are touched. With ``require_corpus`` (pulling into the project's own annotations) a document
that is not in the corpus refuses the pull.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from counterclaim.io import jsonio, jsonstream
from counterclaim.io.layout import Layout, annotation_file_name
from counterclaim.io.progress import Progress
from counterclaim.io.transaction import Transaction, joined
from counterclaim.errors import InputError, ValidationFailed
from counterclaim.model.ontology import Ontology
from counterclaim.model.schema import INTEGER_KEYS
from counterclaim.labelstudio.codes import FOREIGN_LABEL, UNUSABLE_TASK, ReportItem, item
from counterclaim.labelstudio.convert import ConvertOptions, Tables, convert_task
from counterclaim.studio.errors import StudioError
from counterclaim.validation import Problem, document_problems

# An export that is one JSON object (not a list of tasks) is read whole; beyond this size it must be a list.
MAX_OBJECT_BYTES = 256 * 1024 * 1024


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
    not_read: list[str] = field(default_factory=list)  # other files in the folder that are not annotated documents
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
            "not_read": self.not_read, "items": [i.to_dict() for i in self.items],
        }


# -- reading an export ------------------------------------------------------------------------------------


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


def _shape_error(path: Path, where: str, what: str) -> InputError:
    return InputError(f"{path}: {where}: {what}; this is not a Label Studio JSON export — export the project as "
                      "JSON (a list of tasks) and pull that")


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _tasks_in(path: Path, top: Any) -> Iterator[Any]:
    """The tasks of an export that is one JSON object: a task, ``{"tasks": [...]}``, or an API dump
    ``{"projects": [{"tasks": [...]}, ...]}``; any other shape is an error naming the place."""
    if not isinstance(top, dict):
        raise _shape_error(path, "/", f"expected an object, found {_type_name(top)}")
    if "projects" in top:
        projects = top["projects"]
        if not isinstance(projects, list):
            raise _shape_error(path, "/projects", f"expected a list of projects, found {_type_name(projects)}")
        for i, project in enumerate(projects):
            if not isinstance(project, dict):
                raise _shape_error(path, f"/projects/{i}", f"expected a project object, found {_type_name(project)}")
            tasks = project.get("tasks", [])
            if not isinstance(tasks, list):
                raise _shape_error(path, f"/projects/{i}/tasks", f"expected a list of tasks, found {_type_name(tasks)}")
            yield from tasks
    elif "tasks" in top and "data" not in top:
        if not isinstance(top["tasks"], list):
            raise _shape_error(path, "/tasks", f"expected a list of tasks, found {_type_name(top['tasks'])}")
        yield from top["tasks"]
    else:
        yield top


def _tasks_of(path: Path, index: int, item: Any) -> list:
    """An array item of an export: one task, or an object holding ``tasks`` (an API dump)."""
    if isinstance(item, dict) and "tasks" in item and "data" not in item:
        if not isinstance(item["tasks"], list):
            raise _shape_error(path, f"/{index}/tasks", f"expected a list of tasks, found {_type_name(item['tasks'])}")
        return item["tasks"]
    return [item]


def iter_export_tasks(path: str | os.PathLike) -> Iterator[Any]:
    """Tasks of a Label Studio JSON export, streamed.

    Accepts a list of tasks (what Label Studio exports; read by :mod:`counterclaim.io.jsonstream`), one task
    object, an object with ``tasks``, or an API dump of ``projects[].tasks[]`` (these are read whole, so they
    may be at most :data:`MAX_OBJECT_BYTES`). Every read is strict (:func:`counterclaim.io.jsonio.loads`).
    """
    path = Path(path)
    with jsonio.open_input(path) as fh:
        first = _first_character(fh)
        if first == b"[":
            try:
                for index, item in enumerate(jsonstream.iter_array(fh)):
                    yield from _tasks_of(path, index, item)
            except jsonstream.JSONStreamError as exc:
                raise _invalid_json(path, exc) from None
        elif first == b"{":
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_OBJECT_BYTES:
                raise InputError(f"{path}: one JSON object of {size // 2**20} MB; an export that large must be a "
                                 "list of tasks — export the project as JSON from Label Studio and pull that")
            try:
                top = jsonio.loads(fh.read().decode("utf-8-sig"))
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); download the export again") from None
            except jsonio.JSONProblem as exc:
                raise InputError(exc.located(str(path)) + "; download the export again") from None
            yield from _tasks_in(path, top)
        else:
            raise InputError(f"{path}: not a Label Studio JSON export (it does not start with [ or {{)")


# What to export instead, by the reason nothing converted.
_INSTEAD = {
    "LS205": "its regions have no integer offsets (HyperText/XPath regions): label the texts with counterclaim's "
             "<Text> config (`counterclaim studio config`), then export as JSON",
    "LS202": "its results are of types counterclaim does not read: export a project labelled with counterclaim's "
             "config (`counterclaim studio config`) as JSON",
    "LS301": "it holds only task-level choices, text areas or taxonomies (labels of whole documents), no span "
             "regions: counterclaim converts span annotations made with its config (`counterclaim studio config`)",
}


def _refuse_if_nothing_converted(path, report: PullReport, documents: int, converted: int) -> None:
    """Refuse an export of which nothing converts (another format or labeling config), saying why and what to
    export instead."""
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
    dropped = [i for i in report.items if i.action == "dropped"]
    if converted == 0 and dropped:  # there was something, and none of it converts
        codes = {i.code for i in dropped}
        instead = [text for code, text in _INSTEAD.items() if code in codes]
        if not instead:
            reasons = sorted({f"task {i.task_id}: {i.reason} [{i.code}]" for i in dropped})[:3]
            instead = ["; ".join(reasons)]
        raise StudioError(f"{path}: nothing converted from {report.annotations} annotation(s) with "
                          f"{report.results} result(s) in {report.tasks} task(s): " + "; ".join(instead)
                          + "; nothing was written")


def _annotation_key(ann: dict) -> tuple:
    tool = ann["provenance"].get("tool") or {}
    return (ann["provenance"].get("origin") != "label-studio", tool.get("project_id") or 0,
            tool.get("annotation_id") or 0, ann["id"])


def _from_project(ann: dict, project_ids: set) -> bool:
    tool = ann["provenance"].get("tool") or {}
    return ann["provenance"].get("origin") == "label-studio" and tool.get("project_id") in project_ids


def _merge(local: dict | None, pulled: dict, project_ids: set, prune: bool, report: PullReport) -> dict:
    """The pulled document plus every local annotation it must not destroy."""
    if local is None:
        return pulled
    pulled_ids = {a["id"] for a in pulled["annotations"]}
    kept = []
    for ann in local.get("annotations", []):
        if ann["id"] in pulled_ids:
            continue
        if _from_project(ann, project_ids):
            label = f"{pulled['doc_id']}: annotation {ann['id']}"
            if prune:
                report.pruned.append(label)
                continue
            report.deleted_in_studio.append(label)
        kept.append(ann)
    merged = dict(pulled)
    merged["annotations"] = sorted(kept + pulled["annotations"], key=_annotation_key)
    return merged


# -- local files ----------------------------------------------------------------------------------------------


def _local_problem(doc: Any) -> str | None:
    """Why a local file is not an annotated document a pull can merge with (its place and what is wrong)."""
    if not isinstance(doc, dict):
        return f"/: not an annotated document ({_type_name(doc)}, not an object)"
    for key in ("doc_id", "text", "text_sha256"):
        if not isinstance(doc.get(key), str):
            return f"/{key}: missing or not a string"
    annotations = doc.get("annotations")
    if not isinstance(annotations, list):
        return f"/annotations: expected a list, found {_type_name(annotations)}"
    for i, ann in enumerate(annotations):
        if not isinstance(ann, dict):
            return f"/annotations/{i}: expected an annotation object, found {_type_name(ann)}"
        if not isinstance(ann.get("id"), str):
            return f"/annotations/{i}/id: missing or not a string"
        provenance = ann.get("provenance")
        if not isinstance(provenance, dict):
            return f"/annotations/{i}/provenance: missing — every annotation records where it comes from"
        if not isinstance(provenance.get("tool", {}), dict) or not isinstance(provenance.get("origin"), str):
            return f"/annotations/{i}/provenance: `origin` (a string) and `tool` (an object) are needed"
    return None


def _read_local(path: Path) -> dict:
    """A local annotated document that a pull merges with, checked; any problem is an error naming the file."""
    fix = "fix the file or move it out of the folder, then pull again; nothing was written"
    try:
        doc = jsonio.read_json(path, integers=INTEGER_KEYS)
    except InputError as exc:
        raise StudioError(f"{exc}; {fix}") from None
    problem = _local_problem(doc)
    if problem is not None:
        raise StudioError(f"{path}: {problem}; {fix} (`counterclaim validate {path}` lists every problem)")
    return doc


# -- converting -----------------------------------------------------------------------------------------------


@dataclass
class _Converted:
    """One task converted and checked."""

    task_id: Any
    project: Any
    results: int
    items: list[ReportItem]
    annotations: int
    doc: dict | None = None  # None: nothing to write
    converted: int = 0  # mentions, events and claims
    problems: list[tuple[str, str]] = field(default_factory=list)
    against_corpus: bool = False


def _convert_one(task: Any, ont: Ontology, options: ConvertOptions, tables: Tables,
                 corpus_index: dict[str, str] | None, require_corpus: bool) -> _Converted:
    is_task = isinstance(task, dict)
    annotations = task.get("annotations") if is_task else None
    results = sum(len(ann["result"]) for ann in annotations if isinstance(ann, dict)
                  and isinstance(ann.get("result"), list)) if isinstance(annotations, list) else 0
    doc, items = convert_task(task, ont, options, tables=tables)
    out = _Converted(task.get("id") if is_task else None, task.get("project") if is_task else None, results, items,
                     len(doc["annotations"]) if doc else 0)
    if doc is None or not doc["annotations"]:
        return out  # nothing annotated yet (predictions and drafts are reported above)
    # Tasks pushed from the corpus carry a doc_id of it and are checked against it (same text); so is every task
    # pulled into the project's own annotations (which hold only corpus documents).
    out.against_corpus = require_corpus or (corpus_index is not None and doc["doc_id"] in corpus_index
                                            and bool((task.get("data") or {}).get("doc_id")))
    out.doc = doc
    out.converted = sum(len(a["mentions"]) + len(a["events"]) + len(a["claims"]) for a in doc["annotations"])
    out.problems = document_problems(doc, ont, corpus_index if out.against_corpus else None)
    return out


def pull_export(path: str | os.PathLike, *, ont: Ontology, options: ConvertOptions, out_dir: str | os.PathLike,
                corpus_index: dict[str, str] | None, prune: bool = False, progress: Progress | None = None,
                require_corpus: bool = False, tx: Transaction | None = None) -> PullReport:
    """Convert an export file into ``out_dir/<doc_id>.json`` files; see the module docstring. In ``tx`` if given
    (committed by its owner), else in a transaction of its own."""
    path, out_dir = Path(path), Path(out_dir)
    if require_corpus and corpus_index is None:
        raise StudioError(f"{out_dir}: no built corpus to check the documents against; run `counterclaim corpus "
                          "build`, or pull with --out DIR to another folder")
    with joined(tx, Layout.around(out_dir).state_dir, "studio pull") as tx:
        return _pull(path, ont, options, out_dir, corpus_index, prune, progress, require_corpus, tx)


def _pull(path: Path, ont: Ontology, options: ConvertOptions, out_dir: Path, corpus_index: dict[str, str] | None,
          prune: bool, progress: Progress | None, require_corpus: bool, tx: Transaction) -> PullReport:
    report = PullReport()
    problems: list[Problem] = []
    project_ids: set = set()
    foreign: list[str] = []
    first_task: dict[str, Any] = {}  # doc_id -> the first task holding the document
    converted = 0
    tables = Tables.of(ont)

    # 1. convert, check and stage every task's document
    for task in iter_export_tasks(path):
        one = _convert_one(task, ont, options, tables, corpus_index, require_corpus)
        report.tasks += 1
        if isinstance(one.project, int):
            project_ids.add(one.project)
        report.results += one.results
        report.items.extend(one.items)
        report.annotations += one.annotations
        if progress is not None:
            progress.update(1)
        if one.doc is None:
            continue
        doc_id = one.doc["doc_id"]
        if require_corpus and doc_id not in corpus_index:
            foreign.append(f"task {one.task_id} (document {doc_id})")
            continue
        found = one.problems
        target = out_dir / annotation_file_name(doc_id)
        if doc_id in first_task:
            report.items.append(item("LS601", one.task_id, None, None, doc_id=doc_id, first_task=first_task[doc_id]))
            earlier = jsonio.read_json(tx.view(target))
            earlier["annotations"] = sorted(earlier["annotations"] + one.doc["annotations"], key=_annotation_key)
            found = document_problems(earlier, ont, corpus_index if one.against_corpus else None)
            tx.write_bytes(target, jsonio.dump_bytes(earlier, indent=2))
        else:
            first_task[doc_id] = one.task_id
            tx.write_bytes(target, jsonio.dump_bytes(one.doc, indent=2))
        converted += one.converted
        problems.extend(Problem(f"task {one.task_id}", ptr, msg) for ptr, msg in found)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise StudioError(f"{path}: {len(foreign)} task(s) hold documents that are not in the corpus ({shown}); "
                          f"pull them into another folder with --out DIR, or add the documents to the corpus with "
                          "`counterclaim corpus add` first; nothing was written")
    if problems:
        raise ValidationFailed(problems)
    _refuse_if_nothing_converted(path, report, len(first_task), converted)

    # 2. read and check the local files the pull replaces, merge, check the merges
    for doc_id in sorted(first_task):
        target = out_dir / annotation_file_name(doc_id)
        report.documents += 1
        if not target.exists():
            continue
        local = _read_local(target)
        pulled = jsonio.read_json(tx.view(target))
        if local["text_sha256"] != pulled["text_sha256"]:
            raise StudioError(f"{target}: /text_sha256: the local document was annotated on another text than "
                              f"task {first_task[doc_id]}'s; move the file away (or re-annotate), then pull again; "
                              "nothing was written")
        merged = _merge(local, pulled, project_ids, prune, report)
        if merged == local:
            tx.discard(target)  # nothing changes
        elif merged != pulled:
            found = document_problems(merged, ont, corpus_index if require_corpus else None)
            if found:
                raise ValidationFailed([Problem(str(target), ptr, f"(kept from the local file) {msg}")
                                        for ptr, msg in found])
            tx.write_bytes(target, jsonio.dump_bytes(merged, indent=2))

    # 3. documents of this project that the export no longer has (task deleted in Label Studio)
    staged_names = {annotation_file_name(doc_id) for doc_id in first_task}
    for target in sorted(out_dir.glob("*.json")) if out_dir.is_dir() else []:
        if target.name in staged_names:
            continue
        try:
            local = jsonio.read_json(target, integers=INTEGER_KEYS)
        except InputError:
            local = None
        if local is None or _local_problem(local) is not None:
            report.not_read.append(target.name)  # not an annotated document: not ours, left alone
            continue
        if not any(_from_project(ann, project_ids) for ann in local["annotations"]):
            continue  # no annotation of this Label Studio project: left alone
        merged = _merge(local, {**local, "annotations": []}, project_ids, prune, report)
        if len(merged["annotations"]) < len(local["annotations"]):  # pruned
            tx.write_bytes(target, jsonio.dump_bytes(merged, indent=2))
    report.written = [str(p) for p in tx.changes() if p.parent == out_dir]
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
