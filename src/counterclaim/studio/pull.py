"""Pull annotations: a JSON export snapshot → annotated documents, one file per document.

The export is read as a stream (:mod:`counterclaim.io.jsonstream`), and nothing is kept per task in memory, so
memory does not grow with the number of tasks: the report's items go to a spool file (:class:`ReportItems`),
which document came from which task to a SQLite file in a staging folder (:class:`_Seen`), and the report is
written streamed (:meth:`PullReport.write`). Every converted document is checked and staged in a transaction
(:mod:`counterclaim.io.transaction`); then each local file it replaces is read and checked (a corrupt or odd local file is an error naming it), merged,
and the merge checked; only when all of that passed are the files committed, all together — a failed pull
changes nothing, and a crash in the commit is completed by the next command. Local work is never destroyed:
annotations that are not from this Label Studio project are kept, and an annotation deleted in Label Studio is
reported and kept unless ``prune`` is set. Only files of documents this pull (or an earlier pull of the same
project) brought are touched. With ``require_corpus`` (pulling into the project's own annotations) a document
that is not in the corpus refuses the pull.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from counterclaim.io import jsonio, jsonstream
from counterclaim.io.layout import Layout, annotation_file_name
from counterclaim.io.scratch import key_text, rows, scratch_db, text_key
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


class ReportItems:
    """The items of a pull's report: counted by action, the first :data:`KEPT` kept in memory (what a command
    shows), every one appended to an unnamed spool file (JSON lines, gone when closed) that :meth:`PullReport.write`
    streams. With the few facts :func:`_refuse_if_nothing_converted` needs, gathered as items come.

    Kept as objects, items cost about 400 bytes each, and an export has at least one per task (every prediction
    is reported)."""

    KEPT = 100
    EXAMPLES = 3  # reasons an error names at most

    def __init__(self, folder: str | os.PathLike | None = None):
        self._spool: IO[bytes] = tempfile.TemporaryFile(prefix="pull-items-", dir=folder)
        self.first: list[ReportItem] = []
        self.count = 0
        self.by_action: dict[str, int] = {}
        self.unusable_reasons: set[str] = set()  # the EXAMPLES smallest
        self.foreign_labels: set[str] = set()
        self.dropped = 0
        self.dropped_codes: set[str] = set()
        self.dropped_examples: set[str] = set()  # the EXAMPLES smallest

    def _smallest(self, kept: set[str], value: str) -> None:
        kept.add(value)
        if len(kept) > self.EXAMPLES:
            kept.remove(max(kept))

    def append(self, entry: ReportItem) -> None:
        self.count += 1
        if len(self.first) < self.KEPT:
            self.first.append(entry)
        self.by_action[entry.action] = self.by_action.get(entry.action, 0) + 1
        if entry.code in UNUSABLE_TASK:
            self._smallest(self.unusable_reasons, entry.reason)
        if entry.code == FOREIGN_LABEL:
            self.foreign_labels.add(str(entry.values["label"]))
        if entry.action == "dropped":
            self.dropped += 1
            self.dropped_codes.add(entry.code)
            self._smallest(self.dropped_examples, f"task {entry.task_id}: {entry.reason} [{entry.code}]")
        self._spool.write(jsonio.dump_bytes(entry.to_dict()) + b"\n")

    def extend(self, entries: Iterable[ReportItem]) -> None:
        for entry in entries:
            self.append(entry)

    def __len__(self) -> int:
        return self.count

    def dicts(self) -> Iterator[dict]:
        """Every item as its ``to_dict()``, in order, read back from the spool."""
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            yield jsonio.loads(line)
        self._spool.seek(0, os.SEEK_END)

    def close(self) -> None:
        self._spool.close()


@dataclass
class PullReport:
    tasks: int = 0
    documents: int = 0
    annotations: int = 0
    results: int = 0
    items: ReportItems = field(default_factory=ReportItems)
    deleted_in_studio: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    written_count: int = 0
    written_files: Callable[[], Iterator[str]] = field(default=lambda: iter(()), repr=False)
    not_read: list[str] = field(default_factory=list)  # other files in the folder that are not annotated documents
    snapshot: str | None = None
    unusable_tasks: int = 0  # tasks with an item saying the task cannot be converted

    @property
    def written(self) -> list[str]:
        return list(self.written_files())

    def counts(self) -> dict[str, int]:
        return dict(self.items.by_action)

    def _fields(self) -> dict:
        """The report's fields; ``items`` and ``written`` as iterators."""
        return {
            "tasks": self.tasks, "documents": self.documents, "annotations": self.annotations,
            "results": self.results, "counts": self.counts(), "snapshot": self.snapshot,
            "written": self.written_files(), "deleted_in_studio": self.deleted_in_studio, "pruned": self.pruned,
            "not_read": self.not_read, "items": self.items.dicts(),
        }

    def to_dict(self) -> dict:
        """The whole report in memory (it grows with the tasks: :meth:`write` streams it)."""
        return {key: list(value) if isinstance(value, Iterator) else value for key, value in self._fields().items()}

    def write(self, fh: IO[bytes]) -> None:
        """Write ``jsonio.dump_bytes(self.to_dict(), indent=2)`` to ``fh`` without holding the items and the written
        files in memory: the same bytes, each list element dumped on its own."""
        fh.write(b"{")
        for n, (key, value) in enumerate(sorted(self._fields().items())):
            fh.write(b",\n  " if n else b"\n  ")
            fh.write(jsonio.dump_bytes(key) + b": ")
            if not isinstance(value, Iterator):
                fh.write(_indented(value, 1))
                continue
            first = True
            for element in value:
                fh.write(b"[\n    " if first else b",\n    ")
                fh.write(_indented(element, 2))
                first = False
            fh.write(b"[]" if first else b"\n  ]")
        fh.write(b"\n}\n")


