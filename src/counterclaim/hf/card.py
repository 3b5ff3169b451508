"""The dataset card (README.md of ``export/``): YAML metadata generated from the ontology, and prose.

Counts, splits, features and the worked example are computed from the export itself, so the card cannot
drift from the data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from huggingface_hub import DatasetCardData

from counterclaim.hf.card_research import CONFIG_LINES, ResearchStats, research_sections
from counterclaim.hf.features import CONFIGS, ConfigFeatures, yaml_list
from counterclaim.model.ontology import Ontology

PRETTY_NAME = "counterclaim: actors, events and attributed claims in conflict news"
CITATION = """@misc{counterclaim,
  title  = {counterclaim: an annotated corpus of actors, events and attributed claims in news about armed conflict},
  author = {{counterclaim maintainers}},
  year   = {2026},
  note   = {Corpus version %s}
}"""


@dataclass
class Stats:
    documents: Counter = field(default_factory=Counter)
    gold: Counter = field(default_factory=Counter)
    tables: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    annotations: Counter = field(default_factory=Counter)
    cancelled: Counter = field(default_factory=Counter)
    annotators: set = field(default_factory=set)
    example: dict | None = None
    wanted_example: tuple[str, str] | None = None  # (doc_id, claim id) from corpus/card.yaml
    example_rank: int = 0  # corpus position of the example's document: the first one in the corpus wins
    gold_by: Counter = field(default_factory=Counter)  # (origin, annotator, guidelines version) -> documents
    multi_annotated: int = 0
    source_kinds: Counter = field(default_factory=Counter)  # the reader each document came from -> documents
    research: ResearchStats = field(default_factory=ResearchStats)  # for the researchers' sections

    def add_document(self, split: str, doc: dict) -> None:
        self.documents[split] += 1
        self.source_kinds[(doc.get("source") or {}).get("kind")] += 1

    def add(self, split: str, ann: dict, ont: Ontology, doc_id: str = "", rank: int = 0) -> None:
        """Count a gold annotation; ``rank`` is its document's position in the corpus (documents may come
        in any order)."""
        self.gold[split] += 1
        self.research.add(split, ann, doc_id)
        prov = ann["provenance"]
        self.gold_by[(prov["origin"], prov["annotator"], prov.get("guidelines_version") or "unversioned")] += 1
        t = self.tables
        for m in ann["mentions"]:
            actor = ont.actor_by_id.get(m.get("actor") or "")
            t["Actor mentions by actor type"][actor.type if actor else m.get("type")][split] += 1
        for e in ann["events"]:
            t["Events by type"][e["type"]][split] += 1
            t["Events by realis"][e["realis"]][split] += 1
            for q in e["quantities"]:
                t["Quantities by measurand"][q["measurand"]][split] += 1
        for c in ann["claims"]:
            t["Claims by stance"][c["stance"]][split] += 1
            t["Claims by certainty"][c["certainty"]][split] += 1
            t["Claims by claimant kind"][c["claimant"]["kind"]][split] += 1
        if self.wanted_example is not None:
            if self.wanted_example[0] == doc_id:
                self.example = _example(ann, ont, self.wanted_example[1])
        elif self.example is None or rank < self.example_rank:
            found = _example(ann, ont)
            if found is not None:
                self.example, self.example_rank = found, rank

    def add_annotations(self, split: str, annotated: dict) -> None:
        people = set()
        for a in annotated.get("annotations", []):
            self.annotations[split] += 1
            self.cancelled[split] += int(a["cancelled"])
            self.annotators.add(a["provenance"]["annotator"])
            if not a["cancelled"] and a["provenance"]["origin"] != "adjudication":
                people.add(a["provenance"]["annotator"])
        self.multi_annotated += len(people) > 1


def _example(ann: dict, ont: Ontology, claim_id: str | None = None) -> dict | None:
    """A worked example for the card: the claim ``claim_id``, or the first one by an actor that asserts both
    an event and a number."""
    mentions = {m["id"]: m for m in ann["mentions"]}
    events = {e["id"]: e for e in ann["events"]}
    quantities = {q["id"]: q for e in ann["events"] for q in e["quantities"]}
    for c in ann["claims"]:
        chosen = c["id"] == claim_id if claim_id else (
            c["about"]["events"] and c["about"]["quantities"] and c["claimant"]["kind"] == "actor")
        if chosen:
            mention = mentions.get(c["claimant"].get("mention") or "")
            actor = ont.actor_by_id.get(c["claimant"].get("actor") or (mention or {}).get("actor") or "")
            return {
                "content": " … ".join(s["text"] for s in c["content"]),
                "cue": (c.get("cue") or {}).get("text"),
                "claimant": (mention or {}).get("span", {}).get("text"),
                "claimant_actor": f"{actor.name} (`{actor.id}`)" if actor else None,
                "stance": c["stance"], "certainty": c["certainty"],
                "events": [(events[e]["type"], events[e]["realis"], events[e]["granularity"],
                            (events[e].get("trigger") or {}).get("text")) for e in c["about"]["events"]],
                "quantities": [(quantities[q]["measurand"], quantities[q].get("value"), quantities[q].get("low"),
                                quantities[q].get("high"), quantities[q]["qualifier"],
                                (quantities[q].get("span") or {}).get("text")) for q in c["about"]["quantities"]],
                "links": [(l["type"], l["claim"]) for l in c["links"]],
                "claim_id": c["id"],
            }
    return None


@dataclass
class CardContext:
    ontology: Ontology
    features: ConfigFeatures
    manifest: dict
    splits: list[str]
    rows: dict[str, Counter]
    stats: Stats
    assignment: dict[str, str]
    salt: str
    tool_version: str
    data_files: dict[str, dict[str, str]]
    default_config: str
    no_gold: list[str]
    example: dict | None

    @staticmethod
    def new_stats() -> Stats:
        return Stats()


# The Hub's size categories, by upper bound.
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
                   (10_000_000_000, "1B<n<10B"), (100_000_000_000, "10B<n<100B"), (1_000_000_000_000, "100B<n<1T"))
# Readers whose documents come from another dataset (the card then says `extended`).
DATASET_READERS = {"fakenewscorpus-csv": "FakeNewsCorpus"}
LICENSE_FILE = "LICENSE"


def size_category(n: int) -> str:
    for limit, name in SIZE_CATEGORIES:
        if n < limit:
            return name
    return "n>1T"


def _source_datasets(stats: Stats) -> list[str]:
    own = any(kind not in DATASET_READERS for kind in stats.source_kinds)
    extended = any(kind in DATASET_READERS for kind in stats.source_kinds)
    return (["original"] if own or not extended else []) + (["extended"] if extended else [])


def card_data(ctx: CardContext) -> DatasetCardData:
    """The card's YAML metadata, built and serialised by huggingface_hub."""
    configs = []
    infos = []
    for config, files in ctx.data_files.items():
        entry: dict[str, Any] = {"config_name": config}
        if config == ctx.default_config:
            entry["default"] = True
        entry["data_files"] = [{"split": s, "path": path} for s, path in files.items()]
        configs.append(entry)
        infos.append({"config_name": config, "features": yaml_list(ctx.features.configs[config])})
    return DatasetCardData(
        pretty_name=PRETTY_NAME,
        language=["en"],
        license="other",
        license_name="annotations-cc-by-4.0-texts-third-party",
        license_link=LICENSE_FILE,
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        size_categories=[size_category(sum(ctx.stats.documents.values()))],
        source_datasets=_source_datasets(ctx.stats),
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "fact-checking"],
        tags=["armed-conflict", "claims", "attribution", "event-extraction", "misinformation", "syria"],
        configs=configs,
        dataset_info=infos,
    )


