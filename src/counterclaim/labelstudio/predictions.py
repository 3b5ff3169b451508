"""Pre-annotate actor mentions from the registry's aliases (Label Studio predictions).

Matching is case-sensitive on whole words (an alias never matches inside a longer word: "Iran" does not match
"Iranian"); where aliases overlap, the longest match wins, then the earliest. Each match becomes an ACTOR
region with the canonical actor selected, so annotators confirm or correct rather than start from nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counterclaim.model.ontology import Ontology
from counterclaim.labelstudio.config import LABELS_NAME, TEXT_NAME


@dataclass(frozen=True)
class AliasMatch:
    start: int
    end: int
    actor: str


def _pattern(ont: Ontology) -> tuple[re.Pattern, dict[str, str]]:
    owner: dict[str, str] = {}
    for actor in ont.actors:
        for alias in actor.aliases:
            owner.setdefault(alias, actor.id)  # the first actor that declares an alias owns it
    alternatives = sorted(owner, key=lambda a: (-len(a), a))
    body = "|".join(re.escape(a) for a in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)"), owner


def find_actor_mentions(text: str, ont: Ontology) -> list[AliasMatch]:
    """Non-overlapping alias matches, longest first at each position, in text order."""
    pattern, owner = _pattern(ont)
    return [AliasMatch(m.start(), m.end(), owner[m.group(0)]) for m in pattern.finditer(text)]


def model_version(ont: Ontology) -> str:
    return f"counterclaim-aliases-{ont.version}"


def prediction_for(text: str, ont: Ontology) -> dict:
    """A Label Studio prediction with one ACTOR region (and its actor) per alias match."""
    result = []
    for i, match in enumerate(find_actor_mentions(text, ont)):
        rid = f"pre{i}"
        span = {"start": match.start, "end": match.end}
        result.append({"id": rid, "from_name": LABELS_NAME, "to_name": TEXT_NAME, "type": "labels",
                       "value": {**span, "text": text[match.start:match.end], "labels": ["ACTOR"]}})
        group = ont.actor_by_id[match.actor].type
        result.append({"id": rid, "from_name": "actor", "to_name": TEXT_NAME, "type": "taxonomy",
                       "value": {**span, "taxonomy": [[group, match.actor]]}})
    return {"model_version": model_version(ont), "score": 0.5, "result": result}
