"""The incidents of a project: its corpus documents, the annotation to use for each, and the rule.

The annotation of a document is its gold annotation (:func:`counterclaim.model.selection.select_gold`); for a
document without gold, ``silver(doc_id)`` may give a machine annotation, used with the status ``silver``.
Annotated documents are validated first, as ``export`` does, so the rule never reads a broken annotation.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CorpusError, ValidationFailed
from counterclaim.incidents.reports import DocumentAnnotation, event_reports
from counterclaim.incidents.rule import Incident, find_incidents
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import Ontology
from counterclaim.model.selection import select_gold
from counterclaim.validation import Problem, document_problems

GOLD, SILVER = "gold", "silver"
SilverSource = Callable[[str], "dict | None"]


def choose_annotation(doc: dict, annotated: dict | None, silver: SilverSource | None = None
                      ) -> DocumentAnnotation | None:
    """Gold first, then silver; None when the document has neither."""
    gold = select_gold(annotated).annotation if annotated else None
    if gold is not None:
        return DocumentAnnotation(doc, gold, GOLD)
    machine = silver(doc["doc_id"]) if silver is not None else None
    return DocumentAnnotation(doc, machine, SILVER) if machine is not None else None


def project_annotations(layout: Layout, ont: Ontology, silver: SilverSource | None = None
                        ) -> Iterator[DocumentAnnotation]:
    """The annotation to use for each corpus document that has one, in ``doc_id`` order (validated)."""
    corpus = BuiltCorpus.open(layout.corpus_dir)
    problems: list[Problem] = []
    chosen: list[DocumentAnnotation] = []
    for doc in corpus.documents():
        path = layout.annotation_path(doc["doc_id"])
        annotated = jsonio.read_json(path) if path.exists() else None
        if annotated is not None:
            if annotated.get("doc_id") != doc["doc_id"]:
                raise CorpusError(f"{path}: holds document {annotated.get('doc_id')!r}, not {doc['doc_id']!r}; "
                                  "rename or remove the file")
            index = {doc["doc_id"]: doc["text_sha256"]}
            found = [Problem(str(path), p, m) for p, m in document_problems(annotated, ont, index)]
            if found:
                problems += found
                continue
        item = choose_annotation(doc, annotated, silver)
        if item is not None:
            chosen.append(item)
    if problems:
        raise ValidationFailed(problems)
    return iter(chosen)


def incidents_of(items: Iterable[DocumentAnnotation], ont: Ontology) -> list[Incident]:
    """The incidents among annotated documents (pure: the caller chooses each document's annotation)."""
    return find_incidents(report for item in items for report in event_reports(item, ont))


def project_incidents(layout: Layout, ont: Ontology, silver: SilverSource | None = None) -> list[Incident]:
    """The incidents of a project's corpus and annotations."""
    return incidents_of(project_annotations(layout, ont, silver), ont)