def render_license(ctx: CardContext) -> str:
    """The export's LICENSE file, which the card's ``license_link`` points to."""
    return f"""counterclaim dataset, corpus version {ctx.manifest.get("version")}

Annotations (actor mentions, events, quantities, claims and their links), the ontology and the dataset
structure: Creative Commons Attribution 4.0 International (CC BY 4.0),
https://creativecommons.org/licenses/by/4.0/ — attribute "the counterclaim maintainers".

Article texts: the copyright of each text stays with its publisher. They are included for research on their
content (claims, attribution, events). Check the original terms before redistributing a text outside research.
"""


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _counts(ctx: CardContext) -> str:
    splits = ctx.splits
    out = []
    header = ["", *splits, "total"]
    base = [
        ["documents", *[ctx.stats.documents[s] for s in splits], sum(ctx.stats.documents.values())],
        ["documents with gold annotations", *[ctx.stats.gold[s] for s in splits], sum(ctx.stats.gold.values())],
        ["annotations (all annotators)", *[ctx.stats.annotations[s] for s in splits], sum(ctx.stats.annotations.values())],
        ["of which cancelled", *[ctx.stats.cancelled[s] for s in splits], sum(ctx.stats.cancelled.values())],
    ]
    for config in ("ner", "events", "claims", "ner_sentences", "quantities", "bigbio_kb"):
        base.append([f"rows in `{config}`", *[ctx.rows[config][s] for s in splits], sum(ctx.rows[config].values())])
    out.append(_table(header, base))
    for title, table in sorted(ctx.stats.tables.items()):
        rows = [[f"`{label}`", *[table[label][s] for s in splits], sum(table[label].values())]
                for label in sorted(table, key=str)]
        out.append(f"**{title}** (gold)\n\n" + _table(header, rows))
    return "\n\n".join(out)


