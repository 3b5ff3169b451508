"""Time and place expressions that events can be linked to.

Times come from the pipeline's time patterns and fixed phrases ("on Saturday", "today", "in the past month",
"since raids began a month ago", "1980-88"), each with the precision its shape gives. Places are capitalised
names after a locative preposition ("in western Syria", "to Aleppo", "near ... Latakia"), names after a
place noun ("the district of Jabal al-Zawiya") and compass areas ("in the north"). A country is a place of
precision ``country`` (``region`` with a compass word, as the guidelines' "western Syria"), and so is "the
country" or "his country"; a name after a place noun takes that noun's precision; other names are towns.
"""

from __future__ import annotations

from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.model import Mention, Place, TimeExpr
from counterclaim.preannotate.pipeline import ALIAS_LABEL, OTHER_COUNTRY_LABEL, Parsed

_TIME_KEYS = {"time-day": "day", "time-month": "month", "time-year": "year", "time-range": "range"}
_NOT_PLACES = frozenset((*lx.WEEKDAYS, *lx.MONTHS))


def find_times(p: Parsed) -> list[TimeExpr]:
    """Time expressions in text order; of overlapping ones the longest."""
    candidates = [(s, e, precision) for key, precision in _TIME_KEYS.items() for s, e in p.matches.get(key, ())]
    candidates += [(s, e, key.split(":", 1)[1]) for key in p.keys_with("TIME:") for s, e in p.matches[key]]
    taken: set[int] = set()
    found = []
    for start, end, precision in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if p.lower(end) in lx.NOT_TIME_AFTER:
            continue  # "Friday prayers"
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            found.append(TimeExpr(start, end, precision, "time-pattern"))
    return sorted(found, key=lambda t: t.start)


def _name_end(p: Parsed, start: int, stops: set[int]) -> int:
    """The end of a capitalised name starting at ``start`` ("Jabal al-Zawiya"), stopping before a mention."""
    doc = p.doc
    end = start + 1
    _, sent_end = p.sentence(start)
    if doc[start].text in lx.NATIONALITIES and p.lower(start + 1) == "capital":
        return start + 2  # "the French capital"
    while end < sent_end and end not in stops:
        token = doc[end]
        if token.is_title and token.is_alpha:
            end += 1
        elif (token.lower_ in lx.NAME_PARTICLES or token.text == "-") and end + 1 < sent_end and \
                (doc[end + 1].is_title or doc[end + 1].text == "-" or doc[end + 1].lower_ in lx.NAME_PARTICLES):
            end += 1
        else:
            break
    while end - 1 > start and not doc[end - 1].is_alpha:
        end -= 1
    return end


def find_places(p: Parsed, mentions: list[Mention]) -> list[Place]:
    """Places in text order; tokens of actor mentions are never places."""
    doc = p.doc
    in_mention = {i for m in mentions for i in range(m.start, m.end)}
    starts = {m.start for m in mentions}
    not_place_alias = {i for ent in doc.ents if ent.label_ == ALIAS_LABEL
                       and ent.text not in p.pipeline.country_aliases for i in range(ent.start, ent.end)}
    countries = {ent.start: ent.end for ent in doc.ents
                 if ent.label_ == OTHER_COUNTRY_LABEL or ent.text in p.pipeline.country_aliases}
    found: dict[int, Place] = {}

    def add(start: int, name_start: int, precision: str | None, preposition: str) -> None:
        if name_start in in_mention or name_start in not_place_alias or doc[name_start].text in _NOT_PLACES:
            return
        end = countries.get(name_start) or _name_end(p, name_start, starts)
        if precision is None:
            compass = start < name_start
            precision = ("region" if compass else "country") if name_start in countries else "town"
        text = doc[start:end].text
        found.setdefault(start, Place(start, end, text, precision, "place-pattern", preposition))

    for s, e in p.matches.get("place-kind", ()):
        kind = next((prec for noun, prec in lx.PLACE_KIND_NOUNS.items() if noun.split()[-1] == p.lower(s)), None)
        add(e - 1, e - 1, kind, "of")
    for s, e in p.matches.get("place", ()):
        first = s + 1 + (p.lower(s + 1) == "the")
        add(first, e - 1, None, p.lower(s))
    for s, e in p.matches.get("place-compass", ()):
        if s + 1 not in in_mention and not (e < len(doc) and doc[e].is_title):  # "in the western X": a name
            found.setdefault(s + 1, Place(s + 1, e, doc[s + 1:e].text, "region", "place-compass", p.lower(s)))
    for s, e in p.matches.get("place-country", ()):
        found.setdefault(s + 1, Place(s + 1, e, doc[s + 1:e].text, "country", "place-country", p.lower(s)))
    taken: set[int] = set()
    places = []
    for place in sorted(found.values(), key=lambda pl: (pl.start - pl.end, pl.start)):
        if taken.isdisjoint(range(place.start, place.end)):
            taken.update(range(place.start, place.end))
            places.append(place)
    return sorted(places, key=lambda pl: pl.start)
