"""The dataset card's sections for researchers: the research configs, tokens and sentences, global ids, what null
means in every nullable field, the labels each split lacks, why ``check_worthy`` is mostly null, the official
metric, and the baselines' scores.

Everything is computed from the export (gold annotations seen while exporting, ``baselines/results.json``), so
the card cannot drift from the data: :class:`ResearchStats` is filled by the card's ``Stats`` as documents are
exported.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterclaim.hf.rows import TOKEN_RE
from counterclaim.hf.sentences import ABBREVIATIONS
from counterclaim.hf.silver_features import SILVER_OF
from counterclaim.io import jsonio
from counterclaim.model.ontology import Ontology

BASELINES_RESULTS = Path("baselines") / "results.json"

CONFIG_LINES = (
    "- `ner_sentences`: one row per sentence of a document with a gold annotation, in the conll2003 layout: "
    "`id` (the sentence's global id), `tokens`, `ner_tags` (actor mentions, BIO by actor type), plus "
    "`event_tags` (triggers, BIO by event type) and `claim_tags` (`CLAIM` content, `CUE`, `CLAIMANT` mention), "
    "with the tokens' offsets into the document. Spans cut by a sentence boundary are tagged in each sentence "
    "and listed in `crossing_gids`; spans that overlap within a layer in `unrepresented_*_gids`.",
    "- `quantities`: one row per asserted number — measurand, value or low/high, qualifier; its event (global "
    "id, type, mode, realis, trigger, date, place); the event's acting `actors` (attacker/agent, taken from the "
    "event it was caused by or belongs to when it has none; an empty list, never a missing row); the `claims` "
    "asserting it with claimant, stance and certainty, their actors flattened in `claimant_actors`; and the "
    "outlet (`source_domain`, `source_url`, `source_reliability`). \"Who said how many\" is one filter.",
    "- `bigbio_kb`: each document with a gold annotation in BigBio's knowledge-base schema, exactly "
    "(bigscience-workshop/biomedical `utils/schemas/kb.py`): `passages` (headline and body), `entities` "
    "(actor mentions normalised to registry ids and Wikidata; quantities, times, places, span arguments, "
    "claims with one offset pair per content span, cues), `events` with trigger and `arguments` "
    "`{role, ref_id}` (also `time`, `place`, `quantity`, `part_of`, `asserted_by`), `relations` (claim → "
    "`claimant`, `reported_via`, `cue`, `about_quantity`, `supports`, `contests`) and `coreferences` (mentions "
    "of one registry actor). BigBio's own checks (offsets reproduce the passages' text, ids unique, references "
    "resolve) hold on every row; what the schema has no field for (realis, stance...) is in the other configs.",
)

# (configs, field, what null means). Paths use `[]` for list items; a test checks that every null in the export
# is explained here.
NULLS: tuple[tuple[str, str, str], ...] = (
    ("documents", "title", "the source gave no title (the text then has no headline line)"),
    ("documents", "source.url, source.domain, source.published, source.retrieved_at, source.reliability",
     "the source does not give it (the seed articles give none of these)"),
    ("documents", "gold_annotation_id", "the document has no gold annotation (`gold_source` says why)"),
    ("documents, annotations", "mentions[].actor, mentions[].actor_name, mentions[].sector",
     "the mention is not linked to a registry actor: only its `actor_type` is known"),
    ("documents, annotations", "mentions[].wikidata", "no registry actor, or the registry has no Wikidata id for it"),
    ("documents, annotations, events", "mode, events[].mode", "the annotator gave no mode"),
    ("documents, annotations, events", "trigger, events[].trigger",
     "the event has no trigger word in the text (an implicit event)"),
    ("documents, annotations, events", "part_of, events[].part_of, part_of_gid",
     "the event is not part of an annotated aggregate event"),
    ("documents, annotations, events", "arguments[].mention_id, arguments[].event_id",
     "the argument is filled by something else: exactly one of `mention_id` and `event_id` is set for a mention "
     "or an event, both are null for a text span (`start`, `end`, `text` give it)"),
    ("documents, annotations, events", "arguments[].start, arguments[].end, arguments[].text",
     "the argument is an event without a trigger"),
    ("documents, annotations, events", "time, place, events[].time, events[].place",
     "no time or place was annotated"),
    ("documents, annotations, events", "time.start, time.end, time.text, place.start, place.end, place.text",
     "the time or place is not anchored to a span of the text"),
    ("documents, annotations, events", "time.date_start, time.date_end",
     "the time was not resolved to a date (or the range is open on that side)"),
    ("documents, annotations, events", "place.name, place.geonames_id", "the place was not resolved"),
    ("documents, annotations, events, quantities", "quantities[].value, value",
     "the number is a range or a bound: `low` and/or `high` hold it"),
    ("documents, annotations, events, quantities", "quantities[].low, quantities[].high, low, high",
     "a single value (`value`), or a range open on that side (\"more than 50\": only `low`)"),
    ("documents, annotations, events, quantities", "quantities[].start, quantities[].end, quantities[].text, "
     "start, end, text, sentence_gid, context", "the number has no span in the text"),
    ("documents, annotations, events, quantities", "quantities[].note, note", "no note"),
    ("documents, annotations, claims", "claims[].cue, cue", "the claim has no reporting verb or phrase "
     "(typically the outlet's own assertions)"),
    ("documents, annotations, claims", "claims[].claimant, claimant",
     "the outlet asserts the claim itself (`claimant_kind` is `outlet`)"),
    ("documents, annotations, claims", "claimant.mention_id, claims[].claimant.mention_id, "
     "reported_via[].mention_id, claims[].reported_via[].mention_id",
     "the source is given by its registry actor only, without a mention"),
    ("documents", "source.dataset, source.outlet, source.outlet_name, source.outlet_country, "
     "source.outlet_affiliation, source.credibility, source.credibility_by, source.source_ids, "
     "source.source_records", "the document does not come from another dataset (FA-KES): the seed articles"),
    ("documents", "source.outlet_side", "the outlet is not owned by a party to the war or by a state whose forces "
     "fought in it (see the outlet table)"),
    ("documents", "source.date, source.location", "FA-KES gives no date or governorate for the article, or its "
     "repeated rows disagree (see `source_records`); null for the seed articles"),
    ("documents, annotations, claims", "claimant.actor, claims[].claimant.actor, reported_via[].actor, "
     "claims[].reported_via[].actor, co_claimants[].actor, claims[].co_claimants[].actor, claimant_actor_name",
     "the source's mention is not linked to a registry actor"),
    ("documents, annotations, claims", "claimant.text, claims[].claimant.text, reported_via[].text, "
     "claims[].reported_via[].text", "the source has no mention"),
    ("documents, annotations, claims", "check_worthy, claims[].check_worthy",
     "not judged — not \"not check-worthy\" (see below)"),
    ("documents, claims", "source_domain, source_reliability", "the source does not give it"),
    ("claims", "events[].trigger", "the asserted event has no trigger"),
    ("claims", "quantities[].value, quantities[].low, quantities[].high, quantities[].text",
     "as for the quantities of `documents`"),
    ("events", "context, context_start, sentence_gid", "the event has no trigger"),
    ("annotations", "created_at, updated_at, lead_time",
     "the tool did not record it (annotations written by hand have none)"),
    ("annotations", "schema_version", "never null"),
    ("quantities", "event_mode, event_trigger", "as `mode` and `trigger` of the event"),
    ("quantities", "event_date_start, event_date_end, event_place", "the event has no resolved date or place"),
    ("quantities", "actors[].actor, actors[].actor_name",
     "the acting mention is not linked to a registry actor (`actor_type` still says what it is)"),
    ("quantities", "actors_from_gid",
     "neither the event, nor the event it was caused by, nor the aggregate it belongs to has an attacker or "
     "agent: `actors` is empty"),
    ("quantities", "claims[].claimant_actor, claims[].claimant_actor_name, claims[].claimant_text",
     "the outlet asserts the number, or the claimant is not linked to a registry actor"),
    ("quantities", "claims[].cue", "the claim has no cue"),
    ("quantities", "source_domain, source_url, source_reliability", "the source does not give it"),
    ("quantities", "incident_id", "the number's event belongs to no incident, nor does the event that caused it "
     "when it counts deaths or injuries: no other document reports that event by the incident rule "
     "(`quantities` uses the incidents of `incidents`, `silver_quantities` those of `silver_incidents`)"),
    ("incidents", "claim_id, content_text, cue, claimant_kind, claimant_actor, claimant_name, claimant_text, stance, "
     "certainty", "no claim asserts this member event: the row stands for the event alone (its numbers and "
     "culprits are then empty)"),
    ("incidents", "cue", "the claim has no cue (the outlet's own assertion)"),
    ("incidents", "claimant_actor, claimant_name, claimant_text",
     "the outlet asserts the claim, or the claimant is not linked to a registry actor or has no mention"),
    ("incidents", "place", "the event has no annotated place (its `governorates` come from the article)"),
    ("incidents", "outlet_side", "the outlet is not owned by a party to the war or by a state whose forces fought "
     "in it"),
    ("incidents", "numbers[].value, numbers[].low, numbers[].high",
     "as for the quantities of `documents`: a single value, or a range open on one side"),
    ("incidents", "culprits[].actor, culprits[].name", "the culprit's mention is not linked to a registry actor "
     "(`text` gives it)"),
)


def documented_nulls() -> set[tuple[str, str]]:
    """Every (config, field path) the null table explains; a silver config's fields mean what the same fields of
    the gold config it mirrors mean."""
    out = set()
    for configs, fields, _ in NULLS:
        for config in configs.split(", "):
            for path in fields.split(", "):
                out.add((config, path))
    out |= {(silver, path) for silver, gold in SILVER_OF.items() for config, path in out if config == gold}
    return out


@dataclass
class ResearchStats:
    """What the researchers' sections need, gathered from the gold annotations as they are exported."""

    check_worthy: "CheckWorthy" = field(default_factory=lambda: CheckWorthy())  # gold claims, in totals
    digest: Any = field(default_factory=hashlib.sha256)
    baselines: dict | None = None  # baselines/results.json, when present

    def add(self, split: str, ann: dict, doc_id: str) -> None:
        self.check_worthy.add(doc_id, [(c["claimant"]["kind"], c.get("check_worthy")) for c in ann["claims"]])
        self.digest.update(jsonio.dumps({"doc_id": doc_id, "split": split, "gold": ann}).encode("utf-8"))


