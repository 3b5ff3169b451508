"""The stored silver annotations as other packages read them, and whether they are current.

``corpus/silver/documents.jsonl`` holds one annotated document per corpus document, sorted by ``doc_id``, one
line each in canonical JSON; its single annotation is the engine's (``origin: prediction``, annotator and tool
``counterclaim-preannotate`` with the engine's version). ``corpus/silver/manifest.json`` says what it was built
from (:data:`INPUT_KEYS`), its sha256 and document count, and how well the engine scored against the gold.

**Current** means that building now would give the same annotations: the engine version, the ontology file and
the corpus texts (every document id with its text hash) are those the manifest records, and the JSONL file is
the one the manifest describes (its sha256). The corpus *version* is recorded but not compared: like a gold
annotation, a silver one names the corpus version it was made against and stays valid while the texts do not
change (a release that changes no text leaves it current). The manifest's **scores** are current when the
annotated documents in ``corpus/annotations/`` are those they were measured against (``scores.gold_sha256``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from counterclaim.errors import CorpusError
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout, SILVER_DOCUMENTS_FILE, SILVER_MANIFEST_FILE
from counterclaim.io.transaction import DISK, DiskView
from counterclaim.model.schema import INTEGER_KEYS

BUILD_HINT = "run `counterclaim silver build`"
MACHINE_ORIGIN = "prediction"  # the provenance origin of every silver annotation
# What the annotations are a function of: manifest["inputs"][key], compared by `silver check`.
INPUT_KEYS = ("engine_version", "ontology_sha256", "corpus_texts_sha256")
INPUT_WORDS = {"engine_version": "the engine version", "ontology_sha256": "the ontology (schema/ontology.yaml)",
               "corpus_texts_sha256": "the corpus documents or their texts"}


class SilverError(CorpusError):
    """The stored silver annotations are missing, do not match the corpus, or do not match their manifest."""


def texts_digest(documents: Iterable[dict]) -> str:
    """The sha256 of every ``doc_id`` with its ``text_sha256``, one per line, in the order given (``doc_id``)."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(f"{doc['doc_id']}\t{doc['text_sha256']}\n".encode("utf-8"))
    return digest.hexdigest()


def gold_digest(layout: Layout, view: DiskView = DISK) -> str:
    """The sha256 of the annotated documents' file names and hashes: the gold the scores were measured on."""
    digest = hashlib.sha256()
    for name in view.listdir(layout.annotations_dir):
        seen = view.view(layout.annotations_dir / name)
        if name.endswith(".json") and seen is not None and seen.is_file():
            digest.update(f"{name}\t{jsonio.sha256_file(seen)}\n".encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class SilverStore:
    """A ``corpus/silver/`` folder; ``view`` shows it as a transaction will leave it."""

    silver_dir: Path
    view: DiskView = field(default=DISK, compare=False, repr=False)

    @classmethod
    def open_if_built(cls, layout: Layout, view: DiskView = DISK) -> "SilverStore | None":
        """The project's stored silver, or None when it has none (no manifest)."""
        store = cls(layout.silver_dir, view)
        return store if _exists(store.manifest_path) else None

    @classmethod
    def open(cls, layout: Layout, view: DiskView = DISK) -> "SilverStore":
        store = cls.open_if_built(layout, view)
        if store is None:
            raise SilverError(f"{layout.silver_dir}: no silver annotations ({SILVER_MANIFEST_FILE}); {BUILD_HINT}")
        return store

    @property
    def documents_path(self) -> Path | None:
        return self.view.view(self.silver_dir / SILVER_DOCUMENTS_FILE)

    @property
    def manifest_path(self) -> Path | None:
        return self.view.view(self.silver_dir / SILVER_MANIFEST_FILE)

    def manifest(self) -> dict[str, Any]:
        manifest = jsonio.read_json(self.manifest_path)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), dict):
            raise SilverError(f"{self.manifest_path}: not a silver manifest (no 'inputs'); {BUILD_HINT}")
        return manifest

    def file_problem(self, manifest: dict) -> str | None:
        """Why ``documents.jsonl`` is not the file ``manifest`` describes, or None."""
        path = self.documents_path
        if not _exists(path):
            return f"{self.silver_dir / SILVER_DOCUMENTS_FILE} is missing"
        if jsonio.sha256_file(path) != manifest.get("documents_sha256"):
            return (f"{self.silver_dir / SILVER_DOCUMENTS_FILE} is not the file its manifest describes (sha256 "
                    "differs: changed by hand?)")
        return None

    def documents(self) -> Iterator[tuple[int, dict]]:
        """``(line number, annotated document)`` in ``doc_id`` order, streamed."""
        return jsonio.iter_jsonl(self.documents_path, integers=INTEGER_KEYS)

    def follow(self) -> "Follower":
        """A reader that gives the silver document of each corpus document, asked for in ``doc_id`` order."""
        manifest = self.manifest()
        problem = self.file_problem(manifest)
        if problem:
            raise SilverError(f"{problem}; {BUILD_HINT}")
        return Follower(self.silver_dir / SILVER_DOCUMENTS_FILE, self.documents())


