"""Where a counterclaim project keeps its parts: every folder and file name, declared once.

A project folder holds ``corpus/``, ``schema/``, ``guidelines/`` and ``export/``. Commands run from the
project folder or any folder below it; ``--project`` or ``COUNTERCLAIM_PROJECT`` name it explicitly.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

# -- names inside a project ----------------------------------------------------------------------------------
CORPUS_DIR = "corpus"
RAW_DIR = "raw"  # corpus/raw: the sources, byte for byte
RAW_INPUT_SUFFIX = ".input.json"  # corpus/raw/<stem>.input.json: a large input recorded by name, size and sha256
CHANGES_DIR = "changes"  # corpus/changes/<section>.jsonl: change lists too long for CHANGELOG.md
DOCUMENTS_FILE = "documents.jsonl"  # corpus/documents.jsonl: the normalised documents
MANIFEST_FILE = "manifest.json"  # corpus/manifest.json: name, version, checksums
CHANGELOG_FILE = "CHANGELOG.md"  # corpus/CHANGELOG.md
ANNOTATIONS_DIR = "annotations"  # corpus/annotations/<doc_id>.json: annotated documents
GOLD_DIR = "gold"  # corpus/gold/<doc_id>.yaml: gold annotations in quote-based authoring form
SILVER_DIR = "silver"  # corpus/silver/: machine (silver) annotations of every document, apart from the gold
SILVER_DOCUMENTS_FILE = "documents.jsonl"  # corpus/silver/documents.jsonl: one annotated document per line
SILVER_MANIFEST_FILE = "manifest.json"  # corpus/silver/manifest.json: engine, inputs, checksum, measured scores
DRAFT_EVALUATION_FILE = "draft-evaluation.json"  # corpus/gold/draft-evaluation.json: the drafts against the gold
RELEASES_DIR = "releases"  # corpus/releases/<version>.json: release snapshots
CARD_CHOICES_FILE = "card.yaml"  # corpus/card.yaml: choices for the dataset card
ADJUDICATION_DIR = "adjudication"  # corpus/adjudication/
REVIEW_FILE = "review.jsonl"  # corpus/adjudication/review.jsonl: disagreements for an adjudicator
AGREEMENT_FILE = "agreement.json"  # corpus/adjudication/agreement.json: `counterclaim agreement --save` (the card's)
AGREEMENT_REPORT_FILE = "AGREEMENT.md"  # corpus/adjudication/AGREEMENT.md: the same as a text table
SCHEMA_DIR = "schema"
ONTOLOGY_FILE = "ontology.yaml"  # schema/ontology.yaml: the single source of truth
GUIDELINES_DIR = "guidelines"
GUIDELINES_FILE = "guidelines.md"
EXPORT_DIR = "export"
POOL_DIR = "pool"  # pool/: the article pool (git-ignored; see counterclaim.pool.store)
STATE_DIR = ".counterclaim"  # git-ignored local state
CREDENTIALS_FILE = "credentials.json"  # .counterclaim/credentials.json
SNAPSHOTS_DIR = "snapshots"  # .counterclaim/snapshots: raw Label Studio exports
PULL_REPORT_FILE = "pull-report.json"  # .counterclaim/pull-report.json
LOCK_FILE = "lock"  # .counterclaim/lock: who runs a command on this project now (io/transaction.py)
TRANSACTIONS_DIR = "tx"  # .counterclaim/tx: records of the transactions under way (io/transaction.py)
PUSHED_DIR = "pushed"  # .counterclaim/pushed/<server and project>.json: what studio push put there (studio/pushed.py)

# The checkout this package was installed from (editable installs): used when no project folder is found.
_SOURCE_ROOT = Path(__file__).resolve().parents[3]


def annotation_file_name(doc_id: str) -> str:
    """The file of a document's annotations in ``corpus/annotations/``."""
    return f"{doc_id}.json"


