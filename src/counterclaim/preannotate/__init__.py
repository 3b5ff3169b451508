"""Rule-based pre-annotation: proposed actor mentions, quantities, events, claims and their links for a
document, in the annotation schema, so annotators confirm and correct rather than start from nothing.

``propose(text, ontology, corpus_version=...)`` runs spaCy's rule machinery on ``spacy.blank("en")`` (the
pipeline is built once per ontology) and returns a :class:`Proposal`: the schema's annotation item
(``origin: prediction``, annotator and tool ``counterclaim-preannotate``, version :data:`ENGINE_VERSION`) and,
for every object and link, the rule that produced it and that rule's confidence (:data:`RULES`). The word
lists the rules use are in :mod:`~counterclaim.preannotate.lexicon`, keyed by the ontology's ids and checked
against it (:func:`lexicon_problems`). Modules, in the order the engine runs them: ``pipeline``,
``mentions``, ``timeplace``, ``quantities``, ``events``, ``claims``, ``links``, then ``engine`` assembles.

The rules follow the decision rules of guidelines 0.2.0 (``guidelines/guidelines.md``, R1–R35); module and
function docstrings name the rule each one encodes. Where the guidelines decide (unnamed sources and joint
claimants, the medium as ``reported_via``, titles and job descriptions, nationality adjectives, purposes and
aggregates...), the engine follows them; where they leave a judgement to the annotator, the engine proposes and
the rule's confidence says how often that proposal was right.

``evaluate(gold_docs, predicted, ontology=...)`` scores proposals against gold annotations with the matching
of :mod:`counterclaim.quality.agreement`; ``format_evaluation`` renders the result as tables.

Development and held-out documents
    The rules were written and tuned on three of the five seed articles only — those the corpus release
    assigns to its train split: ``01c6e4c94616b3f2``, ``17a8eb7dc5290d52`` and ``65e93feecc888cc5``
    (:data:`DEV_DOCS`). The other two, ``b9349cabdf37dc18`` (release split: test) and ``f7adc2e7615265e7``
    (validation), were not read while writing rules and are only scored (:data:`HELDOUT_DOCS`); report their
    scores separately, as the honest estimate on unseen articles. The guidelines quote examples from every
    seed, held-out ones included; rules that encode a guideline's decision are guideline rules, not tuning.
    Rule confidences are measured on the development documents only (:func:`measured_confidences`).
"""

from counterclaim.preannotate.engine import ANNOTATOR, ENGINE_VERSION, Evidence, LinkEvidence, Proposal, propose
from counterclaim.preannotate.errors import EvaluationError, LexiconError, PreannotateError, UnknownSplitError
from counterclaim.preannotate.evaluate import (
    AttributeScore,
    EvaluationResult,
    LayerScore,
    LinkScore,
    RuleScore,
    evaluate,
    measured_confidences,
)
from counterclaim.preannotate.lexicon import lexicon_problems
from counterclaim.preannotate.report import format_evaluation
from counterclaim.preannotate.rules import RULES, Rule, calibrated_confidence
from counterclaim.preannotate.splits import DEV_DOCS, HELDOUT_DOCS, SPLITS, split_ids

__all__ = [
    "ANNOTATOR", "ENGINE_VERSION", "Evidence", "LinkEvidence", "Proposal", "propose",
    "EvaluationError", "LexiconError", "PreannotateError", "UnknownSplitError",
    "AttributeScore", "EvaluationResult", "LayerScore", "LinkScore", "RuleScore", "evaluate", "measured_confidences",
    "lexicon_problems", "format_evaluation", "RULES", "Rule", "calibrated_confidence",
    "DEV_DOCS", "HELDOUT_DOCS", "SPLITS", "split_ids",
]
