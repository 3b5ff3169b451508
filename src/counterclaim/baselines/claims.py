"""Linear models for claims (scikit-learn): which sentences hold a claim, and who its claimant is.

- **Claim sentences**: logistic regression on TF-IDF unigrams and bigrams of the sentence; a sentence is
  positive when a gold claim's content overlaps it. A predicted claim's content is its sentence, without the
  cue and claimant at either end ("Moscow said", ", the ministry said.") and the final punctuation.
- **Cue**: the first token sequence of the sentence that was a cue in the train split ("said", "according
  to"), longest first.
- **Claimant**: the candidates are the sentence's actor mentions and the outlet (an unsourced claim); a
  logistic regression scores each from its position relative to the cue, its distance to it, the actor type
  and "according to"; the best candidate wins.

Both use ``liblinear`` with a fixed ``random_state``: training is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from counterclaim.baselines.data import GoldDocument, Sentence

SEED = 0
OUTLET = "outlet"


def cue_lexicon(documents: Sequence[GoldDocument]) -> list[tuple[str, ...]]:
    """Lowercased token sequences of the train split's cues, longest first (then alphabetical)."""
    from counterclaim.hf.rows import tokenize_columns

    found = set()
    for d in documents:
        for c in d.gold["claims"]:
            if c.get("cue"):
                words = tuple(t.lower() for t in tokenize_columns(c["cue"]["text"])[0])
                if words:
                    found.add(words)
    return sorted(found, key=lambda w: (-len(w), w))


def find_cue(tokens: list[str], lexicon: list[tuple[str, ...]]) -> tuple[int, int] | None:
    """Token indexes ``[first, stop)`` of the first cue in ``tokens``."""
    lowered = [t.lower() for t in tokens]
    for i in range(len(lowered)):
        for words in lexicon:
            if tuple(lowered[i:i + len(words)]) == words:
                return i, i + len(words)
    return None


class ClaimSentenceClassifier:
    def __init__(self, sentences: list[tuple[str, bool]]):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        texts = [t for t, _ in sentences]
        labels = [int(y) for _, y in sentences]
        self.constant = labels[0] if len(set(labels)) < 2 else None  # one class only: predict it
        if self.constant is None:
            self.model = make_pipeline(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
                LogisticRegression(solver="liblinear", class_weight="balanced", random_state=SEED))
            self.model.fit(texts, labels)

    def predict(self, texts: list[str]) -> list[bool]:
        if self.constant is not None:
            return [bool(self.constant)] * len(texts)
        return [bool(y) for y in self.model.predict(texts)] if texts else []


@dataclass
class Candidate:
    """A possible claimant: a mention (token indexes ``[first, stop)``, actor type) or the outlet."""

    mention_id: str | None
    first: int = 0
    stop: int = 0
    actor_type: str | None = None


def candidate_features(tokens: list[str], candidate: Candidate, cue: tuple[int, int] | None,
                       candidates: list[Candidate]) -> dict[str, float]:
    if candidate.mention_id is None:
        return {"outlet": 1.0, "outlet&cue": float(cue is not None)}
    features = {"mention": 1.0, f"type={candidate.actor_type}": 1.0}
    mentions = [c for c in candidates if c.mention_id is not None]
    features["first_mention"] = float(mentions and mentions[0] is candidate)
    before = [t.lower() for t in tokens[max(0, candidate.first - 2):candidate.first]]
    features["after_according_to"] = float(before == ["according", "to"])
    if cue is None:
        features["no_cue"] = 1.0
        return features
    if candidate.stop <= cue[0]:
        distance = cue[0] - candidate.stop
        features["before_cue"] = 1.0
    else:
        distance = max(0, candidate.first - cue[1])
        features["after_cue"] = 1.0
    features[f"distance={min(distance, 5)}"] = 1.0
    features["adjacent_to_cue"] = float(distance <= 1)
    return features


@dataclass
class ClaimantChooser:
    examples: list[tuple[dict[str, float], int]] = field(default_factory=list)

    def add(self, tokens: list[str], candidates: list[Candidate], cue: tuple[int, int] | None, gold: int) -> None:
        for k, candidate in enumerate(candidates):
            self.examples.append((candidate_features(tokens, candidate, cue, candidates), int(k == gold)))

    def fit(self) -> "ClaimantChooser":
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        labels = [y for _, y in self.examples]
        self.vectorizer = DictVectorizer(sparse=False)  # a few dozen features; liblinear refuses its int64 indices
        self.model = None
        if len(set(labels)) == 2:
            x = self.vectorizer.fit_transform([f for f, _ in self.examples])
            self.model = LogisticRegression(solver="liblinear", random_state=SEED).fit(x, labels)
        return self

    def choose(self, tokens: list[str], candidates: list[Candidate], cue: tuple[int, int] | None) -> Candidate:
        """The best candidate (without a model: the mention nearest before the cue, else the outlet)."""
        if self.model is None:
            before = [c for c in candidates if c.mention_id and cue and c.stop <= cue[0]]
            return before[-1] if before else candidates[-1]
        x = self.vectorizer.transform([candidate_features(tokens, c, cue, candidates) for c in candidates])
        scores = self.model.predict_proba(x)[:, 1]
        return candidates[max(range(len(candidates)), key=lambda k: (scores[k], -k))]


def content_tokens(sentence: Sentence, cue: tuple[int, int] | None, claimant: Candidate) -> tuple[int, int]:
    """Token indexes ``[first, stop)`` of a predicted claim's content: the sentence without the claimant and
    cue at its start ("X said (that) ...") or end ("..., X said."), and without final punctuation."""
    tokens = sentence.tokens
    first, stop = 0, len(tokens)
    if cue is not None:
        lead = min(cue[0], claimant.first if claimant.mention_id else cue[0])
        tail = max(cue[1], claimant.stop if claimant.mention_id else cue[1])
        if lead <= 2 and tail < len(tokens):  # attribution first
            first = tail + (1 if tokens[tail].lower() in ("that", ":") else 0)
        elif tail >= len(tokens) - 2 and lead > 0:  # attribution last
            stop = lead
    while stop > first and tokens[stop - 1] in (".", ",", ";", ":", "!", "?", "”", "\"", "’"):
        stop -= 1
    while first < stop and tokens[first] in ("“", "\"", "‘", "'", ",", ":"):
        first += 1
    return (first, stop) if first < stop else (0, len(tokens))
