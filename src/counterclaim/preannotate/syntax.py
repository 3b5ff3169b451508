"""Shallow syntax without a parser: clauses, subjects, coordination and noun phrases by token position.

Claims and event arguments both need "the subject before this verb" and "the noun phrase after this word";
the heuristics are here once. A subject is the mention right before a word, across light words (auxiliaries,
modals, adverbs: "Moscow has also said", "it had hit") and a parenthesis between commas ("The USA official,
who spoke on condition of anonymity, said"); coordinated subjects are found through "and" ("the USA and its
allies", "A, B and C"), and a list after "including" stands for its head.
"""

from __future__ import annotations

from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.model import Mention
from counterclaim.preannotate.pipeline import Parsed

CLAUSE_BREAKS = frozenset((",", ";", ":", "“", "”", "‘", "’", '"', "–", "—", "(", ")", "but", "that", "which",
                           "who", "while", "when"))
LINK_BARRIERS = frozenset((";", ":", "–", "—"))  # what times, places and numbers are not linked across
LIGHT = frozenset((
    "has", "have", "had", "was", "were", "is", "are", "be", "been", "being", "will", "would", "could", "may",
    "might", "also", "carried", "out", "conducted", "conducting", "carrying", "today", "heavily", "now",
    "reportedly", "not", "n't", "n’t", "already", "then", "just", "further", "did", "do", "does", "can",
    "should", "jointly", "successfully", "completely", "allegedly", "repeatedly", "to", "about", "due", "going",
    "set", "expected", "planning", "plans", "began", "started", "continued", "again", "later", "earlier",
    "yesterday", "however", "recently", "officially", "publicly", "openly", "separately", "still", "’re", "'re",
    "’ve", "'ve", "’ll", "'ll", "’d", "'d",
))
MODALS = frozenset(("will", "would", "could", "may", "might", "should", "can", "must", "to"))
AUXILIARIES = frozenset(("was", "were", "been", "be", "being", "is", "are", "has", "have", "had"))
PASSIVE_AUXILIARIES = frozenset(("was", "were", "been", "be", "being", "is", "are"))
ARTICLES = frozenset(("the", "a", "an"))
QUOTES = frozenset(("“", "”", "‘", "’", '"', "'"))
NP_STOP = frozenset((
    ",", ".", ";", ":", "in", "on", "at", "with", "since", "near", "by", "for", "from", "to", "into", "which",
    "who", "that", "after", "before", "while", "as", "without", "“", "”", "–", "—", "(", ")", "because",
    "when", "where", "but", "following", "amid", "amidst", "during", "over", "under", "across", "until",
    *AUXILIARIES, *MODALS,
))
_PARENTHESIS = 12  # tokens a parenthesis between commas may span
_LIST_HEADS = tuple(tuple(head.split()) for head in lx.MEMBER_LIST_HEADS)
_NP_LENGTH = 8


def clause_start(p: Parsed, i: int) -> int:
    """The first token of the clause holding token ``i`` (after the last break before it in the sentence)."""
    first, _ = p.sentence(i)
    k = i - 1
    while k >= first and p.lower(k) not in CLAUSE_BREAKS:
        k -= 1
    return k + 1


def crosses_barrier(p: Parsed, a: int, b: int) -> bool:
    """Whether a dash, colon or semicolon lies between tokens ``a`` and ``b``."""
    lo, hi = min(a, b), max(a, b)
    return any(p.doc[k].text in LINK_BARRIERS for k in range(lo, hi))


def subject_end(p: Parsed, i: int, skip: set[int] = frozenset(), *, parenthesis: bool = True) -> int:
    """Where the subject of the word at ``i`` ends: before it, across light words, tokens in ``skip`` (times)
    and, with ``parenthesis``, one parenthesis between commas."""
    first, _ = p.sentence(i)
    k = i - 1
    while k >= first:
        if p.lower(k) in LIGHT or k in skip:
            k -= 1
        elif parenthesis and p.doc[k].text == "," and k - 1 >= first:
            opening = next((j for j in range(k - 1, max(first, k - _PARENTHESIS) - 1, -1) if p.doc[j].text == ","),
                           None)
            if opening is None:
                break
            k = opening - 1
        else:
            break
    return k + 1


def skip_back(p: Parsed, k: int) -> int:
    """The token at or before ``k`` skipping articles and a bracketed acronym ("SOHR (SOHR) and ...")."""
    while k > 0:
        if p.lower(k) in ARTICLES:
            k -= 1
        elif p.text(k) == ")" and p.text(k - 2) == "(":
            k -= 3
        else:
            break
    return k


def conjuncts(p: Parsed, by_end: dict[int, Mention], m: Mention) -> list[Mention]:
    """``m`` with the mentions coordinated before it, first first ("SOHR and the LCC", "A, B and C"); a list
    after "including" is replaced by its head ("seven countries including the United States ... said")."""
    found, k = _coordinated(p, by_end, m)
    head = group_before(p, by_end, k)
    return [head] if head is not None else found


def _coordinated(p: Parsed, by_end: dict[int, Mention], m: Mention) -> tuple[list[Mention], int]:
    """``m`` with the mentions coordinated before it ("A, B and m"), first first, and the token before them."""
    found = [m]
    k = skip_back(p, m.start - 1)
    if p.lower(k) == "and":
        k = skip_back(p, k - 1)
        while k + 1 in by_end:
            found.insert(0, by_end[k + 1])
            k = skip_back(p, found[0].start - 1)
            if p.lower(k) != ",":
                break
            k = skip_back(p, k - 1)
    return found, k


def group_before(p: Parsed, by_end: dict[int, Mention], k: int) -> Mention | None:
    """The group whose members are listed after token ``k`` ("seven countries including ...", R30): the mention
    before the list head ending at ``k``."""
    for words in _LIST_HEADS:
        if all(p.lower(k - len(words) + 1 + n) == w for n, w in enumerate(words)):
            return by_end.get(skip_back(p, k - len(words)) + 1)
    return None


def sources(p: Parsed, by_end: dict[int, Mention], m: Mention) -> tuple[Mention, list[Mention], bool]:
    """The claimant and co-claimants of a subject ending with ``m`` (R16: "SOHR and the LCC said" -> SOHR, with
    the LCC as co-claimant), and whether the co-claimants are the named members of a group that is the claimant
    (R30: "seven countries including the United States, Turkey and Saudi Arabia said")."""
    found, k = _coordinated(p, by_end, m)
    head = group_before(p, by_end, k)
    if head is not None:
        return head, found, True
    return found[0], found[1:], False


def noun_phrase(p: Parsed, start: int) -> tuple[int, int]:
    """The noun phrase starting at ``start`` (after opening quotes): up to a preposition, verb-like word, clause
    break or ``_NP_LENGTH`` tokens."""
    if start >= len(p.doc):
        return start, start
    _, sent_end = p.sentence(start)
    while start < sent_end and p.doc[start].text in QUOTES:
        start += 1
    end = start
    while end < min(sent_end, start + _NP_LENGTH) and not p.doc[end].is_space \
            and (p.lower(end) not in NP_STOP or _acronym(p, end)):
        end += 1
    return start, end


def _acronym(p: Parsed, i: int) -> bool:
    """A word in capitals that looks like a stop word in lower case ("IS", "US")."""
    text = p.texts[i]
    return len(text) > 1 and text.isupper()
