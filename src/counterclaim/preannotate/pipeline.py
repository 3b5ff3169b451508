"""The spaCy pipeline and matchers, built once per ontology from the registry and the lexicon.

``spacy.blank("en")`` gives the tokenizer (with the lexicon's abbreviations as special cases); a sentencizer
and a component that also starts a sentence after every line break (headlines and captions end without a
full stop); an ``EntityRuler`` holding every registry alias in the case variants running text uses (and the
countries outside the registry). Two matchers run on the parsed document:

- ``phrases``: a ``PhraseMatcher`` on lower-case text over every word list of the lexicon, keyed
  ``"<table>:<value>"`` (``"TRIGGER:ATTACK:3"``, ``"MODE:ATTACK:aerial"``, ``"CUE:0"``...), so a rule asks
  "which cue words lie in these tokens" instead of scanning the text;
- ``patterns``: a ``Matcher`` for shapes (numbers with qualifiers, ranges, titles before names, nationality
  adjectives before nouns, time expressions, bracketed acronyms), keyed by the rule that uses them.

Nothing here looks at a particular article: :func:`parse` returns a :class:`Parsed` with the document and
its matches indexed by key.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.symbols import ORTH
from spacy.tokens import Doc

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.errors import LexiconError

ALIAS_LABEL = "ALIAS"
OTHER_COUNTRY_LABEL = "COUNTRY"  # a country outside the registry


_OPENING_QUOTES = ("“", "‘")


@Language.component("counterclaim_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: the token after whitespace holding a newline starts one. An opening
    quotation mark left at the end of a sentence starts the next one ("... Konashenkov said. “From their
    perspective ...")."""
    for token in doc[1:]:
        if token.is_space and "\n" in token.text:
            token.is_sent_start = False
            if token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
        elif token.text in _OPENING_QUOTES and token.i + 1 < len(doc) and doc[token.i + 1].is_sent_start \
                and not doc[token.i + 1].is_space:
            token.is_sent_start = True
            doc[token.i + 1].is_sent_start = False
    return doc


def _case_variants(nlp: Language, phrase: str) -> set[str]:
    """How a registered name is written in running text, for case-sensitive phrase matching: as registered,
    with typographic apostrophes, and — for names of several words — with every word capitalised ("Syrian
    Army") or in lower case ("the observatory"). Words in capitals stay as they are ("IS", "US", "SOHR"), and a
    one-word name keeps its case ("Earnest" must not match "earnest") unless it is registered in lower case
    ("rebels", "Rebels")."""
    variants = {phrase, phrase.replace("'", "’")}
    tokens = list(nlp.make_doc(phrase))
    if len(tokens) == 1:
        return variants | ({phrase.capitalize()} if phrase.islower() else set())
    for cased in (str.capitalize, str.lower):
        words = [t.text if t.is_upper else cased(t.text) if t.text.isalpha() else t.text for t in tokens]
        variant = "".join(w + t.whitespace_ for w, t in zip(words, tokens))
        variants |= {variant, variant.replace("'", "’"), variant[:1].upper() + variant[1:]}
    return variants


def _alias_patterns(nlp: Language, ont: Ontology) -> list[dict]:
    patterns = []
    owner: dict[str, str] = {}
    for actor in ont.actors:
        for alias in actor.aliases:
            owner.setdefault(alias, actor.id)  # the first actor that declares an alias owns it (as today)
    for alias, actor_id in owner.items():
        for variant in sorted(_case_variants(nlp, alias)):
            patterns.append({"label": ALIAS_LABEL, "id": actor_id, "pattern": variant})
    for name in lx.OTHER_COUNTRIES:
        patterns.append({"label": OTHER_COUNTRY_LABEL, "pattern": name})
    return patterns


