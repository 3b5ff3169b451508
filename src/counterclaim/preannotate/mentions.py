"""Actor mentions: registry aliases plus the guidelines' rules for titles, nationality adjectives, officials,
descriptions of unlisted actors, bracketed acronyms, places and job descriptions.

Candidates come from the pipeline's alias ruler and shape patterns (:mod:`pipeline`); overlapping candidates
are resolved longest first, then by rule priority (the registry decides before any other rule). Then:

- a country or capital after a locative preposition is the place of an event, not an actor ("in western
  Syria", "In Washington, ...");
- an actor named inside a job description before a person's name is not a mention of its own ("White House
  spokesman Josh Earnest" -> "Josh Earnest"; "Syrian Army Chief of Staff Gen Ali Abdullah Ayoub"), nor is one
  named only to describe someone else ("a Putin ally") (R3, R23); a title stays in the mention unless
  "former" makes it a description ("Syrian President Assad" -> "President Assad"; "former French president
  Nicholas Sarkozy" -> "Nicholas Sarkozy");
- a job description in apposition after a name is no mention, and neither is an actor named in it ("Philip
  Hammond, the UK Foreign Secretary", "Maj. Jamil al-Saleh, the leader of Tajammu Alezzah", R23); it is kept
  hidden so that a cue after it still finds the named speaker;
- an acronym in brackets after a name is a mention of the same actor, and so are later bare uses of it (R4);
- a nationality adjective or a country's possessive takes its actor from the noun it is attached to (R5,
  R21): the military for force and attack nouns, the government for officials and plans, the country for its
  actions; of coordinated adjectives the first is a mention of its own (R22: "Russian and Syrian officials");
- a described official without a name ("One senior Washington official" -> "senior Washington official", R2)
  is an *unnamed* source when many people fit the description, with the actor of the organisation the
  description names (R15: "USA official" -> USA_GOV); a unique role ("the top Syrian diplomat") is a person;
- pronouns and bare heads ("officials", "the army") are *weak* mentions, resolved to a mention of their own
  paragraph — the first fitting one of the nearest sentence that has one, as subjects are the likelier
  antecedents — and kept only when a claim or an event uses them ("a pronoun is a mention only when it is a
  claimant or an event argument", R6). Without an antecedent in the paragraph they get no actor and, as
  sources, are unnamed (R6, R24).
"""

from __future__ import annotations

from collections import defaultdict

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.model import Mention
from counterclaim.preannotate.pipeline import ALIAS_LABEL, OTHER_COUNTRY_LABEL, Parsed

# What a nationality phrase names, by its noun's kind: the field of :class:`lexicon.Nationality` that holds
# the registry actor, and the actor type the mention gets when the registry has none.
_NATIONALITY_ROLE = {"military": "military", "attack": "military", "defence": "defence", "government": "government",
                     "policy": "government", "country": "country"}
_ROLE_TYPE = {"military": "military", "defence": "government", "government": "government", "country": "country"}
# Rules in order of priority when two candidates cover the same tokens.
# An adjective or possessive read by its noun (R5) decides before the alias it also is ("US" in "the US strategy").
_PRIORITY = ("nationality-coordinated", "country-possessive", "nationality-attack", "nationality-policy",
             "nationality-country", "alias", "title-alias", "description-of", "alias-member", "nationality-military",
             "nationality-defence", "nationality-government", "person-role", "title-name", "unit-country", "unit",
             "other-country", "group")
_ARTICLES = ("the", "a", "an")
# Words after which a bare head noun stands alone ("which officials said").
_BARE_HEAD_AFTER = ("which", "who", "that", "and", "but", "while", "as")
_POSSESSIVE = ("’s", "'s")
_DESCRIPTION_LENGTH = 10  # tokens of a job description in apposition
_DESCRIPTION_STOPS = frozenset((",", ".", ";", ":", "(", ")", "–", "—", "“", "”", '"', "and", "who", "which",
                                "said", "says", "told", "was", "is", "has", "had", "were", "are", "will"))
_DESCRIPTION_NOUNS = frozenset((*lx.PERSON_ROLE_NOUNS, "secretary", "minister", "leader", "head", "founder",
                                "member", "chairman", "president", "king", "emir", "mayor", "governor", "chief",
                                "director", "deputy", "commander"))
