"""The dataset card (README.md of ``export/``): YAML metadata generated from the ontology, and prose.

Counts, splits, features and the worked example are computed from the export itself, so the card cannot
drift from the data.
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from huggingface_hub import DatasetCardData

from counterclaim.hf.card_agreement import NO_AGREEMENT, agreement_text, passes_text
from counterclaim.hf.card_research import CONFIG_LINES, ResearchStats, research_sections
from counterclaim.hf.card_silver import SILVER_CONFIG_LINES, SilverCard, annotations_creators, silver_section
from counterclaim.hf.features import CONFIGS, ConfigFeatures, yaml_list
from counterclaim.incidents import Incident, claim_records, format_number, rule_text, summary
from counterclaim.model.ontology import Ontology

PRETTY_NAME = "counterclaim: actors, events and attributed claims in conflict news"
CITATION = """@misc{counterclaim,
  title  = {counterclaim: an annotated corpus of actors, events and attributed claims in news about armed conflict},
  author = {{counterclaim maintainers}},
  year   = {2026},
  note   = {Corpus version %s}
}"""
FAKES_CITATION = """@inproceedings{abusalem2019fakes,
  title     = {{FA-KES}: A Fake News Dataset around the Syrian War},
  author    = {Abu Salem, Fatima K. and Al Feel, Roaa and Elbassuoni, Shady and Jaber, Mohamad and Farah, May},
  booktitle = {Proceedings of the International AAAI Conference on Web and Social Media (ICWSM)},
  volume    = {13},
  year      = {2019},
  doi       = {10.1609/icwsm.v13i01.3254}
}"""
FAKES_REFERENCE = ("FA-KES: A Fake News Dataset around the Syrian War, by Fatima K. Abu Salem, Roaa Al Feel, Shady "
                   "Elbassuoni, Mohamad Jaber and May Farah (ICWSM 2019, https://doi.org/10.1609/icwsm.v13i01.3254; "
                   "data: Zenodo record 2607278, https://zenodo.org/record/2607278)")


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
    annotated_by: Counter = field(default_factory=Counter)  # annotator -> documents with a live annotation of theirs
    multi_annotated: int = 0
    source_kinds: Counter = field(default_factory=Counter)  # the reader each document came from -> documents
    outlets: Counter = field(default_factory=Counter)  # outlet id -> documents
    credibility: Counter = field(default_factory=Counter)  # FA-KES label of the document -> documents
    fakes_unknown: Counter = field(default_factory=Counter)  # "date" / "location" -> FA-KES documents without one
    replacement_characters: int = 0  # FA-KES documents holding U+FFFD
    research: ResearchStats = field(default_factory=ResearchStats)  # for the researchers' sections

    def add_document(self, split: str, doc: dict) -> None:
        self.documents[split] += 1
        source = doc.get("source") or {}
        self.source_kinds[source.get("kind")] += 1
        if source.get("outlet"):
            self.outlets[source["outlet"]] += 1
        if source.get("dataset") == "FA-KES":
            self.credibility[source.get("credibility")] += 1
            for key in ("date", "location"):
                self.fakes_unknown[key] += source.get(key) is None
            self.replacement_characters += "\ufffd" in doc["text"]

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
        people, live = set(), set()
        for a in annotated.get("annotations", []):
            self.annotations[split] += 1
            self.cancelled[split] += int(a["cancelled"])
            self.annotators.add(a["provenance"]["annotator"])
            if not a["cancelled"]:
                live.add(a["provenance"]["annotator"])
            if not a["cancelled"] and a["provenance"]["origin"] != "adjudication" and not a["ground_truth"]:
                people.add(a["provenance"]["annotator"])  # the passes: not a merge, not the gold decided on them
        self.annotated_by.update(live)
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
    incidents: list[Incident] = field(default_factory=list)
    silver: SilverCard | None = None  # the stored silver annotations, when the export has them
    agreement: dict | None = None  # corpus/adjudication/agreement.json (`counterclaim agreement --save`)
    annotator_notes: dict[str, str] = field(default_factory=dict)  # corpus/card.yaml `annotators`: how each worked
    draft_evaluation: dict | None = None  # corpus/gold/draft-evaluation.json: how much the drafts were corrected

    @staticmethod
    def new_stats() -> Stats:
        return Stats()


# The Hub's size categories, by upper bound.
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
                   (10_000_000_000, "1B<n<10B"), (100_000_000_000, "10B<n<100B"), (1_000_000_000_000, "100B<n<1T"))
# Readers whose documents come from another dataset (the card then says `extended`).
DATASET_READERS = {"fakenewscorpus-csv": "FakeNewsCorpus", "fakes-csv": "FA-KES"}
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
        annotations_creators=annotations_creators(ctx),
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


def _has_fakes(ctx: CardContext) -> bool:
    return ctx.stats.source_kinds.get("fakes-csv", 0) > 0


def render_license(ctx: CardContext) -> str:
    """The export's LICENSE file, which the card's ``license_link`` points to."""
    fakes = "\n" + textwrap.fill(
        'FA-KES article texts and their metadata (documents whose id starts with "fakes-"): Creative Commons '
        f"Attribution 4.0 International (CC BY 4.0), from {FAKES_REFERENCE}. Attribute the authors and the paper. "
        "Changes made here: texts normalised by the counterclaim policy (docs/normalisation.md of the project), "
        "repeated rows merged into one document each (see the dataset card), dates written as YYYY-MM-DD, "
        "governorates spelled by one canonical name.", width=108, break_on_hyphens=False) + "\n" if _has_fakes(ctx) else ""
    others = "Other article texts" if fakes else "Article texts"
    return f"""counterclaim dataset, corpus version {ctx.manifest.get("version")}

