"""Merge several annotators' annotations of a document into one, by a stated majority policy.

Policy (``majority``): with *n* annotators (their latest annotation each, see :mod:`counterclaim.model.selection`),

- **spans**: a mention, event trigger, quantity or claim is kept when more than half of the annotators
  marked exactly the same span in the same layer (start and end equal);
- **attributes** of a kept object (actor, type, mode, realis, granularity, measurand, value, qualifier,
  stance, certainty, claimant kind…): the value most of those annotators gave; on a tie, the value of the
  first annotator in annotator-id order — and the tie goes to the review file;
- **arguments, claimants, sources, `about` and claim links**: kept when more than half of the annotators who
  have both ends give them (ends compared by span: an argument's filler by its span, an event by its trigger,
  a claim by its first content span);
- everything else — spans, attributes, arguments and links without a majority — is written to the review
  file, one line per disagreement, for an adjudicator. The review file keeps the lines of the documents a run
  leaves alone (one already adjudicated keeps the disagreements its adjudicator decided) and replaces those of
  the documents it merges; lines are grouped by document, in ``doc_id`` order.

The merged annotation has origin ``adjudication`` and fresh ids (``m1``, ``e1``, ``q1``, ``c1``… in text
order). It is not flagged ground truth: a human adjudicator's decision (a ground-truth flag in Label Studio)
outranks it when gold is chosen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from counterclaim import __version__
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import InputError, ValidationFailed
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.io.transaction import Transaction, joined
from counterclaim.model.ontology import Ontology
from counterclaim.model.schema import INTEGER_KEYS
from counterclaim.model.selection import latest_per_annotator
from counterclaim.validation import Problem, document_problems

ADJUDICATED_ID = "adjudicated"


@dataclass
class Disagreement:
    doc_id: str
    kind: str  # span | attribute | argument | link
    layer: str
    where: str  # the span or object it is about, readable
    detail: str
    values: dict[str, Any]  # annotator -> value (or presence)
    decision: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Merge:
    annotation: dict | None
    disagreements: list[Disagreement] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    skipped: str | None = None


def _key(span: dict | None) -> tuple[int, int] | None:
    return None if span is None else (span["start"], span["end"])


class _Merger:
    def __init__(self, doc: dict, anns: dict[str, dict]):
        self.doc = doc
        self.anns = anns
        self.n = len(anns)
        self.out: list[Disagreement] = []

    def majority(self, count: int) -> bool:
        return count * 2 > self.n

    def note(self, kind: str, layer: str, where: str, detail: str, values: dict, decision: str) -> None:
        self.out.append(Disagreement(self.doc["doc_id"], kind, layer, where, detail, values, decision))

    def text(self, key: tuple[int, int]) -> str:
        return f"[{key[0]}, {key[1]}) {self.doc['text'][key[0]:key[1]]!r}"

    def spans(self, layer: str, items: Callable[[dict], dict[tuple, Any]]) -> dict[tuple, dict[str, Any]]:
        """Objects by span key, kept when a majority has them; per annotator."""
        by_key: dict[tuple, dict[str, Any]] = {}
        for annotator, ann in self.anns.items():
            for key, obj in items(ann).items():
                by_key.setdefault(key, {})[annotator] = obj
        kept = {}
        for key in sorted(by_key):
            holders = by_key[key]
            if self.majority(len(holders)):
                kept[key] = holders
            else:
                values = {a: (a in holders) for a in self.anns}
                self.note("span", layer, self.text(key), f"marked by {len(holders)} of {self.n} annotators",
                          values, "left out")
        return kept

    def attr(self, layer: str, key: tuple, name: str, holders: dict[str, Any], get: Callable[[Any], Any]) -> Any:
        values = {a: get(obj) for a, obj in holders.items()}
        counts = Counter(_hashable(v) for v in values.values())
        top = counts.most_common()
        best_value, best = top[0]
        if len(top) > 1 and top[1][1] == best:
            first = next(iter(sorted(values)))
            chosen = values[first]
            self.note("attribute", layer, self.text(key), f"`{name}` tied", values,
                      f"{chosen!r} (first annotator, {first})")
            return chosen
        if len(top) > 1:
            self.note("attribute", layer, self.text(key), f"`{name}` differs", values, f"{_unhash(best_value)!r} (majority)")
        return _unhash(best_value)

    def relation(self, kind: str, layer: str, where: str, votes: dict[Any, set[str]], eligible: int) -> list:
        """Items voted for by more than half of ``eligible`` annotators; the rest reported."""
        kept = []
        for item in sorted(votes, key=repr):
            voters = votes[item]
            if voters and len(voters) * 2 > eligible:
                kept.append(item)
            else:
                self.note(kind, layer, where, f"{item!r} given by {len(voters)} of {eligible}",
                          {a: (a in voters) for a in self.anns}, "left out")
        return kept


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return ("__dict__", tuple(sorted((k, _hashable(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("__list__", tuple(_hashable(v) for v in value))
    return value


def _unhash(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "__dict__":
        return {k: _unhash(v) for k, v in value[1]}
    if isinstance(value, tuple) and value and value[0] == "__list__":
        return [_unhash(v) for v in value[1]]
    return value


def merge_document(doc: dict, *, schema_version: str, corpus_version: str) -> Merge:
    anns = {name: latest.annotation for name, latest in latest_per_annotator(doc.get("annotations", [])).items()}
    if len(anns) < 2:
        return Merge(None, skipped=f"{len(anns)} annotator(s); nothing to adjudicate", annotators=list(anns))
    if any(a["ground_truth"] and not a["cancelled"] and a["provenance"]["origin"] != "adjudication"
           for a in doc.get("annotations", [])):
        return Merge(None, skipped="an annotation is already flagged ground truth", annotators=list(anns))
    m = _Merger(doc, anns)
    text = doc["text"]

    def span(key: tuple[int, int]) -> dict:
        return {"start": key[0], "end": key[1], "text": text[key[0]:key[1]]}

    # mentions
    mentions = m.spans("mentions", lambda a: {_key(x["span"]): x for x in a["mentions"]})
    mention_ids = {key: f"m{i}" for i, key in enumerate(mentions, start=1)}
    merged_mentions = []
    for key, holders in mentions.items():
        merged_mentions.append({
            "id": mention_ids[key], "span": span(key),
            "actor": m.attr("mentions", key, "actor", holders, lambda x: x.get("actor")),
            "type": m.attr("mentions", key, "type", holders, lambda x: x.get("type")),
        })

    # events (by trigger) and their quantities (by span)
    def triggers(a: dict) -> dict:
        return {_key(e["trigger"]): e for e in a["events"] if e.get("trigger")}

    events = m.spans("events", triggers)
    event_ids = {key: f"e{i}" for i, key in enumerate(events, start=1)}
    quantity_ids: dict[tuple, str] = {}  # (trigger, quantity span) -> id: one span may count for two events
    merged_events = []
    # span of each annotator's mention/event/claim ids, to compare relations by span
    mention_span = {(a, x["id"]): _key(x["span"]) for a, ann in anns.items() for x in ann["mentions"]}
    trigger_span = {(a, x["id"]): _key(x.get("trigger")) for a, ann in anns.items() for x in ann["events"]}
    for key, holders in events.items():
        layer = "events"
        ev = {
            "id": event_ids[key],
            "type": m.attr(layer, key, "type", holders, lambda x: x["type"]),
            "mode": m.attr(layer, key, "mode", holders, lambda x: x.get("mode")),
            "trigger": span(key),
            "arguments": [],
            "realis": m.attr(layer, key, "realis", holders, lambda x: x["realis"]),
            "granularity": m.attr(layer, key, "granularity", holders, lambda x: x["granularity"]),
            "part_of": None,
            "time": m.attr(layer, key, "time", holders, lambda x: x.get("time")),
            "place": m.attr(layer, key, "place", holders, lambda x: x.get("place")),
            "quantities": [],
        }
        # arguments: (role, filler kind, filler span)
        votes: dict[tuple, set[str]] = {}
        for a, obj in holders.items():
            for arg in obj["arguments"]:
                if "mention" in arg:
                    filler = ("mention", mention_span[(a, arg["mention"])])
                elif "event" in arg:
                    filler = ("event", trigger_span[(a, arg["event"])])
                else:
                    filler = ("span", _key(arg["span"]))
                votes.setdefault((arg["role"], *filler), set()).add(a)
        for role, kind, fkey in m.relation("argument", layer, m.text(key), votes, len(holders)):
            if kind == "mention" and fkey in mention_ids:
                ev["arguments"].append({"role": role, "mention": mention_ids[fkey]})
            elif kind == "event" and fkey in event_ids:
                ev["arguments"].append({"role": role, "event": event_ids[fkey]})
            elif kind == "span":
                ev["arguments"].append({"role": role, "span": span(fkey)})
        parents: dict[Any, set[str]] = {}
        for a, obj in holders.items():
            if obj.get("part_of"):
                parents.setdefault(trigger_span[(a, obj["part_of"])], set()).add(a)
        kept_parents = [p for p in m.relation("link", layer, m.text(key), parents, len(holders)) if p in event_ids]
        ev["part_of"] = event_ids[kept_parents[0]] if kept_parents else None
        quantities = m.spans("quantities", lambda a, k=key: {
            _key(q["span"]): q for e in a["events"] if _key(e.get("trigger")) == k for q in e["quantities"] if q.get("span")})
        for qkey, qholders in quantities.items():
            qid = quantity_ids.setdefault((key, qkey), f"q{len(quantity_ids) + 1}")
            ev["quantities"].append({
                "id": qid, "span": span(qkey),
                **{name: m.attr("quantities", qkey, name, qholders, lambda x, n=name: x.get(n))
                   for name in ("measurand", "value", "low", "high", "qualifier", "note")},
            })
        merged_events.append(ev)
    for ev in merged_events:  # a parent must be an aggregate of the merge
        if ev["part_of"] and next(e for e in merged_events if e["id"] == ev["part_of"])["granularity"] != "aggregate":
            ev["part_of"] = None

    # claims (by first content span)
    claims = m.spans("claims", lambda a: {_key(c["content"][0]): c for c in a["claims"]})
    claim_ids = {key: f"c{i}" for i, key in enumerate(claims, start=1)}
    claim_span = {(a, c["id"]): _key(c["content"][0]) for a, ann in anns.items() for c in ann["claims"]}
    quantity_span = {(a, q["id"]): (_key(e.get("trigger")), _key(q.get("span"))) for a, ann in anns.items()
                     for e in ann["events"] for q in e["quantities"]}
    merged_claims = []
    for key, holders in claims.items():
        layer = "claims"
        eligible = len(holders)

        def claimant_of(c: dict, a: str) -> Any:
            cl = c["claimant"]
            return ("outlet",) if cl["kind"] == "outlet" else (cl["kind"], mention_span.get((a, cl.get("mention"))),
                                                                cl.get("actor"))

        claimant_votes: dict[Any, set[str]] = {}
        for a, c in holders.items():
            claimant_votes.setdefault(claimant_of(c, a), set()).add(a)
        kept = m.relation("link", layer, m.text(key), claimant_votes, eligible)
        claimant = None
        if kept:
            choice = kept[0]
            if choice == ("outlet",):
                claimant = {"kind": "outlet"}
            elif choice[1] in mention_ids:
                claimant = {"kind": choice[0], "mention": mention_ids[choice[1]]}
            elif choice[2]:
                claimant = {"kind": choice[0], "actor": choice[2]}
            elif choice[0] == "unnamed":
                claimant = {"kind": "unnamed"}
        if claimant is None:
            m.note("link", layer, m.text(key), "no claimant has a majority", {a: repr(claimant_of(c, a)) for a, c in holders.items()},
                   "claim left out")
            continue

        def votes_of(get: Callable[[dict, str], list]) -> dict[Any, set[str]]:
            out: dict[Any, set[str]] = {}
            for a, c in holders.items():
                for item in get(c, a):
                    out.setdefault(item, set()).add(a)
            return out

        content_rest = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [_key(s) for s in c["content"][1:]]), eligible)
        cue = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [_key(c["cue"])] if c.get("cue") else []), eligible)
        co = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [mention_span.get((a, s.get("mention"))) for s in c.get("co_claimants", [])]), eligible)
        via = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [mention_span.get((a, s.get("mention"))) for s in c["reported_via"]]), eligible)
        about_e = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [trigger_span[(a, e)] for e in c["about"]["events"]]), eligible)
        about_q = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [quantity_span[(a, q)] for q in c["about"]["quantities"]]), eligible)
        links = m.relation("link", layer, m.text(key), votes_of(
            lambda c, a: [(l["type"], claim_span[(a, l["claim"])]) for l in c["links"]]), eligible)
        claim = {
            "id": claim_ids[key],
            "content": [span(key)] + [span(k) for k in content_rest],
            "cue": span(cue[0]) if cue else None,
            "claimant": claimant,
            **({"co_claimants": [{"mention": mention_ids[k]} for k in co if k in mention_ids]}
               if any(k in mention_ids for k in co) else {}),
            "reported_via": [{"mention": mention_ids[k]} for k in via if k in mention_ids],
            "about": {"events": [event_ids[k] for k in about_e if k in event_ids],
                      "quantities": [quantity_ids[k] for k in about_q if k in quantity_ids]},
            "stance": m.attr(layer, key, "stance", holders, lambda x: x["stance"]),
            "certainty": m.attr(layer, key, "certainty", holders, lambda x: x["certainty"]),
            "links": [],
        }
        claim["_links"] = links
        merged_claims.append(claim)
    for claim in merged_claims:
        claim["links"] = [{"type": t, "claim": claim_ids[k]} for t, k in claim.pop("_links")
                          if k in claim_ids and claim_ids[k] != claim["id"]
                          and any(c["id"] == claim_ids[k] for c in merged_claims)]

    annotation = {
        "id": ADJUDICATED_ID,
        "provenance": {
            "annotator": "counterclaim-adjudicate", "origin": "adjudication",
            "tool": {"name": "counterclaim", "version": __version__},
            "created_at": None, "updated_at": None, "lead_time": None,
            "schema_version": schema_version, "corpus_version": corpus_version, "guidelines_version": None,
        },
        "cancelled": False, "ground_truth": False,
        "mentions": merged_mentions, "events": merged_events, "claims": merged_claims,
    }
    return Merge(annotation, m.out, list(anns))


def with_adjudication(doc: dict, annotation: dict) -> dict:
    """The document with its adjudicated annotation replaced by ``annotation``."""
    others = [a for a in doc["annotations"] if a["provenance"]["origin"] != "adjudication"]
    return {**doc, "annotations": others + [annotation]}


# -- a project's files ------------------------------------------------------------------------------------------


@dataclass
class AdjudicationRun:
    """What adjudicating a set of annotated-document files did (or would do, in a dry run)."""

    merged: list[tuple[Path, dict, Merge]] = field(default_factory=list)  # (file, document with the merge, merge)
    skipped: list[str] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    review_path: Path | None = None
    dry_run: bool = False
    kept: int = 0  # review lines of documents this run left alone, kept as they were

    def to_dict(self) -> dict:
        return {"adjudicated": [doc["doc_id"] for _, doc, _ in self.merged], "skipped": self.skipped,
                "disagreements": len(self.disagreements), "kept_in_review": self.kept,
                "review_file": str(self.review_path), "dry_run": self.dry_run}


def _review_lines(review_path: Path, merged: set[str], disagreements: list[Disagreement]) -> tuple[list[bytes], int]:
    """The review file's new lines: the existing lines of documents not in ``merged``, the new disagreements of
    those that are, grouped by ``doc_id`` in order; and how many existing lines were kept."""
    by_doc: dict[str, list[bytes]] = {}
    kept = 0
    if review_path.exists():
        for lineno, line in jsonio.iter_jsonl(review_path):
            doc_id = line.get("doc_id") if isinstance(line, dict) else None
            if not isinstance(doc_id, str):
                raise InputError(f"{review_path}:{lineno}: a review line needs a `doc_id`; fix or remove the line")
            if doc_id not in merged:
                by_doc.setdefault(doc_id, []).append(jsonio.dumps(line).encode("utf-8") + b"\n")
                kept += 1
    for d in disagreements:
        by_doc.setdefault(d.doc_id, []).append(jsonio.dumps(d.to_dict()).encode("utf-8") + b"\n")
    return [line for doc_id in sorted(by_doc) for line in by_doc[doc_id]], kept


def adjudicate_files(files: Iterable[Path], ont: Ontology, corpus: BuiltCorpus, review_path: Path, *,
                     dry_run: bool = False, tx: Transaction | None = None) -> AdjudicationRun:
    """Merge every document of ``files`` that has several annotators; validate every document and every merge,
    then write the documents and the review file together, in ``tx`` if given, else in a transaction of their
    own (nothing is written if anything is invalid, or in a dry run)."""
    run = AdjudicationRun(review_path=review_path, dry_run=dry_run)
    with joined(tx, Layout.around(review_path).state_dir, "adjudicate") as tx:  # held while reading, too
        index, corpus_version = corpus.index(), corpus.version
        problems: list[Problem] = []
        for path in files:
            doc = jsonio.read_json(path, integers=INTEGER_KEYS)
            found = document_problems(doc, ont, index)
            if found:  # a document that does not validate cannot be merged safely
                problems += [Problem(str(path), p, m) for p, m in found]
                continue
            merge = merge_document(doc, schema_version=ont.version, corpus_version=corpus_version)
            if merge.annotation is None:
                run.skipped.append(f"{doc.get('doc_id')}: {merge.skipped}")
                continue
            new_doc = with_adjudication(doc, merge.annotation)
            found = document_problems(new_doc, ont, index)
            if found:
                problems += [Problem(str(path), p, m) for p, m in found]
                continue
            run.merged.append((path, new_doc, merge))
            run.disagreements += merge.disagreements
        if problems:
            raise ValidationFailed(problems)
        lines, run.kept = _review_lines(review_path, {doc["doc_id"] for _, doc, _ in run.merged}, run.disagreements)
        if not dry_run:
            for path, new_doc, _ in run.merged:
                tx.write_bytes(path, jsonio.dump_bytes(new_doc, indent=2))
            tx.write_bytes(review_path, b"".join(lines))
    return run