def _phrase_tables() -> dict[str, tuple[str, ...]]:
    """Every word list matched by the phrase matcher, by key."""
    tables: dict[str, tuple[str, ...]] = {}
    for type_id, triggers in lx.TRIGGERS.items():
        for k, trig in enumerate(triggers):
            tables[f"TRIGGER:{type_id}:{k}"] = trig.plain
    for type_id, modes in lx.MODE_CUES.items():
        for mode, words in modes.items():
            tables[f"MODE:{type_id}:{mode}"] = words
    for type_id, words in lx.CONTEXT_CUES.items():
        tables[f"CONTEXT:{type_id}"] = words
    for k, cue in enumerate(lx.CUES):
        tables[f"CUE:{k}"] = cue.phrases
    for value, words in lx.REALIS_CUES:
        tables[f"REALIS:{value}"] = words
    for level, words in lx.CERTAINTY_HEDGES.items():
        tables[f"HEDGE:{level}"] = words
    for measurand, words in lx.MEASURAND_NOUNS.items():
        tables[f"MNOUN:{measurand}"] = words
    for measurand, words in lx.MEASURAND_VERBS.items():
        tables[f"MVERB:{measurand}"] = words
    for qualifier in set(lx.QUALIFIER_WORDS.values()):
        tables[f"QUAL:{qualifier}"] = tuple(w for w, q in lx.QUALIFIER_WORDS.items() if q == qualifier)
    for precision in set(lx.TIME_PHRASES.values()):
        tables[f"TIME:{precision}"] = tuple(w for w, p in lx.TIME_PHRASES.items() if p == precision)
    tables["AGGREGATE"] = lx.AGGREGATE_CUES
    tables["PERCENT"] = lx.PERCENT_WORDS
    tables["CIVILIAN"] = lx.CIVILIAN_NOUNS
    return tables


NUM = {"LIKE_NUM": True}
NAME_PARTICLE = {"LOWER": {"IN": list(lx.NAME_PARTICLES) + ["-"]}}


