"""The normalisation policy: raw article text in, the exact string annotators see and offsets index out.

Every change to the raw text is a named rule in ``RULES``, applied in table order. Each rule carries the
description and a literal example (taken from the seed articles) that ``render_policy_markdown`` turns into
``docs/normalisation.md``, so the documentation cannot drift from the code. Everything here is a pure
function of its arguments.

Changing what any rule does changes document texts, so bump ``POLICY_VERSION`` with it: the build then
reports every document whose text changed and requires a new corpus version.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

POLICY_VERSION = "1"

# Separates the headline from the article body in every document's ``text``.
TITLE_SEPARATOR = "\n\n"

# Every Unicode space separator (category Zs) except the ASCII space itself.
SPACE_CHARACTERS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
ZERO_WIDTH_CHARACTERS = "\u200b\u2060\ufeff"
LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\u0085")
AGENCIES = ("GETTY IMAGES", "GETTY", "AFP", "AP", "REUTERS", "PA")


@dataclass(frozen=True)
class Rule:
    """One step of the policy: ``apply`` maps the whole text to the whole text."""

    name: str
    description: str
    example: tuple[str, str]
    apply: Callable[[str], str]


def _codepoints(chars: str) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def _holds_any(*needles: str) -> Callable[[str], bool]:
    return lambda text: any(needle in text for needle in needles)


def _map_lines(keep: Callable[[str], bool], may_drop: Callable[[str], bool]) -> Callable[[str], str]:
    """Drop the lines ``keep`` refuses. ``may_drop`` is a quick test that is true of every text holding a line
    to drop: a text it rejects is returned as it is, without splitting it into lines (the rules' speed on
    millions of articles comes from these tests; the results are the same)."""

    def apply(text: str) -> str:
        if not may_drop(text):
            return text
        return "\n".join(line for line in text.split("\n") if keep(line))

    return apply


# --- character rules ------------------------------------------------------------------------------

# Regular expressions rather than str.translate: a dict-based translate visits every character in Python-level
# lookups (about 15 times slower on article-sized texts); the results are the same.
_SPACE_CHARACTER = re.compile(f"[{SPACE_CHARACTERS}]")
_ZERO_WIDTH_CHARACTER = re.compile(f"[{ZERO_WIDTH_CHARACTERS}]")
# Only the runs that change: two or more of these characters, or a single tab, vertical tab or form feed.
_SPACE_RUN = re.compile(r"[ \t\v\f]{2,}|[\t\v\f]")


def unify_newlines(text: str) -> str:
    for brk in LINE_BREAKS:
        text = text.replace(brk, "\n")
    return text


def compose_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def plain_spaces(text: str) -> str:
    return _SPACE_CHARACTER.sub(" ", text)


def drop_zero_width(text: str) -> str:
    return _ZERO_WIDTH_CHARACTER.sub("", text)


def collapse_spaces(text: str) -> str:
    if "  " not in text and "\t" not in text and "\v" not in text and "\f" not in text:
        return text
    return _SPACE_RUN.sub(" ", text)


def strip_lines(text: str) -> str:
    return "\n".join(line.strip(" ") for line in text.split("\n"))


# --- residue rules (whole lines, already stripped) ----------------------------------------------------

_COMMENT_BLOCK_START = re.compile(
    r"Leave a Reply|(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d+) responses? to [“\"][^”\"]*[”\"]?"
)
_COMMENT_FORM_LINE = re.compile(
    r"Fill in your details below or click an icon to log in:.*"
    r"|You are commenting using your (?:\S+ )?account\. Log Out / Change \)"
    r"|Connecting to %s"
    r"|Twitter picture|Facebook photo|Google\+ photo"
)
_GLUED_CREDIT = re.compile(r".{0,149}[a-z](?:" + "|".join(AGENCIES) + r")")
_CREDIT_PREFIX = re.compile(r"^Uncredited/(?:" + "|".join(AGENCIES) + r") (?=\S)")


_may_start_comment_block = _holds_any("Leave a Reply", "respons")
_GLUED_CREDIT_ENDS = tuple(agency + "\n" for agency in AGENCIES)


def _may_hold_glued_credit(text: str) -> bool:
    return text.endswith(AGENCIES) or any(end in text for end in _GLUED_CREDIT_ENDS)


def cut_comment_form(text: str) -> str:
    if not _may_start_comment_block(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _COMMENT_BLOCK_START.fullmatch(line):
            return "\n".join(lines[:i])
    return text


drop_comment_form_lines = _map_lines(
    lambda line: not _COMMENT_FORM_LINE.fullmatch(line),
    _holds_any("Fill in your details below", "You are commenting using", "Connecting to %s", "Twitter picture",
               "Facebook photo", "Google+ photo"),
)
drop_share_markers = _map_lines(lambda line: line != "Share", _holds_any("Share"))
drop_advertisement_markers = _map_lines(lambda line: line != "Advertisement", _holds_any("Advertisement"))
drop_glued_credit_captions = _map_lines(lambda line: not _GLUED_CREDIT.fullmatch(line), _may_hold_glued_credit)


def drop_credit_prefixes(text: str) -> str:
    if "Uncredited/" not in text:
        return text
    return "\n".join(_CREDIT_PREFIX.sub("", line) for line in text.split("\n"))


def squeeze_blank_lines(text: str) -> str:
    if "\n\n\n" not in text and not text.startswith("\n") and not text.endswith("\n"):
        return text  # no blank line at either end and none after another
    out: list[str] = []
    for line in text.split("\n"):
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


TEXT_RULES: tuple[Rule, ...] = (
    Rule(
        "newlines",
        "Line breaks `\\r\\n`, `\\r`, U+2028, U+2029 and U+0085 become `\\n`.",
        ("Share\r\n\r\nRussian air strikes", "Share\n\nRussian air strikes"),
        unify_newlines,
    ),
    Rule(
        "nfc",
        "Unicode normalisation form NFC (composed characters), so equal-looking texts have equal offsets.",
        ("President Franc\u0327ois Hollande", "President Fran\u00e7ois Hollande"),
        compose_nfc,
    ),
    Rule(
        "plain-spaces",
        f"Non-breaking and other fixed-width spaces ({_codepoints(SPACE_CHARACTERS)}) become a plain space.",
        ("Russia Guts Islamic\u00a0State!!", "Russia Guts Islamic State!!"),
        plain_spaces,
    ),
    Rule(
        "zero-width",
        f"Zero-width characters ({_codepoints(ZERO_WIDTH_CHARACTERS)}, including a byte-order mark) are removed.",
        ("\ufeffRussia Guts Islamic State!!", "Russia Guts Islamic State!!"),
        drop_zero_width,
    ),
    Rule(
        "collapse-spaces",
        "A run of spaces, tabs, vertical tabs or form feeds becomes one space.",
        ("equipment.  In the past 24 hours", "equipment. In the past 24 hours"),
        collapse_spaces,
    ),
    Rule(
        "strip-lines",
        "Spaces at the start and end of every line are removed.",
        (
            "Mr Kerry made no declarations about the future of Syrian President Assad. ",
            "Mr Kerry made no declarations about the future of Syrian President Assad.",
        ),
        strip_lines,
    ),
    Rule(
        "comment-form-block",
        "A blog comment section is cut from its first line to the end of the text. It starts at a line that is "
        "exactly `Leave a Reply`, or exactly `One response to “…` / `N responses to “…` (a number as digits or "
        "a word up to Ten, a quoted title, nothing after the closing quote).",
        (
            "He said the UN-led process should lead to a new constitution for Syria and internationally "
            "supervised elections.\n\nLeave a Reply",
            "He said the UN-led process should lead to a new constitution for Syria and internationally "
            "supervised elections.\n",
        ),
        cut_comment_form,
    ),
    Rule(
        "comment-form-lines",
        "Comment-form lines are removed wherever they stand: a line starting `Fill in your details below or "
        "click an icon to log in:`, `You are commenting using your … account. Log Out / Change )`, "
        "`Connecting to %s`, `Twitter picture`, `Facebook photo`, `Google+ photo`.",
        (
            "Twitter picture\n\nYou are commenting using your Twitter account. Log Out / Change )\n\nConnecting to %s",
            "\n",
        ),
        drop_comment_form_lines,
    ),
    Rule(
        "share-marker",
        "A line that is exactly `Share` (a social-media button) is removed.",
        (
            "Share\n\nRussian air strikes hit 55 Islamic State targets in Syria",
            "\nRussian air strikes hit 55 Islamic State targets in Syria",
        ),
        drop_share_markers,
    ),
    Rule(
        "advertisement-marker",
        "A line that is exactly `Advertisement` (an ad slot) is removed.",
        (
            "the Syrian Observatory for Human Rights monitoring group said.\n\nAdvertisement\n\n"
            "The Russian air strikes",
            "the Syrian Observatory for Human Rights monitoring group said.\n\n\nThe Russian air strikes",
        ),
        drop_advertisement_markers,
    ),
    Rule(
        "glued-photo-credit",
        "A photo caption whose agency credit is glued to its last word is removed as a whole line: a line of at "
        "most 150 characters before the credit, ending in a lower-case letter followed by one of "
        + ", ".join(f"`{a}`" for a in AGENCIES)
        + ". The seed articles repeat such captions without the credit on the next line.",
        (
            "Sergei Lavrov, John Kerry and Staffan de Mistura in ViennaGETTY\n\n"
            "Sergei Lavrov, John Kerry and Staffan de Mistura in Vienna",
            "\nSergei Lavrov, John Kerry and Staffan de Mistura in Vienna",
        ),
        drop_glued_credit_captions,
    ),
    Rule(
        "credit-prefix",
        "A credit `Uncredited/<agency> ` at the start of a line (agency as above) is removed; the caption "
        "after it is kept.",
        ("Uncredited/AP A bomb explosion is seen in Syria", "A bomb explosion is seen in Syria"),
        drop_credit_prefixes,
    ),
    Rule(
        "blank-lines",
        "Consecutive blank lines become one blank line; blank lines at the start and end are dropped.",
        (
            "Mr Kerry made no declarations about the future of Syrian President Assad.\n\n\n\n",
            "Mr Kerry made no declarations about the future of Syrian President Assad.",
        ),
        squeeze_blank_lines,
    ),
)


def drop_repeated_title(text: str) -> str:
    title, sep, rest = text.partition(TITLE_SEPARATOR)
    if sep and (rest == title or rest.startswith(title + "\n")):
        return title + sep + rest[len(title) :].lstrip("\n")
    return text


COMPOSED_RULES: tuple[Rule, ...] = (
    Rule(
        "repeated-title",
        "Applied to the composed text (title, blank line, body): when the body's first line is exactly the "
        "title, that line and the blank lines after it are removed, so the headline appears once. Scraped "
        "records often start their content with the headline (125 of the 250 FakeNewsCorpus sample rows).",
        (
            "AWAKENING OF 12 STRANDS of DNA\n\nAWAKENING OF 12 STRANDS of DNA\n\n"
            "% of readers think this story is Fact.",
            "AWAKENING OF 12 STRANDS of DNA\n\n% of readers think this story is Fact.",
        ),
        drop_repeated_title,
    ),
)

RULES: tuple[Rule, ...] = TEXT_RULES + COMPOSED_RULES

_TITLE_RULES = ("newlines", "nfc", "plain-spaces", "zero-width")
_WHITESPACE_RUN = re.compile(r"\s+")


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8 with a leading byte-order mark removed; raises ``UnicodeDecodeError``."""
    return data.decode("utf-8-sig")


