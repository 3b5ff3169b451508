"""Sentence-level rows and columns: the ``ner_sentences`` config, sentence context and global ids of ``events``
and ``claims`` (pure functions of a document and its gold annotation).

``ner_sentences`` follows the conll2003 layout: one row per sentence (:mod:`counterclaim.hf.sentences`) of a
document with a gold annotation, ``id`` (the sentence's global id), ``tokens`` and ``ner_tags``, plus
``event_tags`` and ``claim_tags``. Tokens are exactly the ``ner`` config's (:data:`counterclaim.hf.rows.TOKEN_RE`,
with document offsets), cut at sentence boundaries, which never fall inside a token. Three BIO layers:

- ``ner_tags``: actor mentions by actor type (the ``ner`` config's ``actor_tags``);
- ``event_tags``: event triggers by event type;
- ``claim_tags``: ``CLAIM`` (every content span of a claim), ``CUE`` and ``CLAIMANT`` (the claimant's mention).

Within a layer spans may overlap, which BIO cannot express: the longest span wins, then the earliest, and
every object with a span that could not be tagged is listed by global id in ``unrepresented_*_gids``. A span
that crosses a sentence boundary is tagged in each sentence it covers (starting with ``B-`` in each) and its
object is listed in ``crossing_gids`` of every sentence it touches — cut, but never silently.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from counterclaim.hf.gids import gid, gids, sentence_gid
from counterclaim.hf.sentences import SentenceIndex, Span, split_sentences

if TYPE_CHECKING:
    from counterclaim.hf.rows import RowBuilder


@dataclass(frozen=True)
class DocumentContext:
    """What several configs need from one document's text, computed once: tokens and sentences."""

    doc_id: str
    text: str
    tokens: list[str]
    token_starts: list[int]
    token_ends: list[int]
    sentences: list[Span]
    index: SentenceIndex

    @classmethod
    def of(cls, doc: dict) -> "DocumentContext":
        from counterclaim.hf.rows import tokenize_columns

        tokens, starts, ends = tokenize_columns(doc["text"])
        sentences = split_sentences(doc["text"], doc.get("title"), (starts, ends))
        return cls(doc["doc_id"], doc["text"], tokens, starts, ends, sentences, SentenceIndex(sentences))

    def sentence_of(self, span: dict | None) -> int | None:
        """The sentence holding the start of ``span`` (the first one it covers when it starts on whitespace)."""
        if not span:
            return None
        k = self.index.index_of(span["start"])
        if k is None:
            covered = self.index.covering(span["start"], span["end"])
            k = covered[0] if covered else None
        return k

    def context(self, spans: list[dict]) -> tuple[list[int], str | None, int | None]:
        """The sentences covering ``spans`` (from the first to the last, every one between included), their
        text and its start offset; ``([], None, None)`` without spans."""
        found = [k for span in spans for k in self.index.covering(span["start"], span["end"])]
        if not found:
            return [], None, None
        first, last = min(found), max(found)
        start, end = self.sentences[first][0], self.sentences[last][1]
        return list(range(first, last + 1)), self.text[start:end], start

    def sentence_column(self) -> list[dict]:
        return [{"start": s, "end": e} for s, e in self.sentences]


def event_columns(ctx: DocumentContext, ev: dict, asserted_by: list[str]) -> dict:
    """Sentence context and global ids of an ``events`` row: the trigger's sentence (null without a trigger)."""
    k = ctx.sentence_of(ev.get("trigger"))
    start, end = ctx.sentences[k] if k is not None else (None, None)
    return {
        "context": ctx.text[start:end] if k is not None else None, "context_start": start,
        "id": gid(ctx.doc_id, ev["id"]), "sentence_gid": None if k is None else sentence_gid(ctx.doc_id, k),
        "part_of_gid": gid(ctx.doc_id, ev.get("part_of")), "asserted_by_gids": gids(ctx.doc_id, asserted_by),
    }


def claim_columns(ctx: DocumentContext, c: dict) -> dict:
    """Sentence context and global ids of a ``claims`` row: the sentences of its content spans and cue."""
    spans = list(c["content"]) + ([c["cue"]] if c.get("cue") else [])
    sentences, context, context_start = ctx.context(spans)
    doc_id = ctx.doc_id
    return {
        "id": gid(doc_id, c["id"]), "context": context, "context_start": context_start,
        "sentence_gids": [sentence_gid(doc_id, k) for k in sentences],
        "about_event_gids": gids(doc_id, c["about"]["events"]),
        "about_quantity_gids": gids(doc_id, c["about"]["quantities"]),
        "supports_gids": gids(doc_id, [l["claim"] for l in c["links"] if l["type"] == "supports"]),
        "contests_gids": gids(doc_id, [l["claim"] for l in c["links"] if l["type"] == "contests"]),
    }