_COPULAS = frozenset(("is", "are", "was", "were", "be", "been", "’re", "'re", "’s", "'s"))


def mention_type(ont: Ontology, m: Mention) -> str | None:
    """The mention's actor type: its registry actor's, else its own."""
    return ont.actor_by_id[m.actor].type if m.actor is not None else m.type


def _nationality(p: Parsed, i: int) -> lx.Nationality | None:
    return lx.NATIONALITIES.get(p.doc[i].text)


def _kind_actor(nat: lx.Nationality | None, kind: str) -> tuple[str | None, str | None]:
    """The actor a nationality names with a noun of ``kind``, and the type when the registry has none."""
    role = _NATIONALITY_ROLE[kind]
    actor = getattr(nat, role) if nat else None
    return actor, None if actor else _ROLE_TYPE[role]


def _noun_kinds() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The nouns of :data:`lexicon.NATIONALITY_NOUNS` by first word, longest first: (words, kind)."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for kind, nouns in lx.NATIONALITY_NOUNS.items():
        for noun in nouns:
            words = tuple(noun.split())
            table[words[0]].append((words, kind))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


_NOUN_KINDS = _noun_kinds()


def noun_kind(p: Parsed, i: int) -> tuple[str, int] | None:
    """The kind of the nationality noun starting at token ``i`` and where it ends ("military campaign")."""
    for words, kind in _NOUN_KINDS.get(p.lower(i), ()):
        if all(p.lower(i + k) == w for k, w in enumerate(words)):
            return kind, i + len(words)
    return None


def described_organisation(p: Parsed, ont: Ontology, start: int, end: int) -> str | None:
    """The organisation a description of an unnamed source names (R15): a capital's government ("senior
    Washington official" -> USA_GOV), a registered organisation ("UN official"), or the government — with a
    military modifier the defence ministry — of a nationality or country before an official's noun ("USA
    official" -> USA_GOV, "Russian military source" -> RUS_MOD)."""
    words = [p.lower(k) for k in range(start, end)]
    military = any(w in lx.MILITARY_MODIFIERS for w in words)
    official = any(w in lx.OFFICIAL_NOUNS for w in words)
    for ent in p.doc.ents:
        if ent.label_ == ALIAS_LABEL and start <= ent.start and ent.end <= end:
            actor = ont.actor_by_id[ent.ent_id_]
            if actor.type not in ("person", "country"):
                return actor.id
    for k in range(start, end):
        if p.texts[k] in lx.CAPITALS and not military:
            return lx.CAPITALS[p.texts[k]]
        nat = _nationality(p, k) or _country_nationality_of_name(p, ont, k)
        if nat is not None and official:
            return nat.defence if military else nat.government
    return None


def _country_nationality_of_name(p: Parsed, ont: Ontology, k: int) -> lx.Nationality | None:
    for ent in p.doc.ents:
        if ent.label_ == ALIAS_LABEL and ent.start == k:
            return _country_nationality(ent.ent_id_)
    return None


def is_unnamed_role(p: Parsed, start: int, end: int) -> bool:
    """A description of a person that refers to a source without identifying it (R15): an indefinite article
    before it, or a role many people fit ("official", "sources") that no modifier makes unique ("top")."""
    words = [p.lower(k) for k in range(start, end)]
    if p.lower(start - 1) in lx.INDEFINITE:
        return True
    return words[-1] in lx.UNNAMED_ROLE_NOUNS and not any(w in lx.UNIQUE_ROLE_MODIFIERS for w in words)