def normalize_text(raw: str) -> str:
    """Apply every rule of ``TEXT_RULES`` in order (an article body, or a whole .txt file)."""
    for rule in TEXT_RULES:
        raw = rule.apply(raw)
    return raw


def normalize_title(raw: str) -> str:
    """A title field: the character rules, then any run of whitespace (newlines too) becomes one space."""
    for rule in TEXT_RULES:
        if rule.name in _TITLE_RULES:
            raw = rule.apply(raw)
    return _WHITESPACE_RUN.sub(" ", raw).strip()


def _finish(title: str, body: str) -> tuple[str, str]:
    text = f"{title}{TITLE_SEPARATOR}{body}"
    for rule in COMPOSED_RULES:
        text = rule.apply(text)
    return title, text[len(title) + len(TITLE_SEPARATOR) :]


def split_article(raw: str) -> tuple[str, str]:
    """A whole .txt article: ``(title, body)``, the title being the first line left after normalisation."""
    title, _, body = normalize_text(raw).partition("\n")
    return _finish(title, body.lstrip("\n"))


def split_record(title: str, content: str) -> tuple[str, str]:
    """A record with separate fields: ``(title, body)``, both normalised."""
    return _finish(normalize_title(title), normalize_text(content))


def compose_text(title: str, body: str) -> str:
    """The annotatable text: the headline, a blank line, the body."""
    return f"{title}{TITLE_SEPARATOR}{body}"


