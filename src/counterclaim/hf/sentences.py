"""Sentence boundaries of a document, computed once per export and shared by every config that needs them.

The splitter is spaCy's rule-based ``sentencizer`` on ``spacy.blank("en")`` (no statistical model, nothing
downloaded) with counterclaim's exceptions, applied by a pipeline component after it:

- **Lines first.** A document's ``text`` is the headline, a blank line, then the body, one paragraph per line
  (:mod:`counterclaim.corpus.normalize`). No sentence crosses a line break, and the headline is always exactly
  one sentence, whatever punctuation it has ("Russia Guts Islamic State!!").
- **Abbreviations never end a sentence.** Titles and abbreviations that precede a name or a number
  (:data:`ABBREVIATIONS`: "Maj.", "Gen.", "Mr.", "No." ...) are single tokens for the tokenizer, so the
  sentencizer never sees their full stop. spaCy's English tokenizer already keeps initials ("F.") and
  letter-dot abbreviations ("U.S.", "U.N.") whole.
- **… unless a letter-dot abbreviation is followed by a word that starts sentences.** "in the U.S. The
  ministry said" splits after "U.S."; "the U.S. and its allies" and "U.S. President" do not
  (:data:`SENTENCE_STARTERS`).
- **Opening quotes and brackets begin the next sentence.** The sentencizer leaves punctuation after a full
  stop with the sentence it closes; that is right for closing quotes (``."``, ``.”``) but not for an opening
  one: in ``said. “It was`` the ``“`` starts the next sentence.
- **Never inside a token.** A boundary that would fall inside a token of the ``ner`` tokenizer
  (:data:`counterclaim.hf.rows.TOKEN_RE`, e.g. "said.The" glued by scraping) is dropped, so sentence-level
  token sequences are the ``ner`` tokens cut at sentence boundaries.

Sentences are half-open ``(start, end)`` code-point offsets into ``text``, stripped of surrounding whitespace,
in text order; they never overlap and only whitespace lies between them (they tile the text).

**Speed.** Running the pipeline over whole documents costs about 3 s per MB of text (spaCy builds a ``Doc``
of every token), which would multiply the export's time. spaCy's tokenizer handles each space-separated chunk
on its own, and the sentencizer only acts around tokens that are sentence-final punctuation; so
:func:`split_sentences` evaluates the same rules chunk by chunk: it tokenises (with spaCy, cached per distinct
chunk) only the chunks that hold such punctuation and the ones right after them, and runs the sentencizer's
state machine and the fixes over those tokens. :func:`pipeline_sentences` runs the real pipeline; a test
checks that both give the same sentences on the whole corpus and on a sample of FA-KES articles.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

# Titles and abbreviations that precede a name or a number, so a sentence never ends on them.
ABBREVIATIONS = (
    "Adm.", "Amb.", "Brig.", "Capt.", "Cmdr.", "Col.", "Cpl.", "Dr.", "Gen.", "Gov.", "Jr.", "Lt.", "Maj.",
    "Mr.", "Mrs.", "Ms.", "No.", "Nos.", "Pres.", "Prof.", "Pvt.", "Rep.", "Rev.", "Sen.", "Sgt.", "Sr.",
    "St.", "Supt.", "approx.", "vs.",
)
# Words after which a letter-dot abbreviation ("U.S.") ends its sentence: "... in the U.S. The ministry ...".
SENTENCE_STARTERS = frozenset((
    "A", "According", "After", "All", "An", "And", "As", "At", "But", "He", "Her", "His", "However", "I", "If",
    "In", "It", "Its", "Meanwhile", "On", "Our", "She", "So", "That", "The", "Their", "There", "These", "They",
    "This", "Those", "We", "What", "When", "While", "Yet",
))
_LETTER_DOTS = re.compile(r"(?:[A-Za-z]\.){2,}")
OPENING = frozenset("“‘([{«")
QUOTES = frozenset("\"'")
_FIXES = "counterclaim_sentence_fixes"

Span = tuple[int, int]


def _opens(token) -> bool:
    """An opening quote or bracket: “ ‘ ( [ { «, or a straight quote glued to the word after it."""
    text = token.text
    if text in OPENING:
        return True
    return text in QUOTES and not token.whitespace_ and token.i + 1 < len(token.doc) \
        and not token.doc[token.i + 1].is_punct


def _fix_boundaries(doc):
    """The exceptions the sentencizer does not know (see the module docstring), applied to its output."""
    tokens = list(doc)
    for token, following in zip(tokens, tokens[1:]):
        if _LETTER_DOTS.fullmatch(token.text) and token.whitespace_ and following.text in SENTENCE_STARTERS:
            following.is_sent_start = True
    # opening punctuation left at the end of a sentence moves to the start of the next one
    for i in range(1, len(tokens)):
        if not tokens[i].is_sent_start:
            continue
        k = i
        while k - 1 > 0 and not tokens[k - 1].is_sent_start and _opens(tokens[k - 1]):
            k -= 1
        if k < i and tokens[k - 1].whitespace_:
            tokens[k].is_sent_start = True
            for m in range(k + 1, i + 1):
                tokens[m].is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def _nlp():
    """spaCy's blank English pipeline with the sentencizer and the fixes (built once per process)."""
    import spacy
    from spacy.attrs import ORTH
    from spacy.language import Language

    if not Language.has_factory(_FIXES):
        Language.component(_FIXES, func=_fix_boundaries)
    nlp = spacy.blank("en")
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(_FIXES)
    return nlp


def _lines(text: str, title: str | None) -> tuple[list[Span], list[tuple[str, int]]]:
    """The headline's span (when ``text`` starts with ``title`` and a line break) and every other non-blank
    line, as ``(line, offset)``."""
    fixed: list[Span] = []
    first = 0
    if title and text.startswith(title) and (len(text) == len(title) or text[len(title)] == "\n"):
        stripped = title.strip()
        if stripped:
            lead = len(title) - len(title.lstrip())
            fixed.append((lead, lead + len(stripped)))
        first = len(title)
    lines = []
    offset = first
    for line in text[first:].split("\n"):
        if line.strip():
            lines.append((line, offset))
        offset += len(line) + 1
    return fixed, lines


def _stripped(line: str, offset: int, starts: list[int]) -> list[Span]:
    spans = []
    for a, b in zip(starts, starts[1:] + [len(line)]):
        raw = line[a:b]
        stripped = raw.strip()
        if stripped:
            start = offset + a + len(raw) - len(raw.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def pipeline_sentences(text: str, title: str | None = None) -> list[Span]:
    """The sentences the spaCy pipeline itself finds (slow; the reference :func:`split_sentences` matches)."""
    fixed, lines = _lines(text, title)
    spans = list(fixed)
    nlp = _nlp()
    nlp.max_length = max(nlp.max_length, max((len(line) for line, _ in lines), default=0) + 1)
    for doc, (line, offset) in zip(nlp.pipe(line for line, _ in lines), lines):
        spans += _stripped(line, offset, [sent.start_char for sent in doc.sents])
    return spans


# -- the same rules, evaluated chunk by chunk ------------------------------------------------------------------


class _Chunk(NamedTuple):
    """What the sentencizer and the fixes do within one space-separated chunk, given the incoming state."""

    starts: tuple[int, ...]  # sentence starts, as offsets in the chunk; OPENING_RUN: at the chunk's start, or
    #                          at the start of the run of opening-punctuation chunks just before it
    seen: bool  # the sentencizer's `seen_period` after the chunk
    all_open: bool  # every token is opening punctuation
    ends_with_letter_dots: bool  # the last token is a letter-dot abbreviation ("U.S.")
    first: str  # the first token's text


OPENING_RUN = -1


@lru_cache(maxsize=1)
def _final_chars() -> frozenset[str]:
    from spacy.pipeline.sentencizer import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


@lru_cache(maxsize=1)
def _final_characters() -> tuple[re.Pattern, re.Pattern, frozenset]:
    """The sentencizer's sentence-final characters: a pattern for ASCII texts (much faster), one for all, and
    the non-ASCII ones (a text without any of them can use the first pattern)."""
    chars = _final_chars()
    ascii_chars = sorted(c for c in chars if c.isascii())
    return (re.compile("[" + "".join(re.escape(c) for c in ascii_chars) + "]"),
            re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]"),
            frozenset(c for c in chars if not c.isascii()))


@lru_cache(maxsize=1 << 16)
def _chunk(chunk: str, seen: bool) -> _Chunk:
    """Tokenise ``chunk`` with spaCy and run the sentencizer's state machine (entered with ``seen``) and the
    opening-punctuation fix over it (see :func:`_fix_boundaries`)."""
    tokens = list(_nlp().tokenizer(chunk))
    finals = _final_chars()
    opens = [_opens_in_chunk(tokens, i) for i in range(len(tokens))]
    starts = []
    for j, token in enumerate(tokens):
        final = token.text in finals
        if seen and not token.is_punct and not final:
            k = j
            while k > 0 and opens[k - 1]:
                k -= 1
            starts.append(token.idx if k > 0 else OPENING_RUN)
            seen = False
        elif final:
            seen = True
    last = tokens[-1].text if tokens else ""
    return _Chunk(tuple(starts), seen, all(opens), bool(_LETTER_DOTS.fullmatch(last)),
                  tokens[0].text if tokens else "")


def _opens_in_chunk(tokens: list, i: int) -> bool:
    """:func:`_opens` for token ``i`` of a chunk (a chunk's last token is followed by a space or the end)."""
    text = tokens[i].text
    if text in OPENING:
        return True
    return text in QUOTES and i + 1 < len(tokens) and not tokens[i + 1].is_punct


_NEXT_CHUNK = re.compile(r" ([^ ]+)")


def _line_starts(line: str, finals: re.Pattern) -> list[int]:
    """Where the sentences of one line start: the sentencizer's state machine and :func:`_fix_boundaries`
    over the chunks that can change anything (chunks with sentence-final punctuation, and the chunks after
    them up to the next word)."""
    starts = [0]
    done = 0  # chunks before this offset are processed
    for m in finals.finditer(line):
        if m.start() < done:
            continue
        seen = False
        opening_run: int | None = None  # start of the chunks of opening punctuation just passed while `seen`
        chunk_start = line.rfind(" ", 0, m.start()) + 1
        chunk_end = line.find(" ", m.start())
        chunk = line[chunk_start:chunk_end if chunk_end >= 0 else len(line)]
        while True:
            info = _chunk(chunk, seen)
            for offset in info.starts:
                if offset != OPENING_RUN:
                    start = chunk_start + offset
                else:
                    start = opening_run if opening_run is not None else chunk_start
                if start > starts[-1]:
                    starts.append(start)
            if info.seen:
                opening_run = (chunk_start if opening_run is None else opening_run) if info.all_open else None
            end = chunk_start + len(chunk)
            following = _NEXT_CHUNK.match(line, end)
            if following is None:
                done = len(line)
                break
            if info.ends_with_letter_dots and _chunk(following.group(1), False).first in SENTENCE_STARTERS:
                if following.start(1) > starts[-1]:
                    starts.append(following.start(1))
            seen = info.seen
            if not seen:
                done = end
                break
            chunk_start, chunk = following.start(1), following.group(1)
    return starts


def split_sentences(text: str, title: str | None = None, token_bounds: tuple[list[int], list[int]] | None = None
                    ) -> list[Span]:
    """The sentences of ``text`` as ``(start, end)`` offsets (see the module docstring).

    ``title`` is the document's headline (the first line of ``text``): it becomes one sentence. ``token_bounds``
    are the ``ner`` tokens' start and end offsets, when already computed; a boundary inside a token is dropped.
    """
    fixed, lines = _lines(text, title)
    spans = list(fixed)
    ascii_finals, all_finals, other_finals = _final_characters()
    finals = ascii_finals if text.isascii() or not other_finals.intersection(text) else all_finals
    for line, offset in lines:
        spans += _stripped(line, offset, _line_starts(line, finals))
    if token_bounds is None:
        from counterclaim.hf.rows import tokenize_columns

        _, starts, ends = tokenize_columns(text)
    else:
        starts, ends = token_bounds
    return join_inside_tokens(spans, starts, ends)


def join_inside_tokens(spans: list[Span], starts: list[int], ends: list[int]) -> list[Span]:
    """Merge neighbouring sentences whose boundary falls inside one token."""
    out: list[Span] = []
    for start, end in spans:
        if out and out[-1][1] == start:
            k = bisect.bisect_right(starts, start - 1) - 1  # the last token starting before the boundary
            if k >= 0 and ends[k] > start:
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


class SentenceIndex:
    """Sentences of one text, for finding the one around an offset or the ones a span covers."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def index_of(self, offset: int) -> int | None:
        """The index of the sentence containing ``offset`` (None between sentences or outside them)."""
        k = bisect.bisect_right(self.starts, offset) - 1
        if k >= 0 and self.spans[k][0] <= offset < self.spans[k][1]:
            return k
        return None

    def covering(self, start: int, end: int) -> list[int]:
        """Indexes of the sentences that share a character with ``[start, end)``, in order."""
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        found = []
        for k in range(first, len(self.spans)):
            s, e = self.spans[k]
            if s >= end:
                break
            if e > start:
                found.append(k)
        return found