def _candidates(p: Parsed, ont: Ontology) -> list[Mention]:
    doc = p.doc
    found: list[Mention] = []
    aliases = [ent for ent in doc.ents if ent.label_ == ALIAS_LABEL]
    alias_at_end = {ent.end: ent for ent in aliases}
    alias_at_start = {ent.start: ent for ent in aliases}
    for ent in doc.ents:
        if ent.label_ == OTHER_COUNTRY_LABEL:
            found.append(Mention(ent.start, ent.end, None, "country", "other-country"))
    for ent in aliases:
        start = ent.start + (ent.end - ent.start > 1 and p.lower(ent.start) in _ARTICLES)  # R2: "the British"
        found.append(Mention(start, ent.end, ent.ent_id_, None, "alias"))
        # an alias followed by a member noun is the same actor ("Islamic State fighters"); a state's forces are
        # its military ("Syrian government forces", R5), and a country's militants are not the state
        if ent.end < len(doc) and doc[ent.end].lower_ in lx.MEMBER_NOUNS:
            actor = ent.ent_id_
            if ont.actor_by_id[actor].type in ("country", "government"):
                nat = _nationality_of_actor(actor)
                actor = nat.military if nat is not None and doc[ent.end].lower_ in ("forces", "troops") else None
            if actor is not None:
                found.append(Mention(ent.start, ent.end + 1, actor, None, "alias-member"))
        # a country's possessive takes its actor from the noun (R5): "Syria’s government", "Russia" in
        # "Russia’s military campaign"
        nat = _country_nationality(ent.ent_id_)
        if nat and ent.end + 1 < len(doc) and doc[ent.end].text in _POSSESSIVE:
            kind = noun_kind(p, ent.end + 1)
            if kind is not None:
                actor, type_ = _kind_actor(nat, kind[0])
                end = ent.end if kind[0] in lx.ADJECTIVE_ALONE else kind[1]
                found.append(Mention(ent.start, end, actor, type_, "country-possessive"))

    for start, end in p.matches.get("title-name", ()):
        # "General Staff General Sergey Rudskoy": the last title before the name starts the mention
        start = max((k for k in range(start, end - 1) if p.texts[k] in lx.TITLES), default=start)
        title_end = start + (2 if p.lower(start) in ("prime", "crown", "supreme") else 1)
        while end > title_end and p.texts[end - 1] in (*lx.WEEKDAYS, *lx.MONTHS):
            end -= 1  # "president Sunday said"
        if end == title_end or start in alias_at_end:
            continue  # no name, or a title after an actor: part of a job description
        k = start - 1
        while k >= 0 and (p.texts[k] in lx.NATIONALITIES or k in alias_at_end or p.texts[k] in ("-",)):
            k = alias_at_end[k + 1].start - 1 if k + 1 in alias_at_end else k - 1
        if p.lower(k) in lx.FORMER:
            continue  # "former French president Nicholas Sarkozy": a description; the name alone is the mention
        inner = alias_at_end.get(end)
        if inner is not None and inner.start >= title_end and ont.actor_by_id[inner.ent_id_].type == "person":
            found.append(Mention(start, end, inner.ent_id_, None, "title-alias"))
        elif inner is None or inner.start < title_end:
            found.append(Mention(start, end, None, "person", "title-name"))

    kinds_at: dict[int, str] = {}
    for kind in lx.NATIONALITY_NOUNS:
        for start, end in p.matches.get(f"nationality-{kind}", ()):
            k = next(k for k in range(start, end) if p.texts[k] in lx.NATIONALITIES)
            actor, type_ = _kind_actor(_nationality(p, k), kind)
            kinds_at[k] = kind
            found.append(Mention(k if kind in lx.ADJECTIVE_ALONE else start, k + 1 if kind in lx.ADJECTIVE_ALONE else end,
                                 actor, type_, f"nationality-{kind}"))
    # coordinated adjectives sharing one noun (R22): "Russian and Syrian officials", "US and coalition forces"
    for k, text in enumerate(p.texts):
        if text in lx.NATIONALITIES and p.lower(k + 1) == "and":
            kind = kinds_at.get(k + 2)
            partner = alias_at_start.get(k + 2)
            if kind is None and partner is not None:
                kind = {"military": "military", "government": "government"}.get(ont.actor_by_id[partner.ent_id_].type)
            if kind is not None:
                actor, type_ = _kind_actor(_nationality(p, k), kind)
                found.append(Mention(k, k + 1, actor, type_, "nationality-coordinated"))

    for start, end in p.matches.get("person-role", ()):
        while start < end - 1 and doc[start].lower_ in lx.DETERMINERS:
            start += 1  # R2: "One senior Washington official" -> "senior Washington official"
        unnamed = is_unnamed_role(p, start, end)
        actor = described_organisation(p, ont, start, end) if unnamed else None
        found.append(Mention(start, end, actor, None if actor else "person", "person-role", unnamed=unnamed))

    for kind in lx.GROUP_HEADS:
        for start, end in p.matches.get(f"group-{kind}", ()):
            while start < end - 1 and (doc[start].text in _POSSESSIVE or doc[start].lower_ == "and"):
                start += 1
            k = start - 1 - (p.lower(start - 1) in ("all", "a", "an", "the"))
            if p.lower(k) in _COPULAS:
                continue  # "they’re all terrorists": what they are said to be, not an actor
            found.append(Mention(_with_count(p, start), end, None, kind, "group"))

    for start, end in p.matches.get("unit", ()):
        while start < end - 1 and doc[start].lower_ in ("a", "of", "group"):
            start += 1
        found.append(_unit(p, aliases, start, end))

    # "the leaders of Ukraine and Germany": one description of people, no mention of the countries (R23)
    named = {m.start: m for m in found if m.rule in ("alias", "other-country")}
    for start, end in p.matches.get("description-of", ()):
        last, k = None, end
        while k in named:
            last = named[k]
            k = last.end
            if p.lower(k) not in ("and", ",") or k + 1 not in named:
                break
            k += 1
        if last is not None:
            found.append(Mention(start, last.end, None, "person", "description-of"))
    return found


