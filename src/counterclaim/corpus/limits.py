"""The sizes at which the corpus changes how it records itself, declared once.

A small corpus keeps everything in plain sight: ``manifest.json`` lists every document's hashes,
``CHANGELOG.md`` lists every added, re-texted or removed id with its title, and ``raw/`` holds a copy of every
input. At tens of thousands of documents those files grow to megabytes that nobody reads, so beyond these limits:

- ``manifest_documents``: with more documents than this, the manifest keeps one digest and count per shard of
  the ids (:mod:`counterclaim.corpus.manifest`) instead of an entry per document;
- ``changelog_ids``: a change list (the documents added, re-texted or removed in one changelog section) longer
  than this is summarised in ``CHANGELOG.md`` — counts by source and outlet, the first ids — and listed in full
  in ``corpus/changes/<section>.jsonl`` (:mod:`counterclaim.corpus.changelog`);
- ``raw_copy_bytes``: a ``.jsonl`` or ``.csv`` input larger than this is not copied into ``raw/`` but recorded
  there by name, size and sha256 (:mod:`counterclaim.corpus.references`); the build reads it from a folder the
  user names (``--raw-from``).

Changing a limit changes the form of the files a build writes, never the ids or the documents.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Where the corpus switches from listing to summarising (see the module docstring)."""

    manifest_documents: int = 5_000
    changelog_ids: int = 1_000
    raw_copy_bytes: int = 50 * 2**20

    def __post_init__(self) -> None:
        for name in ("manifest_documents", "changelog_ids", "raw_copy_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Limits.{name} must be a whole number >= 0, not {value!r}")


DEFAULT_LIMITS = Limits()
