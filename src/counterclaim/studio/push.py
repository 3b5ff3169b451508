"""Create or update the Label Studio project and import what it lacks.

- The project (found by title, or by id) gets the generated labeling config and the guidelines as its
  instructions.
- Every corpus document not yet in the project becomes a task carrying ``doc_id``, ``title``,
  ``text`` and ``text_sha256``, with a prediction proposed by a predictor of
  :data:`~counterclaim.studio.predictors.PREDICTORS` (regions, per-region values, relations, scores).
  Label Studio does not deduplicate imports, so the documents are matched by ``doc_id`` against the tasks the
  project holds: pushing twice imports nothing the second time. Those tasks come from the local record of the
  last push, checked against the server with two small requests (task count, newest ids, a sample), and from
  the full listing only when there is no record or the check finds a difference (:mod:`counterclaim.studio.pushed`:
  listing 10,000 tasks takes Label Studio about 10 s, the check a fraction of a second).
- Annotators start from the predictions: the project shows predictions to annotators
  (``show_collab_predictions``) and its ``model_version`` is the predictor's, which is what makes Label Studio
  copy a task's prediction into the annotation it opens (its "use predictions to prelabel tasks" setting).
  When the predictor's version changes, tasks already in the project get the new version's prediction once.
- Overlap: each task goes to ``overlap`` annotators (``maximum_annotations``; the overlap cohort is every
  task), so that agreement and adjudication have annotations to compare.
- Annotated documents (schema format) can be pushed as annotations, the inverse of pull. A document whose text
  differs from the corpus or from the task is refused; an annotation already present with the same content is
  not created again.
- One push at a time per project folder: push holds the project lock (:func:`~counterclaim.io.transaction.project_lock`),
  which also keeps the record whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import ValidationFailed
from counterclaim.io.layout import Layout
from counterclaim.io.progress import Progress
from counterclaim.io.transaction import project_lock
from counterclaim.labelstudio.config import build_label_config
from counterclaim.labelstudio.convert import ConvertOptions, Tables, convert_annotation
from counterclaim.labelstudio.predictions import prediction
from counterclaim.studio.predictors import DEFAULT_PREDICTOR, PREDICTORS, Predictor
from counterclaim.labelstudio.results import NotRepresentable, annotation_to_results
from counterclaim.model.ontology import Ontology, default_ontology
from counterclaim.studio.client import api_call, server_url
from counterclaim.studio.errors import StudioError
from counterclaim.studio.pushed import LISTING, PushedTasks, known_tasks, list_tasks, write_record
from counterclaim.validation import read_documents

DEFAULT_TITLE = "counterclaim"
BODY_KEYS = ("mentions", "events", "claims", "cancelled", "ground_truth")
DEFAULT_OVERLAP = 2  # new projects: double annotation, which `agreement` and `adjudicate` need
OVERLAP_COHORT = 100  # percent of tasks that get `overlap` annotators


@dataclass
class PushReport:
    project_id: int
    project_created: bool = False
    imported: int = 0
    already_present: int = 0
    predictions_added: int = 0  # predictions of a new predictor version for tasks already present
    model_version: str | None = None
    overlap: int | None = None
    annotations_created: int = 0
    annotations_present: int = 0
    refused: list[str] = field(default_factory=list)
    changed_in_corpus: list[str] = field(default_factory=list)
    verified: str | None = None  # how the project's tasks were known: "record" (checked) or "listing" (all listed)
    listing_reason: str | None = None  # why every task was listed

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def find_project(ls, *, title: str | None = None, project_id: int | None = None):
    """The project with this id, or the one project with exactly this title, or None."""
    if project_id is not None:
        return api_call(f"open project {project_id}", ls.projects.get, id=project_id)
    matches = [p for p in ls.projects.list(title=title, page_size=100) if p.title == title]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise StudioError(f"several projects are titled {title!r} (ids {ids}); pass --project-id to choose one")
    return matches[0] if matches else None


def project_settings(overlap: int | None) -> dict[str, Any]:
    """The project fields push sets besides config and instructions (``overlap`` None: left as they are)."""
    settings: dict[str, Any] = {"show_collab_predictions": True}
    if overlap is not None:
        settings.update(maximum_annotations=overlap, overlap_cohort_percentage=OVERLAP_COHORT)
    return settings


def ensure_project(ls, *, title: str, label_config: str, instructions_html: str, project_id: int | None = None,
                   overlap: int | None = None):
    """Create the project, or bring its config, instructions and settings up to date. Returns (project, created).

    A new project gets ``overlap`` annotators per task (:data:`DEFAULT_OVERLAP` when None); an existing one
    keeps its overlap unless ``overlap`` is given."""
    project = find_project(ls, title=title, project_id=project_id)
    if project is None:
        created = api_call(
            "create the project", ls.projects.create, title=title, label_config=label_config,
            expert_instruction=instructions_html, show_instruction=True,
            description="counterclaim: actors, events and attributed claims in conflict news",
            **project_settings(DEFAULT_OVERLAP if overlap is None else overlap),
        )
        return created, True
    wanted = project_settings(overlap)
    stale = {k: v for k, v in wanted.items() if getattr(project, k, None) != v}
    if (project.label_config or "").strip() != label_config.strip() or (project.expert_instruction or "") != instructions_html:
        stale.update(label_config=label_config, expert_instruction=instructions_html, show_instruction=True)
    if stale:
        api_call(
            "update the project's labeling config (a label still used by annotations cannot be removed)"
            if "label_config" in stale else "update the project's settings",
            ls.projects.update, id=project.id, **stale,
        )
        project = api_call(f"open project {project.id}", ls.projects.get, id=project.id)
    return project, False


def existing_tasks(ls, project_id: int) -> dict[str, dict]:
    """``doc_id -> {"id", "text_sha256"}`` of the project's tasks (tasks without a doc_id are ignored), from the
    full listing."""
    return PushedTasks("", project_id, "", list_tasks(ls, project_id)).by_doc()


def task_for(document: dict, ont: Ontology, *, corpus_version: str, predictor: Predictor | None = None) -> dict:
    """The task of a corpus document, with the predictor's prediction (none when ``predictor`` is None)."""
    task = {
        "data": {
            "doc_id": document["doc_id"],
            "title": document.get("title"),
            "text": document["text"],
            "text_sha256": document["text_sha256"],
            "corpus_version": corpus_version,
        }
    }
    if predictor is not None:
        text = document["text"]
        task["predictions"] = [prediction(text, predictor.propose(text, ont), ont,
                                          where=f"prediction for {document['doc_id']}")]
    return task


