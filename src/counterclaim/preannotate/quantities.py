"""Quantities: numbers with their value or bounds, qualifier and measurand.

Numbers come from the pipeline's ``number`` and ``range`` patterns ("1,623", "$580 million", "five per cent",
"a couple of dozen", "dozens", "three to four", "between 10 and 20"). A qualifier phrase just before a number
is part of its span and sets the qualifier ("Around 50", "more than 11", "at least 57"); vague amounts get a
lower bound ("dozens": at least 24). Years, numbers inside time expressions, ordinals ("first") and the pronoun "one"
are not quantities.

The measurand is decided by the words after the number, in this order: a unit that says it (per cent,
``$``, months); a casualty verb ("57 killed", "Dozens more were wounded"), with civilians counted apart; the
counted noun ("26 cruise missiles", "11 Islamic State targets", "seven countries"); a deployment verb
("Around 50 are to be deployed"). Otherwise it is ``other``, with the noun in the note.
"""

from __future__ import annotations

from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.model import Quantity, TimeExpr
from counterclaim.preannotate.pipeline import Parsed

_WINDOW = 6  # tokens after a number searched for what it counts
_NOT_COUNTS = ("one", "a", "an")  # "one of Assad's allies", "a month"


def _number(text: str) -> float | None:
    """The value of one number token: digits with thousands separators, or an English number word."""
    cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return lx.NUMBER_WORDS.get(text.lower())


def _value(tokens: list[str]) -> float | None:
    """The value of a number phrase: "580 million" -> 580e6, "a couple of dozen" -> 24, "twenty-two" -> 22."""
    words = [t.lower() for t in tokens if t not in ("$", "-")]
    if "dozen" in words:
        return 24.0 if "couple" in words else 12.0 * (_number(words[0]) or 1)
    total = None
    for word in words:
        if word in lx.MULTIPLIERS and total is not None:
            total *= lx.MULTIPLIERS[word]
            continue
        value = _number(word)
        if value is None:
            continue
        total = value if total is None else total + value
    return total


_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_UNITS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def _compound_number(p: Parsed, start: int, end: int) -> bool:
    """A tens word and a unit word joined by a hyphen with no spaces ("twenty-six")."""
    tokens = list(p.doc[start:end])
    for a, hyphen, b in zip(tokens, tokens[1:], tokens[2:]):
        if (hyphen.text == "-" and not a.whitespace_ and not hyphen.whitespace_ and a.lower_ in _TENS
                and b.lower_ in _UNITS):
            return True
    return False


def _clean(value: float | None) -> float | None:
    return None if value is None else (int(value) if float(value).is_integer() else value)


def _qualified(p: Parsed, start: int) -> tuple[int, str | None]:
    """The qualifier phrase ending right before ``start``, if any: its first token and the qualifier."""
    for key in p.keys_with("QUAL:"):
        for s, e in p.matches[key]:
            if e == start:
                return s, key.split(":", 1)[1]
    return start, None


def _measurand(p: Parsed, start: int, end: int, unit: str | None) -> tuple[str, str | None]:
    """What the number at ``[start, end)`` counts, and a note when that is ``other``."""
    if unit is not None:
        return unit, None
    _, sent_end = p.sentence(start)
    stop = end
    while stop < min(sent_end, end + _WINDOW) and not p.doc[stop].is_punct:
        stop += 1
    window = (end, stop)
    first_verb = p.any_of("MVERB:", *window)
    civilians = p.find("CIVILIAN", *window)
    if first_verb and first_verb[0][0] in ("MVERB:killed", "MVERB:injured"):
        measurand = first_verb[0][0].split(":", 1)[1]
        if measurand == "killed" and civilians and civilians[0][0] < first_verb[0][1]:
            return "killed_civilians", None
        return measurand, None
    nouns = p.any_of("MNOUN:", *window)
    if nouns:
        return nouns[0][0].split(":", 1)[1], None
    if first_verb:
        return first_verb[0][0].split(":", 1)[1], None
    noun = p.doc[end].text if end < sent_end and p.doc[end].is_alpha else None
    return "other", f"counts: {noun}" if noun else None