def _shape_patterns() -> dict[str, list[list[dict]]]:
    """Matcher patterns by key; each key is read by one rule module."""
    vague = [w for w in lx.VAGUE_AMOUNTS if " " not in w]
    multiplier = {"LOWER": {"IN": list(lx.MULTIPLIERS)}, "OP": "?"}
    percent = [{"LOWER": {"IN": ["%", "percent"]}}]
    per_cent = [{"LOWER": "per"}, {"LOWER": "cent"}]
    months = list(lx.MONTHS)
    units = list(lx.TIME_UNITS)
    nationalities = list(lx.NATIONALITIES)
    modifier = {"LOWER": {"IN": list(lx.GROUP_MODIFIERS) + ["’s", "'s", "and"]}}
    rank = {"LOWER": {"IN": list(lx.RANK_MODIFIERS)}, "OP": "*"}
    titles = [[{"ORTH": {"IN": list(lx.TITLES)}}]] + [[{"ORTH": w} for w in t.split()] for t in lx.TWO_WORD_TITLES]

    def alternatives(phrases) -> list[list[dict]]:
        """Token patterns matching any of ``phrases`` (lower case): one-word phrases share one pattern."""
        single = [w for w in phrases if " " not in w]
        return ([[{"LOWER": {"IN": single}}]] if single else []) + \
            [[{"LOWER": t} for t in w.split()] for w in phrases if " " in w]

    def group_patterns(kind: str, heads: tuple[str, ...]) -> list[list[dict]]:
        """Modifiers and a group head; heads like "allies" need a modifier or a count ("its allies")."""
        needed = [h for h in heads if h in lx.GROUP_HEADS_NEEDING_MODIFIER]
        free = [h for h in heads if h not in lx.GROUP_HEADS_NEEDING_MODIFIER]
        patterns = [[modifier | {"OP": "*"}, *words] for words in alternatives(free)]
        patterns += [[modifier | {"OP": "+"}, *words] for words in alternatives(needed)]
        patterns += [[NUM, modifier | {"OP": "*"}, *words] for words in alternatives(needed)]
        if kind == "armed_group":
            patterns.append([{"LOWER": "units"}, {"LOWER": "of"}, {"LOWER": {"IN": list(heads)}}])
        return patterns
    return {
        # numbers: "1,623", "$580 million", "five per cent", "5%", "three to four", "between 10 and 20"
        "number": [
            [{"ORTH": "$", "OP": "?"}, NUM, multiplier],
            [NUM, *percent], [NUM, *per_cent],
            [{"LOWER": {"IN": ["a", "one", "two", "three"]}}, {"LOWER": "couple", "OP": "?"},
             {"LOWER": "of", "OP": "?"}, {"LOWER": "dozen"}],
            [{"LOWER": {"IN": vague}}],
            [{"LOWER": "tens"}, {"LOWER": "of"}, {"LOWER": "thousands"}],
        ],
        "range": [
            [{"LOWER": "between"}, {"ORTH": "$", "OP": "?"}, NUM, {"LOWER": "and"}, NUM, multiplier],
            [{"ORTH": "$", "OP": "?"}, NUM, {"LOWER": {"IN": ["to", "-", "–", "or"]}}, NUM, multiplier],
            [NUM, {"LOWER": {"IN": ["to", "-", "–"]}}, NUM, *percent],
            [NUM, {"LOWER": {"IN": ["to", "-", "–"]}}, NUM, *per_cent],
        ],
        # time expressions
        "time-day": [
            [{"LOWER": "on", "OP": "?"}, {"ORTH": {"IN": list(lx.WEEKDAYS)}}],
            [{"LOWER": "on", "OP": "?"}, NUM, {"ORTH": {"IN": months}}],
            [{"LOWER": "on", "OP": "?"}, {"ORTH": {"IN": months}}, {"TEXT": {"REGEX": r"^\d{1,2}$"}}],
        ],
        "time-month": [[{"LOWER": "in"}, {"ORTH": {"IN": months}}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}, "OP": "?"}]],
        "time-year": [[{"LOWER": "in", "OP": "?"}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}]],
        "time-range": [
            [{"LOWER": {"IN": ["in", "over", "during"]}}, {"LOWER": "the"}, {"LOWER": {"IN": ["past", "last"]}},
             NUM, {"LOWER": {"IN": units}}],
            [{"LOWER": {"IN": ["in", "over", "during"]}}, {"LOWER": "the"}, {"LOWER": {"IN": ["past", "last"]}},
             {"LOWER": {"IN": units}}],
            [{"LOWER": "in"}, {"LOWER": "just", "OP": "?"}, {"LOWER": {"IN": ["one", "a", "two", "three"]}},
             {"LOWER": {"IN": units}}],
            [{"LOWER": "since"}, {"ORTH": {"IN": months}}, {"TEXT": {"REGEX": r"^\d{1,2}$"}, "OP": "?"}],
            [{"LOWER": "since"}, {"IS_ALPHA": True, "OP": "{1,3}"}, {"LOWER": {"IN": ["a", "one", "two"]}},
             {"LOWER": {"IN": units}}, {"LOWER": "ago"}],
            [{"TEXT": {"REGEX": r"^(19|20)\d\d$"}}, {"ORTH": {"IN": ["-", "–"]}}, {"TEXT": {"REGEX": r"^\d\d(\d\d)?$"}}],
        ],
        # places: "in western Syria", "near ... Latakia", "the district of Jabal al-Zawiya", "in the north"
        "place": [[{"LOWER": {"IN": list(lx.LOCATIVE_PREPOSITIONS)}}, {"LOWER": "the", "OP": "?"},
                   {"LOWER": {"IN": list(lx.COMPASS_WORDS)}, "OP": "?"}, {"IS_TITLE": True}]],
        "place-kind": [[{"LOWER": {"IN": [noun.split()[-1] for noun in lx.PLACE_KIND_NOUNS]}}, {"LOWER": "of"},
                        {"IS_TITLE": True}]],
        "place-compass": [[{"LOWER": {"IN": ["in", "to", "from"]}}, {"LOWER": "the"},
                           {"LOWER": {"IN": list(lx.COMPASS_WORDS)}}]],
        "place-country": [[{"LOWER": {"IN": ["in", "into", "inside", "across"]}},
                           {"LOWER": {"IN": ["the", "his", "her", "its", "their", "our"]}}, {"LOWER": "country"}]],
        # names after a title ("Gen Ali Abdullah Ayoub", "Maj. Jamil al-Saleh", "President Barack Obama")
        "title-name": [
            pattern for title in titles for pattern in (
                [*title, {"IS_TITLE": True, "OP": "+"}],
                [*title, {"IS_TITLE": True, "OP": "+"}, NAME_PARTICLE | {"OP": "+"}, {"IS_TITLE": True, "OP": "+"}],
            )
        ],
        # nationality adjective + noun ("Russian jets", "Russian air strikes", "Iraqi government"), with the ranks
        # before it where the phrase is the mention ("senior Russian military officials")
        **{f"nationality-{kind}": [[*([] if kind in lx.ADJECTIVE_ALONE else [rank]), {"ORTH": {"IN": nationalities}},
                                    *words] for words in alternatives(nouns)]
           for kind, nouns in lx.NATIONALITY_NOUNS.items()},
        # "(One|The) (senior|top)* <nationality or capital> <role noun>": "One senior Washington official"
        "person-role": [[
            {"LOWER": {"IN": list(lx.DETERMINERS)}, "OP": "?"},
            {"LOWER": {"IN": list(lx.PERSON_ROLE_MODIFIERS)}, "OP": "*"},
            {"ORTH": {"IN": nationalities + list(lx.CAPITALS)}},
            {"LOWER": {"IN": list(lx.PERSON_ROLE_MODIFIERS)}, "OP": "*"},
            {"LOWER": {"IN": list(lx.PERSON_ROLE_NOUNS)}},
        ]],
        # descriptions of unlisted actors ("terrorist groups", "units of fighters", "its allies", "seven countries")
        **{f"group-{kind}": group_patterns(kind, heads) for kind, heads in lx.GROUP_HEADS.items()},
        # state forces named without their country ("a battalion of marines", "More special operations forces")
        "unit": [[{"LOWER": {"IN": list(lx.UNIT_MODIFIERS)}, "OP": "*"}, *words] for words in alternatives(lx.UNIT_HEADS)],
        # "the leaders of": a description that names people by the countries they lead (R23)
        "description-of": [[*words, {"LOWER": "of"}] for words in alternatives(lx.DESCRIPTION_HEADS)],
        "pronoun": [[{"LOWER": {"IN": list(lx.PRONOUNS)}}]],
        "bracket-acronym": [[{"ORTH": "("}, {"IS_UPPER": True, "LENGTH": {">=": 2}}, {"ORTH": ")"}]],
        "coref-head": [[{"LOWER": {"IN": ["the", "its", "their"]}, "OP": "?"},
                        {"LOWER": {"IN": list(lx.COREF_HEADS)}}]],
    }


