"""A region's offsets checked against the text Label Studio says the annotator selected, and known shifts repaired.

The span text of a converted region is always ``text[start:end]``; ``value.text`` is never copied. But it says
what the annotator selected, so it tells when the offsets are wrong. Two kinds of difference are known:

- **artefacts of ``value.text``** that are not a mismatch (#3078, #5338, #6027): runs of white space collapsed to
  one space, a newline written as the two characters ``\\n``, white space trimmed from the edges, ``value.text``
  missing — :func:`same_text` ignores them (it compares the two texts without their white space);
- **offset bugs** (#1559, #4929, and tasks edited after they were labelled): offsets one code point off, offsets
  counted in UTF-16 code units (every astral character such as an emoji before the span counts twice), and
  stale offsets that point where the text was before an edit.

:func:`check` returns None when the offsets cover the selected text, else a :class:`Mismatch` saying where the
selected text occurs and, when one rule explains the difference without doubt, the repair: the UTF-16 reading of
the offsets covers exactly the selected text, or the selected text occurs exactly once within :data:`WINDOW` code
points of the region (one code point away: "off by one"; farther: "stale offsets").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WINDOW = 32  # code points on either side of a region searched for its selected text


def _normal(text: str) -> str:
    """The text without any white space (nor literal ``\\n``): what remains of the selection whatever Label
    Studio did to its spaces and line breaks."""
    return "".join(text.replace("\\n", " ").split())


def same_text(given: str, actual: str) -> bool:
    """Whether ``value.text`` (``given``) and ``text[start:end]`` (``actual``) are the same selection, Label
    Studio's artefacts aside."""
    return given == actual or _normal(given) == _normal(actual)


def _pattern(given: str) -> re.Pattern | None:
    words = given.replace("\\n", "\n").split()
    return re.compile(r"\s+".join(map(re.escape, words))) if words else None


def utf16_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The code-point span of ``[start, end)`` read as UTF-16 code units, or None if the text has no astral
    character before ``end`` code units (then the two readings agree) or the units fall inside a character."""
    units, points = 0, {0: 0}  # UTF-16 units before a character boundary -> code points before it
    for index, char in enumerate(text, start=1):
        if units >= end:
            break
        units += 2 if ord(char) > 0xFFFF else 1
        points[units] = index
    span = points.get(start), points.get(end)
    if None in span or span == (start, end):
        return None
    return span  # type: ignore[return-value]


@dataclass(frozen=True)
class Mismatch:
    """The offsets do not cover the selected text: where it occurs, and the repair if one rule explains it."""

    actual: str
    given: str
    found: str  # where the selected text occurs, in words
    repair: tuple[int, int, str] | None  # (start, end, rule)

    def advice(self, repairing: bool) -> str:
        if self.repair is not None and not repairing:
            return f"{self.found}: pass --repair-offsets to move the region there"
        return f"{self.found}: fix the region in Label Studio"


def check(text: str, start: int, end: int, given: str) -> Mismatch | None:
    """None if ``[start, end)`` covers ``given`` (Label Studio's ``value.text``), else what is wrong; see the
    module docstring."""
    actual = text[max(start, 0):max(min(end, len(text)), 0)]
    if same_text(given, actual):
        return None
    pattern = _pattern(given)
    if pattern is None:  # nothing but white space selected: nothing to compare
        return None
    utf16 = utf16_span(text, start, end)
    if utf16 is not None and same_text(given, text[utf16[0]:utf16[1]]):
        astral = sum(1 for ch in text[:utf16[0]] if ord(ch) > 0xFFFF)
        rule = (f"UTF-16 code units: the {astral} astral character(s), e.g. emoji, before it were counted "
                "twice")
        return Mismatch(actual, given, f"it is at [{utf16[0]}, {utf16[1]}) read as UTF-16 code units",
                        (utf16[0], utf16[1], rule))
    low, high = max(0, start - WINDOW), min(len(text), end + WINDOW)
    near = [m.span() for m in pattern.finditer(text, low, high)]
    if len(near) == 1:
        new_start, new_end = near[0]
        shift = new_start - start
        rule = "off by one" if abs(shift) == 1 else f"stale offsets: the text moved by {shift:+d} code points"
        return Mismatch(actual, given, f"it occurs once nearby, at [{new_start}, {new_end}) ({rule})",
                        (new_start, new_end, rule))
    if near:
        places = ", ".join(f"[{a}, {b})" for a, b in near[:5])
        return Mismatch(actual, given, f"it occurs {len(near)} times within {WINDOW} code points ({places}), so "
                        "which one was meant is unclear", None)
    anywhere = [m.span() for m in pattern.finditer(text)]
    if anywhere:
        places = ", ".join(f"[{a}, {b})" for a, b in anywhere[:5])
        return Mismatch(actual, given, f"it does not occur within {WINDOW} code points, only farther away "
                        f"({places})", None)
    return Mismatch(actual, given, "it does not occur in the text at all", None)
