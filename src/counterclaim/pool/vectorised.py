"""The corpus's normalisation rules over whole Arrow columns: ``normalize_texts`` and ``normalize_titles`` give,
element for element, what ``corpus.normalize.normalize_text`` and ``normalize_title`` give.

Why this exists: applied row by row in Python, the rules cost hundreds of microseconds per article (most of it
regular expressions scanning every character); an ingest of millions of rows spent most of its time there. Here each
rule runs as an Arrow kernel (RE2 or plain substring replacement) on the rows that need it, found by a
vectorised test, and two steps are left to the Python rules themselves, on the rows that need them:

- ``nfc``: ``unicodedata`` of this Python, on the rows holding a character NFC could change (``_nfc_sensitive``:
  one with a decomposition or a non-zero combining class, one that composes with a preceding character, any
  character outside the Basic Multilingual Plane). A text without such a character is its own NFC, so the other
  rows are left as they are; Arrow's own NFC (utf8proc) is not used, as its Unicode version may differ.
- the residue rules (``comment-form-block`` to ``blank-lines``): ``_RESIDUE_NEEDLES`` holds, for each, a test
  true of every text the rule changes; the rows passing one go through the Python rules, and any other row is
  unchanged by them.

The replacement rules need no such care: replacing in a row without a match changes nothing, so the test that
selects their rows only saves time. ``tests/test_pool_vectorised.py`` compares both paths on generated texts.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc

from counterclaim.corpus import normalize

_CHARACTER_RULES = ("newlines", "nfc", "plain-spaces", "zero-width", "collapse-spaces", "strip-lines")
_RESIDUE_RULES = normalize.TEXT_RULES[len(_CHARACTER_RULES):]


def _re2(chars: str) -> str:
    """Characters as RE2 escapes (``\\x{…}``), safe inside and outside a character class."""
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


def _literal(text: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else _re2(c) for c in text)


# For every residue rule, a test true of every text the rule changes (by name). Most are the rule's own quick
# test (the substrings its ``may_drop`` looks for); three are narrowed to what the rule drops, as their quick
# tests' words are common in news (``respons``, ``Share``): a line that is exactly ``Share`` or
# ``Advertisement``, and ``response(s) to`` before a quotation mark, which any comment-block line holds.
# Every residue rule must be listed, in order: a rule added to the policy without its test here stops the import.
_RESIDUE_NEEDLES: dict[str, str] = {
    "comment-form-block": _literal("Leave a Reply") + "|" + _literal("response") + "s?" + _literal(" to ")
                          + "[" + _re2("“\"") + "]",
    "comment-form-lines": "|".join(map(_literal, (
        "Fill in your details below", "You are commenting using", "Connecting to %s", "Twitter picture",
        "Facebook photo", "Google+ photo"))),
    "share-marker": "(?:^|\n)" + _literal("Share") + "(?:\n|$)",
    "advertisement-marker": "(?:^|\n)" + _literal("Advertisement") + "(?:\n|$)",
    "glued-photo-credit": "(?:" + "|".join(map(_literal, normalize.AGENCIES)) + ")(?:\n|$)",
    "credit-prefix": _literal("Uncredited/"),
    "blank-lines": "\n\n\n|^\n|\n$",
}
if (tuple(rule.name for rule in normalize.TEXT_RULES[:len(_CHARACTER_RULES)]) != _CHARACTER_RULES
        or tuple(_RESIDUE_NEEDLES) != tuple(rule.name for rule in _RESIDUE_RULES)):
    raise ImportError("pool.vectorised does not follow the rules of corpus.normalize: update it with them")
_RESIDUE = "|".join(_RESIDUE_NEEDLES.values())

_LINE_BREAK = "[" + _re2("".join(sorted(set("".join(normalize.LINE_BREAKS)) - {"\n"}))) + "]"  # what starts one
_SPACE_CHARACTER = "[" + _re2(normalize.SPACE_CHARACTERS) + "]"
_ZERO_WIDTH_CHARACTER = "[" + _re2(normalize.ZERO_WIDTH_CHARACTERS) + "]"
_SPACE_RUN = "[ \\t\\x{b}\\x{c}]{2,}|[\\t\\x{b}\\x{c}]"  # as collapse_spaces
_LINE_END_SPACES = " *\n *"
_NEEDS_STRIP = " \n|\n |^ | $"
# Python's ``\s`` and ``str.strip()`` both mean ``str.isspace()`` (whose characters are all below U+10000).
_WHITESPACE = "[" + _re2("".join(chr(c) for c in range(0x10000) if chr(c).isspace())) + "]+"


@functools.cache
def _nfc_sensitive() -> str:
    """A character class of every character NFC could change or combine with what precedes it (see above)."""
    chars: set[int] = set(range(0x1100, 0x1200))  # Hangul jamo: composed by algorithm, not by the tables
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        if unicodedata.combining(char) or unicodedata.normalize("NFD", char) != char:
            chars.add(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):  # a canonical one: what follows the first part
            chars.update(int(part, 16) for part in decomposition.split()[1:])
    ranges: list[list[int]] = []
    for code in sorted(chars):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = [f"\\x{{{a:x}}}-\\x{{{b:x}}}" if a != b else f"\\x{{{a:x}}}" for a, b in ranges]
    return "[" + "".join(parts) + "\\x{10000}-\\x{10ffff}]"


def _where(values: pa.Array, pattern: str, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``change`` applied to the rows matching the RE2 ``pattern``; the others as they are."""
    mask = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    if not pc.any(mask).as_py():
        return values
    return pc.replace_with_mask(values, mask, change(values.filter(mask)))