@dataclass(frozen=True)
class Pipeline:
    nlp: Language
    phrases: PhraseMatcher
    patterns: Matcher
    country_aliases: frozenset[str]  # aliases of registry countries: places after a locative preposition


@functools.lru_cache(maxsize=4)
def build_pipeline(ont: Ontology) -> Pipeline:
    """The pipeline for ``ont`` (cached: building it takes a few hundred milliseconds)."""
    problems = lx.lexicon_problems(ont)
    if problems:
        raise LexiconError(
            "the pre-annotation lexicon does not fit the ontology; edit counterclaim/preannotate/lexicon.py:\n"
            + "\n".join(f"- {p}" for p in problems)
        )
    nlp = spacy.blank("en")
    for text, pieces in lx.SPECIAL_CASES.items():
        nlp.tokenizer.add_special_case(text, [{ORTH: piece} for piece in pieces])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("counterclaim_line_breaks")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": False})
    ruler.add_patterns(_alias_patterns(nlp, ont))

    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for key, words in _phrase_tables().items():
        phrases.add(key, list(nlp.tokenizer.pipe(words)))
    patterns = Matcher(nlp.vocab)
    for key, pats in _shape_patterns().items():
        patterns.add(key, pats, greedy="LONGEST")
    countries = frozenset(a for actor in ont.actors if actor.type == "country" for a in actor.aliases)
    return Pipeline(nlp, phrases, patterns, countries | frozenset(lx.PLACE_ALIASES))


