"""The dataset card's account of how each annotation was made, and how far independent passes agree.

Generated from committed files, never written by hand: the agreement record (``corpus/adjudication/agreement.json``,
written by ``counterclaim agreement --save``), the drafts' evaluation (``corpus/gold/draft-evaluation.json``: the
pre-annotation engine's drafts scored against the gold corrected from them) and the description of each
annotator's pass in ``corpus/card.yaml`` (``annotators:``); the counts come from the export itself.
"""

from __future__ import annotations

from collections import Counter

from counterclaim.quality.agreement import kappa_paradox

NO_AGREEMENT = "no document is double-annotated, so there is no agreement figure yet"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def passes_text(documents: Counter, gold: Counter, how: dict[str, str], draft: dict | None) -> str:
    """One row per annotator: documents annotated, documents where theirs is the gold, how the pass was made."""
    if not documents:
        return ""
    rows = [[f"`{who}`", documents[who], gold.get(who, 0), " ".join(str(how.get(who, "—")).split())]
            for who in sorted(documents)]
    text = ("**How each annotation was made.** Every annotator's annotations are in the `annotations` config "
            "(`is_gold` marks the one the other configs use).\n\n"
            + _table(["annotator", "documents", "gold in", "how the annotations were made"], rows))
    if draft:
        layers = ", ".join(f"{layer['name']} {_num(layer['overlap']['f1'])}" for layer in draft.get("layers", []))
        text += (f"\n\nHow much correction the drafts needed: the pre-annotation engine {draft.get('engine_version')}'s "
                 f"drafts scored against the gold corrected from them ({len(draft.get('documents', []))} documents, "
                 f"overlap F1 per layer): {layers} (`corpus/gold/draft-evaluation.json`; the lower, the more "
                 "correction).")
    return text


def agreement_text(agreement: dict | None) -> str:
    """The agreement of the double-annotated documents: spans, attributes (alpha with the raw agreement beside
    it) and links, from the agreement record; or a sentence saying there is none."""
    if not agreement or not agreement["documents"]["compared"]:
        return f"**Inter-annotator agreement.** None yet: {NO_AGREEMENT}."
    annotators = ", ".join(f"`{a}`" for a in agreement["annotators"])
    spans = _table(["layer", "regions", "exact F1", "overlap F1", "overlap F1, span only"],
                   [[f"`{b['name']}`", b["total"]["regions"], _num(b["total"]["exact"]["f1"]),
                     _num(b["total"]["overlap"]["f1"]), _num(b["unlabelled"]["overlap"]["f1"])]
                    for b in agreement["spans"]])
    paradox = [kappa_paradox(a["alpha"], a["raw_agreement"]) for a in agreement["attributes"]]
    attributes = _table(["attribute", "alpha", "raw agreement", "chance agreement", "units"],
                        [[f"`{a['layer']}.{a['attribute']}`", _num(a["alpha"]) + ("*" if marked else ""),
                          _num(a["raw_agreement"]), _num(a["expected_agreement"]), a["units"]]
                         for a, marked in zip(agreement["attributes"], paradox)])
    links = _table(["link", "links", "exact F1", "overlap F1"],
                   [[f"`{b['name']}`", b["total"]["regions"], _num(b["total"]["exact"]["f1"]),
                     _num(b["total"]["overlap"]["f1"])] for b in agreement["links"]])
    note = ("\n\n\\* Low alpha with high raw agreement: nearly every value is one category, so chance agreement is "
            "high too (the kappa paradox); read the raw agreement." if any(paradox) else "")
    left_out = "; annotations flagged ground truth are left out" if agreement["annotations"].get("ground_truth") else ""
    lead = (f"**Inter-annotator agreement.** {agreement['documents']['compared']} documents are annotated by "
            f"{len(agreement['annotators'])} annotators ({annotators}); `counterclaim agreement` compares their "
            f"annotations ({agreement['pairs']} annotator pairs{left_out}). Spans per layer — exact: the same spans "
            "and label; overlap: the same label and a shared character, one-to-one (labels: the actor type, event "
            "type, measurand):")
    return f"""{lead}

{spans}

Attributes of the regions both passes marked (aligned by overlap, label ignored): Krippendorff's alpha (nominal)
with the raw agreement beside it and the agreement expected by chance from the values' distribution:

{attributes}{note}

Links — event arguments, claimant, co-claimants, `reported_via`, cue, the events and quantities a claim is about,
supports / contests — are matched by the overlap of both endpoints: a link of one pass matches a link of the
other with the same label when their source objects overlap and their targets overlap (exact: equal spans at both
ends), so one boundary difference does not lose the links of a claim or the links to it:

{links}

Per label, with precision and recall: `corpus/adjudication/AGREEMENT.md` (the record: `agreement.json`).
`counterclaim adjudicate` lists every disagreement of the passes in `corpus/adjudication/review.jsonl`."""
