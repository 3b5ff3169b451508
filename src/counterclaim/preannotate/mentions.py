"""Actor mentions: registry aliases plus the guidelines' rules for titles, nationality adjectives, officials,
descriptions of unlisted actors, bracketed acronyms, places and job descriptions.

Candidates come from the pipeline's alias ruler and shape patterns (:mod:`pipeline`); overlapping candidates
are resolved longest first, then by rule priority (the registry decides before any other rule). Then:

- a country or capital after a locative preposition is the place of an event, not an actor ("in western
  Syria", "In Washington, ...");
- an actor named inside a job description before a person's name is not a mention of its own ("White House
  spokesman Josh Earnest" -> "Josh Earnest"; "Syrian Army Chief of Staff Gen Ali Abdullah Ayoub");
- an acronym in brackets after a name belongs to that name ("Syrian Observatory for Human Rights (SOHR)"):
  no mention of its own, and later bare uses of it get the name's actor;
- pronouns and bare heads ("officials", "the army") are *weak* mentions, resolved to an earlier mention and
  kept only when a claim or an event uses them (the guidelines: "a pronoun is a mention only when it is a
  claimant or an event argument").
"""

from __future__ import annotations

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate.model import Mention
from counterclaim.preannotate.pipeline import ALIAS_LABEL, OTHER_COUNTRY_LABEL, Parsed

# What a nationality phrase names, by its noun's kind: the field of :class:`lexicon.Nationality` that holds
# the registry actor, which is also the actor type the mention gets when the registry has none.
_NATIONALITY_ROLE = {"military": "military", "attack": "military", "government": "government", "country": "country"}
# Rules in order of priority when two candidates cover the same tokens.
_PRIORITY = ("alias", "title-alias", "apposition", "alias-member", "country-possessive", "nationality-military",
             "nationality-government", "person-role", "title-name", "unit-country", "unit", "other-country",
             "nationality-attack", "nationality-country", "group")
_ARTICLES = ("the", "a", "an")
# Words after which a bare head noun stands alone ("which officials said").
_BARE_HEAD_AFTER = ("which", "who", "that", "and", "but", "while", "as")
_POSSESSIVE = ("’s", "'s")
# "<country>'s <noun>": which of the country's actors the phrase names ("Syria’s government").
_POSSESSED = {"government": "government", "regime": "government", "army": "military", "forces": "military"}


def mention_type(ont: Ontology, m: Mention) -> str | None:
    """The mention's actor type: its registry actor's, else its own."""
    return ont.actor_by_id[m.actor].type if m.actor is not None else m.type


def _nationality(p: Parsed, i: int) -> lx.Nationality | None:
    return lx.NATIONALITIES.get(p.doc[i].text)


def _candidates(p: Parsed, ont: Ontology) -> list[Mention]:
    doc = p.doc
    found: list[Mention] = []
    aliases = [ent for ent in doc.ents if ent.label_ == ALIAS_LABEL]
    alias_at_end = {ent.end: ent for ent in aliases}
    for ent in doc.ents:
        if ent.label_ == OTHER_COUNTRY_LABEL:
            found.append(Mention(ent.start, ent.end, None, "country", "other-country"))
    for ent in aliases:
        start = ent.start
        if doc[start].text in lx.TITLES and start > 0 and doc[start - 1].text in lx.NATIONALITIES:
            start += 1  # "Syrian President Assad": the title belongs to the job description
        found.append(Mention(start, ent.end, ent.ent_id_, None, "alias"))
        # an alias followed by a member noun is the same actor: "Islamic State fighters"
        if ent.end < len(doc) and doc[ent.end].lower_ in lx.MEMBER_NOUNS:
            found.append(Mention(ent.start, ent.end + 1, ent.ent_id_, None, "alias-member"))
        # a country's government or army: "Syria’s government"
        nat = _country_nationality(ent.ent_id_)
        if nat and ent.end + 1 < len(doc) and doc[ent.end].text in _POSSESSIVE:
            kind = _POSSESSED.get(doc[ent.end + 1].lower_)
            actor = getattr(nat, kind) if kind else None
            if actor:
                found.append(Mention(ent.start, ent.end + 2, actor, None, "country-possessive"))

    for start, end in p.matches.get("title-name", ()):
        # a title after a nationality or an actor is part of a job description: "Syrian President Assad"
        if start > 0 and (doc[start - 1].text in lx.NATIONALITIES or start in alias_at_end):
            continue
        inner = alias_at_end.get(end)
        if inner is not None and inner.start > start and ont.actor_by_id[inner.ent_id_].type == "person":
            found.append(Mention(start, end, inner.ent_id_, None, "title-alias"))
        elif inner is None:
            found.append(Mention(start, end, None, "person", "title-name"))

    for kind in lx.NATIONALITY_NOUNS:
        for start, end in p.matches.get(f"nationality-{kind}", ()):
            nat = _nationality(p, start)
            actor = getattr(nat, _NATIONALITY_ROLE[kind]) if nat else None
            span_end = start + 1 if kind in ("attack", "country") else end
            found.append(Mention(start, span_end, actor, None if actor else _NATIONALITY_ROLE[kind],
                                 f"nationality-{kind}"))

    for start, end in p.matches.get("person-role", ()):
        if doc[start].lower_ in _ARTICLES:
            start += 1
        found.append(Mention(start, end, None, "person", "person-role"))

    for kind in lx.GROUP_HEADS:
        for start, end in p.matches.get(f"group-{kind}", ()):
            while start < end - 1 and (doc[start].text in _POSSESSIVE or doc[start].lower_ == "and"):
                start += 1
            found.append(Mention(_with_count(p, start), end, None, kind, "group"))

    for start, end in p.matches.get("unit", ()):
        while start < end - 1 and doc[start].lower_ in ("a", "of", "group"):
            start += 1
        found.append(_unit(p, aliases, start, end))
    return found


