"""Document ids: taken from the source where it has one, otherwise from the normalised text.

An id never depends on file order or on which other documents exist, so adding documents never changes an
existing id.
"""

from __future__ import annotations

import re

from counterclaim.io.jsonio import sha256_text

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CONTENT_ID_LENGTH = 16

# Seed files: ``000_17a8eb7dc5290d52.txt`` -> ``17a8eb7dc5290d52``.
_SEED_NAME = re.compile(r"\d+_([0-9a-f]+)\.txt")


def id_from_filename(name: str) -> str | None:
    """The hex after the underscore of an ``NNN_<hex>.txt`` file name, or None for any other name."""
    match = _SEED_NAME.fullmatch(name)
    return match.group(1) if match else None


def content_id(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of the normalised text."""
    return sha256_text(text)[:CONTENT_ID_LENGTH]


def id_problem(doc_id: str) -> str | None:
    """None for a usable id, else the reason it is not one."""
    if ID_PATTERN.fullmatch(doc_id):
        return None
    return f"invalid id {doc_id!r}: ids must match ^{ID_PATTERN.pattern}$"