def pushed_record_name(server: str, project_id: int) -> str:
    """The file in ``.counterclaim/pushed/`` of the tasks pushed to one project of one server (its URL hashed: an URL
    is no file name)."""
    digest = hashlib.sha256(server.encode("utf-8")).hexdigest()[:16]
    return f"project-{int(project_id)}-{digest}.json"


def _looks_like_project(path: Path) -> bool:
    return (path / SCHEMA_DIR / ONTOLOGY_FILE).is_file()


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

    @classmethod
    def around(cls, path: str | os.PathLike) -> "Layout":
        """The project holding ``path``: the nearest folder above it with ``schema/ontology.yaml``, else the
        folder that holds ``path`` (where a corpus folder outside any project keeps its local state)."""
        path = Path(path).absolute()
        for candidate in path.parents:
            if _looks_like_project(candidate):
                return cls(candidate)
        return cls(path.parent)

    @property
    def lock_path(self) -> Path:
        """The lock that serializes commands on this project (see :mod:`counterclaim.io.transaction`)."""
        return self.state_dir / LOCK_FILE

    @property
    def corpus_dir(self) -> Path:
        return self.root / CORPUS_DIR

    @property
    def documents_path(self) -> Path:
        return self.corpus_dir / DOCUMENTS_FILE

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / MANIFEST_FILE

    @property
    def annotations_dir(self) -> Path:
        return self.corpus_dir / ANNOTATIONS_DIR

    @property
    def gold_dir(self) -> Path:
        return self.corpus_dir / GOLD_DIR

    @property
    def silver_dir(self) -> Path:
        return self.corpus_dir / SILVER_DIR

    @property
    def silver_documents_path(self) -> Path:
        return self.silver_dir / SILVER_DOCUMENTS_FILE

    @property
    def silver_manifest_path(self) -> Path:
        return self.silver_dir / SILVER_MANIFEST_FILE

    @property
    def draft_evaluation_path(self) -> Path:
        return self.gold_dir / DRAFT_EVALUATION_FILE

    @property
    def releases_dir(self) -> Path:
        return self.corpus_dir / RELEASES_DIR

    @property
    def adjudication_dir(self) -> Path:
        return self.corpus_dir / ADJUDICATION_DIR

    @property
    def review_path(self) -> Path:
        return self.adjudication_dir / REVIEW_FILE

    @property
    def agreement_path(self) -> Path:
        return self.adjudication_dir / AGREEMENT_FILE

    @property
    def agreement_report_path(self) -> Path:
        return self.adjudication_dir / AGREEMENT_REPORT_FILE

    @property
    def card_choices_path(self) -> Path:
        return self.corpus_dir / CARD_CHOICES_FILE

    @property
    def schema_dir(self) -> Path:
        own = self.root / SCHEMA_DIR
        if (own / ONTOLOGY_FILE).is_file():
            return own
        return _SOURCE_ROOT / SCHEMA_DIR

    @property
    def ontology_path(self) -> Path:
        return self.schema_dir / ONTOLOGY_FILE

    @property
    def guidelines_dir(self) -> Path:
        return self.root / GUIDELINES_DIR

    @property
    def export_dir(self) -> Path:
        return self.root / EXPORT_DIR

    @property
    def pool_dir(self) -> Path:
        return self.root / POOL_DIR

    @property
    def state_dir(self) -> Path:
        """Git-ignored local state: the embedded Label Studio's data, credentials, raw snapshots."""
        return self.root / STATE_DIR

    @property
    def credentials_path(self) -> Path:
        return self.state_dir / CREDENTIALS_FILE

    @property
    def snapshots_dir(self) -> Path:
        return self.state_dir / SNAPSHOTS_DIR

    @property
    def pull_report_path(self) -> Path:
        return self.state_dir / PULL_REPORT_FILE

    @property
    def pushed_dir(self) -> Path:
        return self.state_dir / PUSHED_DIR

    def pushed_record_path(self, server: str, project_id: int) -> Path:
        return self.pushed_dir / pushed_record_name(server, project_id)

    def annotation_path(self, doc_id: str) -> Path:
        return self.annotations_dir / annotation_file_name(doc_id)