def _example_text(ctx: CardContext) -> str:
    ex = ctx.example
    if ex is None:
        return "No gold claim asserts both an event and a number yet."
    lines = [
        f"> {ex['content']}",
        "",
        f"- claim `{ex['claim_id']}`: claimant **{ex['claimant']}** → {ex['claimant_actor']}, cue “{ex['cue']}”, "
        f"stance `{ex['stance']}`, certainty `{ex['certainty']}`",
    ]
    for etype, realis, granularity, trigger in ex["events"]:
        lines.append(f"- asserts event `{etype}` (trigger “{trigger}”, realis `{realis}`, {granularity})")
    for measurand, value, low, high, qualifier, text in ex["quantities"]:
        number = value if value is not None else f"{low}–{high}"
        lines.append(f"- asserts quantity `{measurand}` = {number} (`{qualifier}`, text “{text}”)")
    for link_type, other in ex["links"]:
        lines.append(f"- {link_type} claim `{other}`")
    lines += ["", "In the `claims` config this is one row: `content`, `cue`, `claimant`, `stance`, `certainty`, and "
              "the asserted `events` and `quantities` resolved; in `events` the event's row lists the claim under "
              "`asserted_by`, so numbers from different claimants stay side by side."]
    return "\n".join(lines)


_ORIGIN_WORDS = {"manual": "written by hand", "label-studio": "annotated in Label Studio",
                 "adjudication": "merged by `counterclaim adjudicate`", "prediction": "machine predictions"}


def _who(ctx: CardContext) -> str:
    stats = ctx.stats
    if not stats.gold_by:
        return "No document has a gold annotation yet."
    parts = [f"{n} document(s) by `{who}` ({_ORIGIN_WORDS.get(origin, origin)}, guidelines {version})"
             for (origin, who, version), n in sorted(stats.gold_by.items())]
    double = (f"{stats.multi_annotated} document(s) have more than one annotator"
              if stats.multi_annotated else "no document is double-annotated, so there is no agreement figure yet")
    maintainers = any(who == "maintainers" for (_, who, _) in stats.gold_by)
    single = (" The maintainers' gold annotations are a single careful pass by the project's maintainers, who "
              "wrote the guidelines; they are not independent of them." if maintainers else "")
    return (f"Gold annotations: {'; '.join(parts)}. Annotator ids are pseudonymous "
            f"({len(stats.annotators)} in this release); {double}.{single}")


def _empty(ctx: CardContext) -> str:

    missing = [c for c in CONFIGS if c not in ctx.data_files]
    partial = [f"`{c}` has no {', '.join(s for s in ctx.splits if s not in files)} rows"
               for c, files in ctx.data_files.items() if len(files) < len(ctx.splits)]
    notes = ([f"empty in this release, so not listed: {', '.join(f'`{c}`' for c in missing)}"] if missing else []) + partial
    return "" if not notes else "\n- Splits without rows have no file: " + "; ".join(notes) + "."