@dataclass
class CheckWorthy:
    """How much of ``check_worthy`` the gold claims set, in totals: each document is counted as it is added, so
    memory holds counters (and the ids of the documents set on every claim, which the card lists), not a
    counter per document."""

    total: int = 0  # gold claims
    null: int = 0  # of them without check_worthy
    full: dict[str, int] = field(default_factory=dict)  # document set on every claim -> its claims
    rest_total: int = 0  # claims of the other documents
    rest_set: Counter = field(default_factory=Counter)  # claimant kind -> claims set in the other documents

    def add(self, doc_id: str, claims: list[tuple[str, Any]]) -> None:
        """Count a document's claims, as ``(claimant kind, check_worthy)``; a document without claims counts for
        nothing."""
        if not claims:
            return
        self.total += len(claims)
        self.null += sum(value is None for _, value in claims)
        if all(value is not None for _, value in claims):
            self.full[doc_id] = len(claims)
            return
        self.rest_total += len(claims)
        self.rest_set.update(kind for kind, value in claims if value is not None)


def load_baselines(root: Path) -> dict | None:
    path = Path(root) / BASELINES_RESULTS
    return jsonio.read_json(path) if path.exists() else None


# -- sections --------------------------------------------------------------------------------------------------


def tokens_and_sentences() -> str:
    abbreviations = ", ".join(f"“{a}”" for a in ABBREVIATIONS[:8])
    return f"""**Tokens.** `ner` and `ner_sentences` share one tokenizer, the regular expression
`{TOKEN_RE.pattern}` on the document text: a word with inner apostrophes, full stops, commas or hyphens ("U.S.",
"1,623", "al-Assad") or a single other character. `token_starts` / `token_ends` are its offsets into `text`.

**Sentences.** Computed once per document with spaCy 3.8's rule-based `sentencizer` on a blank English
pipeline (no statistical model), plus rules: no sentence crosses a line break; the headline (the first line)
is always one sentence; titles and abbreviations before a name or number never end one ({abbreviations}...;
spaCy already keeps initials and "U.S." whole), unless a letter-dot abbreviation is followed by a word that
starts sentences ("in the U.S. The ministry..."); an opening quote after a full stop starts the next sentence;
a boundary never falls inside a token. `documents.sentences` holds them as `{{start, end}}` offsets; sentence
`k` of a document (0 is the headline) has the global id `<doc_id>:s<k>`. `events.context` is the trigger's
sentence and `claims.context` the sentences of the content and cue, never cut inside a sentence."""


