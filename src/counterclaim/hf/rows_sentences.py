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


def _clip(spans: list[tuple[dict, str, str]], start: int, end: int) -> tuple[list[tuple[dict, str, str]], set[str]]:
    """The parts of ``spans`` inside ``[start, end)``, and the ids of those that reach beyond it."""
    inside, crossing = [], set()
    for span, label, obj_id in spans:
        if span["end"] <= start or span["start"] >= end:
            continue
        if span["start"] < start or span["end"] > end:
            crossing.add(obj_id)
        inside.append(({"start": max(span["start"], start), "end": min(span["end"], end)}, label, obj_id))
    return inside, crossing


def ner_sentence_rows(builder: "RowBuilder", ctx: DocumentContext, gold_ann: dict) -> Iterator[dict]:
    """One conll2003-style row per sentence of the document (see the module docstring)."""
    layers = {
        "ner_tags": ("actor_tags", [(m["span"], builder.actor_type(m), m["id"]) for m in gold_ann["mentions"]]),
        "event_tags": ("event_tags", [(e["trigger"], e["type"], e["id"]) for e in gold_ann["events"]
                                      if e.get("trigger")]),
        "claim_tags": ("claim_tags", _claim_spans(gold_ann)),
    }
    lost_key = {"ner_tags": "unrepresented_mention_gids", "event_tags": "unrepresented_event_gids",
                "claim_tags": "unrepresented_claim_gids"}
    doc_id = ctx.doc_id
    first = 0
    for k, (start, end) in enumerate(ctx.sentences):
        stop = first
        while stop < len(ctx.token_starts) and ctx.token_starts[stop] < end:
            stop += 1
        starts, ends = ctx.token_starts[first:stop], ctx.token_ends[first:stop]
        row = {"id": sentence_gid(doc_id, k), "doc_id": doc_id, "sentence_index": k, "start": start, "end": end,
               "text": ctx.text[start:end], "tokens": ctx.tokens[first:stop], "token_starts": starts,
               "token_ends": ends}
        crossing: set[str] = set()
        for column, (labels, spans) in layers.items():
            inside, crossed = _clip(spans, start, end)
            crossing |= crossed
            row[column], lost = builder._bio(starts, ends, inside, labels)
            row[lost_key[column]] = gids(doc_id, sorted(set(lost)))
        row["crossing_gids"] = gids(doc_id, sorted(crossing))
        yield row
        first = stop