def _unit(p: Parsed, start: int, end: int) -> tuple[str | None, int]:
    """A unit that decides the measurand ("per cent", "$", "months") and the span's end including it."""
    tokens = [t.lower_ for t in p.doc[start:end]]
    if "$" in tokens:
        return lx.CURRENCY_SIGNS["$"], end
    if p.find("PERCENT", start, end):
        sent = p.sentence(start)
        return ("percent_on_target" if p.any_of("CONTEXT:ATTACK", *sent) else "other"), end
    if p.lower(end) in ("months", "month"):
        return "duration_months", end + 1
    return None, end


def find_quantities(p: Parsed, times: list[TimeExpr]) -> list[Quantity]:
    """Every quantity in text order (overlapping number matches: ranges first, then the longest)."""
    in_time = {i for t in times for i in range(t.start, t.end)}
    candidates = [(s, e, "range") for s, e in p.matches.get("range", ())]
    candidates += [(s, e, "number") for s, e in p.matches.get("number", ())]
    taken: set[int] = set()
    found = []
    for start, end, kind in sorted(candidates, key=lambda c: (c[2] != "range", c[0] - c[1], c[0])):
        span = set(range(start, end))
        if span & taken or span & in_time:
            continue
        words = [t.text for t in p.doc[start:end]]
        if kind == "number" and (words[0].lower() in _NOT_COUNTS and len(words) == 1):
            continue
        if kind == "number" and len(words) == 1 and words[0].isdigit() and len(words[0]) == 4 and words[0][:2] in ("19", "20"):
            continue  # a year
        quantity = _quantity(p, start, end, kind)
        if quantity.qualifier == "range" and (quantity.low is None or quantity.high is None
                                              or quantity.low > quantity.high):
            continue  # "27-7-2016", "9-7": a date or a score, not a range of counts
        if quantity.value is not None or quantity.low is not None or quantity.high is not None:
            taken |= span
            found.append(quantity)
    return sorted(found, key=lambda q: q.start)


def _quantity(p: Parsed, start: int, end: int, kind: str) -> Quantity:
    words = [t.text for t in p.doc[start:end]]
    first, qualifier = _qualified(p, start)
    unit, span_end = _unit(p, start, end)
    measurand, note = _measurand(p, start, span_end, unit)
    lowered = " ".join(w.lower() for w in words)
    if kind == "range" and _compound_number(p, start, end):
        kind = "number"  # "Twenty-six": one number written with a hyphen, not a range
    if kind == "range":
        numbers = [w for w in words if _number(w) is not None or w.lower() in lx.MULTIPLIERS]
        cut = next(k for k, w in enumerate(words) if w.lower() in ("and", "to", "-", "–", "or"))
        low = _value([w for w in words[:cut] if w in numbers])
        high = _value([w for w in words[cut + 1:] if w in numbers])
        multiplier = next((lx.MULTIPLIERS[w.lower()] for w in words[cut + 1:] if w.lower() in lx.MULTIPLIERS), None)
        if multiplier and low is not None and low < multiplier:
            low *= multiplier  # "between 10 and 20 million"
        return Quantity(first, span_end, measurand, "range", None, _clean(low), _clean(high), note, "number-range")
    if lowered in lx.VAGUE_AMOUNTS:
        low = lx.VAGUE_AMOUNTS[lowered]
        note = f"{lowered}: at least {_clean(low)}" + (f"; {note}" if note else "")
        return Quantity(first, span_end, measurand, "vague", None, _clean(low), None, note, "number-vague")
    value = _value(words)
    if "dozen" in lowered:
        return Quantity(first, span_end, measurand, qualifier or "about", _clean(value), None, None, note, "number-dozen")
    rule = "number-qualified" if qualifier else "number"
    return Quantity(first, span_end, measurand, qualifier or "exact", _clean(value), None, None, note, rule)
