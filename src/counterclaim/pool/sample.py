"""Deterministic, stratified samples.

A document's place in the draw is ``sha256(seed + ":" + doc_id)`` (hex): the same seed draws the same
documents whatever the engine, the file layout or the order of ingests, and a document's chance does not
depend on which other documents are in the pool. A sample of N takes, from each stratum, the documents first
in that order; the stratum's share of N is proportional to its size, by largest remainder (Hamilton's
method; equal remainders go to strata in name order). ``per_stratum`` takes the same number from each.
"""

from __future__ import annotations

from fractions import Fraction


def proportional_quotas(sizes: dict[str, int], total: int) -> dict[str, int]:
    """How many documents each stratum gives to a sample of ``total``; a stratum never gives more than it has."""
    available = sum(sizes.values())
    if total >= available:
        return dict(sizes)
    exact = {name: Fraction(total * size, available) for name, size in sizes.items()}
    quotas = {name: int(share) for name, share in exact.items()}
    left = total - sum(quotas.values())
    by_remainder = sorted(sizes, key=lambda name: (-(exact[name] - quotas[name]), name))
    for name in by_remainder[:left]:
        quotas[name] += 1
    return quotas


def equal_quotas(sizes: dict[str, int], each: int) -> dict[str, int]:
    return {name: min(size, each) for name, size in sizes.items()}


def draw_key(dialect, seed: str) -> str:
    """The SQL expression ordering documents in the draw of ``seed``."""
    return dialect.sha256_hex(f"concat({dialect.string(seed + ':')}, doc_id)")