def _claim_spans(ann: dict) -> list[tuple[dict, str, str]]:
    """(span, label, claim id) of the claim layer; a span shared by several claims (one claimant mention for
    two claims) is tagged once, under the first claim."""
    mentions = {m["id"]: m for m in ann["mentions"]}
    seen: set[tuple[int, int, str]] = set()
    out = []
    for c in ann["claims"]:
        parts = [(s, "CLAIM") for s in c["content"]]
        if c.get("cue"):
            parts.append((c["cue"], "CUE"))
        claimant = mentions.get(c["claimant"].get("mention") or "")
        if claimant is not None:
            parts.append((claimant["span"], "CLAIMANT"))
        for span, label in parts:
            key = (span["start"], span["end"], label)
            if key not in seen:
                seen.add(key)
                out.append((span, label, c["id"]))
    return out


def _cut(ctx: DocumentContext, spans: list[tuple[dict, str, str]]
         ) -> tuple[list[tuple[dict, str, str]], dict[str, set[int]], dict[int, set[str]]]:
    """``spans`` cut at sentence boundaries; the sentences each object touches; the objects crossing a boundary,
    by sentence."""
    pieces: list[tuple[dict, str, str]] = []
    touches: dict[str, set[int]] = defaultdict(set)
    crossing: dict[int, set[str]] = defaultdict(set)
    for span, label, obj_id in spans:
        covered = ctx.index.covering(span["start"], span["end"])
        touches[obj_id].update(covered)
        if len(covered) <= 1:
            pieces.append((span, label, obj_id))
            continue
        for k in covered:
            start, end = ctx.sentences[k]
            pieces.append(({"start": max(span["start"], start), "end": min(span["end"], end)}, label, obj_id))
            crossing[k].add(obj_id)
    return pieces, touches, crossing


def ner_sentence_rows(builder: "RowBuilder", ctx: DocumentContext, gold_ann: dict) -> Iterator[dict]:
    """One conll2003-style row per sentence of the document (see the module docstring).

    Each layer is tagged once over the whole document, its spans cut at sentence boundaries first (pieces in
    different sentences never overlap, so this is the same as tagging sentence by sentence), then sliced."""
    layers = {
        "ner_tags": ("actor_tags", "unrepresented_mention_gids",
                     [(m["span"], builder.actor_type(m), m["id"]) for m in gold_ann["mentions"]]),
        "event_tags": ("event_tags", "unrepresented_event_gids",
                       [(e["trigger"], e["type"], e["id"]) for e in gold_ann["events"] if e.get("trigger")]),
        "claim_tags": ("claim_tags", "unrepresented_claim_gids", _claim_spans(gold_ann)),
    }
    doc_id = ctx.doc_id
    tags: dict[str, list[int]] = {}
    lost_by_sentence: dict[str, dict[int, list[str]]] = {}
    crossing: dict[int, set[str]] = defaultdict(set)
    for column, (labels, lost_column, spans) in layers.items():
        pieces, touches, crossed = _cut(ctx, spans)
        for k, ids in crossed.items():
            crossing[k] |= ids
        tags[column], lost = builder._bio(ctx.token_starts, ctx.token_ends, pieces, labels)
        by_sentence: dict[int, list[str]] = defaultdict(list)
        for obj_id in sorted(set(lost)):
            for k in touches[obj_id]:
                by_sentence[k].append(obj_id)
        lost_by_sentence[lost_column] = by_sentence
    first = 0
    for k, (start, end) in enumerate(ctx.sentences):
        stop = bisect.bisect_left(ctx.token_starts, end, first)
        row = {"id": sentence_gid(doc_id, k), "doc_id": doc_id, "sentence_index": k, "start": start, "end": end,
               "text": ctx.text[start:end], "tokens": ctx.tokens[first:stop],
               "token_starts": ctx.token_starts[first:stop], "token_ends": ctx.token_ends[first:stop]}
        for column, values in tags.items():
            row[column] = values[first:stop]
        for lost_column, by_sentence in lost_by_sentence.items():
            row[lost_column] = gids(doc_id, by_sentence[k]) if k in by_sentence else []
        row["crossing_gids"] = gids(doc_id, sorted(crossing[k])) if k in crossing else []
        yield row
        first = stop
