"""The baseline systems: each is trained on the train split's gold documents and annotates a document.

A system returns an annotation in the schema format (``mentions``, ``events``, ``claims``), which
:func:`predicted_document` wraps into an annotated document that validates and that ``counterclaim evaluate``
scores like any system output.

- ``crf-linear``: actor mentions and event triggers from two CRFs (:mod:`counterclaim.baselines.crf`); each
  event gets its type's most frequent mode, realis and granularity in the train split, and no arguments or
  quantities; claims from the linear models of :mod:`counterclaim.baselines.claims`, each about the events
  whose trigger lies in its content, with the train split's most frequent stance and certainty.
- ``registry-aliases``: actor mentions only, the registry's aliases matched in the text
  (:func:`counterclaim.labelstudio.predictions.find_actor_mentions`, the pre-annotation annotators start from).
- ``rule-preannotator``: the rule-based pre-annotation engine (``counterclaim.preannotate``), when this
  version has it; otherwise the system is skipped with the reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from counterclaim import __version__
from counterclaim.baselines.claims import (
    Candidate, ClaimantChooser, ClaimSentenceClassifier, content_tokens, cue_lexicon, find_cue,
)
from counterclaim.baselines.crf import CrfTagger, spans_from_bio
from counterclaim.baselines.data import GoldDocument
from counterclaim.labelstudio.predictions import find_actor_mentions
from counterclaim.model.ontology import Ontology

Annotate = Callable[[GoldDocument], dict]


class Skipped(Exception):
    """A baseline cannot run in this installation (the message says why)."""


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def _majority(values: Sequence[str], default: str) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else default


class CrfLinear:
    """CRF taggers for mentions and triggers, linear models for claims (see the module docstring)."""

    def __init__(self, train: Sequence[GoldDocument], ont: Ontology):
        self.ont = ont
        sentences = [s for d in train for s in d.sentences]
        self.actors = CrfTagger([(s.tokens, s.tags["ner_tags"]) for s in sentences])
        self.triggers = CrfTagger([(s.tokens, s.tags["event_tags"]) for s in sentences])
        events = [e for d in train for e in d.gold["events"]]
        self.event_defaults = {}
        for etype in ont.ids("event_types"):
            of_type = [e for e in events if e["type"] == etype]
            modes = _modes(ont, etype)
            mode = _majority([e["mode"] for e in of_type if e.get("mode") in modes], _default_mode(modes))
            self.event_defaults[etype] = {
                "mode": mode,
                "realis": _majority([e["realis"] for e in of_type] or [e["realis"] for e in events], "actual"),
                "granularity": _majority([e["granularity"] for e in of_type] or [e["granularity"] for e in events],
                                         "single"),
            }
        claims = [c for d in train for c in d.gold["claims"]]
        self.stance = _majority([c["stance"] for c in claims], "affirm")
        self.certainty = _majority([c["certainty"] for c in claims], "certain")
        self.lexicon = cue_lexicon(train)
        self.claim_sentences = ClaimSentenceClassifier(
            [(d.ctx.text[s.start:s.end], "CLAIM" in " ".join(s.tags["claim_tags"])) for d in train for s in d.sentences])
        self.claimants = ClaimantChooser()
        for d in train:
            self._claimant_examples(d)
        self.claimants.fit()

    def _claimant_examples(self, d: GoldDocument) -> None:
        mentions = {m["id"]: m for m in d.gold["mentions"]}
        for c in d.gold["claims"]:
            k = d.ctx.sentence_of(c["content"][0])
            if k is None:
                continue
            sentence = d.sentences[k]
            candidates = _candidates(sentence, [(m["span"]["start"], m["span"]["end"], self._type(m), m["id"])
                                                for m in d.gold["mentions"]])
            wanted = c["claimant"].get("mention")
            gold = next((i for i, cand in enumerate(candidates) if cand.mention_id == wanted), None) \
                if wanted in mentions else len(candidates) - 1 if c["claimant"]["kind"] == "outlet" else None
            if gold is not None:
                self.claimants.add(sentence.tokens, candidates, find_cue(sentence.tokens, self.lexicon), gold)

    def _type(self, mention: dict) -> str | None:
        actor = self.ont.actor_by_id.get(mention.get("actor") or "")
        return actor.type if actor else mention.get("type")

    def __call__(self, d: GoldDocument) -> dict:
        text = d.ctx.text
        mentions, events, claims = [], [], []
        for sentence in d.sentences:
            for start, end, label in spans_from_bio(self.actors.tag(sentence.tokens), sentence.starts, sentence.ends):
                mentions.append({"id": f"m{len(mentions) + 1}", "span": _span(text, start, end), "actor": None,
                                 "type": label})
            for start, end, label in spans_from_bio(self.triggers.tag(sentence.tokens), sentence.starts, sentence.ends):
                events.append({"id": f"e{len(events) + 1}", "type": label, "trigger": _span(text, start, end),
                               "arguments": [], "quantities": [], "part_of": None, "time": None, "place": None,
                               **self.event_defaults[label]})
        found = [(m["span"]["start"], m["span"]["end"], m["type"], m["id"]) for m in mentions]
        is_claim = self.claim_sentences.predict([text[s.start:s.end] for s in d.sentences])
        for sentence, positive in zip(d.sentences, is_claim):
            if not positive:
                continue
            cue = find_cue(sentence.tokens, self.lexicon)
            candidates = _candidates(sentence, found)
            claimant = self.claimants.choose(sentence.tokens, candidates, cue)
            first, stop = content_tokens(sentence, cue, claimant)
            content = _span(text, sentence.starts[first], sentence.ends[stop - 1])
            about = [e["id"] for e in events
                     if content["start"] <= e["trigger"]["start"] and e["trigger"]["end"] <= content["end"]]
            claims.append({
                "id": f"c{len(claims) + 1}", "content": [content],
                "cue": _span(text, sentence.starts[cue[0]], sentence.ends[cue[1] - 1]) if cue else None,
                "claimant": {"kind": "actor", "mention": claimant.mention_id} if claimant.mention_id
                else {"kind": "outlet"},
                "reported_via": [], "about": {"events": about, "quantities": []},
                "stance": self.stance, "certainty": self.certainty, "links": [],
            })
        return {"mentions": mentions, "events": events, "claims": claims}


def _candidates(sentence, mentions: list[tuple[int, int, str | None, str]]) -> list[Candidate]:
    """The mentions inside ``sentence`` as token ranges, in order, then the outlet."""
    out = []
    for start, end, actor_type, mention_id in sorted(mentions):
        if sentence.start <= start and end <= sentence.end:
            first = next((i for i, s in enumerate(sentence.starts) if s >= start), None)
            stop = next((i for i in range(len(sentence.ends) - 1, -1, -1) if sentence.ends[i] <= end), None)
            if first is not None and stop is not None and first <= stop:
                out.append(Candidate(mention_id, first, stop + 1, actor_type))
    return out + [Candidate(None)]


def _modes(ont: Ontology, etype: str) -> tuple[str, ...]:
    return next(e.modes for e in ont.event_types if e.id == etype)


def _default_mode(modes: Sequence[str]) -> str | None:
    if not modes:
        return None
    return "unspecified" if "unspecified" in modes else modes[0]


def registry_aliases(ont: Ontology) -> Annotate:
    def annotate(d: GoldDocument) -> dict:
        text = d.ctx.text
        mentions = [{"id": f"m{i + 1}", "span": _span(text, m.start, m.end), "actor": m.actor, "type": None}
                    for i, m in enumerate(find_actor_mentions(text, ont))]
        return {"mentions": mentions, "events": [], "claims": []}
    return annotate


def rule_preannotator(ont: Ontology) -> Annotate:
    """The rule-based pre-annotation engine (:func:`counterclaim.preannotate.propose`): its proposed mentions,
    events and claims. It was written on the development seeds, which are in the train split."""
    from counterclaim.preannotate import propose

    def annotate(d: GoldDocument) -> dict:
        proposed = propose(d.ctx.text, ont, corpus_version="0.0.0").annotation
        return {layer: proposed[layer] for layer in ("mentions", "events", "claims")}
    return annotate


@dataclass(frozen=True)
class Baseline:
    name: str
    description: str
    layers: tuple[str, ...]  # what it predicts: mention, event, claim, cue
    build: Callable[[Sequence[GoldDocument], Ontology], Annotate]


BASELINES: tuple[Baseline, ...] = (
    Baseline("crf-linear", "CRF (python-crfsuite) for actor mentions and event triggers; logistic regression "
             "(scikit-learn) for claim sentences and claimant choice; train-split cue lexicon",
             ("mention", "event", "claim", "cue", "claimant"), CrfLinear),
    Baseline("registry-aliases", "registry aliases matched in the text (the Label Studio pre-annotation)",
             ("mention",), lambda train, ont: registry_aliases(ont)),
    Baseline("rule-preannotator", "the rule-based pre-annotation engine (counterclaim.preannotate)",
             ("mention", "event", "claim", "cue", "claimant"), lambda train, ont: rule_preannotator(ont)),
)


def predicted_document(d: GoldDocument, layers: dict, *, system: str, ont: Ontology, corpus_version: str) -> dict:
    """An annotated document holding one prediction of ``system``."""
    return {
        "schema_version": ont.version, "doc_id": d.doc["doc_id"], "corpus_version": corpus_version,
        "text": d.doc["text"], "text_sha256": d.doc["text_sha256"],
        "annotations": [{
            "id": f"baseline-{system}",
            "provenance": {"annotator": f"baseline-{system}", "origin": "prediction",
                           "tool": {"name": "counterclaim", "version": __version__},
                           "created_at": None, "updated_at": None, "lead_time": None,
                           "schema_version": ont.version, "corpus_version": corpus_version,
                           "guidelines_version": None},
            "cancelled": False, "ground_truth": False, **layers,
        }],
    }
