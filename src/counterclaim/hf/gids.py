"""Global ids: ``<doc_id>:<local id>``, unique across the whole dataset, so joins between configs are single-key.

Local ids (``m1``, ``e1``, ``c1``, ``q1``) are unique only within one annotation of one document. A document
id never contains ``:`` (:data:`counterclaim.corpus.ids.ID_PATTERN`), so the first ``:`` of a global id
separates the two parts even when a local id contains one. Sentences have no local id: sentence ``k`` of a
document (0 is the headline) is ``<doc_id>:s<k>``.
"""

from __future__ import annotations

from typing import Iterable

SEPARATOR = ":"


def gid(doc_id: str, local: str | None) -> str | None:
    """The global id of a document's object ``local`` (None stays None)."""
    return None if local is None else f"{doc_id}{SEPARATOR}{local}"


def gids(doc_id: str, locals_: Iterable[str]) -> list[str]:
    return [f"{doc_id}{SEPARATOR}{local}" for local in locals_]


def sentence_gid(doc_id: str, index: int) -> str:
    """The global id of sentence ``index`` of a document (0 is the headline)."""
    return f"{doc_id}{SEPARATOR}s{index}"


def split_gid(global_id: str) -> tuple[str, str]:
    """``(doc_id, local id)`` of a global id."""
    doc_id, sep, local = global_id.partition(SEPARATOR)
    if not sep or not doc_id or not local:
        raise ValueError(f"{global_id!r} is not a global id (<doc_id>{SEPARATOR}<local id>)")
    return doc_id, local
