"""Where a counterclaim project keeps its parts.

A project folder holds ``corpus/``, ``schema/``, ``guidelines/`` and ``export/``. Commands run from the
project folder or any folder below it; ``--project`` or ``COUNTERCLAIM_PROJECT`` name it explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The checkout this package was installed from (editable installs): used when no project folder is found.
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def _looks_like_project(path: Path) -> bool:
    return (path / "schema" / "ontology.yaml").is_file()


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def discover(cls, explicit: str | os.PathLike | None = None) -> "Layout":
        if explicit is None:
            explicit = os.environ.get("COUNTERCLAIM_PROJECT") or None
        if explicit is not None:
            return cls(Path(explicit).resolve())
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if _looks_like_project(candidate):
                return cls(candidate)
        return cls(here)

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def schema_dir(self) -> Path:
        own = self.root / "schema"
        if (own / "ontology.yaml").is_file():
            return own
        return _SOURCE_ROOT / "schema"

    @property
    def annotations_dir(self) -> Path:
        return self.corpus_dir / "annotations"

    @property
    def guidelines_dir(self) -> Path:
        return self.root / "guidelines"

    @property
    def export_dir(self) -> Path:
        return self.root / "export"

    @property
    def state_dir(self) -> Path:
        """Git-ignored local state: the embedded Label Studio's data, credentials, raw snapshots."""
        return self.root / ".counterclaim"
