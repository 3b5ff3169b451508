"""Train every baseline on the gold train split, annotate the test split, score it with the official metric, and
write the predictions and the scores (``baselines/`` in the project), which ``counterclaim export`` puts into
the dataset card.

Written files:

- ``baselines/predictions/<system>/<doc_id>.json``: each test document's prediction (an annotated document),
  so ``counterclaim evaluate corpus/annotations baselines/predictions/<system> --split test`` gives the full
  per-label tables;
- ``baselines/results.json``: the headline scores of every system (or why it was skipped), the documents of
  each split, and the digest of the gold annotations they were computed from (the card says when they are
  stale).

Deterministic: the same gold gives the same bytes (CRF L-BFGS and liblinear with fixed seeds, sorted output).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from counterclaim.baselines.data import GoldDocument, load_gold
from counterclaim.baselines.systems import BASELINES, Skipped, predicted_document
from counterclaim.errors import CounterclaimError
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import Ontology
from counterclaim.quality.evaluate import EvaluationResult, evaluate

RESULTS_FILE = "results.json"
PREDICTIONS_DIR = "predictions"
TRAIN, TEST = "train", "test"
PACKAGES = ("python-crfsuite", "scikit-learn", "spacy")


class BaselineError(CounterclaimError):
    """The baselines cannot be trained or scored (no gold in a split, a missing package)."""


def baselines_dir(layout: Layout) -> Path:
    return Path(layout.root) / "baselines"


def gold_digest(documents: list[GoldDocument]) -> str:
    """sha256 over the gold documents' ids, splits and gold annotations (what the scores depend on)."""
    digest = hashlib.sha256()
    for d in documents:
        digest.update(jsonio.dumps({"doc_id": d.doc["doc_id"], "split": d.split, "gold": d.gold}).encode("utf-8"))
    return digest.hexdigest()


def headline(result: EvaluationResult) -> dict[str, float | None]:
    """The scores the card shows (all on the test split, gold as reference)."""
    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 4)
    return {
        "mention_exact_f1": r(result.span("mention").total.exact.f1),
        "mention_overlap_f1": r(result.span("mention").total.overlap.f1),
        "trigger_exact_f1": r(result.span("event").total.exact.f1),
        "trigger_overlap_f1": r(result.span("event").total.overlap.f1),
        "event_type_accuracy": r(result.attribute("event", "type").accuracy),
        "event_realis_accuracy": r(result.attribute("event", "realis").accuracy),
        "claim_exact_f1": r(result.span("claim").total.exact.f1),
        "claim_overlap_f1": r(result.span("claim").total.overlap.f1),
        "cue_exact_f1": r(result.span("cue").total.exact.f1),
        "claimant_accuracy": r(result.attribute("claim", "claimant").accuracy),
        "argument_exact_f1": r(result.relation("arguments").total.exact.f1),
        "link_exact_f1": r(result.relation("links").total.exact.f1),
    }


@dataclass
class BaselineReport:
    out_dir: Path
    results: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"out_dir": str(self.out_dir), **self.results}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def run_baselines(layout: Layout, ont: Ontology, *, out_dir: Path | None = None) -> BaselineReport:
    """Train, predict, score and write (see the module docstring)."""
    out_dir = Path(out_dir or baselines_dir(layout))
    documents, corpus_version = load_gold(layout, ont)
    train = [d for d in documents if d.split == TRAIN]
    test = [d for d in documents if d.split == TEST]
    for name, docs in ((TRAIN, train), (TEST, test)):
        if not docs:
            raise BaselineError(f"no gold document in the {name} split; annotate more documents before training "
                                "baselines")
    systems = []
    predictions_root = out_dir / PREDICTIONS_DIR
    if predictions_root.exists():
        shutil.rmtree(predictions_root)
    for baseline in BASELINES:
        entry = {"name": baseline.name, "description": baseline.description, "layers": list(baseline.layers)}
        try:
            annotate = baseline.build(train, ont)
        except Skipped as exc:
            systems.append({**entry, "status": "skipped", "reason": str(exc)})
            continue
        except ImportError as exc:
            raise BaselineError(f"baseline {baseline.name} needs {exc.name}: install the baselines extra "
                                "(pip install -e '.[baselines]' -c constraints.txt)") from None
        predicted = [predicted_document(d, annotate(d), system=baseline.name, ont=ont, corpus_version=corpus_version)
                     for d in test]
        folder = predictions_root / baseline.name
        folder.mkdir(parents=True, exist_ok=True)
        for doc in predicted:
            jsonio.write_json(folder / f"{doc['doc_id']}.json", doc, durable=False)
        result = evaluate([d.annotated for d in test], predicted, ontology=ont)
        systems.append({**entry, "status": "ok", "scores": headline(result)})
    results = {
        "command": "counterclaim baselines run",
        "corpus_version": corpus_version,
        "gold_sha256": gold_digest(documents),
        "splits": {TRAIN: [d.doc["doc_id"] for d in train], TEST: [d.doc["doc_id"] for d in test]},
        "test_counts": {
            "mentions": sum(len(d.gold["mentions"]) for d in test),
            "events": sum(len(d.gold["events"]) for d in test),
            "claims": sum(len(d.gold["claims"]) for d in test),
        },
        "packages": {p: _version(p) for p in PACKAGES},
        "systems": systems,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    jsonio.write_json(out_dir / RESULTS_FILE, results)
    return BaselineReport(out_dir, results)
