"""The links of an annotation, and how two annotations' links are matched: by the overlap of their endpoints.

A link joins a **source** object — an event (its trigger) or a claim (all of its content spans) — to a
**target**: an argument's filler, a claimant, a co-claimant, a source it was reported via, a cue, an asserted
event or quantity, another claim. Each link is written as its label (the role, the claimant kind, the link
type…), the source's spans and the target's spans; a target without a span (the outlet as claimant, an
unnamed source, an actor given without a mention) is written as a key instead.

Two links of two annotations match

- **by overlap** when their labels are equal, their sources share at least one character and their targets
  share at least one character (span-less targets: equal keys). One-to-one, greedy: candidate pairs are taken
  by the most shared characters (sources and targets together), then the smallest union, then list order;
- **exactly** when their labels, source spans and target spans (or keys) are equal.

Links are matched directly, not within matched events or claims: a link of claim *c* in one annotation matches
a link in the other when their source objects overlap and their targets overlap, so one boundary difference —
of the claim, or of a claim it contests — does not lose its links, and a link whose source has no counterpart
at all counts as a miss. The unlabelled variant ignores the label (e.g. the same filler in another role).

Pure functions over annotations in the schema format; no I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable, Sequence

Span = tuple[int, int]


@dataclass(frozen=True)
class Link:
    """One link: its label, the spans of its source object, and its target's spans (or key, when span-less)."""

    label: str
    source: tuple[Span, ...]
    target: tuple[Span, ...]
    key: str | None = None

    @property
    def length(self) -> int:
        return _length(self.source) + _length(self.target)


def _length(spans: tuple[Span, ...]) -> int:
    return sum(end - start for start, end in spans)


def shared(x: tuple[Span, ...], y: tuple[Span, ...]) -> int:
    """Characters two span sets share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in x for s2, e2 in y)


def endpoints_shared(x: Link, y: Link) -> int | None:
    """Characters the two links' sources and targets share together when both endpoints overlap, else None."""
    source = shared(x.source, y.source)
    if source <= 0:
        return None
    if x.target and y.target:
        target = shared(x.target, y.target)
        return source + target if target > 0 else None
    if not x.target and not y.target and x.key == y.key:
        return source
    return None


def match_links(a: Sequence[Link], b: Sequence[Link], *, exact: bool, labelled: bool = True
                ) -> list[tuple[int, int]]:
    """One-to-one matching of ``a`` and ``b`` as sorted ``(index in a, index in b)`` pairs (see the module doc)."""
    if exact:
        def identity(link: Link) -> tuple:
            return (link.label if labelled else None, link.source, link.target, link.key)

        return equal_pairs(a, b, identity)
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if labelled and x.label != y.label:
                continue
            common = endpoints_shared(x, y)
            if common is not None:
                candidates.append((-common, x.length + y.length - common, i, j))
    return one_to_one(candidates)


def equal_pairs(a: Sequence, b: Sequence, identity: Callable[[Any], Hashable]) -> list[tuple[int, int]]:
    """One-to-one matching of items with the same ``identity``, each item of ``a`` taking the first unmatched
    item of ``b``, as ``(index in a, index in b)`` pairs in the order of ``a``."""
    pool: dict[Hashable, deque[int]] = defaultdict(deque)
    for j, item in enumerate(b):
        pool[identity(item)].append(j)
    pairs = []
    for i, item in enumerate(a):
        waiting = pool.get(identity(item))
        if waiting:
            pairs.append((i, waiting.popleft()))
    return pairs