def _imported_rows(result, batch: list[dict]) -> list[tuple] | None:
    """The record's rows of the tasks one import made, from the ids Label Studio returned in order, or None when
    it returned none (an edition that imports in the background)."""
    ids = getattr(result, "task_ids", None)
    if not isinstance(ids, list) or len(ids) != len(batch) or not all(isinstance(i, int) for i in ids):
        return None
    return [(task_id, task["data"]["doc_id"], task["data"]["text_sha256"]) for task_id, task in zip(ids, batch)]


def push_documents(ls, project_id: int, documents: Iterable[dict], ont: Ontology, *, corpus_version: str,
                   report: PushReport, known: PushedTasks | None = None, batch_size: int = 500,
                   predictor: Predictor | None = None,
                   progress: Progress | None = None) -> tuple[dict[str, dict], set[str]]:
    """Import the documents the project lacks, in batches. Returns the doc_id → task map afterwards and the
    doc_ids imported now.

    ``known`` (default: the full listing) holds the project's tasks; the imported ones are added to it with the
    ids Label Studio returns, or, if it returns none, ``known`` is listed anew after the imports."""
    if known is None:
        known = PushedTasks("", project_id, "", list_tasks(ls, project_id))
    tasks = known.by_doc()
    new: set[str] = set()
    batch: list[dict] = []
    unknown_ids = False

    def flush() -> None:
        nonlocal unknown_ids
        if batch:
            result = api_call("import tasks", ls.projects.import_tasks, id=project_id, request=batch,
                               return_task_ids=True)
            rows = _imported_rows(result, batch)
            if rows is None:
                unknown_ids = True
            else:
                known.add(rows)
            report.imported += len(batch)
            if progress is not None:
                progress.update(len(batch))
            batch.clear()

    for doc in documents:
        present = tasks.get(doc["doc_id"])
        if present is not None:
            report.already_present += 1
            if present["text_sha256"] != doc["text_sha256"]:
                report.changed_in_corpus.append(doc["doc_id"])
            if progress is not None:
                progress.update(1)
            continue
        batch.append(task_for(doc, ont, corpus_version=corpus_version, predictor=predictor))
        new.add(doc["doc_id"])
        if len(batch) >= batch_size:
            flush()
    flush()
    if unknown_ids:
        known.tasks = list_tasks(ls, project_id)
    return known.by_doc(), new


