"""The dataset card's parts about silver annotations: which configs are gold and which silver, how the silver was
produced, and how far to trust it (the engine's held-out scores from the silver manifest).

Everything comes from the export (the silver manifest it read, the silver incidents it found, its row counts), so
the card cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from counterclaim.hf.silver_features import SILVER_CONFIGS, SILVER_OF
from counterclaim.incidents import Incident
from counterclaim.silver.store import SilverStore

if TYPE_CHECKING:
    from counterclaim.hf.card import CardContext

EXPERT, MACHINE = "expert-generated", "machine-generated"
# (score group of the manifest, column title); the first is the figure to trust
SCORE_GROUPS = (("heldout", "held-out"), ("heldout_seeds", "held-out seeds"), ("fakes", "FA-KES gold"),
                ("development", "tuning seeds"))
GAP = 0.1  # precision above recall by more than this is worth a sentence
LAYER_NAMES = {"mention": "actor mentions", "event": "event triggers", "quantity": "quantities",
               "claim": "claims (content)", "cue": "cues"}
DRAFTED = ("The FA-KES gold was written by correcting drafts of an earlier engine version (0.1.0) to the guidelines "
           "(`corpus/gold/draft-evaluation.json` measures how much), so it may lean towards what the engine proposes; "
           "the seeds were annotated before the engine existed. ")
LINK_NAMES = {"claimant": "claimant", "arguments": "event arguments", "about_events": "claim → events",
              "about_quantities": "claim → numbers"}

SILVER_CONFIG_LINES = (
    "- `silver_documents`: every document with the pre-annotation engine's annotation nested, as in `documents` "
    "(machine-generated; see [Gold and silver annotations](#gold-and-silver-annotations)).",
    "- `silver_claims`, `silver_quantities`: the rows of `claims` and `quantities`, with their features, built "
    "from the engine's annotation of every document.",
    "- `silver_incidents`: the rows of `incidents`, grouped over the engine's annotations of every document.",
)


@dataclass
class SilverCard:
    """What the card says about the silver: the manifest, the silver incidents, whether the scores are stale."""

    manifest: dict[str, Any]
    incidents: list[Incident] = field(default_factory=list)
    scores_stale: bool = False

    @classmethod
    def of(cls, store: SilverStore | None, incidents: list[Incident], gold_sha256: str) -> "SilverCard | None":
        if store is None:
            return None
        manifest = store.manifest()
        return cls(manifest, incidents, (manifest.get("scores") or {}).get("gold_sha256") != gold_sha256)


def annotations_creators(ctx: "CardContext") -> list[str]:
    """The card's ``annotations_creators``: machine-generated too when the export has silver rows."""
    silver = any(sum(ctx.rows.get(c, {}).values()) for c in SILVER_CONFIGS)
    return [EXPERT, MACHINE] if silver else [EXPERT]


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def scores_table(groups: dict[str, dict]) -> str:
    """Per layer: gold and predicted counts and P/R/F1 on the held-out documents, and the overlap F1 of every
    group; then the main links."""
    present = [(key, title) for key, title in SCORE_GROUPS if key in groups]
    lead = groups["heldout"]
    heads = ["", "gold", "predicted", "exact F1", "overlap P", "overlap R", "overlap F1",
             *(f"{title} ({len(groups[key]['documents'])} docs) overlap F1" for key, title in present[1:])]
    lines = ["| " + " | ".join(heads) + " |", "|---|" + "---:|" * (len(heads) - 1)]
    for kind, names, index in (("layers", LAYER_NAMES, "layers"), ("links", LINK_NAMES, "links")):
        by_group = {key: {s["name"]: s for s in groups[key][index]} for key, _ in present}
        for name, title in names.items():
            s = by_group["heldout"].get(name)
            if s is None:
                continue
            cells = [title, s["gold"], s["predicted"], _f(s["exact"]["f1"]), _f(s["overlap"]["precision"]),
                     _f(s["overlap"]["recall"]), f"**{_f(s['overlap']['f1'])}**"]
            cells += [_f(by_group[key][name]["overlap"]["f1"]) if name in by_group[key] else "—"
                      for key, _ in present[1:]]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return (f"Held out: {len(lead['documents'])} gold documents — {lead['description']}; the tuning seeds are "
            "shown for contrast only. Spans: exact = same span, overlap = one shared character (one-to-one); links "
            "end to end (both ends must match, with an exact or overlapping target).\n\n" + "\n".join(lines)
            + "\n\n" + reading(lead))


