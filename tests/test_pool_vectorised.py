"""The vectorised normalisation and staging equal the per-row rules on every generated input: tricky strings
built from the characters and substrings each rule (and each shortcut that skips rows) looks at."""

from __future__ import annotations

import random
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from counterclaim.corpus import normalize
from counterclaim.corpus.readers import METADATA_KEYS, RawRecord, RowProblem
from counterclaim.pool import records, schema, vectorised

# Pieces a text is built from: every character class a rule or a row test treats specially, the residue
# lines and their near misses, combining and composed characters, astral ones, and plain words.
PIECES = [
    "\r\n", "\r", "\n", "\n\n", "\n\n\n", "\u2028", "\u2029", "\u0085", " ", "  ", "\t", "\v", "\f", " \t ",
    *normalize.SPACE_CHARACTERS, *normalize.ZERO_WIDTH_CHARACTERS, "\x1c", "\x1f", "\u180e", "\u200d",
    "e\u0301", "\u00e9", "A\u030a", "\u212b", "\u1100\u1161", "\u11a8", "\uac00", "\u0345", "\u0cd5", "\u0f73",
    "\u2126", "\U0001d15e", "\U0001f600", "\u0308\u0323", "\u05d0\u05b7", "\u00ad", "“", "”", "—", "\u3000",
    "Share", "Shares", "Advertisement", "Leave a Reply", "One response to “Title”", "3 responses to \"T\"",
    "responsible", "response to it", "Share this", " Share", "Advertisement:", "Ten responses to “",
    "Fill in your details below or click an icon to log in: x", "Connecting to %s",
    "You are commenting using your Twitter account. Log Out / Change )", "Twitter picture", "Facebook photo",
    "Google+ photo", "Uncredited/AP ", "Uncredited/REUTERS x", "Uncredited/", "ViennaGETTY", "in AleppoAFP",
    "word AP", "xPA", "GETTY IMAGES", "REUTERS", "Title", "Title\n", "word", "Russian jets", ".", ",", "%",
    "é", "\\", "[", "]", "-", "^", "$",
]


def _text(rnd: random.Random) -> str:
    parts = [rnd.choice(PIECES) for _ in range(rnd.randint(0, 14))]
    joiner = rnd.choice(["", " ", "\n", "\r\n", "\n\n"])
    return joiner.join(parts)


def _texts(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [_text(rnd) for _ in range(count)] + [rule.example[0] for rule in normalize.RULES] + ["", " ", "\n"]


@pytest.mark.parametrize("seed", range(4))
def test_texts_and_titles_normalise_as_the_per_row_rules(seed):
    texts = _texts(3000, seed)
    assert vectorised.normalize_texts(pa.array(texts)).to_pylist() == [normalize.normalize_text(t) for t in texts]
    assert vectorised.normalize_titles(pa.array(texts)).to_pylist() == [normalize.normalize_title(t) for t in texts]


def test_nulls_stay_null():
    assert vectorised.normalize_texts(pa.array([None, "a  b"], pa.string())).to_pylist() == [None, "a b"]
    assert vectorised.normalize_titles(pa.array([None, " a\nb "], pa.string())).to_pylist() == [None, "a b"]


def test_every_character_nfc_changes_is_sent_to_python_nfc():
    # A character NFC changes alone, or that changes what precedes it, must be in the class that selects rows
    # for Python's NFC; otherwise the row would keep it unnormalised.
    pattern = vectorised._nfc_sensitive()
    chars = [c for c in map(chr, range(0x10000)) if not 0xD800 <= ord(c) < 0xE000
             and any(unicodedata.normalize("NFC", s) != s for s in (c, "a" + c, "\u1100" + c, "e" + c, "A" + c))]
    selected = pc.match_substring_regex(pa.array(chars), pattern).to_pylist()
    assert chars and all(selected), [f"U+{ord(c):04X}" for c, hit in zip(chars, selected) if not hit][:20]


def _records(seed: int) -> list[RawRecord | RowProblem]:
    rnd = random.Random(seed)
    items: list[RawRecord | RowProblem] = []
    for row in range(1500):
        body = _text(rnd)
        title = rnd.choice([_text(rnd), "Title", "Title ", "", "A headline"])
        if rnd.random() < 0.3:  # the headline repeated as the body's first line
            body = normalize.normalize_title(title) + rnd.choice(["", "\n", "\n\n", "\r\n\r\n", " \n"]) + body
        source_id = rnd.choice([None, str(row), f"id-{row}", "bad id", ""])
        meta = {key: rnd.choice([None, "", "2015-10-30", " 2016-02-30x", "x"]) for key in METADATA_KEYS}
        if rnd.random() < 0.05:
            items.append(RowProblem("in.csv", row, source_id, "undecodable bytes"))
        elif rnd.random() < 0.05:
            items.append(RawRecord("a.txt", None, "txt", None, None, title + "\n" + body, "h", meta))
        else:
            items.append(RawRecord("in.csv", row, "fakenewscorpus-csv", source_id, title, body, f"sha{row}", meta))
    return items


@pytest.mark.parametrize("seed", range(3))
def test_staged_batches_are_the_per_row_staged_rows(seed):
    items = _records(seed)
    rows = [records.staged_row(o, item, 16) for o, item in enumerate(items, start=7)]
    expected = pa.RecordBatch.from_pylist(rows, schema=schema.STAGED)
    staged = records.stage_batch(records.raw_batch(items, 7), 16)
    assert staged.equals(expected)
    assert set(staged.column("problem").to_pylist()) > {None}  # problems and documents both occur


def test_large_string_batches_stage_to_the_same_rows():
    # An engine may hand batches over with 64-bit offsets (Arrow's large_string); the staged rows are the same.
    raw = records.raw_batch(_records(5)[:200], 0)
    large = pa.schema([f.with_type(pa.large_string()) if f.type == pa.string() else f for f in raw.schema])
    assert records.stage_batch(raw.cast(large), 16).equals(records.stage_batch(raw, 16))
