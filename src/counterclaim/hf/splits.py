"""Train/validation/test assignment by document, with a salted hash.

A document's split depends only on the salt and its ``doc_id``: adding documents never moves another one,
and every row of every config derived from a document lands in that document's split, so no config leaks
across splits. The salt and the resulting assignment are written into the dataset card.
"""

from __future__ import annotations

import hashlib

# Chosen once, for release 0.1.0, and never to change: the first of counterclaim-splits-1, -2, ... that
# gives each split at least one of the five seed articles. Changing it would move documents across splits.
SALT = "counterclaim-splits-2"
SPLITS = ("train", "validation", "test")
# Cumulative shares out of 100 buckets.
BOUNDARIES = (("train", 80), ("validation", 90), ("test", 100))


def bucket(doc_id: str, salt: str = SALT) -> int:
    """0..99 from the first 8 bytes of sha256(salt + ":" + doc_id)."""
    digest = hashlib.sha256(f"{salt}:{doc_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def split_of(doc_id: str, salt: str = SALT) -> str:
    b = bucket(doc_id, salt)
    for name, upper in BOUNDARIES:
        if b < upper:
            return name
    raise AssertionError(b)
