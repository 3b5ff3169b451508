"""The normalisation rules skip texts they cannot change (speed on millions of articles); these tests hold
each fast rule to the plain definition it replaces, on texts built to hit every rule and its edge cases."""

from __future__ import annotations

import random

import pytest

from counterclaim.corpus import normalize as N


def _lines(keep):
    return lambda text: "\n".join(line for line in text.split("\n") if keep(line))


def _squeeze(text):
    out = []
    for line in text.split("\n"):
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


REFERENCE = {
    "blank-lines": _squeeze,
    "plain-spaces": lambda t: t.translate({ord(c): " " for c in N.SPACE_CHARACTERS}),
    "zero-width": lambda t: t.translate({ord(c): None for c in N.ZERO_WIDTH_CHARACTERS}),
    "collapse-spaces": lambda t: __import__("re").sub(r"[ \t\v\f]+", " ", t),
    "comment-form-block": lambda t: next(
        ("\n".join(t.split("\n")[:i]) for i, line in enumerate(t.split("\n"))
         if N._COMMENT_BLOCK_START.fullmatch(line)), t),
    "comment-form-lines": _lines(lambda line: not N._COMMENT_FORM_LINE.fullmatch(line)),
    "share-marker": _lines(lambda line: line != "Share"),
    "advertisement-marker": _lines(lambda line: line != "Advertisement"),
    "glued-photo-credit": _lines(lambda line: not N._GLUED_CREDIT.fullmatch(line)),
    "credit-prefix": lambda t: "\n".join(N._CREDIT_PREFIX.sub("", line) for line in t.split("\n")),
}

PIECES = [
    "Share", "Advertisement", "Leave a Reply", "One response to “x”", "3 responses to \"y", "responsible",
    "Twitter picture", "Fill in your details below or click an icon to log in: x", "Connecting to %s",
    "You are commenting using your Twitter account. Log Out / Change )", "Google+ photo", "Uncredited/AP ",
    "Uncredited/REUTERS x", "ViennaGETTY", "Vienna GETTY", "captionAFP", "textPA", "AP", "PA", "GETTY IMAGES",
    "word", " ", "  ", "\t", "\v", "\f", "\n", "\n\n", "\n\n\n", "\u00a0", "\u202f", "\u3000", "\u200b", "\ufeff",
    "\u2060", "x", "Share ", " Share",
]


def _texts(count: int = 3000):
    rnd = random.Random(11)
    for _ in range(count):
        yield "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 12)))


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_each_fast_rule_equals_its_plain_definition(name):
    rule = next(r for r in N.RULES if r.name == name)
    for text in _texts():
        assert rule.apply(text) == REFERENCE[name](text), repr(text)
