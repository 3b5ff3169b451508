"""The pool's own errors."""

from __future__ import annotations

from counterclaim.errors import CounterclaimError


class PoolError(CounterclaimError):
    """The pool folder is missing, inconsistent or busy, or a request on it cannot be met."""


class EngineUnavailable(PoolError):
    """The engine asked for is not installed (e.g. ``pyspark`` without the ``[spark]`` extra)."""