class Parsed:
    """A parsed document with its phrase and pattern matches indexed by key (spans as token ranges)."""

    def __init__(self, source: str, doc: Doc, pipeline: Pipeline):
        self.source = source  # the text (``doc.text`` rebuilds it from the tokens at every call)
        self.doc = doc
        self.pipeline = pipeline
        self.matches: dict[str, list[tuple[int, int]]] = defaultdict(list)
        vocab = doc.vocab.strings
        for key, start, end in pipeline.phrases(doc):
            self.matches[vocab[key]].append((start, end))
        for key, start, end in pipeline.patterns(doc):
            self.matches[vocab[key]].append((start, end))
        in_name = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        for key, spans in self.matches.items():
            if key.startswith("CUE:"):  # "States" in "the United States" is no reporting verb
                spans[:] = [(s, e) for s, e in spans if in_name.isdisjoint(range(s, e))]
            spans.sort()
        self._prefixed: dict[str, list[str]] = {}
        self.sent_of = [0] * len(doc)
        self.sents: list[tuple[int, int]] = []
        for k, sent in enumerate(doc.sents):
            self.sents.append((sent.start, sent.end))
            for i in range(sent.start, sent.end):
                self.sent_of[i] = k
        # token attributes read by the rules, copied once (each ``doc[i]`` creates a Token object)
        self.texts = [t.text for t in doc]
        self._lowers = [t.lower_ for t in doc]
        self.spaces = [t.is_space for t in doc]
        self.alphas = [t.is_alpha for t in doc]
        self.titles = [t.is_title for t in doc]
        # paragraphs: text between blank lines (pronouns and descriptions find antecedents only in their own, R6)
        self.block_of: list[int] = []
        block = 0
        for t in doc:
            if t.is_space and t.text.count("\n") >= 2:
                block += 1
            self.block_of.append(block)

    def keys_with(self, prefix: str) -> list[str]:
        """The match keys starting with ``prefix`` (remembered per prefix)."""
        if prefix not in self._prefixed:
            self._prefixed[prefix] = [key for key in self.matches if key.startswith(prefix)]
        return self._prefixed[prefix]

    def matches_at(self, key: str, i: int) -> bool:
        """Whether a match of ``key`` starts at token ``i``."""
        return any(s == i for s, _ in self.matches.get(key, ()))

    def find(self, key: str, start: int, end: int) -> list[tuple[int, int]]:
        """Matches of ``key`` lying inside tokens ``[start, end)``."""
        return [(s, e) for s, e in self.matches.get(key, ()) if s >= start and e <= end]

    def any_of(self, prefix: str, start: int, end: int) -> list[tuple[str, int, int]]:
        """Matches of every key starting with ``prefix`` inside ``[start, end)``, as ``(key, start, end)``."""
        return sorted(((key, s, e) for key in self.keys_with(prefix) for s, e in self.find(key, start, end)),
                      key=lambda m: (m[1], m[2]))

    def sentence(self, i: int) -> tuple[int, int]:
        """The token range of the sentence holding token ``i``."""
        return self.sents[self.sent_of[i]]

    def lower(self, i: int) -> str:
        """The lower-case text of token ``i``; "" outside the document."""
        return self._lowers[i] if 0 <= i < len(self._lowers) else ""

    def text(self, i: int) -> str:
        """The text of token ``i``; "" outside the document."""
        return self.texts[i] if 0 <= i < len(self.texts) else ""

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        return self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text)


def parse(text: str, ont: Ontology) -> Parsed:
    pipeline = build_pipeline(ont)
    return Parsed(text, pipeline.nlp(text), pipeline)
