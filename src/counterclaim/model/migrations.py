"""Migrations of annotated documents from one ontology (schema) version to the next.

Each step is a pure function of a document written under one version that returns it under the next; a
document is migrated by applying the steps in order. ``provenance.schema_version`` of each annotation keeps
the version the annotation was *made* under; only the document's ``schema_version`` (the version it follows
now) changes.

- 0.1.0 → 0.2.0: additive — claimant kind ``unnamed`` and the optional ``co_claimants`` list are new; every
  0.1.0 document is a valid 0.2.0 document once its ``schema_version`` says so.
"""

from __future__ import annotations

from typing import Callable

from counterclaim.errors import CounterclaimError


class MigrationError(CounterclaimError):
    """A document's schema version has no migration path to the current one."""


def _additive(doc: dict) -> dict:
    return doc


# from version -> (to version, step)
STEPS: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "0.1.0": ("0.2.0", _additive),
}


def migrate(doc: dict, to_version: str) -> dict:
    """``doc`` migrated to ``to_version`` (the same object when it is already there)."""
    version = doc.get("schema_version")
    while version != to_version:
        if version not in STEPS:
            raise MigrationError(f"no migration from schema version {version!r} to {to_version}; known steps: "
                                 + ", ".join(f"{a} → {b}" for a, (b, _) in STEPS.items()))
        version, step = STEPS[version]
        doc = {**step(doc), "schema_version": version}
    return doc
