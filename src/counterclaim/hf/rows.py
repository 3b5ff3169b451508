"""Rows of every dataset config from a corpus document and its annotated document (pure functions).

Conventions: offsets are half-open code-point offsets into the document ``text``; objects point to each
other by id (``mention_id``, ``event_id``, claim ids) as in BigBio's kb schema; closed sets are encoded
with the ClassLabels of :class:`counterclaim.hf.features.ConfigFeatures`; absent values are null.

The ``ner`` config tokenises with :data:`TOKEN_RE` and tags two layers, one column each: actor mentions
(BIO over the actor type) and event triggers (BIO over the event type). Within a layer spans may overlap,
which BIO cannot express: the longest span wins (then the earliest), and every span that could not be
tagged is listed by id in ``unrepresented_mentions`` / ``unrepresented_events`` — never dropped silently.

Sentences (:mod:`counterclaim.hf.sentences`) and tokens are computed once per document
(:class:`counterclaim.hf.rows_sentences.DocumentContext`) and shared by ``documents`` (the ``sentences``
column), ``ner``, ``events`` and ``claims`` (sentence context), and the research configs.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Iterator

from counterclaim.hf import rows_sentences
from counterclaim.hf.bigbio import bigbio_row
from counterclaim.hf.features import ConfigFeatures
from counterclaim.hf.gids import gid
from counterclaim.hf.quantities import quantity_rows
from counterclaim.hf.rows_sentences import DocumentContext
from counterclaim.hf.silver_rows import silver_rows
from counterclaim.model.ontology import Ontology

TOKEN_RE = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # the same tokens, with the text between them
# The source metadata the `documents` config copies as they are (the outlet's registry fields are added).
SOURCE_KEYS = ("url", "domain", "published", "retrieved_at", "reliability", "dataset", "outlet", "date", "location",
               "credibility", "credibility_by", "source_ids")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    return list(zip(*tokenize_columns(text))) if text else []


def tokenize_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """:data:`TOKEN_RE`'s tokens of ``text`` as three columns: tokens, start offsets, end offsets.

    ``re.split`` with the pattern in a group gives gap, token, gap, token, …, gap; the running sum of their
    lengths gives every offset without a Python step per token."""
    parts = _TOKEN_SPLIT.split(text)
    bounds = list(itertools.accumulate(map(len, parts)))
    return parts[1::2], bounds[0:-1:2], bounds[1::2]


def _span(span: dict | None) -> dict | None:
    return None if span is None else {"start": span["start"], "end": span["end"], "text": span["text"]}


class RowBuilder:
    def __init__(self, ont: Ontology, features: ConfigFeatures):
        self.ont = ont
        self.f = features
        self.L = features.labels
        # ClassLabel codes as dicts: a lookup instead of a search per value
        self.codes = {name: {value: i for i, value in enumerate(label.names)} for name, label in self.L.items()}

    def _enc(self, label_set: str, value: str | None) -> int | None:
        return None if value is None else self.codes[label_set][value]

    # -- layers --------------------------------------------------------------------------------------------
    def actor_type(self, mention: dict) -> str | None:
        actor = self.ont.actor_by_id.get(mention.get("actor") or "")
        return actor.type if actor else mention.get("type")

    def mention(self, m: dict) -> dict:
        actor = self.ont.actor_by_id.get(m.get("actor") or "")
        return {
            "id": m["id"], "start": m["span"]["start"], "end": m["span"]["end"], "text": m["span"]["text"],
            "actor": m.get("actor"), "actor_name": actor.name if actor else None,
            "actor_type": self._enc("actor_types", self.actor_type(m)),
            "sector": self._enc("sectors", actor.sector if actor else None),
            "wikidata": actor.qid if actor else None,
        }

    def quantity(self, q: dict) -> dict:
        span = q.get("span") or {}
        return {
            "id": q["id"], "measurand": self._enc("measurands", q["measurand"]),
            "value": _float(q.get("value")), "low": _float(q.get("low")), "high": _float(q.get("high")),
            "qualifier": self._enc("qualifiers", q["qualifier"]),
            "start": span.get("start"), "end": span.get("end"), "text": span.get("text"), "note": q.get("note"),
        }

    def event(self, ev: dict, mentions: dict[str, dict], events: dict[str, dict]) -> dict:
        arguments = []
        for arg in ev["arguments"]:
            if "mention" in arg:
                span = mentions[arg["mention"]]["span"]
            elif "event" in arg:
                span = events[arg["event"]]["trigger"] or {"start": None, "end": None, "text": None}
            else:
                span = arg["span"]
            arguments.append({"role": self._enc("roles", arg["role"]), "mention_id": arg.get("mention"),
                              "event_id": arg.get("event"), "start": span["start"], "end": span["end"],
                              "text": span["text"]})
        time, place = ev.get("time"), ev.get("place")
        return {
            "id": ev["id"], "type": self._enc("event_types", ev["type"]), "mode": self._enc("modes", ev.get("mode")),
            "trigger": _span(ev.get("trigger")), "realis": self._enc("realis", ev["realis"]),
            "granularity": self._enc("granularity", ev["granularity"]), "part_of": ev.get("part_of"),
            "arguments": arguments,
            "time": None if time is None else {
                **(_span(time.get("span")) or {"start": None, "end": None, "text": None}),
                "date_start": time.get("start"), "date_end": time.get("end"),
                "precision": self._enc("time_precision", time["precision"]),
            },
            "place": None if place is None else {
                **(_span(place.get("span")) or {"start": None, "end": None, "text": None}),
                "name": place.get("name"), "geonames_id": place.get("geonames_id"),
                "precision": self._enc("place_precision", place["precision"]),
            },
            "quantities": [self.quantity(q) for q in ev["quantities"]],
        }

    def source(self, src: dict, mentions: dict[str, dict]) -> dict:
        mention = mentions.get(src.get("mention") or "")
        return {"mention_id": src.get("mention"),
                "actor": src.get("actor") or (mention or {}).get("actor"),
                "text": mention["span"]["text"] if mention else None}

    def claim(self, c: dict, mentions: dict[str, dict]) -> dict:
        claimant = c["claimant"]
        return {
            "id": c["id"], "content": [_span(s) for s in c["content"]], "cue": _span(c.get("cue")),
            "claimant_kind": self._enc("claimant_kinds", claimant["kind"]),
            "claimant": None if claimant["kind"] == "outlet" else self.source(claimant, mentions),
            "co_claimants": [self.source(s, mentions) for s in c.get("co_claimants", [])],
            "reported_via": [self.source(s, mentions) for s in c["reported_via"]],
            "about_events": list(c["about"]["events"]), "about_quantities": list(c["about"]["quantities"]),
            "stance": self._enc("stance", c["stance"]), "certainty": self._enc("certainty", c["certainty"]),
            "supports": [l["claim"] for l in c["links"] if l["type"] == "supports"],
            "contests": [l["claim"] for l in c["links"] if l["type"] == "contests"],
            "check_worthy": c.get("check_worthy"),
        }

    def layers(self, ann: dict | None) -> dict:
        if ann is None:
            return {"mentions": [], "events": [], "claims": []}
        mentions = {m["id"]: m for m in ann["mentions"]}
        events = {e["id"]: e for e in ann["events"]}
        return {
            "mentions": [self.mention(m) for m in ann["mentions"]],
            "events": [self.event(e, mentions, events) for e in ann["events"]],
            "claims": [self.claim(c, mentions) for c in ann["claims"]],
        }

    # -- configs -------------------------------------------------------------------------------------------
    def rows(self, doc: dict, annotated: dict | None, gold_ann: dict | None, gold_source: str,
             silver_ann: dict | None = None) -> Iterator[tuple[str, dict]]:
        """Every config's rows for one document, as ``(config, row)``; what several configs share (the
        gold layers, the sentences) is built once. ``silver_ann``, the document's silver annotation, gives the
        rows of the silver configs (:mod:`counterclaim.hf.silver_rows`); the gold configs never read it."""
        gold_layers = self.layers(gold_ann)
        ctx = DocumentContext.of(doc)
        yield "documents", {**self.document_row(doc, gold_ann, gold_source, gold_layers),
                            "sentences": ctx.sentence_column()}
        if gold_ann is not None:
            yield "ner", self.ner_row(doc, gold_ann, ctx)
            for row in self.event_rows(doc, gold_ann, gold_layers, ctx):
                yield "events", row
            for row in self.claim_rows(doc, gold_ann, gold_layers, ctx):
                yield "claims", row
        if annotated is not None:
            for row in self.annotation_rows(doc, annotated, gold_ann["id"] if gold_ann else None, gold_layers):
                yield "annotations", {**row, "id": gid(doc["doc_id"], row["annotation_id"])}
        if gold_ann is not None:
            for row in rows_sentences.ner_sentence_rows(self, ctx, gold_ann):
                yield "ner_sentences", row
            for row in quantity_rows(self, ctx, doc, gold_ann):
                yield "quantities", row
            yield "bigbio_kb", bigbio_row(self.ont, ctx, doc, gold_ann)
        if silver_ann is not None:
            yield from silver_rows(self, ctx, doc, silver_ann)

    def source_metadata(self, src: dict) -> dict:
        """A document's source metadata, with its outlet resolved in the ontology's outlet registry."""
        outlet = self.ont.outlet_by_id.get(src.get("outlet") or "")
        return {
            **{k: src.get(k) for k in SOURCE_KEYS},
            "outlet_name": outlet.name if outlet else None, "outlet_country": outlet.country if outlet else None,
            "outlet_affiliation": outlet.affiliation if outlet else None, "outlet_side": outlet.side if outlet else None,
            "source_records": None if src.get("source_records") is None else [
                {k: r.get(k) for k in ("row", "id", "relation", "label", "date", "location")}
                for r in src["source_records"]],
        }

    def document_row(self, doc: dict, gold_ann: dict | None, gold_source: str, layers: dict | None = None) -> dict:
        return {
            "doc_id": doc["doc_id"], "title": doc.get("title"), "text": doc["text"], "text_sha256": doc["text_sha256"],
            "source": self.source_metadata(doc.get("source") or {}),
            "gold_source": gold_source, "gold_annotation_id": gold_ann["id"] if gold_ann else None,
            **(layers if layers is not None else self.layers(gold_ann)),
        }

    def ner_row(self, doc: dict, gold_ann: dict, ctx: DocumentContext | None = None) -> dict:
        if ctx is None:
            tokens, starts, ends = tokenize_columns(doc["text"])
        else:
            tokens, starts, ends = ctx.tokens, ctx.token_starts, ctx.token_ends
        actor_tags, lost_mentions = self._bio(
            starts, ends, [(m["span"], self.actor_type(m), m["id"]) for m in gold_ann["mentions"]], "actor_tags")
        event_tags, lost_events = self._bio(
            starts, ends, [(e["trigger"], e["type"], e["id"]) for e in gold_ann["events"] if e.get("trigger")],
            "event_tags")
        return {
            "doc_id": doc["doc_id"], "tokens": tokens, "token_starts": starts, "token_ends": ends,
            "actor_tags": actor_tags, "event_tags": event_tags,
            "unrepresented_mentions": lost_mentions, "unrepresented_events": lost_events,
        }

    def _bio(self, starts: list[int], ends: list[int], spans: list[tuple[dict, str, str]], labels: str):
        codes = self.codes[labels]
        tags = [0] * len(starts)
        lost: list[str] = []
        order = sorted(spans, key=lambda s: (-(s[0]["end"] - s[0]["start"]), s[0]["start"], s[2]))
        for span, label, obj_id in order:
            first = bisect.bisect_left(starts, span["start"])
            if first > 0 and ends[first - 1] > span["start"]:
                first -= 1  # the span starts inside a token
            stop = bisect.bisect_left(starts, span["end"], first)  # the first token at or after the span's end
            if stop == first or any(tags[first:stop]):
                lost.append(obj_id)
                continue
            tags[first] = codes[f"B-{label}"]
            if stop - first > 1:
                tags[first + 1:stop] = [codes[f"I-{label}"]] * (stop - first - 1)
        return tags, sorted(lost)

    def event_rows(self, doc: dict, gold_ann: dict, layers: dict | None = None,
                   ctx: DocumentContext | None = None) -> Iterator[dict]:
        layers = layers if layers is not None else self.layers(gold_ann)
        ctx = ctx if ctx is not None else DocumentContext.of(doc)
        asserted: dict[str, list[str]] = {}
        for c in gold_ann["claims"]:
            for eid in c["about"]["events"]:
                asserted.setdefault(eid, []).append(c["id"])
        for ev, encoded in zip(gold_ann["events"], layers["events"]):
            row = {"doc_id": doc["doc_id"], "event_id": ev["id"], **encoded, "asserted_by": asserted.get(ev["id"], [])}
            row.update(rows_sentences.event_columns(ctx, ev, asserted.get(ev["id"], [])))  # context, global ids
            yield row

    def claim_rows(self, doc: dict, gold_ann: dict, layers: dict | None = None,
                   ctx: DocumentContext | None = None) -> Iterator[dict]:
        layers = layers if layers is not None else self.layers(gold_ann)
        ctx = ctx if ctx is not None else DocumentContext.of(doc)
        events = {e["id"]: e for e in gold_ann["events"]}
        quantities = {q["id"]: (e["id"], q) for e in gold_ann["events"] for q in e["quantities"]}
        src = doc.get("source") or {}
        for c, encoded in zip(gold_ann["claims"], layers["claims"]):
            row = dict(encoded)
            del row["id"]
            actor = self.ont.actor_by_id.get((row["claimant"] or {}).get("actor") or "")
            yield {
                "doc_id": doc["doc_id"], "claim_id": c["id"],
                "content_text": " … ".join(s["text"] for s in c["content"]),
                **row,
                "claimant_actor_name": actor.name if actor else None,
                "events": [{"id": eid, "type": self._enc("event_types", events[eid]["type"]),
                            "realis": self._enc("realis", events[eid]["realis"]),
                            "trigger": (events[eid].get("trigger") or {}).get("text")}
                           for eid in c["about"]["events"]],
                "quantities": [{"id": qid, "event_id": quantities[qid][0],
                                "measurand": self._enc("measurands", quantities[qid][1]["measurand"]),
                                "value": _float(quantities[qid][1].get("value")),
                                "low": _float(quantities[qid][1].get("low")),
                                "high": _float(quantities[qid][1].get("high")),
                                "qualifier": self._enc("qualifiers", quantities[qid][1]["qualifier"]),
                                "text": (quantities[qid][1].get("span") or {}).get("text")}
                               for qid in c["about"]["quantities"]],
                "source_domain": src.get("domain"), "source_reliability": src.get("reliability"),
                **rows_sentences.claim_columns(ctx, c),  # context, global ids
            }

    def annotation_rows(self, doc: dict, annotated: dict, gold_id: str | None,
                        gold_layers: dict | None = None) -> Iterator[dict]:
        for ann in annotated.get("annotations", []):
            prov = ann["provenance"]
            is_gold = ann["id"] == gold_id
            yield {
                "doc_id": doc["doc_id"], "annotation_id": ann["id"], "annotator": prov["annotator"],
                "origin": prov["origin"], "cancelled": ann["cancelled"], "ground_truth": ann["ground_truth"],
                "is_gold": is_gold, "created_at": prov.get("created_at"),
                "updated_at": prov.get("updated_at"), "lead_time": prov.get("lead_time"),
                "schema_version": prov["schema_version"],
                **(gold_layers if is_gold and gold_layers is not None else self.layers(ann)),
            }


def _float(value) -> float | None:
    return None if value is None else float(value)