def render_card(ctx: CardContext) -> str:
    ont = ctx.ontology
    version = ctx.manifest.get("version")
    meta = card_data(ctx).to_yaml().rstrip("\n") + "\n"
    assignment = "\n".join(f"| `{d}` | {s} |" for d, s in sorted(ctx.assignment.items()))
    no_gold = "\n".join(f"- {line}" for line in ctx.no_gold) or "- none"
    configs = "\n".join([
        "- `documents` (default): one row per document — text, source metadata, and the gold annotation nested "
        "(mentions with canonical actors; events with trigger, arguments, realis, time, place and quantities; "
        "claims with content, cue, claimant, nested attribution, asserted events/quantities and links).",
        "- `ner`: one row per document with a gold annotation — tokens with character offsets and two BIO tag "
        "columns, `actor_tags` (actor mentions by actor type) and `event_tags` (triggers by event type). "
        "Spans that overlap within a layer cannot all be BIO-tagged: the longest wins, then the earliest, and "
        "the others are listed in `unrepresented_mentions` / `unrepresented_events`.",
        "- `events`: one row per gold event with its sentence (`context`), type, mode, arguments, quantities, "
        "and the claims that assert it (`asserted_by`).",
        "- `claims`: one row per gold claim with claimant, cue, stance, certainty, and the events and quantities "
        "it asserts, resolved.",
        "- `annotations`: every annotator's annotation of every document (cancelled ones included, flagged), "
        "for agreement research; `is_gold` marks the one used in the other configs.",
        *CONFIG_LINES,
    ])
    return f"""---
{meta}---

# {PRETTY_NAME}

An annotation corpus of news about armed conflict: **actor mentions** linked to a registry of canonical
actors, **events** with their arguments, modality and numbers, and **claims** — who asserts what, through
which sources, about which events and which numbers, with stance, certainty and the claims they support or
contest. Its first documents are five 2015 articles on the Russian air campaign in Syria, several from
low-quality or propaganda sites.

- Corpus version: **{version}** ({ctx.manifest.get("document_count")} documents); ontology / schema version
  **{ont.version}**; built by counterclaim {ctx.tool_version}.
- Curated by: the counterclaim maintainers. Language: English. Licence: see [Licence](#licence) and
  [`LICENSE`](LICENSE).
- Repository: the counterclaim project (its `corpus/`, `schema/` and `guidelines/` folders build this export
  with `counterclaim export`); not yet published at a public address.
- Configs: {", ".join(f"`{c}`" for c in ctx.data_files)} (default `{ctx.default_config}`).{_empty(ctx)}

```python
import datasets
claims = datasets.load_dataset("path/to/export", "claims")          # or streaming=True
docs = datasets.load_dataset("path/to/export")                      # the default config, `documents`
```

## Dataset structure

{configs}

Offsets are half-open `[start, end)` Unicode code-point offsets into `text` (Python string indexes).
Objects point to each other by id (`mention_id`, `event_id`, claim ids). Closed label sets are
`ClassLabel`s whose names come from the ontology (`schema/ontology.yaml`); the integer codes follow its
order, and a change to a closed set is a major version. Actor ids, names and free text are strings.
Absent values are null.

{research_sections(ctx)}

## Counts per split

{_counts(ctx)}

## Splits

Documents are assigned to splits by `sha256("{ctx.salt}:" + doc_id)`: the first 8 bytes as an integer
modulo 100, below 80 → train, below 90 → validation, else test. Every row of every config comes from one
document and lands in that document's split, so no document leaks across splits, and adding documents
never moves an existing one. The salt was fixed for the first release. Assignment:

| doc_id | split |
|---|---|
{assignment}

## Worked example

{_example_text(ctx)}

## Dataset creation

**Curation rationale.** News about armed conflict is full of attributed and contested statements: a ministry
says it hit 1,623 targets, an intelligence service says only 5% of strikes hit their stated enemy, a monitor
counts the dead. Event datasets keep one settled number per event and claim datasets stop at a span or a
verdict; this corpus keeps each attributed statement with its claimant, cue and the events and numbers it
asserts, so conflicting numbers and the sources behind them stay side by side.

**Sources.** Scraped news articles of the kind collected by FakeNewsCorpus; the seed articles carry no
URL, publisher, date or reliability label (those fields are null); documents added from the FakeNewsCorpus
CSV keep its domain, URL, scrape date and OpenSources reliability label. Texts are normalised by a
documented policy (NFC, `\\n` newlines, scraping residue such as "Share"/"Advertisement" markers and
comment forms removed) and the title is the first line of `text`.

**Annotation process.** Annotators work in Label Studio with a labeling config generated from the ontology
and the guidelines shown as instructions; actor mentions are pre-annotated from the registry's aliases and
corrected by hand. Annotations are exported as JSON snapshots, converted losslessly (every result converted
or reported) and validated against the schema. The gold annotation of a document is, in order: the output
of `counterclaim adjudicate`, the one flagged ground truth, or the only annotation; documents without gold:

{no_gold}

**Who annotated.** {_who(ctx)}

**Personal and sensitive information.** The texts name real people — officials, spokespeople, commanders,
sometimes victims — as published by the outlets; canonical actors in the registry carry Wikidata ids, which
link public figures to public records. The annotations attribute statements to them as the texts report them,
not as verified facts. Annotator ids are pseudonymous (a Label Studio user number, never a name or an email).
No private data beyond what the published articles contain was collected.

## Bias, risks and limitations

- The sources include propaganda and low-quality sites; texts are kept as published, including false or
  one-sided statements. The annotations record who claims what — they are not fact-checks and say nothing
  about which claim is true.
- Scraping residue remains where no rule removes it safely: captions, related-article headlines, glued
  words and truncated sentences.
- The corpus is tiny and topically narrow (one conflict, one month of 2015, English only); models trained on
  it will not generalise without more data.
- Canonical actors and their Wikidata ids come from a hand-made registry; unlisted actors only carry a type.

## Uses

Intended: research on claim detection and attribution, event extraction with modality and numbers,
source-aware fact-checking support, and annotation agreement. Out of scope: deciding the truth of claims,
profiling people or outlets, and any operational or targeting use.

## Licence

The annotations are released under CC BY 4.0. The article texts belong to their publishers and are
included for research on their content; check the original terms before redistributing them.

## Citation

```bibtex
{CITATION % version}
```

## Card authors and contact

Written by the counterclaim maintainers, generated by `counterclaim export` from the corpus and the ontology.
Questions and corrections: open an issue in the counterclaim project's repository.
"""