GLOBAL_IDS = """**Global ids.** Local ids (`m1`, `e1`, `c1`, `q1`) are unique only within a document. Every row of
`events`, `claims`, `annotations`, `quantities` and `ner_sentences` has a global `id`, `<doc_id>:<local id>`, and
every column whose name ends in `_gid` or `_gids` holds global ids, so joins across configs take one key
(`claims.about_event_gids` ↔ `events.id`, `events.sentence_gid` ↔ `ner_sentences.id`, `quantities.event_gid` ↔
`events.id`, `quantities.claims[].gid` ↔ `claims.id`). The older id columns (`event_id`, `claim_id`,
`asserted_by`, `about_events`, `supports`... and every id inside `documents` and `annotations` rows) keep their
local ids. A document id never contains `:`, so the first `:` splits a global id."""


def null_table() -> str:
    lines = ["| config(s) | field(s) | null means |", "|---|---|---|"]
    for configs, fields, meaning in NULLS:
        lines.append(f"| {configs} | {', '.join(f'`{f}`' for f in fields.split(', '))} | {meaning} |")
    return "\n".join(lines)


# Label sets whose absence from a split matters for training and evaluation: (title, stats table, ontology set).
LABEL_SETS = (
    ("actor types", "Actor mentions by actor type", "actor_types"),
    ("event types", "Events by type", "event_types"),
    ("realis", "Events by realis", "realis"),
    ("measurands", "Quantities by measurand", "measurands"),
    ("stance", "Claims by stance", "stance"),
    ("certainty", "Claims by certainty", "certainty"),
    ("claimant kinds", "Claims by claimant kind", "claimant_kinds"),
)


