"""Shared paths and small helpers for the tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALDATA = SHARED / "realdata"
EXAMPLE_ID = "17a8eb7dc5290d52"
# A document with an astral character before every span, added to scratch projects (tests/conftest.py).
EMOJI_DOC_ID = "emoji0001"
EMOJI_TEXT_BODY = (
    "😀 Moscow said on 30 September that Russian jets hit 55 targets near Palmyra, part of a campaign of "
    "between 10 and 20 strikes since September 30. SOHR, cited by AFP, said 12 civilians died. The ministry "
    "denied it. This war is a disaster."
)
EXAMPLE_JSON = REPO / "schema" / "examples" / f"{EXAMPLE_ID}.json"
EXAMPLE_YAML = REPO / "schema" / "examples" / f"{EXAMPLE_ID}.yaml"


def load_example() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


def mutated(doc: dict, fn) -> dict:
    """A deep copy of ``doc`` changed by ``fn`` (which mutates in place)."""
    out = copy.deepcopy(doc)
    fn(out)
    return out
