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
- *relative*: "targets, which officials said were destroyed" — content ``which`` + the rest;
- *nested*: "X observed that CONTENT, Fallon told the tabloid" — one claim by X, Fallon ``reported_via``;
- *coordinated*: "SOHR and the LCC said" — one claim per source, the later supporting the first; a list
  after "including" belongs to its head ("seven countries including the United States ... said").

The content runs to the end of the sentence, without the complementiser "that", quotation marks and final
punctuation; it stops before a comma that starts the outlet's own clause (", after ...", ", confirming ..."),
a relative clause with its own cue, a postposed attribution, or an unpaired dash. A report the claim confirms
("confirming a story first reported by CNN") is a claim of its own that the confirming claim supports.

Unsourced claims (claimant kind ``outlet``) are proposed where the guidelines ask for them and the text shows
it: the headline, split at its dashes ("Headlines that assert facts count too"); a sentence without a cue
that gives a number about an event ("a number ... the outlet asserts without a source"); "amid claims ...",
reported without committing (stance ``neutral``, certainty ``unknown``); and a quotation without a cue, whose
claimant is its first-person pronoun when it has one ("Our planes ...") and otherwise the outlet.

Stance and certainty come from the cue; a hedge in the content ("appears", "should", "may") lowers the
certainty, and a leading "they believed" is the claimant's own hedge, dropped from the content.
"""

from __future__ import annotations

from counterclaim.preannotate import lexicon as lx
from counterclaim.preannotate import syntax
from counterclaim.preannotate.model import Claim, Event, Mention, Quantity, TimeExpr
from counterclaim.preannotate.pipeline import Parsed

_QUOTES = syntax.QUOTES
_OPENING_QUOTES = frozenset(("“", "‘", '"'))
_DASHES = frozenset(("–", "—"))
_TRAILING_PUNCT = frozenset((".", ",", ";", ":", "!", "?", *_DASHES))
_NOT_IN_SUBJECT = frozenset((
    "that", "which", "who", "and", "or", "but", "to", "of", "in", "on", "for", "with", "by", "from", "at", "as",
    "it", "they", "he", "she", "we", "not", "no", "were", "was",
))
_RELATIVES = frozenset(("which", "who", "that"))
_AFTER_POSTPOSED = 4  # tokens after a postposed cue before the sentence ends ("told the tabloid")
_BELIEF_PRONOUNS = ("they", "it", "he", "she", "we", "i")
_JOB_LENGTH = 6  # tokens of a job description before a name
_HEADLINE_PART = 3  # tokens a part of a headline needs to be a claim
_FIRST_PERSON = ("we", "our", "i", "us")
_CONFIRMING = ("confirming", "corroborating")
_PAIRS = {"“": "”", "‘": "’", '"': '"'}


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
        while start < end and (p.spaces[start] or texts[start] == ":" or p.lower(start) in lx.COMPLEMENTISERS):
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

    def __init__(self, p: Parsed, mentions: list[Mention], times: list[TimeExpr]):
        self.p = p
        self.mentions = mentions
        self.by_end = {m.end: m for m in mentions}
        self.by_start = {m.start: m for m in mentions}
        self.in_time = {i for t in times for i in range(t.start, t.end)}
        self.cues: list[tuple[int, int, lx.Cue]] = []
        taken: set[int] = set()
        matches = [(s, e, int(key.split(":")[1])) for key in p.keys_with("CUE:") for s, e in p.matches[key]]
        for s, e, k in sorted(matches, key=lambda m: (m[0] - m[1], m[0])):
            if taken.isdisjoint(range(s, e)):
                taken.update(range(s, e))
                self.cues.append((s, e, lx.CUES[k]))
        self.cues.sort(key=lambda c: c[0])
        self.cue_starts = {s: (s, e, cue) for s, e, cue in self.cues}

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

    def role_subject(self, i: int) -> Mention | None:
        """An unlisted speaker described by a role noun right before the cue ("a Putin ally and senior
        lawmaker said"): a new person mention."""
        p = self.p
        k = syntax.subject_end(p, i, self.in_time) - 1
        if p.lower(k) not in lx.PERSON_ROLE_NOUNS:
            return None
        first, _ = p.sentence(k)
        start = k
        while start - 1 >= max(first, k - _JOB_LENGTH) and p.doc[start - 1].is_alpha \
                and p.lower(start - 1) not in syntax.ARTICLES and p.lower(start - 1) not in _NOT_IN_SUBJECT - {"and"}:
            start -= 1
        m = Mention(start, k + 1, None, "person", "role-subject", weak=True)
        self.mentions.append(m)
        self.by_end[m.end] = m
        self.by_start.setdefault(m.start, m)
        return m

    def conjuncts(self, m: Mention) -> list[Mention]:
        return syntax.conjuncts(self.p, self.by_end, m)

    def follows_cue(self, i: int) -> bool:
        """Token ``i`` comes right after another cue (or its "that")."""
        k = i - (self.p.lower(i - 1) in lx.COMPLEMENTISERS)
        return any(ce == k for _, ce, _ in self.cues)

    def subject_start(self, m: Mention) -> int:
        """Where the subject phrase of ``m`` starts: with its coordination, a job description before it
        ("Syrian Army Chief of Staff Gen Ali Abdullah Ayoub") and its article."""
        p = self.p
        start = self.conjuncts(m)[0].start
        first, _ = p.sentence(start)
        k = start - 1
        while k >= max(first, start - _JOB_LENGTH) and (p.lower(k) in lx.JOB_WORDS or p.doc[k].is_title) \
                and p.lower(k - 1) not in lx.LOCATIVE_PREPOSITIONS:  # not "in Syria" before "White House spokesman"
            k -= 1
        if k + 1 < start and p.lower(start - 1) in lx.JOB_WORDS:
            start = k + 1
        if p.lower(start - 1) in syntax.ARTICLES:
            start -= 1
        return start

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
            return [self.claim([_trim(p, e, self.content_end(e, end))], (s + 1, e), None, cue, "amid-claims")]
        if p.lower(s) == "according":
            return self.according_to(s, e, cue, first, end)
        subject = self.subject_before(s) or self.role_subject(s)
        if subject is None:
            return self.inverted(s, e, cue, first, end)
        if subject.weak and cue.certainty == "probable" and self.follows_cue(subject.start):
            return []  # "US officials said they believed ...": the belief is the first claim's hedge
        subject_start = self.subject_start(subject)
        before = subject_start - 1
        after_clause = before > first and (p.doc[before].text == "," or p.doc[before].text in _QUOTES)
        if after_clause and (e + _AFTER_POSTPOSED >= end or self.continues_after(e, end) is not None):
            return self.postposed(s, e, cue, subject, first, before, end, claims)
        if p.lower(before) in _RELATIVES and p.text(before - 1) == ",":
            rest = _trim(p, e, self.content_end(e, end))
            return self.for_each(subject, [(before, before + 1), rest], (s, e), cue, "relative")
        content = _trim(p, e, self.content_end(e, end))
        if content[1] - content[0] < 2:
            return []
        return self.for_each(subject, [content], (s, e), cue, "preposed")

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
        earlier = [c for c in claims if c.cue is not None and first <= c.cue[0] < before and c.claimant is not None]
        if earlier:  # "X observed that ..., Fallon told the tabloid": Fallon passed X's claim on
            subject.used = True
            earlier[-1].reported_via.append((subject, "nested-attribution"))
            return []
        spans = [_trim(p, first, before)]
        more = self.continues_after(e, end)
        if more is not None:
            spans.append(_trim(p, more, end))
        return self.for_each(subject, spans, (s, e), cue, "postposed")

    def inverted(self, s: int, e: int, cue: lx.Cue, first: int, end: int) -> list[Claim]:
        """ "CONTENT, said the Britain-based monitor." """
        p = self.p
        if s - 1 <= first or p.doc[s - 1].text != ",":
            return []
        k = e + (p.lower(e) in ("the", "a", "an"))
        claimant = self.by_start.get(k)
        if claimant is None or claimant.end < end - 1:
            return []
        return self.for_each(claimant, [_trim(p, first, s - 1)], (s, e), cue, "inverted")

    def according_to(self, s: int, e: int, cue: lx.Cue, first: int, end: int) -> list[Claim]:
        """ "according to X, CONTENT" or "CONTENT, according to X". """
        p = self.p
        k = e + (p.lower(e) in ("the", "a", "an"))
        claimant = self.by_start.get(k)
        if claimant is None:
            return []
        if s - 1 > first and p.doc[s - 1].text == ",":
            return self.for_each(claimant, [_trim(p, first, s - 1)], (s, e), cue, "according-to")
        comma = next((j for j in range(claimant.end, end) if p.doc[j].text == ","), None)
        if comma is None:
            return []
        return self.for_each(claimant, [_trim(p, comma + 1, end)], (s, e), cue, "according-to")

    def for_each(self, subject: Mention, spans: list[tuple[int, int]], cue_span: tuple[int, int], cue: lx.Cue,
                 rule: str) -> list[Claim]:
        """One claim per coordinated claimant, each later one supporting the first."""
        claims = [self.claim(spans, cue_span, m, cue, rule) for m in self.conjuncts(subject)]
        for later in claims[1:]:
            later.links.append(("supports", claims[0], "coordinated-claimants"))
        return claims

    def claim(self, spans: list[tuple[int, int]], cue_span: tuple[int, int], claimant: Mention | None, cue: lx.Cue,
              rule: str) -> Claim:
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
        return Claim([s for s in spans if s[1] > s[0]], cue_span, claimant, stance, certainty, rule,
                     "claimant-outlet" if claimant is None else f"claimant-{rule}")

    def state_speaking(self, m: Mention) -> None:
        """A country that speaks is its government (the guidelines: "a capital or state speaking or deciding is
        its government"): "the US maintaining ..." -> USA_GOV."""
        nat = next((n for n in lx.NATIONALITIES.values() if m.actor is not None and n.country == m.actor), None)
        if nat is not None and nat.government is not None:
            m.actor, m.rule = nat.government, "state-speaking"

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
        """Sentences without a cue that give a number about an event, and quotations without a cue."""
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
                speaker = next((m for m in self.mentions if first <= m.start < last and m.weak
                                and p.lower(m.start) in _FIRST_PERSON), None)
                if speaker is not None:
                    speaker.used = True
                claims.append(Claim([span], None, speaker, "affirm", "certain", "quote-without-cue",
                                    "claimant-first-person" if speaker else "claimant-outlet"))
            elif any(first <= q.start < last for q in quantities) and any(first <= ev.start < last for ev in events):
                claims.append(Claim([span], None, None, "affirm", "certain", "unsourced-number", "claimant-outlet"))
        return claims

    def confirmed_reports(self, claims: list[Claim]) -> list[Claim]:
        """ "..., confirming a story first reported by CNN": CNN's report is a claim the first one supports."""
        p = self.p
        found = []
        for c in claims:
            k = c.content[-1][1]
            while k < len(p.doc) and (p.doc[k].text in _QUOTES or p.doc[k].is_space):
                k += 1
            if p.text(k) != "," or p.lower(k + 1) not in _CONFIRMING:
                continue
            cue = next(((s, e) for s, e, _ in self.cues if k + 1 < s <= k + 6), None)
            if cue is None or p.lower(cue[1]) != "by" or cue[1] + 1 not in self.by_start:
                continue
            source = self.by_start[cue[1] + 1]
            source.used = True
            report = Claim(list(c.content), cue, source, "affirm", "certain", "confirmed-report", "claimant-by")
            c.links.append(("supports", report, "confirmed-report"))
            found.append(report)
        return found


def find_claims(p: Parsed, mentions: list[Mention], times: list[TimeExpr], events: list[Event],
                quantities: list[Quantity]) -> list[Claim]:
    """Every claim the rules propose, in text order of their content."""
    finder = _Finder(p, mentions, times)
    claims: list[Claim] = []
    for s, e, cue in finder.cues:
        claims += [c for c in finder.from_cue(s, e, cue, claims) if c.content]
    claims += finder.confirmed_reports(claims)
    claims += finder.headline()
    claims += finder.unsourced(events, quantities, {0} if _is_headline(p) else set())
    return sorted(claims, key=lambda c: c.content[0])


def _is_headline(p: Parsed) -> bool:
    """The first sentence is a headline: a line without final punctuation."""
    if not p.sents:
        return False
    first, last = p.sents[0]
    words = [p.texts[k] for k in range(first, last) if not p.spaces[k] and p.texts[k] not in _QUOTES]
    return bool(words) and words[-1] not in (".", "!", "?")