Annotations (actor mentions, events, quantities, claims and their links), the incident grouping, the ontology
and the dataset structure: Creative Commons Attribution 4.0 International (CC BY 4.0),
https://creativecommons.org/licenses/by/4.0/ — attribute "the counterclaim maintainers".
{fakes}
{others}: the copyright of each text stays with its publisher. They are included for research on their
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
    for config in ("ner", "events", "claims", "incidents", "ner_sentences", "quantities", "bigbio_kb"):
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
    double = (f"{stats.multi_annotated} document(s) have more than one annotator's pass (see the agreement below)"
              if stats.multi_annotated else NO_AGREEMENT)
    maintainers = any(who == "maintainers" for (_, who, _) in stats.gold_by)
    single = (" The maintainers' gold annotations are a single careful pass by the project's maintainers, who "
              "wrote the guidelines; they are not independent of them." if maintainers else "")
    gold = Counter({who: n for (_, who, _), n in stats.gold_by.items()})
    passes = passes_text(stats.annotated_by, gold, ctx.annotator_notes, ctx.draft_evaluation)
    return (f"Gold annotations: {'; '.join(parts)}. Annotator ids are pseudonymous "
            f"({len(stats.annotators)} in this release); {double}.{single}" + (f"\n\n{passes}" if passes else "")
            + f"\n\n{agreement_text(ctx.agreement)}")


def _empty(ctx: CardContext) -> str:

    missing = [c for c in CONFIGS if c not in ctx.data_files]
    partial = [f"`{c}` has no {', '.join(s for s in ctx.splits if s not in files)} rows"
               for c, files in ctx.data_files.items() if len(files) < len(ctx.splits)]
    notes = ([f"empty in this release, so not listed: {', '.join(f'`{c}`' for c in missing)}"] if missing else []) + partial
    return "" if not notes else "\n- Splits without rows have no file: " + "; ".join(notes) + "."


NOT_ANNOTATED = "not annotated"


def _no_gold(ctx: CardContext) -> str:
    """Documents without gold: each one that has annotations, and how many have none at all."""
    waiting = [line for line in ctx.no_gold if not line.endswith(f": {NOT_ANNOTATED}")]
    bare = len(ctx.no_gold) - len(waiting)
    lines = [f"- {line}" for line in waiting]
    if bare:
        lines.append(f"- {bare} document(s) not annotated yet")
    return "\n".join(lines) or "- none"


def _licence_texts(ctx: CardContext) -> str:
    fakes = (f"The FA-KES texts and their metadata are CC BY 4.0, from {FAKES_REFERENCE}: attribute the authors "
             "and the paper. The other article texts" if _has_fakes(ctx) else "The article texts")
    return (f"{fakes} belong to their publishers and are included for research on their content; check the "
            "original terms before redistributing them.")


