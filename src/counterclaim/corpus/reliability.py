"""A reliability map (FakeNewsCorpus ``websites.csv``: domain -> type) and how it fills a record's reliability.

Shared by ``corpus add`` (which fills rows that have no reliability of their own) and the raw store's readers
(which fill them again, the same way, from what was recorded: a ``_source`` note of a stored record, or the
domains a referenced input used).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from counterclaim.errors import InputError
from counterclaim.io.jsonio import open_input


def domain_key(domain: str) -> str:
    """A domain as the map is keyed: lower case, without ``www.``."""
    domain = domain.strip().lower()
    return domain[4:] if domain.startswith("www.") else domain


def load_reliability_map(path: Path) -> dict[str, str]:
    """Domain -> reliability type from a FakeNewsCorpus ``websites.csv`` (columns ``url`` and ``type``).

    Domains are matched case-insensitively, with and without ``www.``. A domain listed with different types
    is left out: the map cannot say which one applies.
    """
    path = Path(path)
    try:
        with io.TextIOWrapper(open_input(path), encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    if rows and not {"url", "type"} <= set(rows[0]):
        raise InputError(f"{path}: a reliability map needs the columns 'url' (the domain) and 'type'")
    seen: dict[str, set[str]] = {}
    for row in rows:
        if row.get("url") and row.get("type"):
            seen.setdefault(domain_key(row["url"]), set()).add(row["type"].strip())
    return {domain: next(iter(types)) for domain, types in seen.items() if len(types) == 1}


def reliability_from_map(metadata: dict[str, Any], mapping: dict[str, str]) -> str | None:
    """The reliability the map gives a record with this metadata, or None: a record with a reliability of its
    own, or without a domain, or whose domain the map does not know, keeps what it has."""
    if metadata.get("reliability") or not metadata.get("domain"):
        return None
    return mapping.get(domain_key(metadata["domain"]))
