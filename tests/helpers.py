"""Shared paths and small helpers for the tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALDATA = SHARED / "realdata"
EXAMPLE_ID = "17a8eb7dc5290d52"
EXAMPLE_JSON = REPO / "schema" / "examples" / f"{EXAMPLE_ID}.json"
EXAMPLE_YAML = REPO / "schema" / "examples" / f"{EXAMPLE_ID}.yaml"


def load_example() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


def mutated(doc: dict, fn) -> dict:
    """A deep copy of ``doc`` changed by ``fn`` (which mutates in place)."""
    out = copy.deepcopy(doc)
    fn(out)
    return out