def reading(group: dict) -> str:
    """What the held-out figures say, in words computed from them."""
    layers = [s for s in group["layers"] if s["name"] in LAYER_NAMES and s["overlap"]["recall"] is not None]
    if not layers:
        return ""
    cautious = [LAYER_NAMES[s["name"]] for s in layers
                if (s["overlap"]["precision"] or 0) - s["overlap"]["recall"] > GAP]
    worst = min(layers, key=lambda s: s["overlap"]["recall"])
    named = ", ".join(cautious[:-1]) + (" and " if len(cautious) > 1 else "") + (cautious[-1] if cautious else "")
    first = (f"For {named}, precision is well above recall: what the engine proposes is mostly in "
             "the gold, but it misses much of what annotators mark. " if cautious else "")
    return (f"{first}The lowest recall is that of {LAYER_NAMES[worst['name']]}: the engine finds "
            f"{worst['overlap']['tp']} of the {worst['gold']} in the held-out gold, so silver layers are far from "
            "complete.")


def _counts(ctx: "CardContext") -> str:
    header = ["", *ctx.splits, "total"]
    rows = [[f"rows in `{c}`", *[ctx.rows[c][s] for s in ctx.splits], sum(ctx.rows[c].values())]
            for c in SILVER_CONFIGS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def silver_section(ctx: "CardContext") -> str:
    """The card's section "Gold and silver annotations"."""
    gold_configs = ", ".join(f"`{c}`" for c in ctx.data_files if c not in SILVER_OF) or "none"
    silver: SilverCard | None = getattr(ctx, "silver", None)
    which = f"""**Which configs are which.** Gold (`{EXPERT}`): {gold_configs} — built from the gold annotations
only (`annotations` also holds every person's annotation, with `is_gold`). Silver (`{MACHINE}`):
{", ".join(f"`{c}`" for c in SILVER_CONFIGS)} — built from the pre-annotation engine's annotation of every
document only. The two never mix: a document with gold also has a silver annotation, which appears in the
silver configs and nowhere else; `incidents` groups the gold annotations and `silver_incidents` the silver ones
(never some of each), and `quantities.incident_id` points into `incidents`, `silver_quantities.incident_id`
into `silver_incidents`. `silver_claims`, `silver_quantities` and `silver_incidents` have exactly the features
of `claims`, `quantities` and `incidents` (in `silver_incidents`, `annotation` is `silver` on every row), so code
written for one runs on the other; `silver_documents` is `documents` with the annotation's provenance
(`annotation_id`, `origin` `prediction`, `annotator` and `tool_name` `counterclaim-preannotate`, `tool_version`)
in place of `gold_source` and `gold_annotation_id`. Global ids have one form in both (`<doc_id>:c1`) but name
different objects: never join a silver config to a gold one on ids — join on `doc_id` and compare spans."""
    if silver is None:
        return which + "\n\nThis export has no silver annotations (the project has no `corpus/silver/`: run " \
                       "`counterclaim silver build`), so the silver configs are empty and not listed."
    m = silver.manifest
    engine, inputs, objects = m["engine"], m["inputs"], m.get("objects", {})
    groups = (m.get("scores") or {}).get("groups") or {}
    scores = scores_table(groups) if "heldout" in groups else "No held-out gold document to score against yet."
    stale = ("\n\n**These scores are stale**: the gold annotations changed since they were measured; run "
             "`counterclaim silver build`, then `counterclaim export`." if silver.scores_stale else "")
    found = silver.incidents
    incidents = (f"`silver_incidents` holds {len(found)} incident(s) across "
                 f"{len({d for inc in found for d in inc.documents})} documents, grouped by the rule of "
                 "[Incidents across documents](#incidents-across-documents) over the silver annotations; their ids "
                 "are not those of `incidents`." if found else "The silver annotations report no incident.")
    return f"""{which}

**How the silver was produced.** `counterclaim silver build` ran the engine `{engine['name']}`
{engine['version']} over all {m['document_count']} documents: {engine['method']}. Its rules follow the decision rules
of guidelines {engine['guidelines_version']} and were written and tuned on three seed articles only; every other
gold document is held out. It proposes every layer — {", ".join(f"{n} {k}" for k, n in sorted(objects.items()))} in
this corpus — with links (arguments, claimants, what claims assert). Each proposal was validated like a gold
annotation and stored, one annotated document per line, in `corpus/silver/documents.jsonl` (sha256
`{m['documents_sha256'][:16]}…`, corpus {inputs['corpus_version']}); the same corpus, ontology and engine give the
same bytes. Provenance of every silver annotation: origin `{m['provenance']['origin']}`, annotator
`{m['provenance']['annotator']}`, tool `{m['provenance']['tool']['name']}` {m['provenance']['tool']['version']}.
Every rule's confidence is in `counterclaim.preannotate.rules`; `counterclaim preannotate DOC_ID` prints the rule
and confidence behind each proposed object.

**How far to trust it.** The engine's proposals scored against the gold with the official metric's matching
(`counterclaim.preannotate.evaluate`, as stored in `corpus/silver/manifest.json`):

{scores}{stale}

{DRAFTED if "fakes" in groups else ""}Use the silver for weak supervision, pre-training or finding candidates, never as an evaluation reference: evaluate on gold.
Silver rows sit in the split of their document like every row, so the silver test split holds machine annotations
of the gold test documents: train on the silver train split to keep the test documents unseen.

{incidents}

{_counts(ctx)}"""
