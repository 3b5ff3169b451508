"""A linear-chain CRF tagger over sentence tokens (python-crfsuite), for actor mentions and event triggers.

Features are the usual ones of CoNLL-style NER baselines: the lowercased word, its last two and three
characters, its shape (``Xxxx``, ``dd,ddd``), capitalisation and digit flags, and the same for the words
before and after. L-BFGS training with L1 and L2 penalties (``c1``, ``c2``) is deterministic.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Sequence

PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}
_SHAPE = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"[0-9]"))


def shape(word: str) -> str:
    """``Moscow`` -> ``Xx``, ``1,623`` -> ``d,d``: character classes with repeats collapsed."""
    out = _SHAPE[2].sub("d", _SHAPE[1].sub("x", _SHAPE[0].sub("X", word)))
    return re.sub(r"(.)\1+", r"\1", out)


def _word(word: str, prefix: str) -> dict[str, float | str]:
    return {f"{prefix}lower": word.lower(), f"{prefix}shape": shape(word), f"{prefix}title": float(word.istitle()),
            f"{prefix}upper": float(word.isupper()), f"{prefix}digit": float(any(c.isdigit() for c in word))}


def token_features(tokens: Sequence[str], i: int) -> dict[str, float | str]:
    word = tokens[i]
    features: dict[str, float | str] = {"bias": 1.0, "suffix2": word[-2:].lower(), "suffix3": word[-3:].lower(),
                                        **_word(word, "")}
    features.update(_word(tokens[i - 1], "-1:") if i > 0 else {"BOS": 1.0})
    features.update(_word(tokens[i + 1], "+1:") if i + 1 < len(tokens) else {"EOS": 1.0})
    if i > 1:
        features["-2:lower"] = tokens[i - 2].lower()
    if i + 2 < len(tokens):
        features["+2:lower"] = tokens[i + 2].lower()
    return features


def sentence_features(tokens: Sequence[str]) -> list[dict[str, float | str]]:
    return [token_features(tokens, i) for i in range(len(tokens))]


class CrfTagger:
    """Train on (tokens, tags) sequences, then tag token sequences."""

    def __init__(self, sequences: list[tuple[list[str], list[str]]]):
        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        for tokens, tags in sequences:
            trainer.append(sentence_features(tokens), tags)
        trainer.set_params(PARAMS)
        with tempfile.TemporaryDirectory(prefix="counterclaim-crf-") as folder:
            path = str(Path(folder) / "model.crfsuite")
            trainer.train(path)
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open(path)  # crfsuite reads the whole model into memory here

    def tag(self, tokens: list[str]) -> list[str]:
        return list(self._tagger.tag(sentence_features(tokens))) if tokens else []


def spans_from_bio(tags: list[str], starts: list[int], ends: list[int]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` character spans of a BIO sequence (an ``I-`` without a ``B-`` opens a span)."""
    spans: list[tuple[int, int, str]] = []
    current: list | None = None
    for tag, start, end in zip(tags, starts, ends):
        if tag == "O":
            current = None
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = end
            spans[-1] = tuple(current)
        else:
            current = [start, end, label]
            spans.append(tuple(current))
    return spans
