"""Sentence boundaries: spaCy's sentencizer with the abbreviation, headline and quote rules, computed chunk by
chunk exactly as the pipeline computes them."""

from __future__ import annotations

import csv
import re

import pytest

from counterclaim.hf.rows import tokenize_columns
from counterclaim.hf.sentences import join_inside_tokens, pipeline_sentences, split_sentences
from counterclaim.io import jsonio
from helpers import REALDATA, REPO

SEEDS = [doc for _, doc in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl") if not doc["doc_id"].startswith("fakes-")]
FAKES = REALDATA / "news" / "fa-kes.csv"


def texts(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_rules_on_a_hand_made_text():
    text = ("Headline: U.S. strikes? Maybe\n\nThe U.S. said Maj. Jamil al-Saleh met Gen. Smith and John F. Kennedy in "
            "No. 10. The ministry said (AP). “It was bad.” He left. In the U.S. The end? Yes!! It is U.S. President "
            "Obama and the U.S.-led coalition. He said.The next one.")
    assert texts(text, split_sentences(text, "Headline: U.S. strikes? Maybe")) == [
        "Headline: U.S. strikes? Maybe",  # the headline is one sentence, whatever its punctuation
        "The U.S. said Maj. Jamil al-Saleh met Gen. Smith and John F. Kennedy in No. 10.",
        "The ministry said (AP).",
        "“It was bad.”",  # the opening quote starts the next sentence, the closing one ends its own
        "He left.",
        "In the U.S.",  # a letter-dot abbreviation before a sentence starter ends the sentence
        "The end?",
        "Yes!!",
        "It is U.S. President Obama and the U.S.-led coalition.",
        "He said.The next one.",  # "said.The" is one token of the ner tokenizer: no boundary inside it
    ]


def test_without_a_title_the_first_line_is_split_like_any_other():
    assert texts("One. Two.", split_sentences("One. Two.")) == ["One.", "Two."]


@pytest.mark.parametrize("doc", SEEDS, ids=lambda d: d["doc_id"])
def test_seed_sentences_reproduce_their_text_and_tile_it(doc):
    text = doc["text"]
    spans = split_sentences(text, doc["title"])
    assert texts(text, spans)[0] == doc["title"]  # the headline is sentence 0
    covered = set()
    previous_end = 0
    for start, end in spans:
        sentence = text[start:end]
        assert sentence and sentence == sentence.strip() and "\n" not in sentence
        assert text[previous_end:start].strip() == ""  # only whitespace between sentences: they tile the text
        assert previous_end <= start
        covered.update(range(start, end))
        previous_end = end
    assert text[previous_end:].strip() == ""
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize("doc", SEEDS, ids=lambda d: d["doc_id"])
def test_no_seed_sentence_ends_inside_an_abbreviation(doc):
    text = doc["text"]
    spans = split_sentences(text, doc["title"])
    ends = {e for _, e in spans}
    for m in re.finditer(r"U\.S\.|Maj\.", text):
        assert not any(m.start() < e < m.end() for e in ends), text[m.start() - 30:m.end() + 30]
        if m.end() in ends:  # allowed only before a sentence starter, which none of the seeds has
            pytest.fail(f"sentence ends after {m.group()!r}: {text[m.start() - 30:m.end() + 30]!r}")
    for start, _ in spans:
        assert not text[start:].startswith(("S.", "-led", "and its allies", "Jamil")), text[start:start + 40]


def test_no_gold_mention_or_trigger_of_the_seeds_crosses_a_sentence_boundary():
    from counterclaim.hf.sentences import SentenceIndex

    for doc in SEEDS:
        index = SentenceIndex(split_sentences(doc["text"], doc["title"]))
        ann = jsonio.read_json(REPO / "corpus" / "annotations" / f"{doc['doc_id']}.json")["annotations"][0]
        spans = [m["span"] for m in ann["mentions"]] + [e["trigger"] for e in ann["events"] if e["trigger"]]
        for span in spans:
            assert len(index.covering(span["start"], span["end"])) == 1, (doc["doc_id"], span)


def _reference(text: str, title: str | None):
    _, starts, ends = tokenize_columns(text)
    return join_inside_tokens(pipeline_sentences(text, title), starts, ends)


def test_chunk_evaluation_equals_the_spacy_pipeline_on_the_seeds_and_fa_kes():
    """split_sentences evaluates the pipeline's rules chunk by chunk for speed: it must give the same sentences."""
    cases = [(doc["text"], doc["title"]) for doc in SEEDS]
    if FAKES.exists():
        with FAKES.open(encoding="utf-8", errors="replace", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i % 4 == 0:  # 201 articles: quotes, abbreviations, datelines, glued words
                    title = row["article_title"]
                    cases.append((f"{title}\n\n{row['article_content']}", title))
    cases.append(("T\n\nHe said. “ “It is.” (AP) – he said. ‘Yes.’ \"Fine.\" A. B. Smith left. OK… fine.", "T"))
    for text, title in cases:
        assert split_sentences(text, title) == _reference(text, title), text[:80]
    assert len(cases) > 100 or not FAKES.exists()