def normalize_article(raw: str) -> tuple[str, str]:
    """``(title, text)`` of a whole .txt article."""
    title, body = split_article(raw)
    return title, compose_text(title, body)


def normalize_record(title: str, content: str) -> tuple[str, str]:
    """``(title, text)`` of a record with separate title and content fields."""
    title, body = split_record(title, content)
    return title, compose_text(title, body)


# --- documentation --------------------------------------------------------------------------------

_INTRO = """\
# Normalisation policy

<!-- Generated by counterclaim.corpus.normalize.render_policy_markdown(); do not edit by hand.
     tests/test_normalize.py checks that this file equals the generated text. -->

Policy version: `{version}` (recorded in every document and in `corpus/manifest.json`).

A document's `text` is exactly the string annotators see and annotation offsets index. It is made from the
raw source by the rules below, applied in this order; nothing else is changed.

## Input

- Raw `.txt` files and CSV/JSONL fields are decoded as strict UTF-8; a leading byte-order mark is removed.
  Bytes that are not valid UTF-8 are not repaired: the `.txt` file or CSV row is reported as
  `undecodable bytes: not valid UTF-8` and not ingested. A JSONL line that is not UTF-8 (or not JSON)
  is reported with its line number and the other lines are read; a JSON string holding a lone surrogate
  escape (`\\ud800`) is reported for its row like undecodable bytes.
- A `.txt` file holds one article; its title is the first line left after the rules, the body is the rest.
- A JSONL or CSV record has separate title and content fields. The content goes through rules
  1–{last_text} below. The title goes through the character rules {title_rules}; then every run of
  whitespace, line breaks included, becomes one space and the ends are trimmed.

## Rules

Rules 1–{last_text} apply to an article body (to the whole file for a `.txt` source); the title is then split
off as described above, and rule {composed} applies to the composed `text`.
"""

