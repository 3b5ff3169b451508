"""The incidents of a project: its corpus documents, the annotation to use for each, and the rule.

Gold and silver are never mixed: the incidents of the gold come from each document's gold annotation
(:func:`counterclaim.model.selection.select_gold`) and only from those, the incidents of the silver from each
document's silver annotation (``corpus/silver/``, the engine's) and only from those. Annotated documents are
validated first, as ``export`` does, so the rule never reads a broken annotation.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CorpusError, ValidationFailed
from counterclaim.incidents.reports import DocumentAnnotation, event_reports
from counterclaim.incidents.rule import Incident, find_incidents
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import Ontology
from counterclaim.model.selection import select_gold
from counterclaim.silver.store import SilverStore
from counterclaim.validation import Problem, document_problems

GOLD, SILVER = "gold", "silver"
SOURCES = (GOLD, SILVER)


def gold_annotation(doc: dict, annotated: dict | None) -> DocumentAnnotation | None:
    """The document's gold annotation (status ``gold``); None when it has none."""
    gold = select_gold(annotated).annotation if annotated else None
    return DocumentAnnotation(doc, gold, GOLD) if gold is not None else None


def silver_annotation(doc: dict, annotation: dict | None) -> DocumentAnnotation | None:
    """The document's silver annotation (status ``silver``); None when it has none."""
    return DocumentAnnotation(doc, annotation, SILVER) if annotation is not None else None


def _problems(path, annotated: dict, doc: dict, ont: Ontology, line: int | None = None) -> list[Problem]:
    index = {doc["doc_id"]: doc["text_sha256"]}
    return [Problem(str(path), p, m, line=line) for p, m in document_problems(annotated, ont, index)]


def project_annotations(layout: Layout, ont: Ontology, source: str = GOLD) -> Iterator[DocumentAnnotation]:
    """The ``source`` annotation (``gold`` or ``silver``) of each corpus document that has one, in ``doc_id``
    order (validated)."""
    corpus = BuiltCorpus.open(layout.corpus_dir)
    problems: list[Problem] = []
    chosen: list[DocumentAnnotation] = []
    follower = SilverStore.open(layout).follow() if source == SILVER else None
    for doc in corpus.documents():
        if follower is not None:
            silver = follower.of(doc)
            found = _problems(follower.path, silver, doc, ont, follower.line)
            problems += found
            item = None if found else silver_annotation(doc, follower.annotation(silver))
        else:
            path = layout.annotation_path(doc["doc_id"])
            annotated = jsonio.read_json(path) if path.exists() else None
            if annotated is not None:
                if annotated.get("doc_id") != doc["doc_id"]:
                    raise CorpusError(f"{path}: holds document {annotated.get('doc_id')!r}, not "
                                      f"{doc['doc_id']!r}; rename or remove the file")
                found = _problems(path, annotated, doc, ont)
                if found:
                    problems += found
                    continue
            item = gold_annotation(doc, annotated)
        if item is not None:
            chosen.append(item)
    if follower is not None:
        follower.finish()
    if problems:
        raise ValidationFailed(problems)
    return iter(chosen)


def incidents_of(items: Iterable[DocumentAnnotation], ont: Ontology) -> list[Incident]:
    """The incidents among annotated documents (pure: the caller chooses each document's annotation)."""
    return find_incidents(report for item in items for report in event_reports(item, ont))


def project_incidents(layout: Layout, ont: Ontology, source: str = GOLD) -> list[Incident]:
    """The incidents of a project's corpus and its ``source`` annotations (``gold`` or ``silver``)."""
    return incidents_of(project_annotations(layout, ont, source), ont)