def prelabel_with(ls, project, documents: Iterable[dict], ont: Ontology, *, predictor: Predictor,
                  tasks: dict[str, dict], new: set[str], report: PushReport, batch_size: int = 500) -> None:
    """Make the predictor's predictions the ones annotators start from.

    When the project's ``model_version`` is another (an older predictor, or none yet), the tasks that were
    already in the project (doc_ids not in ``new``) get the predictor's prediction, then the project's
    ``model_version`` becomes the predictor's. A project already on this version is left as it is."""
    version = predictor.version(ont)
    report.model_version = version
    if (project.model_version or "") == version:
        return
    batch: list[dict] = []

    def flush() -> None:
        if batch:
            api_call("import predictions", ls.projects.import_predictions, id=project.id, request=batch)
            report.predictions_added += len(batch)
            batch.clear()

    for doc in documents:
        task = tasks.get(doc["doc_id"])
        if task is None or doc["doc_id"] in new or task["text_sha256"] != doc["text_sha256"]:
            continue
        made = prediction(doc["text"], predictor.propose(doc["text"], ont), ont,
                          where=f"prediction for {doc['doc_id']}")
        batch.append({"task": task["id"], **made})
        if len(batch) >= batch_size:
            flush()
    flush()
    if report.predictions_added or report.imported:
        api_call("use the new predictions to prelabel tasks", ls.projects.update, id=project.id,
                  model_version=version, show_collab_predictions=True)


def _body(ann: dict) -> dict:
    return {k: ann[k] for k in BODY_KEYS}


def push_annotations(ls, project_id: int, annotated: Iterable[tuple[str, dict]], ont: Ontology, *,
                     tasks: dict[str, dict], corpus_index: dict[str, str], report: PushReport) -> None:
    """Create each annotation of each annotated document on its task, unless refused or already there."""
    options = ConvertOptions(schema_version=ont.version, corpus_version="0.0.0")
    tables = Tables.of(ont)
    for source, doc in annotated:
        doc_id = doc["doc_id"]
        where = f"{source} ({doc_id})"
        if corpus_index.get(doc_id) is None:
            report.refused.append(f"{where}: not in the corpus; add the document first")
            continue
        if doc["text_sha256"] != corpus_index[doc_id]:
            report.refused.append(
                f"{where}: annotated on a text that differs from the corpus text (it changed after annotation); "
                "re-annotate or migrate the annotations before pushing them"
            )
            continue
        task = tasks.get(doc_id)
        if task is None:
            report.refused.append(f"{where}: no task in the project; push the corpus first")
            continue
        if task["text_sha256"] != doc["text_sha256"]:
            report.refused.append(f"{where}: the project's task has another text; it was imported from an older corpus")
            continue
        present = []
        for raw in _task_annotations(ls, task["id"]):
            converted, _ = convert_annotation(doc["text"], raw, ont, options, task_id=task["id"],
                                              project_id=project_id, tables=tables)
            if converted is not None:
                present.append(_body(converted))
        for i, ann in enumerate(doc["annotations"]):
            if _body(ann) in present:
                report.annotations_present += 1
                continue
            try:
                result = annotation_to_results(doc["text"], ann, ont, where=f"{where} annotation {ann['id']}")
            except NotRepresentable as exc:
                report.refused.append(str(exc))
                continue
            kwargs: dict[str, Any] = {"result": result, "ground_truth": ann["ground_truth"],
                                      "was_cancelled": ann["cancelled"]}
            lead = ann["provenance"].get("lead_time")
            if lead is not None:
                kwargs["lead_time"] = lead
            api_call(f"create an annotation on task {task['id']}", ls.annotations.create, id=task["id"], **kwargs)
            present.append(_body(ann))
            report.annotations_created += 1


def _task_annotations(ls, task_id: int) -> list[dict]:
    """Every annotation of a task, cancelled ones included: Label Studio's annotation list leaves those out (so a
    cancelled annotation looked missing and was created again on every push); the task itself has them all."""
    task = api_call(f"read task {task_id}", ls.tasks.get, id=task_id)
    found = getattr(task, "annotations", None) or []
    return [a if isinstance(a, dict) else a.model_dump() if hasattr(a, "model_dump") else dict(a) for a in found]