class Follower:
    """Walks the silver file beside the corpus (both sorted by ``doc_id``): one line per corpus document, made for
    its text. Memory holds one line, not the file."""

    def __init__(self, path: Path, lines: Iterator[tuple[int, dict]]):
        self.path = path
        self._lines = lines
        self.line = 0

    def of(self, doc: dict) -> dict:
        """The silver annotated document of corpus document ``doc`` (the next line)."""
        found = next(self._lines, None)
        if found is None:
            raise SilverError(f"{self.path}: ends before corpus document {doc['doc_id']}; {BUILD_HINT}")
        self.line, silver = found
        if not isinstance(silver, dict) or silver.get("doc_id") != doc["doc_id"] \
                or silver.get("text_sha256") != doc["text_sha256"]:
            held = silver.get("doc_id") if isinstance(silver, dict) else None
            raise SilverError(f"{self.path}:{self.line}: holds {held!r}, not corpus document {doc['doc_id']!r} "
                              f"with its text (the corpus changed since the silver was built); {BUILD_HINT}")
        return silver

    def annotation(self, silver: dict) -> dict:
        """The engine's annotation in ``silver`` (a document :meth:`of` gave): its one annotation, a prediction."""
        anns = silver.get("annotations") or []
        if len(anns) != 1 or (anns[0].get("provenance") or {}).get("origin") != MACHINE_ORIGIN:
            raise SilverError(f"{self.path}:{self.line}: a silver document holds exactly one annotation, of origin "
                              f"{MACHINE_ORIGIN!r} (the engine's); {BUILD_HINT}")
        return anns[0]

    def finish(self) -> None:
        """Check that no line is left over (the silver holds no document the corpus lacks)."""
        extra = next(self._lines, None)
        if extra is not None:
            lineno, silver = extra
            held = silver.get("doc_id") if isinstance(silver, dict) else None
            raise SilverError(f"{self.path}:{lineno}: document {held!r} is not in the corpus; {BUILD_HINT}")


@dataclass(frozen=True)
class SilverStatus:
    """Whether the stored silver is current (see the module docstring), and why not."""

    built: bool
    stale: tuple[str, ...]  # why the annotations are not current (empty: they are)
    scores_stale: bool  # the gold changed since the scores were measured
    manifest: dict | None

    @property
    def current(self) -> bool:
        return self.built and not self.stale and not self.scores_stale

    def to_dict(self) -> dict:
        manifest = self.manifest or {}
        return {"built": self.built, "current": self.current, "annotations_current": self.built and not self.stale,
                "scores_current": self.built and not self.scores_stale, "reasons": list(self.reasons),
                "engine": manifest.get("engine"), "inputs": manifest.get("inputs"),
                "document_count": manifest.get("document_count"),
                "documents_sha256": manifest.get("documents_sha256")}

    @property
    def reasons(self) -> list[str]:
        if not self.built:
            return ["no silver annotations are stored"]
        return [*self.stale, *(["the gold annotations changed since the scores were measured"]
                               if self.scores_stale else [])]


def current_inputs(layout: Layout, engine_version: str, documents: Iterable[dict], view: DiskView = DISK) -> dict:
    """The inputs the silver would be built from now (``documents``: the corpus, in ``doc_id`` order)."""
    return {"engine_version": engine_version, "ontology_sha256": jsonio.sha256_file(view.view(layout.ontology_path)),
            "corpus_texts_sha256": texts_digest(documents)}


def status(layout: Layout, engine_version: str, documents: Iterable[dict], view: DiskView = DISK) -> SilverStatus:
    """Compare the stored silver with what building now would use."""
    store = SilverStore.open_if_built(layout, view)
    if store is None:
        return SilverStatus(False, (), False, None)
    manifest = store.manifest()
    recorded, now = manifest["inputs"], current_inputs(layout, engine_version, documents, view)
    stale = []
    if recorded.get("engine_version") != now["engine_version"]:
        stale.append(f"built by engine {recorded.get('engine_version')}, the engine is now {engine_version}")
    stale += [f"{INPUT_WORDS[key]} changed since it was built" for key in INPUT_KEYS[1:]
              if recorded.get(key) != now[key]]
    problem = store.file_problem(manifest)
    if problem:
        stale.append(problem)
    scores = manifest.get("scores") or {}
    return SilverStatus(True, tuple(stale), scores.get("gold_sha256") != gold_digest(layout, view), manifest)


def _exists(path: Path | None) -> bool:
    return path is not None and path.exists()
