"""``manifest.json``: the corpus's name, version and checksums, written and read back.

Up to :attr:`~counterclaim.corpus.limits.Limits.manifest_documents` documents (5,000), ``documents`` lists each
one's ``raw_sha256`` and ``text_sha256``. Beyond, a line per document is megabytes nobody reads, so
``document_shards`` takes its place: the ids fall into 256 shards by the first two hex digits of
``sha256(doc_id)`` — a document never changes shard, so adding documents changes only the shards they land in —
and each shard has its ``count`` and ``sha256``, the digest of its entry lines::

    {"doc_id":"…","raw_sha256":"…","text_sha256":"…"}\n      (canonical JSON, the shard's ids in order)

— the same facts as the per-document form, condensed. ``corpus check`` recomputes them from ``documents.jsonl``
and names a shard that differs (and, within it, a document whose text no longer has its hash).

A build needs the previous build's documents to tell what was added, re-texted or removed. The per-document form
holds them; with shards, the build reads the previous ``documents.jsonl`` instead (streamed; its sha256 must be
the manifest's ``documents_sha256``), unless every shard is unchanged. ``unreleased_added`` (the documents added
since the last version) is a list of ids, or, when longer than ``Limits.changelog_ids``,
``{"count", "file", "sha256"}`` naming the list in ``corpus/changes/`` (:mod:`counterclaim.corpus.changelog`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import orjson

from counterclaim.corpus.versions import parse_version
from counterclaim.errors import CorpusError
from counterclaim.io.jsonio import dumps, iter_jsonl, read_json
from counterclaim.io.layout import DOCUMENTS_FILE, MANIFEST_FILE
from counterclaim.io.transaction import DISK, DiskView

SHARD_SCHEME = "counterclaim.document-shards/1"
SHARD_HEX_DIGITS = 2


def shard_of(doc_id: str) -> str:
    """The shard of a document id: the first hex digits of its sha256."""
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:SHARD_HEX_DIGITS]


def entry_line(doc_id: str, raw_sha256: str, text_sha256: str) -> bytes:
    """A document's line in its shard's digest."""
    return (dumps({"doc_id": doc_id, "raw_sha256": raw_sha256, "text_sha256": text_sha256}) + "\n").encode("utf-8")


def shard_digests(entries: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, Any]]:
    """``{shard: {"count", "sha256"}}`` of ``(doc_id, raw_sha256, text_sha256)`` given in id order."""
    hashes: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for doc_id, raw_sha, text_sha in entries:
        shard = shard_of(doc_id)
        if shard not in hashes:
            hashes[shard], counts[shard] = hashlib.sha256(), 0
        hashes[shard].update(entry_line(doc_id, raw_sha, text_sha))
        counts[shard] += 1
    return {shard: {"count": counts[shard], "sha256": hashes[shard].hexdigest()} for shard in sorted(hashes)}


def is_sharded(manifest: dict[str, Any]) -> bool:
    return "document_shards" in manifest


def read_manifest(corpus_dir: Path, view: DiskView = DISK) -> dict[str, Any] | None:
    """The manifest, or None for a corpus that was never built."""
    path = Path(corpus_dir) / MANIFEST_FILE
    seen = view.view(path)
    if seen is None or not seen.exists():
        return None
    manifest = read_json(seen)

    def broken(key: str, kind: str) -> CorpusError:
        return CorpusError(f"{path}: no {key!r} ({kind}); restore the file from version control")

    for key, kind in (("name", str), ("version", str)):
        if not isinstance(manifest, dict) or not isinstance(manifest.get(key), kind):
            raise broken(key, kind.__name__)
    if is_sharded(manifest):
        shards = manifest["document_shards"]
        if not isinstance(shards, dict) or shards.get("scheme") != SHARD_SCHEME or not isinstance(
                shards.get("shards"), dict):
            raise broken("document_shards", f"an object with 'scheme' {SHARD_SCHEME!r} and 'shards'")
    elif not isinstance(manifest.get("documents"), dict):
        raise broken("documents", "dict")
    parse_version(manifest["version"])
    return manifest


def previous_entries(corpus_dir: Path, manifest: dict[str, Any], view: DiskView = DISK
                     ) -> Iterator[tuple[str, str | None]]:
    """``(doc_id, text_sha256)`` of every document of the build ``manifest`` describes, streamed.

    From the manifest itself in the per-document form; from ``documents.jsonl`` with shards, which must then be
    the file the manifest describes (its sha256), or the build could not tell what changed."""
    if not is_sharded(manifest):
        for doc_id, entry in sorted(manifest["documents"].items()):
            yield doc_id, entry.get("text_sha256") if isinstance(entry, dict) else None
        return
    path = Path(corpus_dir) / DOCUMENTS_FILE
    seen = view.view(path)
    restore = (f"; manifest.json lists documents by shard only, so the build needs the {DOCUMENTS_FILE} of the "
               f"last build to tell which documents changed: restore it from version control")
    if seen is None or not seen.exists():
        raise CorpusError(f"{path}: missing{restore}")
    digest = hashlib.sha256()
    with open(seen, "rb") as fh:
        for line in fh:
            digest.update(line)
    if digest.hexdigest() != manifest.get("documents_sha256"):
        raise CorpusError(f"{path}: changed since the last build (its sha256 is not the manifest's "
                          f"documents_sha256){restore}")
    for _, doc in iter_jsonl(seen):
        yield doc["doc_id"], doc.get("text_sha256")


def write_manifest(fh: IO[bytes], fields: dict[str, Any], documents: Iterable[tuple[str, str, str]] | None,
                   pending: Iterable[str] | dict[str, Any]) -> None:
    """``dumps(manifest, indent=2) + "\\n"`` streamed: the same bytes, without the documents in memory.

    ``documents`` (``(doc_id, raw_sha256, text_sha256)`` in id order) for the per-document form, or None when
    ``fields`` holds ``document_shards``; ``pending``: the ids of ``unreleased_added``, or the object naming
    their file."""
    def scalar(value: Any) -> bytes:
        return orjson.dumps(value)

    keys = sorted([*fields, *(["documents"] if documents is not None else []), "unreleased_added"])
    fh.write(b"{\n")
    for n, key in enumerate(keys):
        fh.write(b'  ' + scalar(key) + b": ")
        if key == "documents":
            first = True
            for doc_id, raw_sha, text_sha in documents:
                fh.write((b"{\n" if first else b",\n") + b"    " + scalar(doc_id) + b': {\n      "raw_sha256": '
                         + scalar(raw_sha) + b',\n      "text_sha256": ' + scalar(text_sha) + b"\n    }")
                first = False
            fh.write(b"{}" if first else b"\n  }")
        elif key == "unreleased_added" and not isinstance(pending, dict):
            first = True
            for doc_id in pending:
                fh.write((b"[\n" if first else b",\n") + b"    " + scalar(doc_id))
                first = False
            fh.write(b"[]" if first else b"\n  ]")
        else:
            value = pending if key == "unreleased_added" else fields[key]
            text = dumps(value, indent=2) if isinstance(value, (dict, list)) else dumps(value)
            fh.write(text.replace("\n", "\n  ").encode("utf-8"))
        fh.write(b",\n" if n < len(keys) - 1 else b"\n")
    fh.write(b"}\n")