def read_annotated(paths: Iterable[str], ont: Ontology) -> list[tuple[str, dict]]:
    """Annotated documents from files/folders, each validated first (all problems reported at once)."""
    valid, _, problems = read_documents(paths, ont, None)
    if problems:
        raise ValidationFailed(problems)
    return [(str(path), doc) for path, _, doc in valid]


def push_project(ls, layout: Layout, *, title: str = DEFAULT_TITLE, project_id: int | None = None,
                 annotations: Iterable[str] = (), predictions: bool = True, predictor: str = DEFAULT_PREDICTOR,
                 overlap: int | None = None, batch_size: int = 500, progress: Progress | None = None,
                 server: str | None = None, relist: bool = False) -> PushReport:
    """Create or update the project, import the corpus documents it lacks, push annotated documents.

    The project gets the labeling config generated from the ontology, the guidelines as instructions, the
    ``predictor``'s predictions as the annotators' starting point (unless ``predictions`` is false), and
    ``overlap`` annotators per task (see :func:`ensure_project`). The project's tasks are known from the record
    of the last push to ``server`` (default: the URL ``ls`` talks to), checked, or from the full listing (always
    with ``relist``); see :mod:`counterclaim.studio.pushed`. Holds the project lock. Used by `studio push` and `up`."""
    with project_lock(layout.state_dir, "studio push"):
        return _push_project(ls, layout, title=title, project_id=project_id, annotations=annotations,
                             predictions=predictions, predictor=predictor, overlap=overlap, batch_size=batch_size,
                             progress=progress, server=server or server_url(ls), relist=relist)


def _push_project(ls, layout: Layout, *, title: str, project_id: int | None, annotations: Iterable[str],
                  predictions: bool, predictor: str, overlap: int | None, batch_size: int,
                  progress: Progress | None, server: str, relist: bool) -> PushReport:
    from counterclaim.quality.guidelines import instructions_html  # markdown rendering: only when pushing

    ont = default_ontology(layout.schema_dir)
    corpus = BuiltCorpus.open(layout.corpus_dir)
    documents = list(corpus.documents())
    annotated = read_annotated(annotations, ont) if annotations else []
    chosen = PREDICTORS[predictor] if predictions else None
    project, created = ensure_project(ls, title=title, project_id=project_id, label_config=build_label_config(ont),
                                      instructions_html=instructions_html(layout.guidelines_dir,
                                                                         {d["doc_id"]: d for d in documents}, ont),
                                      overlap=overlap)
    report = PushReport(project_id=project.id, project_created=created, overlap=project.maximum_annotations)
    if progress is not None:
        progress.reset(total=len(documents))
    known = known_tasks(ls, layout, project, server=server, relist=relist)
    report.verified, report.listing_reason = known.verified, known.reason
    tasks, new = push_documents(ls, project.id, documents, ont, corpus_version=corpus.version, report=report,
                                known=known.tasks, batch_size=batch_size, predictor=chosen, progress=progress)
    if known.verified == LISTING or report.imported:
        write_record(layout.pushed_record_path(server, project.id), known.tasks)
    if chosen is not None:
        prelabel_with(ls, project, documents, ont, predictor=chosen, tasks=tasks, new=new, report=report,
                      batch_size=batch_size)
    if annotated:
        index = {d["doc_id"]: d["text_sha256"] for d in documents}
        push_annotations(ls, project.id, annotated, ont, tasks=tasks, corpus_index=index, report=report)
    return report


ADJUDICATION_MODEL_VERSION = "counterclaim-adjudication"


def push_merges(ls, merged: Iterable[tuple[str, dict, dict]], ont: Ontology, *, title: str = DEFAULT_TITLE
                ) -> tuple[int, list[str]]:
    """Send adjudicated annotations ``(where, document, annotation)`` to their tasks as predictions, for an
    adjudicator to review. Returns the number sent and the doc_ids that have no task."""
    project = find_project(ls, title=title)
    if project is None:
        raise StudioError(f"no Label Studio project titled {title!r}; push the corpus first")
    tasks = existing_tasks(ls, project.id)
    sent, missing = 0, []
    for where, doc, annotation in merged:
        task = tasks.get(doc["doc_id"])
        if task is None:
            missing.append(doc["doc_id"])
            continue
        result = annotation_to_results(doc["text"], annotation, ont, where=where)
        api_call("create a prediction", ls.predictions.create, task=task["id"], result=result,
                  model_version=ADJUDICATION_MODEL_VERSION, score=1.0)
        sent += 1
    return sent, missing