def missing_labels(ont: Ontology, tables: dict, splits: list[str]) -> str:
    """Per split, the ontology labels no gold annotation of the split uses (so a model trained on the split
    never sees them, or a score on it never tests them)."""
    header = "| labels | " + " | ".join(f"missing from {s}" for s in splits) + " |"
    lines = [header, "|---|" + "---|" * len(splits)]
    for title, table, label_set in LABEL_SETS:
        counts = tables.get(table, {})
        cells = []
        for split in splits:
            missing = [v for v in ont.ids(label_set) if not counts.get(v, {}).get(split)]
            cells.append(", ".join(f"`{v}`" for v in missing) if missing else "none")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def check_worthy_text(stats: ResearchStats) -> str:
    counts = stats.check_worthy
    if not counts.total:
        return ""
    null, total = counts.null, counts.total
    if null == 0:
        return "**`check_worthy`** is set on every gold claim."
    full = sorted(counts.full)
    rest_total, rest_set = counts.rest_total, counts.rest_set
    set_rest = sum(rest_set.values())
    kinds = ", ".join(f"{n} {kind}-asserted" for kind, n in sorted(rest_set.items(), key=lambda kv: (-kv[1], kv[0])))
    full_text = (f"on every claim of {len(full)} document(s) ({', '.join(f'`{d}`' for d in full)}, "
                 f"{sum(counts.full.values())} claims)" if full else "on no document completely")
    return (f"**Why `check_worthy` is mostly null.** It is {null} of {total} gold claims. The field is optional "
            "and the guidelines give no rule for it beyond the Label Studio choice (\"a checkable factual claim "
            "that matters\" / \"opinion, trivial or uncheckable\"); in this release the maintainers set it "
            f"{full_text}, and on {set_rest} of the {rest_total} claims of the other documents ({kinds or 'none'}), "
            "where it was not a systematic pass. Null means \"not judged\", never \"not check-worthy\": use the "
            "field only where it is set, and do not train a check-worthiness classifier on null-as-negative.")


EVALUATION = """Score a system with `counterclaim evaluate GOLD PRED [--split test] [--json]` (library:
`counterclaim.quality.evaluate.evaluate`). GOLD and PRED are annotated documents (the schema format; PRED holds
one annotation per document). The scorer compares, document by document, the gold annotation with the
system's, as `counterclaim agreement` compares two annotators' spans and attributes (the same regions and
one-to-one matching, gold as the reference):

- **spans** per layer — actor mentions (label: actor type), event triggers (event type), quantities
  (measurand), claim content (all spans of a claim as one region), cues — precision, recall and F1, exact
  (same spans and label) and overlap (same label, a shared character; one-to-one, greedy by largest overlap),
  labelled and span-only, micro-averaged;
- **attributes**: accuracy over gold/system regions matched by overlap (label ignored): event type, realis,
  mode and granularity, mention actor, quantity measurand and qualifier, claim stance, certainty, claimant
  kind, and the **claimant** itself (the claimant's mention span, or the outlet, equal to gold's);
- **relations** within matched events and claims: event arguments (role + filler span), claimant, asserted
  events and quantities, and claim **links** (supports / contests), P/R/F1 exact and overlap.

A gold document without a prediction counts as an empty prediction. Report test-split figures."""


