"""The engine's measured scores, stored in the silver manifest: its proposals scored against the gold.

The rules were written and tuned on three seed articles only (:data:`~counterclaim.preannotate.DEV_DOCS`); every
other gold document is held out. Each group of :data:`GROUPS` is scored by
:func:`counterclaim.preannotate.evaluate` (the matching of ``counterclaim agreement``, gold as the reference,
counts summed over the group's documents):

- ``heldout``: every held-out document with gold — the figure to trust;
- ``heldout_seeds``: the two held-out seed articles (:data:`~counterclaim.preannotate.HELDOUT_DOCS`), annotated
  before the engine existed;
- ``fakes``: the FA-KES documents with gold;
- ``development``: the three tuning seeds, for contrast only (not held out).

A document's gold is :func:`~counterclaim.model.selection.select_gold`'s choice (a flagged ground truth, an
adjudication, or the only annotation). Pure: the caller reads the documents and runs the engine.
"""

from __future__ import annotations

from typing import Callable, Mapping

from counterclaim.model.ontology import Ontology
from counterclaim.model.selection import select_gold
from counterclaim.preannotate import DEV_DOCS, HELDOUT_DOCS, Proposal, evaluate

FAKES_DATASET = "FA-KES"


def _is_fakes(doc: dict) -> bool:
    return (doc.get("source") or {}).get("dataset") == FAKES_DATASET


# name -> which corpus documents (with gold) belong to it, and what the group is
GROUPS: dict[str, tuple[Callable[[dict], bool], str]] = {
    "heldout": (lambda doc: doc["doc_id"] not in DEV_DOCS,
                "every gold document the rules were not written on: the held-out seeds and the FA-KES gold"),
    "heldout_seeds": (lambda doc: doc["doc_id"] in HELDOUT_DOCS, "the two held-out seed articles"),
    "fakes": (_is_fakes, "the FA-KES documents with gold"),
    "development": (lambda doc: doc["doc_id"] in DEV_DOCS,
                    "the three seed articles the rules were tuned on (not held out)"),
}


def gold_document(annotated: dict) -> dict | None:
    """``annotated`` reduced to its gold annotation, flagged ground truth (what the evaluation reads), or None."""
    gold = select_gold(annotated).annotation
    if gold is None:
        return None
    return {**annotated, "annotations": [{**gold, "ground_truth": True}]}


def measure(documents: Mapping[str, dict], gold: Mapping[str, dict], proposals: Mapping[str, Proposal], *,
            ontology: Ontology) -> dict[str, dict]:
    """Per group of :data:`GROUPS`: its documents, and the layer, link and attribute scores of the proposals.

    ``documents``: corpus documents by id; ``gold``: :func:`gold_document` of each one that has gold;
    ``proposals``: the engine's proposal for each of those. A group without gold documents is left out."""
    out = {}
    for name, (belongs, description) in GROUPS.items():
        chosen = [gold[d] for d in sorted(gold) if belongs(documents[d])]
        if not chosen:
            continue
        result = evaluate(chosen, proposals, ontology=ontology).to_dict()
        out[name] = {"description": description, "documents": result["documents"], "layers": result["layers"],
                     "links": result["links"], "attributes": result["attributes"]}
    return out
