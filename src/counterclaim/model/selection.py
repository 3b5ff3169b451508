"""Which annotations of a document count: each annotator's latest, and the gold one.

**Latest**: of one annotator's annotations of a document, the one with the greatest ``provenance.updated_at``
(else ``created_at``); annotations without either lose to dated ones, and among equals the later in the list
wins. Agreement compares, and adjudication merges, each annotator's latest non-cancelled annotation made by a
person (origins ``label-studio`` and ``manual``: not an adjudication merge, not a machine prediction).

**Gold** is always explicit, never guessed. In order:

1. ``ground_truth``: the one non-cancelled annotation flagged ground truth — a person's decision, in Label
   Studio (an adjudicator's) or by hand;
2. ``adjudication``: the output of ``counterclaim adjudicate`` (origin ``adjudication``), a majority merge;
3. ``single``: the only non-cancelled annotation of the document;
4. otherwise none: the document has several annotations and needs adjudication (or a ground-truth flag).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable

# Origins of annotations made by people: what agreement compares and adjudication merges.
HUMAN_ORIGINS = frozenset({"label-studio", "manual"})


def annotation_time(ann: dict) -> _dt.datetime | None:
    """When an annotation was last changed: ``updated_at``, else ``created_at`` (timezone-aware), else None."""
    prov = ann.get("provenance") or {}
    for key in ("updated_at", "created_at"):
        raw = prov.get(key)
        if not raw:
            continue
        try:
            stamp = _dt.datetime.fromisoformat(str(raw))
        except ValueError:
            continue
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=_dt.timezone.utc)
    return None


def _rank(item: tuple[int, dict]) -> tuple:
    index, ann = item
    stamp = annotation_time(ann)
    return (stamp is not None, stamp or _dt.datetime.min.replace(tzinfo=_dt.timezone.utc), index)


@dataclass(frozen=True)
class Latest:
    """An annotator's latest annotation of a document, and the ones it supersedes (in document order)."""

    annotator: str
    annotation: dict
    superseded: tuple[dict, ...]


def latest_per_annotator(annotations: Iterable[dict], *, origins: frozenset[str] = HUMAN_ORIGINS
                         ) -> dict[str, Latest]:
    """Each annotator's latest non-cancelled annotation of one of ``origins``, by annotator (sorted)."""
    by_annotator: dict[str, list[tuple[int, dict]]] = {}
    for index, ann in enumerate(annotations):
        if ann.get("cancelled") or ann["provenance"]["origin"] not in origins:
            continue
        by_annotator.setdefault(ann["provenance"]["annotator"], []).append((index, ann))
    chosen = {}
    for annotator in sorted(by_annotator):
        anns = by_annotator[annotator]
        kept = max(anns, key=_rank)
        chosen[annotator] = Latest(annotator, kept[1], tuple(a for i, a in anns if i != kept[0]))
    return chosen


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
