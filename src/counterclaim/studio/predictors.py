"""What proposes the predictions `studio push` sends (``--predictor``): each predictor's version (Label Studio's
``model_version``) and its proposal for a text, as a :class:`~counterclaim.labelstudio.predictions.ScoredAnnotation`.

- ``rules`` (the default): every layer from the rule-based pre-annotation engine (:mod:`counterclaim.preannotate`),
  each object with its rule's measured precision as confidence;
- ``aliases``: actor mentions from the registry's aliases only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from counterclaim.labelstudio.predictions import ScoredAnnotation, model_version, propose_aliases
from counterclaim.model.ontology import Ontology


@dataclass(frozen=True)
class Predictor:
    """What proposes the predictions `studio push` sends: its version for an ontology (Label Studio's
    ``model_version``) and the proposal for a text."""

    version: Callable[[Ontology], str]
    propose: Callable[[str, Ontology], ScoredAnnotation]


def engine_version(ont: Ontology) -> str:
    from counterclaim.preannotate import ENGINE_VERSION

    return f"counterclaim-preannotate-{ENGINE_VERSION}-ontology-{ont.version}"


def propose_rules(text: str, ont: Ontology) -> ScoredAnnotation:
    """Every layer from the rule-based pre-annotation engine (:mod:`counterclaim.preannotate`), each object
    with its rule's measured precision as confidence."""
    from counterclaim.preannotate import propose

    proposal = propose(text, ont, corpus_version="0.0.0")
    confidence = {obj_id: evidence.confidence for obj_id, evidence in proposal.objects.items()}
    return ScoredAnnotation(proposal.annotation, confidence, engine_version(ont))


PREDICTORS: dict[str, Predictor] = {
    "rules": Predictor(engine_version, propose_rules),
    "aliases": Predictor(model_version, propose_aliases),
}
DEFAULT_PREDICTOR = "rules"
