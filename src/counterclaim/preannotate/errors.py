"""The pre-annotation engine's own errors; each message says how to fix the problem."""

from __future__ import annotations

from counterclaim.errors import CounterclaimError


class PreannotateError(CounterclaimError):
    """Base class of the pre-annotation engine's errors."""


class LexiconError(PreannotateError):
    """The engine's lexicon names an event type, mode, role, measurand or actor the ontology lacks."""


class EvaluationError(PreannotateError):
    """Gold and predicted annotations cannot be compared (no gold annotation, a missing prediction...)."""


class UnknownSplitError(PreannotateError):
    """A split name other than the ones the engine defines."""