def _with_count(p: Parsed, start: int) -> int:
    """A count right before a description belongs to it: "seven countries", "more than a dozen other nations"."""
    for s, e in p.matches.get("number", ()):
        if e == start:
            start = s
            for key in p.keys_with("QUAL:"):
                start = next((qs for qs, qe in p.matches[key] if qe == s), start)
            break
    return start


def _unit(p: Parsed, aliases: list, start: int, end: int) -> Mention:
    """Forces named without their country are the military of the country named last before them in the
    sentence ("Russia has also deployed a battalion of marines")."""
    first, _ = p.sentence(start)
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
    """An actor or role before job words and a name is part of that person's job description."""
    j = m.end
    while j < len(p.doc) and p.lower(j) in lx.JOB_WORDS:
        j += 1
    role_noun = p.lower(m.end - 1) in lx.PERSON_ROLE_NOUNS
    if m.rule == "alias" and p.lower(m.end) in lx.PERSON_ROLE_NOUNS:
        return True  # "the UN envoy to Syria": the organisation is part of the envoy's description
    if not (j > m.end or role_noun) or j >= len(p.doc):
        return False
    token = p.doc[j]
    return token.text in lx.TITLES or (token.is_title and token.is_alpha and not token.is_sent_start)


def _apposition(p: Parsed, mentions: list[Mention]) -> None:
    """A role right after a named person is that person: "Philip Hammond, the UK Foreign Secretary"."""
    by_end = {m.end: m for m in mentions}
    for m in mentions:
        if m.rule != "person-role":
            continue
        i = m.start - 1
        if p.lower(i) in _ARTICLES:
            i -= 1
        named = by_end.get(i) if p.text(i) == "," else None
        if named is not None and named.actor is not None:
            m.actor, m.type, m.rule = named.actor, None, "apposition"


def _acronyms(p: Parsed, mentions: list[Mention], found: list[Mention]) -> list[Mention]:
    """Drop mentions inside "(ACRONYM)" after a name; give later bare uses of the acronym the name's actor
    (unless another candidate, kept or not, covers them: "the UN envoy")."""
    by_end = {m.end: m for m in mentions}
    defined: dict[str, Mention] = {}
    bracketed: set[int] = set()
    for start, end in p.matches.get("bracket-acronym", ()):
        named = by_end.get(start)
        if named is not None:
            defined[p.doc[start + 1].text] = named
            bracketed.add(start + 1)
    kept = [m for m in mentions if m.start not in bracketed]
    covered = {i for m in found for i in range(m.start, m.end)}
    for i, text in enumerate(p.texts if defined else ()):
        named = defined.get(text)
        if named is not None and i not in covered and i not in bracketed and i > named.end:
            kept.append(Mention(i, i + 1, named.actor, named.type, "acronym"))
    return sorted(kept, key=lambda m: m.start)


def _weak_mentions(p: Parsed, ont: Ontology, antecedents: list[Mention]) -> list[Mention]:
    """Pronouns and bare heads outside ``antecedents``, resolved to the latest earlier one that fits."""
    covered = {i for m in antecedents for i in range(m.start, m.end)}
    weak = []
    for start, end in p.matches.get("pronoun", ()):
        if start not in covered:
            weak.append(_resolve_pronoun(p, ont, start, antecedents))
    for start, end in p.matches.get("coref-head", ()):
        head = end - 1
        if covered.intersection(range(start, end)):
            continue
        if start == head and head > 0 and p.doc[head - 1].is_alpha and p.lower(head - 1) not in _BARE_HEAD_AFTER:
            continue  # "monitoring group", "Russian officials": part of a longer description
        weak.append(_resolve_head(p, ont, start, head, antecedents))
    return weak


def _resolve_pronoun(p: Parsed, ont: Ontology, i: int, antecedents: list[Mention]) -> Mention:
    kind = lx.PRONOUNS[p.lower(i)]
    for m in reversed([m for m in antecedents if m.end <= i]):
        is_person = mention_type(ont, m) == "person"
        if (kind == "person") == is_person and kind != "speaker":
            return Mention(i, i + 1, m.actor, m.type, "pronoun", weak=True)
    return Mention(i, i + 1, None, "person" if kind == "person" else "other", "pronoun", weak=True)


def _resolve_head(p: Parsed, ont: Ontology, start: int, head: int, antecedents: list[Mention]) -> Mention:
    word = p.lower(head)
    for m in reversed([m for m in antecedents if m.end <= start]):
        if p.lower(m.end - 1) == word:
            return Mention(head, head + 1, m.actor, m.type, "coref-head", weak=True)
    kind = lx.COREF_HEADS[word]
    for m in reversed([m for m in antecedents if m.end <= start]):
        if mention_type(ont, m) == kind:
            return Mention(head, head + 1, m.actor, m.type, "coref-type", weak=True)
    return Mention(head, head + 1, None, kind, "coref-type", weak=True)


def find_mentions(p: Parsed, ont: Ontology) -> list[Mention]:
    """Every actor mention the rules propose, in text order (weak ones flagged, see the module doc)."""
    found = _resolve_overlaps(_candidates(p, ont))
    mentions = [m for m in found if not _is_place(p, m) and not _in_job_description(p, m)]
    mentions = _acronyms(p, mentions, found)
    _apposition(p, mentions)
    # places and job descriptions still tell who "the army" or "he" is
    return sorted(mentions + _weak_mentions(p, ont, found), key=lambda m: m.start)