def _fakes_citation(ctx: CardContext) -> str:
    if not _has_fakes(ctx):
        return ""
    return f"""
The FA-KES documents come from:

```bibtex
{FAKES_CITATION}
```
"""


def _intro(ctx: CardContext) -> str:
    seeds = ctx.stats.source_kinds.get("txt", 0)
    parts = [f"{seeds} seed articles from 2015 on the Russian air campaign in Syria, several from low-quality or "
             "propaganda sites"] if seeds else []
    if ctx.stats.source_kinds.get("fakenewscorpus-csv"):
        parts.append(f"{ctx.stats.source_kinds['fakenewscorpus-csv']} articles from FakeNewsCorpus")
    if _has_fakes(ctx):
        outlets = sum(1 for o in ctx.stats.outlets if o in ctx.ontology.outlet_by_id)
        parts.append(f"{ctx.stats.source_kinds['fakes-csv']} articles on the Syrian war (2011–2018) from "
                     f"{outlets} outlets — state media of Syria, Russia, Iran and Turkey, Hezbollah's al-Manar, the "
                     "Syrian opposition coalition, Reuters and Arab outlets — taken from the FA-KES dataset")
    return "Its documents: " + "; ".join(parts) + "." if parts else ""


def _outlet_table(ctx: CardContext) -> str:
    ont = ctx.ontology
    rows = [[f"`{o.id}`", o.name, o.country or "—", o.affiliation, f"`{o.side}`" if o.side else "—",
             ctx.stats.outlets.get(o.id, 0), f"[{o.qid}](https://www.wikidata.org/wiki/{o.qid})" if o.qid else "—"]
            for o in ont.outlets]
    sides = "; ".join(f"`{t.id}`: {t.definition.rstrip('.')}" for t in ont.outlet_sides)
    unknown = sorted(o for o in ctx.stats.outlets if o not in ont.outlet_by_id)
    missing = (f"\n\nDocuments name outlets the registry lacks: {', '.join(f'`{o}`' for o in unknown)} (their "
               "registry fields are null)." if unknown else "")
    return (_table(["outlet", "name", "country", "ownership / affiliation", "side", "documents", "Wikidata"], rows)
            + f"\n\nThe registry is `outlets` in `schema/ontology.yaml`. Country: ISO 3166-1 alpha-3 of the state or "
            f"movement that owns state and party media, else where the outlet is based. Side, only for outlets "
            f"owned by a party to the war or by a state whose forces fought in it — {sides}; otherwise none is "
            f"given.{missing}")


def _fakes_sources(ctx: CardContext) -> str:
    if not _has_fakes(ctx):
        return ""
    st = ctx.stats
    return f"""

**FA-KES** ({st.source_kinds['fakes-csv']} documents): {FAKES_REFERENCE}, released under CC BY 4.0. A
document's id is `fakes-<unit_id>`. Its `source` keeps FA-KES's fields: `outlet` (an id of the table below),
`date` and `location` — the date (YYYY-MM-DD) and governorate of the incident the article reports, which
crowd workers extracted for the dataset: often the publication day, but not always (an article of 10
September 2013 on the Ghouta attack is dated 2013-08-21) — and `credibility` (see below). FA-KES repeats some
articles: a row repeating a unit_id (with the same text, or another one: the first row's text is kept), or
another row's text under a new unit_id, is merged into the first row's document and reported by `corpus
add`; `source_ids` lists every FA-KES unit_id of a document and `source_records` every row with its own
label, date and governorate (`relation`: `kept`, `same-id`, `same-id-other-text`, `same-text`). Where the
rows of one document disagree, its `date` ({st.fakes_unknown['date']} documents) or `location`
({st.fakes_unknown['location']}) is null rather than picked. FA-KES has no URL and no publication date.

**The FA-KES texts are kept as the dataset publishes them.** Its authors removed every apostrophe and comma
from titles and texts ("Assads government", "1000 bombs"), and {st.replacement_characters} documents hold
U+FFFD replacement characters where characters were lost before publication ("Syria\ufffd_s"). Nothing is
repaired: annotations index these texts, and numbers such as "1000" may have read "1,000".

**Outlets.**

{_outlet_table(ctx)}

**Credibility labels.** `credibility` is FA-KES's label of an article, not ours: `credible` (FA-KES 1) or
`fake` (FA-KES 0), given by the dataset's authors after checking the casualty facts the article reports
(date, place, numbers and kinds of dead) against the records of the Violations Documentation Center in Syria
(VDC); `mixed` when the rows of one article carry both labels — FA-KES sometimes assessed one article once
per incident it reports, in different governorates. `credibility_by` names who gave the label. Documents:
{", ".join(f"{label or 'none'} {n}" for label, n in sorted(st.credibility.items(), key=lambda kv: str(kv[0])))}.
It says whether an article's casualty account matched VDC's records as the authors judged it. It is not a
verdict on each claim in the article (a `credible` article can quote false claims, a `fake` one true ones),
not a judgement of the outlet, not a judgement of ours, and VDC's records are themselves one documentation
effort with its own coverage."""