def _indented(value: Any, level: int) -> bytes:
    """``value`` as indented JSON, inside ``level`` levels of nesting (strings in JSON hold no raw newline)."""
    return jsonio.dump_bytes(value, indent=2)[:-1].replace(b"\n", b"\n" + b"  " * level)


class _Seen:
    """Which task first held each document (``doc_id -> task id``) and the file names of those documents, in a
    SQLite file: as a dict and a set they cost about 300 bytes a document. Ids are stored as UTF-8 bytes, whose
    order is Python's order of the strings."""

    def __init__(self, folder: Path):
        self._db = scratch_db(folder / "seen.sqlite3")
        self._db.execute("CREATE TABLE seen (doc_id BLOB PRIMARY KEY, task TEXT NOT NULL, name BLOB NOT NULL)")
        self._db.execute("CREATE INDEX seen_name ON seen (name)")
        self._db.execute("BEGIN")
        self.count = 0

    def first_task(self, doc_id: str) -> Any:
        """The task that first held ``doc_id``, or None if none did (a task id is never None: see :meth:`add`)."""
        row = self._db.execute("SELECT task FROM seen WHERE doc_id = ?", (text_key(doc_id),)).fetchone()
        return None if row is None else jsonio.loads(row[0])[0]

    def add(self, doc_id: str, task_id: Any) -> None:
        self._db.execute("INSERT INTO seen VALUES (?, ?, ?)", (text_key(doc_id), jsonio.dumps([task_id]),
                                                               text_key(annotation_file_name(doc_id))))
        self.count += 1

    def has_name(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM seen WHERE name = ? LIMIT 1", (text_key(name),)).fetchone() is not None

    def sorted(self) -> Iterator[tuple[str, Any]]:
        """``(doc_id, first task)`` in ``doc_id`` order."""
        for doc_id, task in rows(self._db, "SELECT doc_id, task FROM seen ORDER BY doc_id"):
            yield key_text(doc_id), jsonio.loads(task)[0]

    def close(self) -> None:
        self._db.close()


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
    items = report.items
    if report.tasks and not documents and report.unusable_tasks == report.tasks:
        reasons = sorted(items.unusable_reasons)
        raise StudioError(f"{path}: nothing converted from {report.tasks} task(s): " + "; ".join(reasons[:3])
                          + "; nothing was written")
    foreign = sorted(items.foreign_labels)
    if converted == 0 and foreign:
        labels = ", ".join(foreign)
        raise StudioError(
            f"{path}: nothing converted: its span labels ({labels}) are not counterclaim region kinds — the export "
            f"was made with another labeling config. Map them with --label-map LABEL=KIND (or LABEL=ACTOR:TYPE "
            f"for actor mentions, e.g. --label-map {foreign[0]}=ACTOR:other); nothing was written"
        )
    if converted == 0 and items.dropped:  # there was something, and none of it converts
        codes = items.dropped_codes
        instead = [text for code, text in _INSTEAD.items() if code in codes]
        if not instead:
            instead = ["; ".join(sorted(items.dropped_examples))]
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
    if tx is not None:
        return _pull(path, ont, options, out_dir, corpus_index, prune, progress, require_corpus, tx)
    with joined(tx, Layout.around(out_dir).state_dir, "studio pull") as tx:
        report = _pull(path, ont, options, out_dir, corpus_index, prune, progress, require_corpus, tx)
        written = report.written  # read now: the plan is gone after the commit
        report.written_files = lambda: iter(written)
        return report


def _pull(path: Path, ont: Ontology, options: ConvertOptions, out_dir: Path, corpus_index: dict[str, str] | None,
          prune: bool, progress: Progress | None, require_corpus: bool, tx: Transaction) -> PullReport:
    report = PullReport(items=ReportItems(tx.state_dir))
    seen = _Seen(tx.staging_dir(tx.state_dir / "pull"))
    try:
        _pull_into(report, seen, path, ont, options, out_dir, corpus_index, prune, progress, require_corpus, tx)
    finally:
        seen.close()
    return report


def _not_pulled(out_dir: Path, seen: _Seen) -> list[Path]:
    """The files ``out_dir/*.json`` (as ``glob`` finds them: not hidden) of documents the export does not hold,
    sorted; the folder is read as a stream so that the pulled files are never all listed in memory."""
    if not out_dir.is_dir():
        return []
    with os.scandir(out_dir) as entries:
        names = [e.name for e in entries if e.name.endswith(".json") and not e.name.startswith(".")
                 and not seen.has_name(e.name)]
    return [out_dir / name for name in sorted(names)]


def _pull_into(report: PullReport, seen: _Seen, path: Path, ont: Ontology, options: ConvertOptions, out_dir: Path,
               corpus_index: dict[str, str] | None, prune: bool, progress: Progress | None, require_corpus: bool,
               tx: Transaction) -> None:
    problems: list[Problem] = []
    project_ids: set = set()
    foreign: list[str] = []
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
        report.unusable_tasks += any(i.code in UNUSABLE_TASK for i in one.items)
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
        first_task = seen.first_task(doc_id)
        if first_task is not None:
            report.items.append(item("LS601", one.task_id, None, None, doc_id=doc_id, first_task=first_task))
            earlier = jsonio.read_json(tx.view(target))
            earlier["annotations"] = sorted(earlier["annotations"] + one.doc["annotations"], key=_annotation_key)
            found = document_problems(earlier, ont, corpus_index if one.against_corpus else None)
            tx.write_bytes(target, jsonio.dump_bytes(earlier, indent=2))
        else:
            seen.add(doc_id, one.task_id)
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
    _refuse_if_nothing_converted(path, report, seen.count, converted)

    # 2. read and check the local files the pull replaces, merge, check the merges
    for doc_id, first_task in seen.sorted():
        target = out_dir / annotation_file_name(doc_id)
        report.documents += 1
        if not target.exists():
            continue
        local = _read_local(target)
        pulled = jsonio.read_json(tx.view(target))
        if local["text_sha256"] != pulled["text_sha256"]:
            raise StudioError(f"{target}: /text_sha256: the local document was annotated on another text than "
                              f"task {first_task}'s; move the file away (or re-annotate), then pull again; "
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
    for target in _not_pulled(out_dir, seen):
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

    def written() -> Iterator[str]:  # read from the plan when the report is written
        return (str(p) for p in tx.iter_changes() if p.parent == out_dir)

    report.written_files = written
    report.written_count = sum(1 for _ in written())


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