def _score(value: float | None, predicted: bool) -> str:
    if not predicted:
        return "—"
    return "n/a" if value is None else f"{value:.3f}"


# (column header, score keys (exact, overlap or None), the layer that must be predicted)
BASELINE_COLUMNS = (
    ("actor mentions F1 (overlap)", "mention_exact_f1", "mention_overlap_f1", "mention"),
    ("triggers F1 (overlap)", "trigger_exact_f1", "trigger_overlap_f1", "event"),
    ("event type acc.", "event_type_accuracy", None, "event"),
    ("realis acc.", "event_realis_accuracy", None, "event"),
    ("claims F1 (overlap)", "claim_exact_f1", "claim_overlap_f1", "claim"),
    ("cues F1", "cue_exact_f1", None, "cue"),
    ("claimant acc.", "claimant_accuracy", None, "claimant"),
    ("arguments F1", "argument_exact_f1", None, "arguments"),
    ("links F1", "link_exact_f1", None, "links"),
)


def baselines_text(stats: ResearchStats) -> str:
    results = stats.baselines
    if results is None:
        return ("No baseline scores yet: run `counterclaim baselines run`, then `counterclaim export`.")
    header = "| system | " + " | ".join(c[0] for c in BASELINE_COLUMNS) + " |"
    lines = [header, "|---|" + "---:|" * len(BASELINE_COLUMNS)]
    skipped = []
    for system in results["systems"]:
        if system["status"] != "ok":
            skipped.append(f"`{system['name']}` is skipped: {system['reason']}.")
            continue
        s, layers = system["scores"], set(system["layers"])
        cells = []
        for _, exact, overlap, layer in BASELINE_COLUMNS:
            predicted = layer in layers
            cell = _score(s[exact], predicted)
            if overlap and predicted:
                cell += f" ({_score(s[overlap], True)})"
            cells.append(cell)
        lines.append(f"| `{system['name']}` | " + " | ".join(cells) + " |")
    described = "\n".join(f"- `{s['name']}`: {s['description']}." for s in results["systems"])
    counts = results["test_counts"]
    fresh = results.get("gold_sha256") == stats.digest.hexdigest()
    stale = "" if fresh else ("\n\n**These scores are stale**: the gold annotations changed since they were "
                              "computed; run `counterclaim baselines run` and export again.")
    return f"""Trained on the gold **train** split ({len(results['splits']['train'])} documents), scored on the
**test** split ({len(results['splits']['test'])} document(s): {counts['mentions']} actor mentions,
{counts['events']} events, {counts['claims']} claims) with the official metric; exact F1 with overlap F1 in
brackets; "—": the system does not predict that layer. The validation split is not used (no tuning). With so
few documents these figures only show that the pipeline runs end to end; they will be re-measured as the gold
grows. Reproduce with `counterclaim baselines run` (CPU only, seeds fixed: the same gold gives the same
predictions), which also writes each system's test predictions to `baselines/predictions/<system>/`, so
`counterclaim evaluate corpus/annotations baselines/predictions/<system> --split test` prints every per-label
figure. Packages: {", ".join(f"{k} {v}" for k, v in sorted(results["packages"].items()) if v)}.

{chr(10).join(lines)}

{described}{(chr(10) + chr(10) + " ".join(skipped)) if skipped else ""}{stale}"""


def research_sections(ctx) -> str:
    """The sections inserted after "Dataset structure" (``ctx``: the card's CardContext)."""
    stats: ResearchStats = ctx.stats.research
    return f"""{tokens_and_sentences()}

{GLOBAL_IDS}

### What null means

Fields not listed here are never null (lists are empty instead). The silver configs' fields are null when the
same fields of the gold configs they mirror are ({", ".join(f"`{s}` as `{g}`" for s, g in SILVER_OF.items())}).

{null_table()}

{check_worthy_text(stats)}

### Labels each split lacks

Ontology labels that no gold annotation of a split uses: a model trained on that split never sees them, and a
score on it never tests them.

{missing_labels(ctx.ontology, ctx.stats.tables, ctx.splits)}

## Evaluation: the official metric

{EVALUATION}

## Baselines

{baselines_text(stats)}"""