def one_to_one(candidates: list[tuple]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: ``candidates`` are ``(*sort key, i, j)``; taken best key first, a pair is kept
    when neither ``i`` nor ``j`` is matched yet. The kept ``(i, j)`` pairs, sorted."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for *_, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs)


# -- the links of an annotation -------------------------------------------------------------------------------


def span_of(span: dict | None) -> tuple[Span, ...] | None:
    """A span as the matchers compare it: ``((start, end),)``, or None without one."""
    return None if span is None else ((span["start"], span["end"]),)


def content_spans(claim: dict) -> tuple[Span, ...]:
    """A claim's content spans, sorted, each once."""
    return tuple(sorted({(s["start"], s["end"]) for s in claim["content"]}))


def spans_by_id(ann: dict) -> dict[str, tuple[Span, ...] | None]:
    """The spans of every mention, event (its trigger), quantity and claim (its content) of ``ann``, by id."""
    spans: dict[str, tuple[Span, ...] | None] = {}
    for m in ann["mentions"]:
        spans[m["id"]] = span_of(m["span"])
    for ev in ann["events"]:
        spans[ev["id"]] = span_of(ev.get("trigger"))
        for q in ev["quantities"]:
            spans[q["id"]] = span_of(q.get("span"))
    for c in ann["claims"]:
        spans[c["id"]] = content_spans(c)
    return spans


class _Targets:
    """Resolves the ids of one annotation to spans; counts the references it cannot resolve."""

    def __init__(self, ann: dict, skipped: Counter):
        self.skipped = skipped
        self.spans = spans_by_id(ann)

    def of(self, ref: str) -> tuple[Span, ...] | None:
        spans = self.spans.get(ref)
        if spans is None:
            self.skipped["links_to_objects_without_span"] += 1
        return spans

    def source(self, label: str, source: dict) -> tuple[str, tuple[Span, ...], str | None] | None:
        """A claimant, co-claimant or medium: its mention's span, else its actor as a key."""
        if source.get("mention"):
            spans = self.of(source["mention"])
            return None if spans is None else (label, spans, None)
        return label, (), source.get("actor") or ""


_Extract = Callable[[dict, _Targets], Iterable[tuple[str, tuple[Span, ...], str | None] | None]]


def _arguments(ev: dict, t: _Targets):
    for arg in ev["arguments"]:
        if "span" in arg:
            yield arg["role"], span_of(arg["span"]), None
        else:
            spans = t.of(arg.get("mention") or arg["event"])
            yield None if spans is None else (arg["role"], spans, None)


def _claimant(c: dict, t: _Targets):
    claimant = c["claimant"]
    if claimant.get("mention"):
        yield t.source(claimant["kind"], claimant)
    else:  # the outlet, an unnamed source without a mention, an actor without a mention
        yield claimant["kind"], (), claimant.get("actor") or claimant["kind"]


def _co_claimants(c: dict, t: _Targets):
    for source in c.get("co_claimants", []):
        yield t.source("co_claimant", source)


def _reported_via(c: dict, t: _Targets):
    for source in c["reported_via"]:
        yield t.source("SOURCE", source)


def _cue(c: dict, t: _Targets):
    if c.get("cue") is not None:
        yield "CUE", span_of(c["cue"]), None


def _about(kind: str, label: str) -> _Extract:
    def extract(c: dict, t: _Targets):
        for ref in c["about"][kind]:
            spans = t.of(ref)
            yield None if spans is None else (label, spans, None)
    return extract


def _claim_links(c: dict, t: _Targets):
    for link in c["links"]:
        yield link["type"], t.of(link["claim"]), None


@dataclass(frozen=True)
class LinkKind:
    """A kind of link: its name, the label of its total row, whether it has per-label rows, its source layer."""

    name: str
    total_label: str
    by_label: bool
    source: str  # event | claim
    extract: _Extract


LINK_KINDS: tuple[LinkKind, ...] = (
    LinkKind("arguments", "ARGUMENT", True, "event", _arguments),  # label: the role
    LinkKind("claimant", "CLAIMANT", True, "claim", _claimant),  # label: the claimant kind
    LinkKind("co_claimants", "CO_CLAIMANT", False, "claim", _co_claimants),
    LinkKind("reported_via", "SOURCE", False, "claim", _reported_via),
    LinkKind("cue", "CUE", False, "claim", _cue),
    LinkKind("about_events", "EVENT", False, "claim", _about("events", "EVENT")),
    LinkKind("about_quantities", "QUANTITY", False, "claim", _about("quantities", "QUANTITY")),
    LinkKind("supports_contests", "LINK", True, "claim", _claim_links),  # label: supports / contests
)


def annotation_links(ann: dict, skipped: Counter) -> dict[str, list[Link]]:
    """Every link of ``ann`` by kind (:data:`LINK_KINDS`). Links of events without a trigger, and links to an
    object without a span, cannot be matched: they are left out and counted in ``skipped``."""
    targets, uncounted = _Targets(ann, skipped), _Targets(ann, Counter())
    sources = {"event": [(ev, span_of(ev.get("trigger"))) for ev in ann["events"]],
               "claim": [(c, content_spans(c)) for c in ann["claims"]]}
    out: dict[str, list[Link]] = {}
    for kind in LINK_KINDS:
        links = []
        for obj, source in sources[kind.source]:
            if source is None:
                skipped["links_of_events_without_trigger"] += sum(1 for _ in kind.extract(obj, uncounted))
                continue
            links += [Link(label, source, spans, key) for label, spans, key in filter(None, kind.extract(obj, targets))]
        out[kind.name] = links
    return out