def _python(rule: Callable[[str], str]) -> Callable[[pa.Array], pa.Array]:
    return lambda values: pa.array([rule(v) for v in values.to_pylist()], pa.string())


def _replace(pattern: str, replacement: str) -> Callable[[pa.Array], pa.Array]:
    return lambda values: pc.replace_substring_regex(values, pattern, replacement)


def _unify_newlines(values: pa.Array) -> pa.Array:
    for brk in normalize.LINE_BREAKS:  # in the rule's order: "\r\n" before "\r"
        values = pc.replace_substring(values, brk, "\n")
    return values


def _character_rules(values: pa.Array) -> pa.Array:
    """newlines, nfc, plain-spaces, zero-width: the rules titles and texts share."""
    values = _where(values, _LINE_BREAK, _unify_newlines)
    # One scan for the three rules on rare characters (a text without them is unchanged by all three).
    rare = "|".join((_nfc_sensitive(), _SPACE_CHARACTER, _ZERO_WIDTH_CHARACTER))
    return _where(values, rare, _rare_character_rules)


def _rare_character_rules(values: pa.Array) -> pa.Array:
    values = _where(values, _nfc_sensitive(), _python(normalize.compose_nfc))
    values = _where(values, _SPACE_CHARACTER, _replace(_SPACE_CHARACTER, " "))
    return _where(values, _ZERO_WIDTH_CHARACTER, _replace(_ZERO_WIDTH_CHARACTER, ""))


def _strip_lines(values: pa.Array) -> pa.Array:
    return pc.utf8_trim(pc.replace_substring_regex(values, _LINE_END_SPACES, "\n"), characters=" ")


def _residue_rules(text: str) -> str:
    for rule in _RESIDUE_RULES:
        text = rule.apply(text)
    return text


def _text_character_rules(values: pa.Array) -> pa.Array:
    values = _character_rules(values)
    values = _where(values, _SPACE_RUN, _replace(_SPACE_RUN, " "))
    return _where(values, _NEEDS_STRIP, _strip_lines)


def normalize_texts(values: pa.Array) -> pa.Array:
    """``normalize_text`` of every string of ``values`` (nulls stay null)."""
    # One scan finds the rows any character rule could change; each rule then scans only those.
    any_change = "|".join((_LINE_BREAK, _nfc_sensitive(), _SPACE_CHARACTER, _ZERO_WIDTH_CHARACTER, _SPACE_RUN,
                           _NEEDS_STRIP))
    values = _where(_plain(values), any_change, _text_character_rules)
    return _where(values, _RESIDUE, _python(_residue_rules))


def normalize_titles(values: pa.Array) -> pa.Array:
    """``normalize_title`` of every string of ``values`` (nulls stay null)."""
    values = _character_rules(_plain(values))
    return pc.utf8_trim(pc.replace_substring_regex(values, _WHITESPACE, " "), characters=" ")


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.cast(pa.string())
