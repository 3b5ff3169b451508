"""Claims: the cue, the reported content, the claimant, stance and certainty, following the guidelines.

Attributed claims start from a reporting cue of :data:`lexicon.CUES` and take one of these shapes:

- *preposed*: "Moscow today revealed [that] CONTENT." — the claimant is the mention just before the cue
  (skipping adverbs, times and a parenthesis between commas: "The USA official, who spoke on condition of
  anonymity, said ...");
- *postposed*: "CONTENT, Konashenkov said." — the content is the clause before the subject; a participle
  clause after the cue continues it as a second span ("..., Gen Ali Abdullah Ayoub said on Thursday,
  enabling the army ...");
- *inverted*: "CONTENT, said the Britain-based monitor.";
- *according to*: "according to X, CONTENT" or "CONTENT, according to X";
- *relative*: "targets, which officials said were destroyed", "targeting what Moscow said were ISIS
  positions" — content ``which`` (``what``) + the rest (R14);
- *nested*: "X observed that CONTENT, Fallon told the tabloid" — one claim by X, Fallon and the tabloid
  ``reported_via`` (R17);
- *joint*: "SOHR and the LCC said" — one claim, the first source the claimant and the others co-claimants
  (R16); a group with its members ("seven countries including the United States ... said") has the group as
  claimant and the members as co-claimants (R30).

The content runs to the end of the sentence, without the complementiser "that", quotation marks and final
punctuation; it stops before a comma that starts the outlet's own clause (", after ...", ", confirming ..."),
a relative clause with its own cue, a postposed attribution, or an unpaired dash. The medium a claim was told
to is ``reported_via``, not part of the content ("he told AFP", "Fallon told the tabloid", R17).

The claimant's kind is ``unnamed`` for a source the text refers to without identifying it (R15, R24): a
described official many people fit ("a senior Washington official", "activists said"), a pronoun or a
definite description whose antecedent is not in its paragraph ("he adds", "the ministry said"), and "amid
claims ..." with no source at all. A speech-act noun as the subject ("The statement said") stands for the
source of the statement: the first mention of the nearest earlier sentence of its paragraph, else an unnamed
source.

Claims referred to by a noun (R18, R31) are claims of their own: "confirming a story first reported by CNN"
(content "a story", cue "first reported", claimant CNN; the confirming claim supports it and both are about
the same events) and "Kerry made the announcement" (content "the announcement", cue "made", about the events
of the sentence before).

Unsourced claims (claimant kind ``outlet``) are proposed where the guidelines ask for them and the text shows
it: the headline, split at its dashes ("Headlines that assert facts count too"); a sentence without a cue
that gives a number about an event ("a number ... the outlet asserts without a source"); and a quotation
without a cue, whose speaker nothing identifies (R20).

Stance and certainty come from the cue; a hedge in the content ("appears", "should", "may") lowers the
certainty, and a leading "they believed" is the claimant's own hedge, dropped from the content.
"""

from __future__ import annotations

from counterclaim.model.ontology import Ontology
from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate import syntax
from counterclaim.preannotate.mentions import Antecedents, described_organisation, is_unnamed_role, mention_type
from counterclaim.preannotate.model import Claim, Event, Mention, Quantity, TimeExpr
from counterclaim.preannotate.pipeline import Parsed

_QUOTES = syntax.QUOTES
_OPENING_QUOTES = frozenset(("“", "‘", '"'))
_CLOSING_QUOTES = frozenset(("”", "’", '"'))
_EMERGED = frozenset(("emerged", "surfaced", "circulated", "appeared"))
_DASHES = frozenset(("–", "—"))
_TRAILING_PUNCT = frozenset((".", ",", ";", ":", "!", "?", *_DASHES))
_NOT_IN_SUBJECT = frozenset((
    "that", "which", "who", "and", "or", "but", "to", "of", "in", "on", "for", "with", "by", "from", "at", "as",
    "it", "they", "he", "she", "we", "not", "no", "were", "was",
))
_RELATIVES = frozenset(("which", "who", "that"))
_FREE_RELATIVES = frozenset(("what",))
_AFTER_POSTPOSED = 4  # tokens after a postposed cue before the sentence ends ("told the tabloid")
_BELIEF_PRONOUNS = ("they", "it", "he", "she", "we", "i")
_JOB_LENGTH = 6  # tokens of a job description before a name
_HEADLINE_PART = 3  # tokens a part of a headline needs to be a claim
_CONFIRMING = ("confirming", "corroborating")
_PAIRS = {"“": "”", "‘": "’", '"': '"'}
_TELLING = frozenset(("told", "tells", "telling", "tell"))
_SOURCE_PHRASE = 7  # tokens from a role noun to the cue ("source at Aleppo Police Command")
_UNPUNCTUATED = 4  # tokens of a clause before a subject with no comma that make the attribution postposed
_NOT_NAMES = frozenset((*lx.WEEKDAYS, *lx.MONTHS, "Earlier", "Later", "Meanwhile", "However", "But", "And"))
_AUDIENCE = 6  # tokens of the audience after "told" before the content ("told reporters that")
_AUDIENCE_ENDS = frozenset(("that", ",", ":", "“", '"'))
_SPEECH_DETERMINERS = frozenset(("the", "this", "that", "its", "their", "his", "her"))
_OBJECT_DETERMINERS = frozenset(("the", "a", "an", "its", "their", "his", "her", "this"))