def _with_count(p: Parsed, start: int) -> int:
    """A count right before a description belongs to it: "seven countries", "more than a dozen other nations"
    (dropped again if the count becomes a quantity, R2)."""
    for s, e in p.matches.get("number", ()):
        if e == start:
            start = s
            for key in p.keys_with("QUAL:"):
                start = next((qs for qs, qe in p.matches[key] if qe == s), start)
            break
    return start


def _unit(p: Parsed, aliases: list, start: int, end: int) -> Mention:
    """Forces named without their country are the military of the country named last before them in the
    sentence, or else in the sentence before it in the paragraph ("Russia has also deployed a battalion of
    marines"; "... which Syrian groups US can best work with. More special operations forces would follow")."""
    sent = p.sent_of[start]
    for s in (sent, sent - 1):
        if s < 0 or p.block_of[p.sents[s][0]] != p.block_of[start]:
            break
        first, _ = p.sents[s]
        for ent in reversed([ent for ent in aliases if first <= ent.start and ent.end <= start]):
            nat = _nationality_of_actor(ent.ent_id_)
            if nat is not None and nat.military is not None:
                return Mention(start, end, nat.military, None, "unit-country")
    return Mention(start, end, None, "military", "unit")


def _country_nationality(actor_id: str) -> lx.Nationality | None:
    """The nationality whose country is ``actor_id``."""
    return next((nat for nat in lx.NATIONALITIES.values() if nat.country == actor_id), None)


def _nationality_of_actor(actor_id: str) -> lx.Nationality | None:
    """The nationality one of whose actors (country, government, military) is ``actor_id``."""
    return next((nat for nat in lx.NATIONALITIES.values() if actor_id in (nat.country, nat.government, nat.military)),
                None)


