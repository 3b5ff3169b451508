"""Every rule of the engine by name, with the layer it proposes and the confidence its proposals carry.

A confidence is the rule's precision on the development documents (see the package docstring), shrunk towards
one half for rules that fired only a few times — ``(matched + 2) / (proposed + 4)`` — rounded down to a tenth
and kept between 0.1 and 0.9; a rule that never fired there has 0.5 (:func:`calibrated_confidence`). Objects
count as matched when they overlap a gold region, links when their source and target match a gold link. A
proposal is as trustworthy as its rule has been; the held-out scores say how far to trust that. Names appear in
each proposal and in the evaluation's per-rule table.

The figures below are :func:`~counterclaim.preannotate.evaluate.measured_confidences` of the evaluation on the
development documents, and a test keeps them so: after changing a rule, evaluate ``--split dev`` and copy the
figures the test reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NEVER_FIRED = 0.5  # the confidence of a rule with no proposal on the development documents
_PRIOR = 2  # matched and missed proposals added to a rule's record before its precision is taken


@dataclass(frozen=True)
class Rule:
    name: str
    layer: str  # mention, quantity, event, time, place, claim, or a link: argument, claimant, ...
    confidence: float
    description: str


def calibrated_confidence(proposed: int, matched: int) -> float:
    """The confidence of a rule that ``matched`` gold objects or links with ``proposed`` proposals on the
    development documents: ``(matched + 2) / (proposed + 4)``, rounded down to a tenth, between 0.1 and 0.9."""
    if proposed == 0:
        return NEVER_FIRED
    value = (matched + _PRIOR) / (proposed + 2 * _PRIOR)
    return min(0.9, max(0.1, math.floor(value * 10 + 1e-9) / 10))


def _rules(*rows: tuple[str, str, float, str]) -> dict[str, Rule]:
    return {name: Rule(name, layer, confidence, description) for name, layer, confidence, description in rows}


RULES: dict[str, Rule] = _rules(
    # actor mentions
    ("alias", "mention", 0.9, "a registry alias"),
    ("alias-member", "mention", 0.7, "an alias followed by a member noun: 'Islamic State fighters'"),
    ("country-possessive", "mention", 0.7, "a country's possessive, by its noun: 'Syria’s government', 'Russia' in 'Russia’s military campaign'"),
    ("title-alias", "mention", 0.7, "a title before a registry name: 'Gen Ali Abdullah Ayoub'"),
    ("title-name", "mention", 0.5, "a title before an unlisted name: 'Maj. Jamil al-Saleh'"),
    ("nationality-military", "mention", 0.5, "nationality + forces or aircraft: 'Russian military forces'"),
    ("nationality-attack", "mention", 0.8, "nationality before an attack noun: 'Russian' in 'Russian air strikes'"),
    ("nationality-defence", "mention", 0.5, "nationality + military officials: 'senior Russian military officials'"),
    ("nationality-government", "mention", 0.6, "nationality + government or officials: 'Iranian officials'"),
    ("nationality-policy", "mention", 0.7, "nationality before a plan or position: 'Russian' in 'Russian intentions'"),
    ("nationality-country", "mention", 0.6, "nationality before what a country does: 'Russian' in 'Russian actions'"),
    ("nationality-coordinated", "mention", 0.5, "the first of coordinated adjectives: 'Russian' in 'Russian and Syrian officials'"),
    ("person-role", "mention", 0.7, "an official described by country and role: 'senior Washington official'"),
    ("description-of", "mention", 0.6, "people described by the countries they lead: 'leaders of Ukraine and Germany'"),
    ("group", "mention", 0.8, "a description of unlisted actors: 'terrorist groups', 'civilians', 'its allies'"),
    ("unit", "mention", 0.5, "state forces without their country: 'More special operations forces'"),
    ("unit-country", "mention", 0.7, "state forces after their country in the sentence: 'a battalion of marines'"),
    ("other-country", "mention", 0.5, "a country outside the registry: 'Germany'"),
    ("acronym", "mention", 0.5, "an acronym in brackets after a name, and its later bare uses"),
    ("pronoun", "mention", 0.8, "a pronoun used as a claimant or argument, resolved to an earlier mention"),
    ("coref-head", "mention", 0.6, "a bare head noun resolved to an earlier mention with that head: 'officials'"),
    ("coref-type", "mention", 0.7, "a bare head noun resolved to an earlier mention of its type: 'the group'"),
    ("role-subject", "mention", 0.6, "an unlisted speaker described by a role: 'a Putin ally and senior lawmaker said'"),
    ("state-speaking", "mention", 0.6, "a country that speaks is its government: 'the US maintaining'"),
    # quantities
    ("number", "quantity", 0.8, "a number: '1,623', 'four', '$580 million'"),
    ("number-qualified", "quantity", 0.6, "a number with its qualifier: 'more than 11', 'Around 50'"),
    ("number-range", "quantity", 0.6, "a range: 'three to four months', 'between 10 and 20'"),
    ("number-vague", "quantity", 0.6, "a vague amount with a lower bound: 'dozens', 'hundreds'"),
    ("number-dozen", "quantity", 0.6, "'a dozen', 'a couple of dozen'"),
    # events, times, places
    ("trigger", "event", 0.9, "a trigger phrase of the lexicon"),
    ("trigger-context", "event", 0.9, "a common verb that is a trigger in a sentence with a cue of its type"),
    ("trigger-phrase", "event", 0.6, "a noun trigger with what it is made of: 'campaign of Russian air strikes'"),
    ("time-pattern", "time", 0.5, "a time expression: 'on Saturday', 'in the past month'"),
    ("place-pattern", "place", 0.5, "a name after a locative preposition or a place noun"),
    ("place-compass", "place", 0.5, "a compass area: 'in the north'"),
    ("place-country", "place", 0.5, "'in the country', 'in his country'"),
    # claims
    ("preposed", "claim", 0.9, "SUBJECT CUE [that] CONTENT"),
    ("postposed", "claim", 0.8, "CONTENT, SUBJECT CUE"),
    ("inverted", "claim", 0.6, "CONTENT, CUE SUBJECT"),
    ("according-to", "claim", 0.5, "according to SUBJECT, CONTENT"),
    ("relative", "claim", 0.6, "..., which SUBJECT CUE CONTENT"),
    ("amid-claims", "claim", 0.6, "amid claims CONTENT: the outlet reports without committing"),
    ("headline", "claim", 0.7, "the headline, one claim per part between dashes"),
    ("unsourced-number", "claim", 0.7, "a sentence without a cue giving a number about an event"),
    ("quote-without-cue", "claim", 0.6, "a quotation without a cue"),
    ("confirmed-report", "claim", 0.6, "'confirming a story first reported by X': X's claim, 'a story'"),
    ("speech-act-noun", "claim", 0.6, "'X made the announcement', 'X gave its rundown of ...': a claim referred to by a noun"),
    # links
    ("claimant-preposed", "claimant", 0.8, "the subject before the cue"),
    ("claimant-postposed", "claimant", 0.8, "the subject before a postposed cue"),
    ("claimant-inverted", "claimant", 0.6, "the subject after the cue"),
    ("claimant-according-to", "claimant", 0.5, "the object of 'according to'"),
    ("claimant-relative", "claimant", 0.6, "the subject of a relative clause's cue"),
    ("claimant-outlet", "claimant", 0.8, "the outlet, for an unsourced claim"),
    ("claimant-by", "claimant", 0.6, "the agent of 'reported by'"),
    ("claimant-claims-noun", "claimant", 0.6, "an unnamed source behind 'amid claims'"),
    ("claimant-statement", "claimant", 0.6, "the source of 'the statement said': the first mention of the sentence before"),
    ("claimant-speech-act-noun", "claimant", 0.6, "the subject of 'made the announcement'"),
    ("co-claimant", "co_claimant", 0.6, "'SOHR and the LCC said': the later sources of a joint claim"),
    ("group-members", "co_claimant", 0.7, "'seven countries including X, Y and Z said': the members of the group"),
    ("same-figure", "claim_link", 0.7, "a claim giving the same figure supports the first named source's"),
    ("other-side", "claim_link", 0.5, "a claim on a country's attacks by another country's source contests that side's"),
    ("nested-attribution", "reported_via", 0.6, "'X observed that ..., Y told': Y passed X's claim on"),
    ("medium", "reported_via", 0.6, "'told AFP', 'told the tabloid': the medium a claim was told to"),
    ("argument-subject", "argument", 0.9, "the subject before the trigger, and the mentions coordinated with it"),
    ("argument-inside", "argument", 0.5, "a mention inside a trigger phrase"),
    ("argument-means", "argument", 0.7, "the modifier of an attack noun merged into the trigger: 'hit by Russian airstrikes'"),
    ("argument-purpose", "argument", 0.6, "the agent of the event a purpose belongs to: 'troops arrived to support'"),
    ("argument-process", "argument", 0.6, "the process a verb starts, as the topic: 'begin a new diplomatic process'"),
    ("argument-passive-span", "argument", 0.6, "the subject of a passive attack, as a span: 'The warehouse was destroyed'"),
    ("argument-subject-span", "argument", 0.6, "a weapon as the subject of an attack: 'the missiles landed'"),
    ("argument-object", "argument", 0.8, "a mention in the noun phrase after the trigger"),
    ("argument-object-span", "argument", 0.8, "the noun phrase after the trigger, as a span"),
    ("argument-prepositional", "argument", 0.7, "a mention after 'on', 'at', 'against' an attack trigger"),
    ("argument-prepositional-span", "argument", 0.6, "the noun phrase after 'on', 'at', 'against', as a span"),
    ("argument-by", "argument", 0.6, "the agent after 'by'"),
    ("argument-with", "argument", 0.7, "a participant after 'with'"),
    ("argument-with-event", "argument", 0.6, "an attack after 'with': the topic ('co-operate with a campaign')"),
    ("argument-by-event", "argument", 0.5, "an attack after 'by': the topic"),
    ("argument-of-event", "argument", 0.5, "an attack after 'of': the topic ('criticism of the strikes')"),
    ("argument-object-event", "argument", 0.5, "an event in the object of an accusation or request: its topic"),
    ("argument-prepositional-event", "argument", 0.5, "an event after 'on', 'at', 'against': the topic"),
    ("argument-of", "argument", 0.7, "the subject of a noun trigger after 'of': 'involvement of Iran'"),
    ("argument-movement", "argument", 0.7, "the place after 'into', 'to', 'from' a deployment"),
    ("argument-cause", "argument", 0.6, "the nearest attack in the sentence of a death or injury"),
    ("quantity-measurand", "quantity_link", 0.9, "the nearest event of the sentence whose type fits the measurand"),
    ("time-nearest", "time_link", 0.8, "the time expression nearest to the trigger in its clause"),
    ("place-nearest", "place_link", 0.8, "the place nearest to the trigger in its clause"),
    ("about-inside-content", "about", 0.9, "an event or quantity inside the claim's content"),
    ("about-relative", "about", 0.6, "the attack whose object a free relative is: 'targeting what Moscow said were ...'"),
    ("about-referred", "about", 0.7, "for a claim referred to by a noun, an event of what it refers to"),
)