def _trim(p: Parsed, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace, final punctuation, a leading "that", and without quotation
    marks that enclose it or are left unmatched by the cut; quotes inside stay ("there to “train, advise and
    assist”")."""
    texts = p.texts

    def partner(i: int) -> int | None:
        """The closing quote that matches the opening quote at ``i`` within the span."""
        close = _PAIRS.get(texts[i])
        return next((j for j in range(i + 1, end) if texts[j] == close), None) if close else None

    while start < end:
        while start < end and (p.spaces[start] or texts[start] in (":", ";", ",") or p.lower(start) in lx.COMPLEMENTISERS):
            start += 1
        while end > start and (p.spaces[end - 1] or texts[end - 1] in _TRAILING_PUNCT):
            end -= 1
        if start < end and texts[start] in _QUOTES and partner(start) in (None, end - 1):
            if partner(start) == end - 1:
                end -= 1
            start += 1
        elif end > start and texts[end - 1] in _QUOTES and not any(partner(i) == end - 1 for i in range(start, end - 1)):
            end -= 1
        else:
            break
    return start, end


def _sentence_end(p: Parsed, i: int) -> int:
    return _trim(p, *p.sentence(i))[1]


class _Finder:
    """Claims of one document; the cue table, mentions and times indexed once."""

    def __init__(self, p: Parsed, ont: Ontology, mentions: list[Mention], times: list[TimeExpr]):
        self.p = p
        self.ont = ont
        self.mentions = mentions
        self.by_end = {m.end: m for m in mentions}
        self.by_start = {m.start: m for m in mentions if not m.hidden}
        self.antecedents = Antecedents(p, ont, [m for m in mentions if not m.weak])
        self.in_time = {i for t in times for i in range(t.start, t.end)}
        self.time_ends = {t.start: t.end for t in times}
        self.cues: list[tuple[int, int, lx.Cue]] = []
        taken: set[int] = set()
        matches = [(s, e, int(key.split(":")[1])) for key in p.keys_with("CUE:") for s, e in p.matches[key]]
        for s, e, k in sorted(matches, key=lambda m: (m[0] - m[1], m[0])):
            if taken.isdisjoint(range(s, e)):
                taken.update(range(s, e))
                self.cues.append((s, e, lx.CUES[k]))
        self.cues.sort(key=lambda c: c[0])
        self.cue_starts = {s: (s, e, cue) for s, e, cue in self.cues}

    def add_mention(self, m: Mention) -> Mention:
        self.mentions.append(m)
        self.by_end[m.end] = m
        self.by_start.setdefault(m.start, m)
        return m

    # -- the claimant --------------------------------------------------------------------------------------

    def subject_before(self, i: int) -> Mention | None:
        """The mention that is the subject of a cue starting at token ``i``."""
        p = self.p
        k = syntax.subject_end(p, i, self.in_time) - 1
        first, _ = p.sentence(i)
        for gap in range(3):  # "the Syrian Observatory for Human Rights monitoring group said"
            if k - gap < first:
                return None
            m = self.by_end.get(k + 1 - gap)
            if m is not None and m.rule == "apposition":  # "Philip Hammond, the UK Foreign Secretary said"
                named = self.by_end.get(m.start - 1 - (p.lower(m.start - 1) in syntax.ARTICLES))
                return named or m
            if m is not None:
                return m
            if p.lower(k - gap) in _NOT_IN_SUBJECT or not p.doc[k - gap].is_alpha or p.doc[k - gap].is_title:
                return None
        return None

    def speech_act_subject(self, i: int) -> tuple[bool, Mention | None]:
        """A speech-act noun as the subject of a cue: whether there is one, and the source it stands for. "The
        statement said" refers back to the first mention of the nearest earlier sentence of the paragraph
        (R24); "reports said", "Earlier reports said" name no source (R15)."""
        p = self.p
        k = syntax.subject_end(p, i, self.in_time) - 1
        if p.lower(k) not in lx.SPEECH_ACT_NOUNS:
            return False, None
        if p.lower(k - 1) not in _SPEECH_DETERMINERS:
            return p.lower(k).endswith("s"), None  # "Earlier reports said": unnamed sources
        first, _ = p.sentence(i)
        return True, self.antecedents.first(first, lambda m: not m.hidden)

    def role_subject(self, i: int) -> Mention | None:
        """A speaker described by a role noun right before the cue ("a Putin ally and senior lawmaker said",
        "activists said"): a new person mention, an unnamed source unless the role is unique (R15)."""
        p = self.p
        end = syntax.subject_end(p, i, self.in_time)
        first, _ = p.sentence(end - 1 if end > 0 else 0)
        k = next((j for j in range(end - 1, max(first, end - _SOURCE_PHRASE) - 1, -1) if self.role_noun(j)), None)
        if k is None or (k + 1 < end and p.lower(k + 1) not in lx.SOURCE_PREPOSITIONS) or any(
                not (p.titles[j] or p.texts[j].isupper() or p.lower(j) in lx.SOURCE_PLACE_WORDS or p.texts[j] == "-")
                for j in range(k + 2, end)):
            return None  # "a source at Aleppo Police Command told": the role and where the source is
        start = k
        while start - 1 >= max(first, k - _JOB_LENGTH) and p.alphas[start - 1] and start - 1 not in self.cue_starts \
                and p.lower(start - 1) not in lx.DETERMINERS \
                and (p.lower(start - 1) in lx.SOURCE_MODIFIERS or self.role_noun(start - 1)
                     or (p.titles[start - 1] and p.texts[start - 1] not in _NOT_NAMES)):
            start -= 1
        while p.lower(start) == "and":
            start += 1
        unnamed = is_unnamed_role(p, start, k + 1)
        actor = described_organisation(p, self.ont, start, end) if unnamed else None
        if any(k < m.start < end for m in self.mentions):
            end = k + 1  # "a source in the Syrian army": the army keeps its own mention
        return self.add_mention(Mention(start, end, actor, None if actor else "person", "role-subject", weak=True,
                                        unnamed=unnamed))

    def role_noun(self, j: int) -> bool:
        word = self.p.lower(j)
        return word in lx.PERSON_ROLE_NOUNS or word in lx.UNNAMED_ROLE_NOUNS

    def follows_cue(self, i: int) -> bool:
        """Token ``i`` comes right after another cue (or its "that")."""
        k = i - (self.p.lower(i - 1) in lx.COMPLEMENTISERS)
        return any(ce == k for _, ce, _ in self.cues)

    def subject_start(self, m: Mention) -> int:
        """Where the subject phrase of ``m`` starts: with its coordination, a job description before it
        ("Syrian Army Chief of Staff Gen Ali Abdullah Ayoub") and its article."""
        p = self.p
        start = syntax.conjuncts(p, self.by_end, m)[0].start
        first, _ = p.sentence(start)
        k = start - 1
        while k >= max(first, start - _JOB_LENGTH) and (p.lower(k) in lx.JOB_WORDS or p.doc[k].is_title) \
                and p.lower(k - 1) not in lx.LOCATIVE_PREPOSITIONS:  # not "in Syria" before "White House spokesman"
            k -= 1
        if k + 1 < start and p.lower(start - 1) in lx.JOB_WORDS:
            start = k + 1
        if p.lower(start - 1) in syntax.ARTICLES or p.lower(start - 1) in lx.INDEFINITE:
            start -= 1
        return start

    def medium(self, e: int, end: int) -> tuple[Mention | None, int]:
        """The medium after a cue ending at ``e`` (R17): "told AFP", "told the tabloid", "said in an interview
        with Reuters" — its mention if it is a media outlet, and where the audience ends ("told reporters that"
        -> the content starts after "that")."""
        p = self.p
        k = e
        if p.lower(k) == "in" and p.lower(k + 1) in ("an", "a") and p.lower(k + 2) == "interview" \
                and p.lower(k + 3) == "with":
            k += 4
        elif p.lower(e - 1) not in _TELLING:
            return None, e
        if p.lower(k) in _OBJECT_DETERMINERS:
            k += 1
        m = self.by_start.get(k)
        is_medium = m is not None and (mention_type(self.ont, m) == "media" or p.lower(m.end - 1) in lx.MEDIA_NOUNS)
        audience = m.end if m is not None else k
        while audience < end and audience not in self.by_start and (
                p.lower(audience) in lx.AUDIENCE_WORDS or (p.titles[audience] or p.texts[audience].isupper())
                and audience - k < _AUDIENCE):
            audience += 1  # "told Sputnik", "told SANA reporter", "told a news conference"
        if audience == k:
            stop = next((j for j in range(k, min(end, k + _AUDIENCE)) if p.texts[j] in _AUDIENCE_ENDS), None)
            audience = e if stop is None else stop
        return (m if is_medium else None), self.after_time(audience)

    def after_time(self, k: int) -> int:
        """Where the content starts after a cue: past a time dating the report and a "that" ("said on
        Thursday that ...")."""
        p = self.p
        k = self.time_ends.get(k, k)
        return k + 1 if p.lower(k) in lx.COMPLEMENTISERS else k

    # -- content -------------------------------------------------------------------------------------------

    def postposed_at(self, k: int, end: int) -> tuple[int, int, lx.Cue] | None:
        """A postposed attribution starting at token ``k`` ("Fallon told the tabloid") up to ``end``."""
        for s, e, cue in self.cues:
            if k <= s <= k + 8 and s < end and e + _AFTER_POSTPOSED >= end and self.subject_before(s) is not None:
                return s, e, cue
        return None

    def content_end(self, start: int, end: int) -> int:
        """Where a content starting at ``start`` stops before ``end`` (see the module doc)."""
        p = self.p
        dashes = [k for k in range(start, end) if p.texts[k] in _DASHES]
        for k in range(start, end):
            text = p.texts[k]
            if text == ",":
                nxt = p.lower(k + 1)
                if nxt in lx.CONTENT_STOPS:
                    return k
                if nxt in _RELATIVES and any(k + 1 < s <= k + 5 for s, _, _ in self.cues):
                    return k
                if self.postposed_at(k + 1, end):
                    return k
            if text in _DASHES and dashes[-1] == k and len(dashes) % 2 == 1:
                return k
            if k > start and k in self.cue_starts:  # "... in Syria White House spokesman Josh Earnest insists"
                subject = self.subject_before(k)
                if subject is not None and not subject.weak and subject.start > start:
                    return self.subject_start(subject)
        return end

    # -- shapes ----------------------------------------------------------------------------------------------

    def from_cue(self, s: int, e: int, cue: lx.Cue, claims: list[Claim]) -> list[Claim]:
        """The claims a cue at ``[s, e)`` introduces, in whichever shape its sentence has."""
        p = self.p
        first, _ = p.sentence(s)
        end = _sentence_end(p, s)
        if p.lower(s) in ("amid", "amidst"):  # "amidst claims hundreds of Iranian troops have arrived"
            k = e + (p.lower(e) in _EMERGED)  # "amid reports emerged that ..."
            content = _trim(p, k, self.content_end(k, end))
            return [self.claim([content], (s + 1, e), None, cue, "amid-claims", kind="unnamed",
                               claimant_rule="claimant-claims-noun")]
        if p.lower(s) == "according":
            return self.according_to(s, e, cue, first, end)
        statement, source = self.speech_act_subject(s)
        if statement:  # "The statement said 1,623 targets were hit"
            content = _trim(p, e, self.content_end(e, end))
            if content[1] - content[0] < 2:
                return []
            return [self.claim([content], (s, e), source, cue, "preposed", kind=None if source else "unnamed",
                               claimant_rule="claimant-statement")]
        subject = self.subject_before(s) or self.role_subject(s)
        if subject is None:
            return self.inverted(s, e, cue, first, end)
        if subject.weak and cue.certainty == "probable" and self.follows_cue(subject.start):
            return []  # "US officials said they believed ...": the belief is the first claim's hedge
        subject_start = self.subject_start(subject)
        before = subject_start - 1
        after_clause = before > first and (p.doc[before].text == "," or p.doc[before].text in _QUOTES)
        if after_clause and (e + _AFTER_POSTPOSED >= end or self.continues_after(e, end) is not None
                             or (p.doc[before].text in _CLOSING_QUOTES and before > first + 1)):
            return self.postposed(s, e, cue, subject, first, before, end, claims)
        if before - first >= _UNPUNCTUATED and p.doc[before].is_alpha and before not in self.by_end_tokens() \
                and p.lower(before) not in _NOT_IN_SUBJECT and p.lower(before) not in _FREE_RELATIVES \
                and (e + _AFTER_POSTPOSED >= end or p.lower(self.after_time(e)).endswith("ing")):
            # scraped text without punctuation: "... we wouldnt have had any vegetables at all he said pointing to"
            return self.postposed(s, e, cue, subject, first, before + 1, end, claims)
        medium, after = self.medium(e, end)
        after = self.after_time(after)
        if p.lower(before) in _FREE_RELATIVES or (p.lower(before) in _RELATIVES and p.text(before - 1) == ","):
            rest = _trim(p, after, self.content_end(after, end))
            return self.joint(subject, [(before, before + 1), rest], (s, e), cue, "relative", medium)
        content = _trim(p, after, self.content_end(after, end))
        if content[1] - content[0] < 2:
            return []
        return self.joint(subject, [content], (s, e), cue, "preposed", medium)

    def by_end_tokens(self) -> set[int]:
        """Tokens that end a mention (a subject before the cue's subject is no content: "SOHR and the LCC")."""
        return {m.end - 1 for m in self.mentions}

    def continues_after(self, e: int, end: int) -> int | None:
        """Where a postposed claim continues after its cue: a participle clause ("..., Ayoub said on Thursday,
        enabling the army ..."), or what a reporting participle refers to ("..., the ministry said, referring
        to a huge cloud of smoke")."""
        p = self.p
        for k in range(e, min(end, e + _AFTER_POSTPOSED + 1)):
            if p.doc[k].text == ",":
                word = p.lower(k + 1) if k + 1 < end else ""
                if not word.endswith("ing"):
                    return None
                if word not in lx.CONTENT_STOPS:
                    return k + 1
                return k + 2 + (p.lower(k + 2) in ("to", "that"))
        return None

    def postposed(self, s: int, e: int, cue: lx.Cue, subject: Mention, first: int, before: int, end: int,
                  claims: list[Claim]) -> list[Claim]:
        """ "CONTENT, Konashenkov said." — or, after an earlier claim of the sentence, who passed it on."""
        p = self.p
        medium, _ = self.medium(e, end)
        earlier = [c for c in claims if c.cue is not None and first <= c.cue[0] < before and c.claimant is not None]
        if earlier:  # "X observed that ..., Fallon told the tabloid": Fallon and the tabloid passed X's claim on
            subject.used = True
            earlier[-1].reported_via.append((subject, "nested-attribution"))
            if medium is not None:
                medium.used = True
                earlier[-1].reported_via.append((medium, "medium"))
            return []
        spans = [_trim(p, first, before)]
        more = self.continues_after(e, end)
        if more is not None:
            spans.append(_trim(p, more, end))
        return self.joint(subject, spans, (s, e), cue, "postposed", medium)

    def inverted(self, s: int, e: int, cue: lx.Cue, first: int, end: int) -> list[Claim]:
        """ "CONTENT, said the Britain-based monitor." """
        p = self.p
        if s - 1 <= first or p.doc[s - 1].text != ",":
            return []
        k = e + (p.lower(e) in ("the", "a", "an"))
        claimant = self.by_start.get(k)
        if claimant is None or claimant.end < end - 1:
            return []
        return self.joint(claimant, [_trim(p, first, s - 1)], (s, e), cue, "inverted")

    def according_to(self, s: int, e: int, cue: lx.Cue, first: int, end: int) -> list[Claim]:
        """ "according to X, CONTENT" or "CONTENT, according to X". """
        p = self.p
        k = e + (p.lower(e) in ("the", "a", "an"))
        claimant = self.by_start.get(k)
        if claimant is None:
            return []
        # "according to Russian and Syrian officials": the last of the coordinated sources ends the subject
        while p.lower(claimant.end) == "and" and claimant.end + 1 + (p.lower(claimant.end + 1) in syntax.ARTICLES) \
                in self.by_start:
            claimant = self.by_start[claimant.end + 1 + (p.lower(claimant.end + 1) in syntax.ARTICLES)]
        if s - 1 > first and p.doc[s - 1].text == ",":
            return self.joint(claimant, [_trim(p, first, s - 1)], (s, e), cue, "according-to")
        comma = next((j for j in range(claimant.end, end) if p.doc[j].text == ","), None)
        if comma is None:
            return []
        return self.joint(claimant, [_trim(p, comma + 1, end)], (s, e), cue, "according-to")

    def joint(self, subject: Mention, spans: list[tuple[int, int]], cue_span: tuple[int, int], cue: lx.Cue,
              rule: str, medium: Mention | None = None) -> list[Claim]:
        """One claim for the sources of ``subject``: the first the claimant, the others co-claimants (R16); a
        group with its listed members (R30); and the medium it was told to (R17)."""
        claimant, others, members = syntax.sources(self.p, self.by_end, subject)
        c = self.claim(spans, cue_span, claimant, cue, rule)
        for m in others:
            m.used = True
            if not members:
                self.state_speaking(m)
            c.co_claimants.append((m, "group-members" if members else "co-claimant"))
        if medium is not None:
            medium.used = True
            c.reported_via.append((medium, "medium"))
        return [c]

    def claim(self, spans: list[tuple[int, int]], cue_span: tuple[int, int], claimant: Mention | None, cue: lx.Cue,
              rule: str, *, kind: str | None = None, claimant_rule: str | None = None) -> Claim:
        """A claim with its stance and certainty: the cue's, a neutral cue opening the content ("there's a
        talk that"), a belief of the claimant's ("they believed") or a hedge in the content."""
        p = self.p
        stance, certainty = cue.stance, cue.certainty
        start, end = spans[0]
        inner = self.cue_starts.get(start)
        if inner is not None and inner[2].stance == "neutral":  # "said there's a talk that ..."
            start = _trim(p, inner[1], end)[0]
            stance, certainty = "neutral", inner[2].certainty
        if p.lower(start) in _BELIEF_PRONOUNS and p.find("HEDGE:probable", start + 1, start + 2):
            start += 2  # "they believed four Russian cruise missiles ...": the claimant's own hedge
            certainty = "probable"
        spans = [(start, end), *spans[1:]]
        if certainty in ("certain", "unknown"):
            hedges = p.any_of("HEDGE:", start, min(end, start + 10))
            if hedges:
                certainty = hedges[0][0].split(":", 1)[1]
        if claimant is not None:
            claimant.used = True
            self.state_speaking(claimant)
            if claimant.unnamed:
                kind = "unnamed"
        return Claim([s for s in spans if s[1] > s[0]], cue_span, claimant, stance, certainty, rule,
                     claimant_rule or ("claimant-outlet" if claimant is None else f"claimant-{rule}"), kind)

    def state_speaking(self, m: Mention) -> None:
        """A country that speaks is its government (R21: "the US maintaining ..." -> USA_GOV)."""
        nat = next((n for n in lx.NATIONALITIES.values() if m.actor is not None and n.country == m.actor), None)
        if nat is not None and nat.government is not None:
            m.actor, m.rule = nat.government, "state-speaking"

    # -- claims referred to by a noun ------------------------------------------------------------------------

    def confirmed_reports(self, claims: list[Claim]) -> list[Claim]:
        """ "..., confirming a story first reported by CNN": CNN's claim, referred to by "a story", which the
        first claim supports; it is about what the first claim is about (R18, R31)."""
        p = self.p
        found = []
        for c in claims:
            k = c.content[-1][1]
            while k < len(p.doc) and (p.doc[k].text in _QUOTES or p.doc[k].is_space):
                k += 1
            if p.text(k) != "," or p.lower(k + 1) not in _CONFIRMING:
                continue
            cue = next(((s, e) for s, e, _ in self.cues if k + 1 < s <= k + 6), None)
            if cue is None or p.lower(cue[1]) != "by" or cue[1] + 1 not in self.by_start or cue[0] <= k + 2:
                continue
            source = self.by_start[cue[1] + 1]
            source.used = True
            report = Claim([(k + 2, cue[0])], cue, source, "affirm", "certain", "confirmed-report", "claimant-by",
                           about_spans=list(c.content))
            c.links.append(("supports", report, "confirmed-report"))
            found.append(report)
        return found

    def speech_act_claims(self) -> list[Claim]:
        """ "John Kerry made the announcement" (content "the announcement", cue "made", about the sentence
        before) and "the general staff gave its rundown of facilities ... destroyed" (content what the rundown
        is of, cue "gave its rundown") (R18, R31)."""
        p = self.p
        found = []
        for i in range(len(p.texts)):
            word = p.lower(i)
            if word not in lx.SPEECH_ACT_VERBS or p.lower(i + 1) not in _OBJECT_DETERMINERS \
                    or p.lower(i + 2) not in lx.SPEECH_ACT_NOUNS:
                continue
            subject = self.subject_before(i)
            if subject is None or subject.hidden:
                continue
            end = _sentence_end(p, i)
            if p.lower(i + 3) == "of":
                content = _trim(p, i + 4, self.content_end(i + 4, end))
                claim = self.claim([content], (i, i + 3), subject, lx.CUES[0], "speech-act-noun")
            else:
                claim = self.claim([(i + 1, i + 3)], (i, i + 1), subject, lx.CUES[0], "speech-act-noun")
                sent = p.sent_of[i]
                if sent > 0 and p.block_of[p.sents[sent - 1][0]] == p.block_of[i]:
                    claim.about_spans = [p.sents[sent - 1]]
            if claim.content:
                found.append(claim)
        return found

    # -- claims without a cue --------------------------------------------------------------------------------

    def headline(self) -> list[Claim]:
        """The headline's assertions, one per part between dashes ("Headlines that assert facts count too")."""
        p = self.p
        if not _is_headline(p):
            return []
        first, last = p.sents[0]
        if any(first <= s < last for s, _, _ in self.cues):
            return []
        parts, start = [], first
        for k in range(first, last + 1):
            if k == last or p.doc[k].text in _DASHES:
                parts.append((start, k))
                start = k + 1
        claims = []
        for s, e in parts:
            if p.lower(s) in ("and", "but"):
                s += 1
            s, e = _trim(p, s, e)
            if e - s >= _HEADLINE_PART:
                claims.append(Claim([(s, e)], None, None, "affirm", "certain", "headline", "claimant-outlet"))
        return claims

    def unsourced(self, events: list[Event], quantities: list[Quantity], skip: set[int]) -> list[Claim]:
        """Sentences without a cue that give a number about an event, and quotations without a cue: nothing
        identifies their speaker, so they are the outlet's (R20)."""
        p = self.p
        claims = []
        for k, (first, last) in enumerate(p.sents):
            if k in skip or any(first <= s < last for s, _, _ in self.cues):
                continue
            span = _trim(p, first, last)
            if span[1] - span[0] < 3:
                continue
            opening = next((i for i in range(first, last) if not p.doc[i].is_space), first)
            if p.doc[opening].text in _OPENING_QUOTES:
                claims.append(Claim([span], None, None, "affirm", "certain", "quote-without-cue", "claimant-outlet"))
            elif any(first <= q.start < last for q in quantities) and any(first <= ev.start < last for ev in events):
                claims.append(Claim([span], None, None, "affirm", "certain", "unsourced-number", "claimant-outlet"))
        return claims


def find_claims(p: Parsed, ont: Ontology, mentions: list[Mention], times: list[TimeExpr], events: list[Event],
                quantities: list[Quantity]) -> list[Claim]:
    """Every claim the rules propose, in text order of their content."""
    finder = _Finder(p, ont, mentions, times)
    claims: list[Claim] = []
    for s, e, cue in finder.cues:
        claims += [c for c in finder.from_cue(s, e, cue, claims) if c.content]
    claims += finder.confirmed_reports(claims)
    claims += finder.speech_act_claims()
    claims += finder.headline()
    # a sentence a later claim refers to by a noun ("Kerry made the announcement") is that claim's, not the
    # outlet's own assertion (R31)
    referred = {p.sent_of[s] for c in claims for s, _ in c.about_spans or ()}
    claims += finder.unsourced(events, quantities, referred | ({0} if _is_headline(p) else set()))
    return sorted(claims, key=lambda c: c.content[0])


def _is_headline(p: Parsed) -> bool:
    """The first sentence is a headline: a line without final punctuation."""
    if not p.sents:
        return False
    first, last = p.sents[0]
    words = [p.texts[k] for k in range(first, last) if not p.spaces[k] and p.texts[k] not in _QUOTES]
    return bool(words) and words[-1] not in (".", "!", "?")