def _resolve_overlaps(found: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: longest first, then by rule priority, then earliest."""
    rank = {rule: k for k, rule in enumerate(_PRIORITY)}
    chosen: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(found, key=lambda m: (-(m.end - m.start), rank[m.rule], m.start)):
        if not taken.intersection(range(m.start, m.end)):
            chosen.append(m)
            taken.update(range(m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)


def _is_place(p: Parsed, m: Mention) -> bool:
    """A country or capital after a locative preposition (skipping "the", compass words and the "of" of
    "outside of") is a place, unless it owns what follows ("role in Iran’s war"); so is a country that owns
    a place ("Syria’s second city")."""
    is_country = m.rule == "other-country" or (m.rule == "alias" and p.doc[m.start:m.end].text in p.pipeline.country_aliases)
    if not is_country:
        return False
    if p.doc[m.end:m.end + 1].text in _POSSESSIVE:
        return p.lower(m.end + 1) in lx.PLACE_NOUNS
    i = m.start - 1
    while i >= 0 and (p.lower(i) in _ARTICLES or p.lower(i) in lx.COMPASS_WORDS
                      or (p.lower(i) == "of" and p.lower(i - 1) in lx.LOCATIVE_PREPOSITIONS)):
        i -= 1
    return p.lower(i) in lx.LOCATIVE_PREPOSITIONS


def _in_job_description(p: Parsed, m: Mention) -> bool:
    """An actor or role before job words and a name is part of that person's job description; an actor before a
    role noun only describes the person ("the UN envoy", "a Putin ally", R23)."""
    j = m.end
    while j < len(p.doc) and p.lower(j) in lx.JOB_WORDS:
        j += 1
    role_noun = p.lower(m.end - 1) in lx.PERSON_ROLE_NOUNS
    if m.rule == "alias" and (p.lower(m.end) in lx.PERSON_ROLE_NOUNS or p.lower(m.end) in lx.DESCRIBED_BY_NOUNS):
        return True
    if not (j > m.end or role_noun) or j >= len(p.doc):
        return False
    token = p.doc[j]
    return token.text in lx.TITLES or (token.is_title and token.is_alpha and not token.is_sent_start)


def _descriptions_after_names(p: Parsed, ont: Ontology, mentions: list[Mention]) -> list[Mention]:
    """A job description in apposition after a named person ("Philip Hammond, the UK Foreign Secretary",
    "Maj. Jamil al-Saleh, the leader of Tajammu Alezzah") is no mention, and neither is an actor named in it
    (R23). The description stays as a hidden mention with the person's actor, so that a cue right after it
    finds the speaker."""
    cues = {s for _, s, _ in p.any_of("CUE:", 0, len(p.doc))}
    dropped: set[int] = set()
    hidden = []
    for m in mentions:
        if mention_type(ont, m) != "person" or m.rule == "person-role" or p.text(m.end) != ",":
            continue
        start = m.end + 1 + (p.lower(m.end + 1) in _ARTICLES)
        if start >= len(p.doc) or (start == m.end + 1 and not (p.titles[start] or p.lower(start) in _DESCRIPTION_NOUNS)):
            continue  # ", as well as ...": no description
        _, sent_end = p.sentence(m.start)
        end = start
        while end < min(sent_end, start + _DESCRIPTION_LENGTH) and p.lower(end) not in _DESCRIPTION_STOPS \
                and end not in cues and not p.spaces[end]:
            end += 1
        words = {p.lower(k) for k in range(start, end)}
        if end == start or not words & _DESCRIPTION_NOUNS:
            continue
        for other in mentions:
            if start <= other.start and other.end <= end:
                dropped.add(id(other))
        hidden.append(Mention(start, end, m.actor, m.type, "apposition", hidden=True))
    return sorted([m for m in mentions if id(m) not in dropped] + hidden, key=lambda m: m.start)


def _acronyms(p: Parsed, mentions: list[Mention], found: list[Mention]) -> list[Mention]:
    """An acronym in brackets after a name is a mention of the name's actor (R4: "the Syrian Observatory for
    Human Rights (SOHR)"), and so are later bare uses of it (unless another candidate, kept or not, covers them:
    "the UN envoy")."""
    by_end = {m.end: m for m in mentions}
    by_start = {m.start: m for m in mentions}
    defined: dict[str, Mention] = {}
    kept = list(mentions)
    for start, end in p.matches.get("bracket-acronym", ()):
        named = by_end.get(start)
        if named is None or named.hidden:
            continue
        defined[p.doc[start + 1].text] = named
        inside = by_start.get(start + 1)
        if inside is not None:
            inside.actor, inside.type = named.actor, named.type
        else:
            kept.append(Mention(start + 1, start + 2, named.actor, named.type, "acronym"))
    covered = {i for m in found for i in range(m.start, m.end)}
    for i, text in enumerate(p.texts if defined else ()):
        named = defined.get(text)
        if named is not None and i not in covered and i > named.end + 2:
            kept.append(Mention(i, i + 1, named.actor, named.type, "acronym"))
    return sorted(kept, key=lambda m: m.start)


class Antecedents:
    """The mentions a pronoun or bare head may refer to, by paragraph and sentence."""

    def __init__(self, p: Parsed, ont: Ontology, mentions: list[Mention]):
        self.p, self.ont = p, ont
        self.by_sent: dict[int, list[Mention]] = defaultdict(list)
        for m in mentions:
            if not m.hidden:
                self.by_sent[p.sent_of[m.start]].append(m)

    def candidates(self, i: int):
        """Sentences of the paragraph of token ``i``, nearest first, each with its mentions before ``i``."""
        p = self.p
        block = p.block_of[i]
        for s in range(p.sent_of[i], -1, -1):
            if p.block_of[p.sents[s][0]] != block:
                break
            found = [m for m in self.by_sent.get(s, ()) if m.end <= i]
            if found:
                yield found

    def first(self, i: int, fits) -> Mention | None:
        """The first fitting mention of the nearest sentence that has one (subjects come first)."""
        for found in self.candidates(i):
            fitting = [m for m in found if fits(m)]
            if fitting:
                return fitting[0]
        return None

    def latest(self, i: int, fits) -> Mention | None:
        for found in self.candidates(i):
            fitting = [m for m in found if fits(m)]
            if fitting:
                return fitting[-1]
        return None


def _weak_mentions(p: Parsed, ont: Ontology, antecedents: list[Mention], covered: set[int]) -> list[Mention]:
    """Pronouns and bare heads outside ``covered``, resolved in their paragraph (see the module doc)."""
    index = Antecedents(p, ont, antecedents)
    noun_triggers = {s for key in p.keys_with("TRIGGER:") for s, e in p.matches[key]
                     if p.lower(e - 1) in lx.NOMINAL_TRIGGER_WORDS}
    weak = []
    for start, end in p.matches.get("pronoun", ()):
        if start not in covered:
            weak.append(_resolve_pronoun(p, ont, start, index))
    for start, end in p.matches.get("coref-head", ()):
        head = end - 1
        if covered.intersection(range(start, end)):
            continue
        if start == head and head > 0 and p.doc[head - 1].is_alpha and p.lower(head - 1) not in _BARE_HEAD_AFTER:
            continue  # "monitoring group", "Russian officials": part of a longer description
        if head + 1 in noun_triggers:
            continue  # "military campaign": a modifier of an event noun, not an actor
        weak.append(_resolve_head(p, ont, head, index))
    return weak


def _resolve_pronoun(p: Parsed, ont: Ontology, i: int, index: Antecedents) -> Mention:
    kind = lx.PRONOUNS[p.lower(i)]
    if kind in lx.SPEAKER_TYPES:
        return Mention(i, i + 1, None, lx.SPEAKER_TYPES[kind], "pronoun", weak=True, unnamed=True)
    person = kind == "person"
    m = index.first(i, lambda m: (mention_type(ont, m) == "person") == person)
    if m is not None:
        return Mention(i, i + 1, m.actor, m.type, "pronoun", weak=True, unnamed=m.unnamed)
    return Mention(i, i + 1, None, "person" if person else "other", "pronoun", weak=True, unnamed=True)


def _resolve_head(p: Parsed, ont: Ontology, head: int, index: Antecedents) -> Mention:
    word = p.lower(head)
    m = index.latest(head, lambda m: p.lower(m.end - 1) == word)
    if m is not None:
        return Mention(head, head + 1, m.actor, m.type, "coref-head", weak=True, unnamed=m.unnamed)
    kind = lx.COREF_HEADS[word]
    m = index.latest(head, lambda m: mention_type(ont, m) == kind and m.rule not in lx.NOT_ANTECEDENT_RULES)
    if m is not None:
        return Mention(head, head + 1, m.actor, m.type, "coref-type", weak=True, unnamed=m.unnamed)
    return Mention(head, head + 1, None, kind, "coref-type", weak=True, unnamed=True)


def find_mentions(p: Parsed, ont: Ontology) -> list[Mention]:
    """Every actor mention the rules propose, in text order (weak and hidden ones flagged, see the module doc)."""
    found = _resolve_overlaps(_candidates(p, ont))
    mentions = [m for m in found if not _is_place(p, m) and not _in_job_description(p, m)]
    mentions = _descriptions_after_names(p, ont, mentions)
    mentions = _acronyms(p, mentions, found)
    # places and job descriptions still cover their tokens: no pronoun or bare head inside them
    covered = {i for m in found for i in range(m.start, m.end)} | {i for m in mentions for i in range(m.start, m.end)}
    return sorted(mentions + _weak_mentions(p, ont, mentions, covered), key=lambda m: m.start)