def _incidents_section(ctx: CardContext) -> str:
    found = ctx.incidents
    lead = (f"This release has **{len(found)}** incident(s) across "
            f"{len({d for inc in found for d in inc.documents})} documents." if found else
            "This release has no incident yet: no two annotated documents report the same event by the rule below "
            "(most documents are not annotated yet), so the config is empty and not listed.")
    example = """

Once annotated, "who said how many died at Ghouta on 21 August 2013, and who did they blame?" is asked so
(FA-KES dates the Ghouta articles 2013-08-21 and places them in the Damascus governorate):

```python
import datasets
rows = datasets.load_dataset("path/to/export", "incidents", split="all")
rows.filter(lambda r: r["date_start"] <= "2013-08-21" <= r["date_end"] and "Damascus" in r["governorates"]).to_pandas()
```"""
    if found:
        inc = max(found, key=lambda i: (len(i.documents), len(i.members), i.id))
        head, records = summary(inc, ctx.ontology), claim_records(inc, ctx.ontology)
        place = (head["governorates"] or head["places"] or ["?"])[0]
        rows = [[f"{r['outlet_name'] or r['outlet'] or '—'}" + (f" ({r['outlet_side']})" if r["outlet_side"] else ""),
                 r["credibility"] or "—", r["claimant_name"] if r["claim_id"] else "(no claim)", r["stance"] or "—",
                 "; ".join(format_number(n) for n in r["numbers"]) or "—",
                 "; ".join(c["name"] or c["text"] for c in r["culprits"]) or "—", f"`{r['doc_id']}`", r["annotation"]]
                for r in records]
        key = "governorates" if head["governorates"] else "place"
        test = f'"{place}" in r["governorates"]' if key == "governorates" else f'r["place"] == "{place}"'
        example = f"""

Who said how many died, and whom did they blame? The largest incident, `{inc.id}` ({inc.type}, {head['first_day']},
{", ".join(head["places"] + head["governorates"])}; {len(inc.documents)} documents):

```python
import datasets
rows = datasets.load_dataset("path/to/export", "incidents", split="all")
rows.filter(lambda r: r["date_start"] <= "{head['first_day']}" <= r["date_end"] and {test}).to_pandas()
```

{_table(["outlet (side)", "FA-KES label", "claimant", "stance", "numbers", "culprits", "document", "annotation"], rows)}

`counterclaim incidents show {inc.id}` prints the same table from the project."""
    return f"""The `incidents` config groups the events that different documents report into incidents and lists every
claim about each incident side by side. {lead}

**The rule.** {rule_text()}

**Annotations used.** The gold annotations only: a document without gold takes no part, and every row says
`gold` (`annotation`). The same grouping over the machine annotations of every document is `silver_incidents`,
kept apart (see [Gold and silver annotations](#gold-and-silver-annotations)). A member event that no claim asserts still gives a row, with
`claim_id` null: the event, its numbers and culprits as the article reports them.

**Rows and splits.** One row per (incident, claim): the incident's id, type, number of documents, the member's
confidence; the claim's document, event, date (`date_start`..`date_end`, `date_basis`: `event`, `article` or
`published`), place and governorates; the outlet with its registry fields; FA-KES's credibility label of the
article; the claimant (kind, registry actor, name, mention text), stance and certainty; the numbers asserted
(measurand, value/low/high, qualifier, text) and the culprits named (the `attacker` / `agent` arguments of the
events the claim asserts, resolved to registry actors). A row lands in the split of its document, so an
incident reported by documents of several splits has rows in each, and no row carries anything read from a
document of another split (a row's date and place are its own event's).{example}"""


