"""Cut a versioned release: checks, version bump, rebuilt export, changelog of what changed.

A release records a snapshot in ``corpus/releases/<version>.json`` — each document's text hash, each
annotation's content hash, and the ontology's closed label sets — so the next release can say what changed
since this one and how big a version step that needs:

- **major**: a closed label set changed other than by appending values (a value removed, renamed or
  reordered shifts the dataset's ClassLabel codes);
- **minor**: documents added, removed or re-texted; closed-set values appended; other ontology changes;
- **patch**: annotations added, changed or removed only.

`release` refuses to go backwards, to take a smaller step than the changes need, to release with validation
errors, to release from a stale ``export/`` (rebuild it and look at it first), and to release silver annotations
that the engine would no longer give (``corpus/silver/`` built by another engine version, for other texts or
another ontology: rebuild it with ``counterclaim silver build``). Everything a release writes
— the manifest, the changelog, ``export/`` and the snapshot — is one transaction
(:mod:`counterclaim.io.transaction`): a crash leaves the previous release or the new one, never half of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from counterclaim.io import jsonio
from counterclaim.corpus.build import build_corpus, parse_version, read_manifest
from counterclaim.errors import CorpusError, ValidationFailed, VersionError
from counterclaim.hf.export import STAMP, export_dataset, freshness_stamp
from counterclaim.model.ontology import Ontology
from counterclaim.io.layout import Layout
from counterclaim.io.transaction import Transaction, joined
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.preannotate import ENGINE_VERSION
from counterclaim.silver import BUILD_HINT, status as silver_status
from counterclaim.validation import validate_files

LEVELS = ("patch", "minor", "major")
BODY = ("mentions", "events", "claims", "cancelled", "ground_truth")


def take_snapshot(layout: Layout, ont: Ontology, version: str) -> dict:
    documents = BuiltCorpus.open(layout.corpus_dir).index()
    annotations: dict[str, dict[str, str]] = {}
    if layout.annotations_dir.exists():
        for path in sorted(layout.annotations_dir.glob("*.json")):
            doc = jsonio.read_json(path)
            annotations[doc["doc_id"]] = {
                a["id"]: jsonio.sha256_text(jsonio.dumps({k: a[k] for k in BODY})) for a in doc["annotations"]}
    return {"version": version, "ontology_version": ont.version, "documents": documents,
            "annotations": annotations, "closed_sets": {k: list(v) for k, v in sorted(ont.closed_sets().items())}}


def latest_release(layout: Layout) -> dict | None:
    folder = layout.releases_dir
    if not folder.exists():
        return None
    snapshots = [jsonio.read_json(p) for p in folder.glob("*.json")]
    return max(snapshots, key=lambda s: parse_version(s["version"]), default=None)


@dataclass
class Changes:
    documents: dict[str, list[str]] = field(default_factory=lambda: {"added": [], "changed": [], "removed": []})
    annotations: dict[str, list[str]] = field(default_factory=lambda: {"added": [], "changed": [], "removed": []})
    breaking_sets: dict[str, str] = field(default_factory=dict)
    extended_sets: dict[str, list[str]] = field(default_factory=dict)
    ontology: tuple[str | None, str] = (None, "")

    @property
    def required(self) -> str | None:
        if self.breaking_sets:
            return "major"
        if any(self.documents.values()) or self.extended_sets or self.ontology[0] != self.ontology[1]:
            return "minor"
        if any(self.annotations.values()):
            return "patch"
        return None


def _diff_keys(before: dict, after: dict) -> dict[str, list[str]]:
    return {"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
            "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k])}


def compare(previous: dict | None, current: dict) -> Changes:
    prev = previous or {"documents": {}, "annotations": {}, "closed_sets": {}, "ontology_version": None}
    changes = Changes(ontology=(prev["ontology_version"], current["ontology_version"]))
    changes.documents = _diff_keys(prev["documents"], current["documents"])
    flat = lambda snap: {f"{d}/{a}": h for d, anns in snap["annotations"].items() for a, h in anns.items()}  # noqa: E731
    changes.annotations = _diff_keys(flat(prev), flat(current))
    for name, values in current["closed_sets"].items():
        old = prev["closed_sets"].get(name)
        if old is None or old == values:
            continue
        if values[: len(old)] == old:
            changes.extended_sets[name] = values[len(old):]
        else:
            removed = [v for v in old if v not in values]
            changes.breaking_sets[name] = (f"removed {removed}" if removed else "reordered or renamed values")
    return changes


def step(old: str, new: str) -> str:
    a, b = parse_version(old), parse_version(new)
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"


def changelog_notes(changes: Changes, previous: dict | None, today: str) -> list[str]:
    since = f"release {previous['version']}" if previous else "the start (first release)"
    lines = [f"Released {today}. Changes since {since}:", ""]
    d, a = changes.documents, changes.annotations
    lines.append(f"- documents: {len(d['added'])} added, {len(d['changed'])} text changed, {len(d['removed'])} removed")
    lines.append(f"- annotations: {len(a['added'])} added, {len(a['changed'])} changed, {len(a['removed'])} removed"
                 + (f" ({', '.join(sorted({x.split('/')[0] for k in a.values() for x in k}))})" if any(a.values()) else ""))
    old, new = changes.ontology
    if old is None:
        lines.append(f"- schema: ontology {new} (first release)")
    elif old != new:
        lines.append(f"- schema: ontology {old} → {new}")
    else:
        lines.append(f"- schema: unchanged (ontology {new})")
    for name, added in sorted(changes.extended_sets.items()):
        lines.append(f"  - `{name}`: values added: {', '.join(added)}")
    for name, what in sorted(changes.breaking_sets.items()):
        lines.append(f"  - `{name}`: {what} (breaking: ClassLabel codes change)")
    return lines


@dataclass
class ReleaseReport:
    version: str
    previous: str | None
    changes: Changes
    notes: list[str]


def release(layout: Layout, ont: Ontology, version: str, *, today: str | None = None,
            tx: Transaction | None = None, raw_from: Iterable[str | Path] = ()) -> ReleaseReport:
    """Cut release ``version``; see the module docstring. In ``tx`` if given, else in a transaction of its own.
    ``raw_from``: the folders holding the inputs ``corpus/raw/`` refers to (the corpus is rebuilt)."""
    with joined(tx, layout.state_dir, "release") as tx:
        return _release(layout, ont, version, today, tx, raw_from)


def _release(layout: Layout, ont: Ontology, version: str, today: str | None, tx: Transaction,
             raw_from: Iterable[str | Path] = ()) -> ReleaseReport:
    manifest = read_manifest(layout.corpus_dir)
    if manifest is None:
        raise CorpusError(f"{layout.corpus_dir}: no built corpus; run `counterclaim corpus build` first")
    current = manifest["version"]
    parse_version(version)
    if parse_version(version) <= parse_version(current):
        raise VersionError(f"refusing to go backwards: {version} is not greater than the current version {current}")
    index = BuiltCorpus.open(layout.corpus_dir).index()
    paths = [layout.annotations_dir] if layout.annotations_dir.exists() else []
    _, problems = validate_files(paths, ont, index)
    if problems:
        raise ValidationFailed(problems)
    stamp_path = layout.export_dir / STAMP
    if not stamp_path.exists() or jsonio.read_json(stamp_path) != freshness_stamp(layout):
        raise CorpusError(f"{layout.export_dir} is missing or stale (the corpus, annotations or ontology changed "
                          "since it was built); run `counterclaim export`, look at it, then release")
    previous = latest_release(layout)
    snapshot = take_snapshot(layout, ont, version)
    changes = compare(previous, snapshot)
    needed = changes.required
    taken = step(current, version)
    if needed and LEVELS.index(taken) < LEVELS.index(needed):
        reasons = "; ".join(f"`{k}` {v}" for k, v in changes.breaking_sets.items()) or "documents or schema changed"
        raise VersionError(f"{current} → {version} is a {taken} step, but the changes need a {needed} release "
                           f"({reasons})")
    silver = silver_status(layout, ENGINE_VERSION, BuiltCorpus.open(layout.corpus_dir).documents())
    if silver.built and silver.stale:
        raise CorpusError(f"{layout.silver_dir} is stale ({'; '.join(silver.stale)}); {BUILD_HINT}, then "
                          "`counterclaim export`, then release")
    today = today or dt.date.today().isoformat()
    notes = changelog_notes(changes, previous, today)
    build_corpus(layout.corpus_dir, version=version, notes=notes, tx=tx, raw_from=raw_from)
    export_dataset(layout, ont, tx=tx)
    tx.write_bytes(layout.releases_dir / f"{version}.json", jsonio.dump_bytes(snapshot, indent=2))
    return ReleaseReport(version, previous["version"] if previous else None, changes, notes)
