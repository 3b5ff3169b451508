"""``corpus check``: the built corpus is what its manifest records and what ``raw/`` builds.

Three checks, streamed (memory does not grow with the documents):

1. every line of ``documents.jsonl`` is a document whose text has its ``text_sha256`` (recomputed), in id order;
2. the file is what ``manifest.json`` records: its count and sha256, and each document's hashes — one by one in
   the per-document form, by shard digest with shards (:mod:`counterclaim.corpus.manifest`): a shard that
   differs is named, with the documents in it whose text lost its hash;
3. unless ``rebuild`` is off, ``raw/`` (with the inputs it refers to, found in ``raw_from``) builds exactly these
   documents: each one that differs, is missing or is extra is named — this also finds a document edited together
   with its hash.

Nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from counterclaim.corpus.build import spool_raw_store
from counterclaim.corpus.manifest import is_sharded, read_manifest, shard_digests, shard_of
from counterclaim.corpus.references import RawSources
from counterclaim.corpus.spool import Spool
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.io.jsonio import loads, sha256_text
from counterclaim.io.layout import DOCUMENTS_FILE, MANIFEST_FILE


@dataclass
class CheckReport:
    corpus_dir: Path
    documents: int = 0
    sharded: bool = False
    rebuilt: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"corpus": str(self.corpus_dir), "ok": self.ok, "documents": self.documents,
                "sharded": self.sharded, "rebuilt": self.rebuilt, "problems": self.problems}


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            yield number, line


def check_corpus(corpus_dir: str | Path, *, raw_from: RawSources | Iterable[str | Path] = (),
                 rebuild: bool = True) -> CheckReport:
    """Check a built corpus; see the module docstring. Every problem found is in the report."""
    corpus_dir = Path(corpus_dir)
    documents_path = BuiltCorpus.open(corpus_dir).documents_path
    manifest = read_manifest(corpus_dir)
    report = CheckReport(corpus_dir, sharded=is_sharded(manifest))
    _check_against_manifest(documents_path, manifest, report)
    if rebuild:
        report.rebuilt = True
        with Spool() as spool:
            spool_raw_store(corpus_dir, spool, raw_from=RawSources.of(raw_from))
            _check_against_raw(documents_path, spool, report)
    return report


def _check_against_manifest(path: Path, manifest: dict[str, Any], report: CheckReport) -> None:
    where = DOCUMENTS_FILE
    digest = hashlib.sha256()
    listed = None if report.sharded else manifest["documents"]
    seen_listed: set[str] = set()
    lost_hash: dict[str, list[str]] = {}  # shard -> ids whose text no longer has its text_sha256

    def documents() -> Iterator[tuple[str, str, str]]:
        previous = None
        for number, line in _lines(path):
            digest.update(line)
            report.documents += 1
            try:
                doc = loads(line.decode("utf-8"))
                doc_id, text, raw_sha, text_sha = doc["doc_id"], doc["text"], doc["raw_sha256"], doc["text_sha256"]
            except Exception as exc:  # noqa: BLE001 - any unreadable line is one problem, named
                report.problems.append(f"{where} line {number}: not a document ({exc})")
                continue
            recomputed = sha256_text(text)
            if recomputed != text_sha:
                report.problems.append(f"{where} line {number} (id {doc_id}): the text does not have its "
                                       "text_sha256: the text was changed after the build")
                lost_hash.setdefault(shard_of(doc_id), []).append(doc_id)
            if previous is not None and doc_id <= previous:
                report.problems.append(f"{where} line {number} (id {doc_id}): not after {previous}; the documents "
                                       "must be unique and sorted by id")
            previous = doc_id
            if listed is not None:
                seen_listed.add(doc_id)
                entry = listed.get(doc_id)
                if entry is None:
                    report.problems.append(f"{where} line {number} (id {doc_id}): not in {MANIFEST_FILE}")
                elif entry != {"raw_sha256": raw_sha, "text_sha256": recomputed}:
                    report.problems.append(f"{where} line {number} (id {doc_id}): its hashes differ from "
                                           f"{MANIFEST_FILE}'s")
            yield doc_id, raw_sha, recomputed

    if listed is None:
        found = shard_digests(documents())
        expected = manifest["document_shards"]["shards"]
        for shard in sorted(set(found) | set(expected)):
            have, want = found.get(shard), expected.get(shard)
            if have == want:
                continue
            names = lost_hash.get(shard)
            culprits = f"; in it, the text of {', '.join(names)} was changed" if names else ""
            report.problems.append(
                f"{where}: shard {shard} ({(have or {}).get('count', 0)} documents, {MANIFEST_FILE} records "
                f"{(want or {}).get('count', 0)}) differs from {MANIFEST_FILE}{culprits}")
    else:
        for _ in documents():
            pass
        for doc_id in sorted(set(listed) - seen_listed):
            report.problems.append(f"{MANIFEST_FILE}: document {doc_id} is not in {where}")
    if report.documents != manifest.get("document_count"):
        report.problems.append(f"{where}: {report.documents} documents, {MANIFEST_FILE} records "
                               f"{manifest.get('document_count')}")
    if digest.hexdigest() != manifest.get("documents_sha256"):
        report.problems.append(f"{where}: its sha256 is not {MANIFEST_FILE}'s documents_sha256")


def _check_against_raw(path: Path, spool: Spool, report: CheckReport) -> None:
    """Compare the file with the documents ``raw/`` builds, both in id order (a merge, streamed)."""
    def ids(lines: Iterable[bytes]) -> Iterator[tuple[str, bytes]]:
        for line in lines:
            try:
                yield loads(line.decode("utf-8"))["doc_id"], line
            except Exception:  # noqa: BLE001 - named by the first check
                continue

    built = ids(spool.lines())
    present = ids(line for _, line in _lines(path))
    a, b = next(built, None), next(present, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            report.problems.append(f"{DOCUMENTS_FILE}: document {a[0]} is missing; raw/ builds it")
            a = next(built, None)
        elif a is None or b[0] < a[0]:
            report.problems.append(f"{DOCUMENTS_FILE}: document {b[0]} is not built from raw/")
            b = next(present, None)
        else:
            if a[1] != b[1]:
                report.problems.append(f"{DOCUMENTS_FILE}: document {a[0]} differs from what raw/ builds")
            a, b = next(built, None), next(present, None)


__all__ = ["CheckReport", "check_corpus"]
