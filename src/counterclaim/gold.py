"""Which annotation of a document is gold — always explicit, never guessed.

In order:

1. ``ground_truth``: the one non-cancelled annotation flagged ground truth — a person's decision, in Label
   Studio (an adjudicator's) or by hand;
2. ``adjudication``: the output of ``counterclaim adjudicate`` (origin ``adjudication``), a majority merge;
3. ``single``: the only non-cancelled annotation of the document;
4. otherwise none: the document has several annotations and needs adjudication (or a ground-truth flag).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gold:
    annotation: dict | None
    source: str  # adjudication | ground_truth | single | none
    reason: str


def _live(doc: dict) -> list[dict]:
    return [a for a in doc.get("annotations", []) if not a.get("cancelled")]


def select_gold(doc: dict) -> Gold:
    live = _live(doc)
    flagged = [a for a in live if a.get("ground_truth") and a["provenance"]["origin"] != "adjudication"]
    if len(flagged) == 1:
        return Gold(flagged[0], "ground_truth", "flagged ground truth")
    if len(flagged) > 1:
        ids = ", ".join(a["id"] for a in flagged)
        return Gold(None, "none", f"several annotations are flagged ground truth ({ids}); keep one flag")
    adjudicated = [a for a in live if a["provenance"]["origin"] == "adjudication"]
    if len(adjudicated) == 1:
        return Gold(adjudicated[0], "adjudication", "majority merge by counterclaim adjudicate")
    if len(adjudicated) > 1:
        ids = ", ".join(a["id"] for a in adjudicated)
        return Gold(None, "none", f"several adjudicated annotations ({ids}); keep one")
    if len(live) == 1:
        return Gold(live[0], "single", "the only annotation")
    if not live:
        return Gold(None, "none", "no annotation")
    return Gold(None, "none", f"{len(live)} annotations and none is gold; run `counterclaim adjudicate`")