_OUTRO = """
## The resulting text

`text` = title + `\\n\\n` + body, for every kind of source: the headline is annotatable text too. The
document's `title` field holds the headline alone, so `text` starts with `title`.

A document is not ingested when its body is empty after these rules (`empty content`), or, for a record,
when its title is (`missing title`). A `.txt` file that is empty after the rules has neither and is reported
as `empty content`.

## What is deliberately kept

- Truncated sentences and glued words, e.g. `Russia Attacks ISISThe Russian Defense Ministry…`: the text is
  what the source published, and guessing where a word ends would change offsets for no certain gain.
- Quotation marks, dashes, apostrophes and ellipses as written (no ASCII folding), letter case, soft
  hyphens (U+00AD), HTML entities left in titles by scrapers (e.g. `&apos;`), URLs, paragraph order.
- Site furniture that is not listed above, e.g. a related-article headline at the end of an article or
  FakeNewsCorpus lines such as `% of readers think this story is Fact. Add your two cents.`
- Single line breaks inside a paragraph and single blank lines between paragraphs, as in the source.
- Residue lines are only removed when the whole line matches; the same words inside a sentence stay.

## Row numbers in reports

`counterclaim corpus add` reports every row it does not ingest as `FILE: row N (id X): reason`.
For a CSV file, N is the CSV record number: 1 is the first data row after the header, and a record whose
fields span several lines still counts once. For a JSONL file, N is the line number (blank lines count).
A `.txt` file is reported by its name alone.

## Ids

- A seed file named `NNN_<hex>.txt` keeps `<hex>` as its id; a FakeNewsCorpus row keeps its `id` column;
  a JSONL record keeps its `id` (or `doc_id`) field, an integer being written in decimal.
- Anything else gets a content id: the first 16 hex digits of the SHA-256 of its normalised `text`.
  Content ids depend on this policy: a policy change that changes such a text also changes its id.
- Ids must match `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`.
"""


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(text: str) -> str:
    """A one-line rendering: line breaks and invisible or combining characters as escapes."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch != " " and unicodedata.category(ch)[0] in "ZCM":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def render_policy_markdown() -> str:
    """The text of ``docs/normalisation.md``."""
    parts = [
        _INTRO.format(
            version=POLICY_VERSION,
            title_rules=", ".join(f"`{n}`" for n in _TITLE_RULES),
            last_text=len(TEXT_RULES),
            composed=len(TEXT_RULES) + 1,
        )
    ]
    for number, rule in enumerate(RULES, start=1):
        before, after = rule.example
        parts.append(f"\n### {number}. `{rule.name}`\n\n{rule.description}\n\n")
        parts.append(f"Example: `{_show(before)}` → `{_show(after)}`\n")
    parts.append(_OUTRO)
    return "".join(parts)