def render_card(ctx: CardContext) -> str:
    ont = ctx.ontology
    version = ctx.manifest.get("version")
    meta = card_data(ctx).to_yaml().rstrip("\n") + "\n"
    assignment = "\n".join(f"| `{d}` | {s} |" for d, s in sorted(ctx.assignment.items()))
    no_gold = _no_gold(ctx)
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
        "- `incidents`: one row per claim about an incident — an event reported by several documents — with the "
        "outlet, its affiliation, the numbers asserted, the culprit named and the article's credibility label; "
        "see [Incidents across documents](#incidents-across-documents).",
        *CONFIG_LINES,
        *SILVER_CONFIG_LINES,
    ])
    return f"""---
{meta}---

# {PRETTY_NAME}

An annotation corpus of news about armed conflict: **actor mentions** linked to a registry of canonical
actors, **events** with their arguments, modality and numbers, and **claims** — who asserts what, through
which sources, about which events and which numbers, with stance, certainty and the claims they support or
contest. {_intro(ctx)}

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
never moves an existing one. The salt was fixed for the first release.

<details><summary>Assignment of the {len(ctx.assignment)} documents</summary>

| doc_id | split |
|---|---|
{assignment}

</details>

## Worked example

{_example_text(ctx)}

## Incidents across documents

{_incidents_section(ctx)}

## Gold and silver annotations

{silver_section(ctx)}

## Dataset creation

**Curation rationale.** News about armed conflict is full of attributed and contested statements: a ministry
says it hit 1,623 targets, an intelligence service says only 5% of strikes hit their stated enemy, a monitor
counts the dead. Event datasets keep one settled number per event and claim datasets stop at a span or a
verdict; this corpus keeps each attributed statement with its claimant, cue and the events and numbers it
asserts, so conflicting numbers and the sources behind them stay side by side.

**Sources.** The seed articles are scraped news articles of the kind collected by FakeNewsCorpus; they carry
no URL, publisher, date or reliability label (those fields are null); documents added from the FakeNewsCorpus
CSV keep its domain, URL, scrape date and OpenSources reliability label. Texts are normalised by a
documented policy (NFC, `\\n` newlines, scraping residue such as "Share"/"Advertisement" markers and
comment forms removed) and the title is the first line of `text`.{_fakes_sources(ctx)}

**Annotation process.** Annotators work in Label Studio with a labeling config generated from the ontology
and the guidelines shown as instructions. Tasks start from the pre-annotation engine's proposals (`counterclaim
preannotate`: rules over spaCy's matchers propose actor mentions, events with their arguments, quantities and
claims with their claimants and cues), which annotators accept, correct or delete. Annotations are exported
as JSON snapshots, converted losslessly (every result converted or reported) and validated against the schema.
The gold annotation of a document is, in order: the one flagged ground truth (an adjudicator's decision, or a
maintainer's gold), the output of `counterclaim adjudicate` (a majority merge), or the only annotation;
documents without gold:

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
- The corpus is small and topically narrow (the war in Syria, English only), and most of its documents are
  not annotated yet; models trained on it will not generalise without more data.
- FA-KES's credibility labels judge an article's casualty facts against one documentation effort (VDC); they
  are the dataset authors' labels, not verdicts on claims. Its texts lost their apostrophes and commas.
- Incidents are grouped by a rule, not by hand: reports linked through a third one can be a few days or
  places apart; reports of one event that name different victims or targets ("terrorists" against
  "civilians") or differently written places stay apart. Each member's `confidence` says how strong its
  links are.
- Canonical actors and their Wikidata ids come from a hand-made registry; unlisted actors only carry a type.

## Uses

Intended: research on claim detection and attribution, event extraction with modality and numbers,
source-aware fact-checking support, and annotation agreement. Out of scope: deciding the truth of claims,
profiling people or outlets, and any operational or targeting use.

## Licence

The annotations are released under CC BY 4.0. {_licence_texts(ctx)} See [`LICENSE`](LICENSE).

## Citation

```bibtex
{CITATION % version}
```
{_fakes_citation(ctx)}
## Card authors and contact

Written by the counterclaim maintainers, generated by `counterclaim export` from the corpus and the ontology.
Questions and corrections: open an issue in the counterclaim project's repository.
"""
