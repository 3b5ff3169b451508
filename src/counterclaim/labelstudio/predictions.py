"""Label Studio predictions: a proposed annotation, sent through the same results as pushed annotations.

A pre-annotator proposes an annotation in the schema format (mentions, events with arguments and quantities,
claims with their links) and a confidence for each object, a :class:`ScoredAnnotation`. :func:`prediction`
turns it into a Label Studio prediction with :func:`~counterclaim.labelstudio.results.annotation_to_results`,
the inverse of the converter, so every layer and every link a proposal holds reaches the annotator as regions
and relations between the prediction's own region ids, each span region with its ``score``. The prediction's
own ``score`` is the mean of its regions' scores: Label Studio shows it on the prediction and can serve the
least confident tasks first.

Today's proposer, :func:`propose_aliases`, matches the registry's aliases: case-sensitive whole words (an
alias never matches inside a longer word: "Iran" does not match "Iranian"); where aliases overlap, the longest
match wins, then the earliest. Each match becomes an actor mention with its canonical actor; its confidence is
the precision of alias matches for that actor type on the gold annotations (:data:`ALIAS_CONFIDENCE`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from counterclaim.labelstudio.results import annotation_to_results
from counterclaim.model.ontology import Ontology


@dataclass(frozen=True)
class ScoredAnnotation:
    """A proposed annotation (the schema's ``mentions``, ``events`` and ``claims``), the confidence in [0, 1]
    of each object by id, and the version of what proposed it (Label Studio's ``model_version``)."""

    annotation: dict
    confidence: Mapping[str, float]
    model_version: str


def prediction(text: str, proposal: ScoredAnnotation, ont: Ontology, where: str = "prediction") -> dict:
    """The Label Studio prediction of a proposal: its results with per-region scores, and a prediction score."""
    result = annotation_to_results(text, proposal.annotation, ont, where=where, scores=proposal.confidence,
                                   origin="prediction")
    scores = [r["score"] for r in result if "score" in r]
    out: dict = {"model_version": proposal.model_version, "result": result}
    if scores:
        out["score"] = round(sum(scores) / len(scores), 4)
    return out


# -- the alias matcher ------------------------------------------------------------------------------------------

# Precision of alias matches per actor type on the gold documents (a match counts when gold has a mention
# with the same span and actor), smoothed as (right + 1) / (matches + 2); tests/test_predictions.py measures it
# again. Countries are low: "Syria" is far more often a place than an actor.
ALIAS_CONFIDENCE: dict[str, float] = {
    "country": 0.23, "government": 0.67, "military": 0.83, "armed_group": 0.71, "political_group": 0.67,
    "igo": 0.41, "ngo": 0.78, "media": 0.52, "person": 0.40,
}
UNMEASURED_CONFIDENCE = 0.5  # actor types without alias matches in the gold


@dataclass(frozen=True)
class AliasMatch:
    start: int
    end: int
    actor: str


def _pattern(ont: Ontology) -> tuple[re.Pattern, dict[str, str]]:
    owner: dict[str, str] = {}
    for actor in ont.actors:
        for alias in actor.aliases:
            owner.setdefault(alias, actor.id)  # the first actor that declares an alias owns it
    alternatives = sorted(owner, key=lambda a: (-len(a), a))
    body = "|".join(re.escape(a) for a in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)"), owner


def find_actor_mentions(text: str, ont: Ontology) -> list[AliasMatch]:
    """Non-overlapping alias matches, longest first at each position, in text order."""
    pattern, owner = _pattern(ont)
    return [AliasMatch(m.start(), m.end(), owner[m.group(0)]) for m in pattern.finditer(text)]


def model_version(ont: Ontology) -> str:
    return f"counterclaim-aliases-{ont.version}"


def propose_aliases(text: str, ont: Ontology) -> ScoredAnnotation:
    """Actor mentions from the registry's aliases, each with its canonical actor and its type's confidence."""
    mentions, confidence = [], {}
    for i, match in enumerate(find_actor_mentions(text, ont)):
        mid = f"pre{i}"
        span = {"start": match.start, "end": match.end, "text": text[match.start:match.end]}
        mentions.append({"id": mid, "span": span, "actor": match.actor, "type": None})
        confidence[mid] = ALIAS_CONFIDENCE.get(ont.actor_by_id[match.actor].type, UNMEASURED_CONFIDENCE)
    return ScoredAnnotation({"mentions": mentions, "events": [], "claims": []}, confidence, model_version(ont))


def prediction_for(text: str, ont: Ontology) -> dict:
    """The alias matcher's prediction for a text."""
    return prediction(text, propose_aliases(text, ont), ont)
