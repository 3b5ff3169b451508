"""The development and held-out documents of the seed corpus (see the package docstring)."""

from __future__ import annotations

from counterclaim.preannotate.errors import UnknownSplitError

# The seeds the corpus release puts in its train split are where rules are written and tuned; the two in its
# validation and test splits are held out and only scored.
DEV_DOCS: tuple[str, ...] = ("01c6e4c94616b3f2", "17a8eb7dc5290d52", "65e93feecc888cc5")
HELDOUT_DOCS: tuple[str, ...] = ("b9349cabdf37dc18", "f7adc2e7615265e7")
SPLITS: dict[str, tuple[str, ...]] = {"dev": DEV_DOCS, "heldout": HELDOUT_DOCS, "all": DEV_DOCS + HELDOUT_DOCS}


def split_ids(name: str) -> tuple[str, ...]:
    """The document ids of a split: ``dev``, ``heldout`` or ``all``."""
    if name not in SPLITS:
        raise UnknownSplitError(f"unknown split `{name}`; use one of: {', '.join(SPLITS)}")
    return SPLITS[name]
