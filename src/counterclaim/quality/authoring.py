"""Write annotations by quoting the text instead of counting offsets.

An authoring file (YAML) names spans by quotes; :func:`compile_document` resolves each quote to exact
code-point offsets in the corpus text and returns an annotated document in the schema format. Used for the
maintainers' gold annotations, the guidelines' examples and test fixtures. One authoring file holds one
annotation; several files of one document — two annotators' passes and the adjudicated gold, e.g.
``corpus/gold/X.yaml``, ``corpus/gold/second/X.yaml`` and ``corpus/gold/adjudicated/X.yaml`` — compile into one
annotated document with one annotation each (:func:`compile_files`).

A span is written as:

- ``"said"`` — the quote must occur exactly once in the text;
- ``{quote: "said", nth: 2}`` — its second occurrence;
- ``{quote: "said", after: "Mr Earnest"}`` — its first occurrence after the first occurrence of ``after``.

Example::

    doc_id: 17a8eb7dc5290d52
    annotation: {id: gold, annotator: maintainers}
    mentions:
      - {id: m1, span: Moscow today, actor: RUS_GOV}       # quotes may be longer than the span: see `span`
    events:
      - {id: e1, type: ATTACK, mode: aerial, trigger: {quote: hit, after: Moscow today}, granularity: aggregate,
         arguments: [{role: attacker, mention: m1}],
         quantities: [{id: q1, measurand: targets_struck, value: 1623, qualifier: exact, span: "1,623 jihadi"}]}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from counterclaim import __version__
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CorpusError, InputError, ValidationFailed
from counterclaim.model.ontology import Ontology
from counterclaim.model.defaults import DEFAULTS


class QuoteError(InputError):
    """A quote cannot be found, or is ambiguous, in the document text."""


class AnnotationIdClash(InputError):
    """Two authoring files of one document give their annotations the same id."""


class UnknownKey(InputError):
    """An authoring file names a key the compiler does not read (a typo, or a value that YAML split in two)."""


# The keys each object of an authoring file may have: any other is refused, so that nothing written is lost.
KEYS = {
    "file": {"doc_id", "annotation", "mentions", "events", "claims"},
    "annotation": {"id", "annotator", "created_at", "guidelines_version", "ground_truth", "corpus_version",
                   "schema_version"},
    "mention": {"id", "span", "actor", "type"},
    "event": {"id", "type", "mode", "trigger", "arguments", "realis", "granularity", "part_of", "time", "place",
              "quantities"},
    "argument": {"role", "mention", "event", "span"},
    "time": {"span", "start", "end", "precision"},
    "place": {"span", "name", "geonames_id", "precision"},
    "quantity": {"id", "measurand", "value", "low", "high", "qualifier", "span", "note"},
    "claim": {"id", "content", "cue", "claimant", "co_claimants", "reported_via", "about", "stance", "certainty",
              "links", "check_worthy"},
    "about": {"events", "quantities"},
    "span": {"quote", "nth", "after"},
}


def known_keys(raw: Any, kind: str, where: str) -> dict:
    """``raw`` if it is a mapping whose keys are all in ``KEYS[kind]``; otherwise an error naming the place."""
    if not isinstance(raw, dict):
        raise UnknownKey(f"{where}: a {kind} is a mapping of {', '.join(sorted(KEYS[kind]))}; got {raw!r}")
    unknown = sorted(str(k) for k in raw if k not in KEYS[kind])
    if unknown:
        hint = ("; a value holding ', ' inside {...} is split by YAML: quote it"
                if any(raw.get(k) is None for k in raw if k not in KEYS[kind]) else "")
        raise UnknownKey(f"{where}: unknown key(s) {', '.join(unknown)} in a {kind} (known: "
                         f"{', '.join(sorted(KEYS[kind]))}){hint}")
    return raw


def _checked(items: Any, kind: str, where: str) -> list[dict]:
    """A list of ``kind`` mappings, each checked by :func:`known_keys` (``where[i]`` names the one refused)."""
    if not isinstance(items, list):
        raise UnknownKey(f"{where}: a list of {kind}s; got {items!r}")
    return [known_keys(item, kind, f"{where}[{i}]") for i, item in enumerate(items)]


def locate(text: str, ref: Any, where: str) -> dict:
    """Resolve a quote reference to a span ``{start, end, text}``."""
    if isinstance(ref, str):
        quote, nth, after = ref, None, None
    elif isinstance(ref, dict) and isinstance(ref.get("quote"), str):
        known_keys(ref, "span", where)
        quote, nth, after = ref["quote"], ref.get("nth"), ref.get("after")
    else:
        raise QuoteError(f"{where}: a span is a quoted string or {{quote, nth | after}}; got {ref!r}")
    if not quote:
        raise QuoteError(f"{where}: empty quote")
    offset = 0
    if after is not None:
        anchor = text.find(after)
        if anchor < 0:
            raise QuoteError(f"{where}: `after` text {after!r} does not occur in the document")
        offset = anchor + len(after)
    positions = []
    pos = text.find(quote, offset)
    while pos >= 0:
        positions.append(pos)
        pos = text.find(quote, pos + 1)
    if not positions:
        raise QuoteError(f"{where}: {quote!r} does not occur in the document text" + (f" after {after!r}" if after else ""))
    if nth is not None:
        if not isinstance(nth, int) or not 1 <= nth <= len(positions):
            raise QuoteError(f"{where}: {quote!r} occurs {len(positions)} time(s); `nth` must be 1..{len(positions)}")
        start = positions[nth - 1]
    elif after is not None:
        start = positions[0]
    elif len(positions) > 1:
        raise QuoteError(
            f"{where}: {quote!r} occurs {len(positions)} times; add `nth` (1..{len(positions)}) or `after` to choose one"
        )
    else:
        start = positions[0]
    return {"start": start, "end": start + len(quote), "text": quote}


def _opt_span(text: str, ref: Any, where: str) -> dict | None:
    return None if ref is None else locate(text, ref, where)


def _argument(text: str, raw: dict, where: str) -> dict:
    known_keys(raw, "argument", where)
    arg = {"role": raw["role"]}
    for key in ("mention", "event"):
        if key in raw:
            arg[key] = raw[key]
    if "span" in raw:
        arg["span"] = locate(text, raw["span"], f"{where}.span")
    return arg


def _event(text: str, raw: dict, where: str) -> dict:
    known_keys(raw, "event", where)
    time = raw.get("time")
    place = raw.get("place")
    if time is not None:
        known_keys(time, "time", f"{where}.time")
    if place is not None:
        known_keys(place, "place", f"{where}.place")
    return {
        "id": raw["id"],
        "type": raw["type"],
        "mode": raw.get("mode"),
        "trigger": _opt_span(text, raw.get("trigger"), f"{where}.trigger"),
        "arguments": [_argument(text, a, f"{where}.arguments[{i}]") for i, a in enumerate(raw.get("arguments", []))],
        "realis": raw.get("realis", DEFAULTS["realis"]),
        "granularity": raw.get("granularity", DEFAULTS["granularity"]),
        "part_of": raw.get("part_of"),
        "time": None if time is None else {
            "span": _opt_span(text, time.get("span"), f"{where}.time.span"),
            "start": time.get("start"),
            "end": time.get("end"),
            "precision": time.get("precision", DEFAULTS["time_precision"]),
        },
        "place": None if place is None else {
            "span": _opt_span(text, place.get("span"), f"{where}.place.span"),
            "name": place.get("name"),
            "geonames_id": place.get("geonames_id"),
            "precision": place.get("precision", DEFAULTS["place_precision"]),
        },
        "quantities": [
            {
                "id": q["id"],
                "measurand": q["measurand"],
                "value": q.get("value"),
                "low": q.get("low"),
                "high": q.get("high"),
                "qualifier": q.get("qualifier", DEFAULTS["qualifier"]),
                "span": _opt_span(text, q.get("span"), f"{where}.quantities[{j}].span"),
                "note": q.get("note"),
            }
            for j, q in enumerate(_checked(raw.get("quantities", []), "quantity", f"{where}.quantities"))
        ],
    }


def _claim(text: str, raw: dict, where: str) -> dict:
    known_keys(raw, "claim", where)
    content = raw["content"]
    if not isinstance(content, list):
        content = [content]
    about = known_keys(raw.get("about") or {}, "about", f"{where}.about")
    claim = {
        "id": raw["id"],
        "content": [locate(text, c, f"{where}.content[{i}]") for i, c in enumerate(content)],
        "cue": _opt_span(text, raw.get("cue"), f"{where}.cue"),
        "claimant": raw.get("claimant", {"kind": "outlet"}),
        **({"co_claimants": list(raw["co_claimants"])} if raw.get("co_claimants") else {}),
        "reported_via": list(raw.get("reported_via", [])),
        "about": {"events": list(about.get("events", [])), "quantities": list(about.get("quantities", []))},
        "stance": raw.get("stance", DEFAULTS["stance"]),
        "certainty": raw.get("certainty", DEFAULTS["certainty"]),
        "links": list(raw.get("links", [])),
    }
    if "check_worthy" in raw:
        claim["check_worthy"] = raw["check_worthy"]
    return claim


def compile_annotation(text: str, raw: dict, *, schema_version: str, corpus_version: str, where: str) -> dict:
    """One annotation from its authoring form (mentions/events/claims written with quotes)."""
    known_keys(raw, "file", where)
    meta = known_keys(raw.get("annotation") or {}, "annotation", f"{where}.annotation")
    return {
        "id": meta.get("id", "gold"),
        "provenance": {
            "annotator": meta.get("annotator", "maintainers"),
            "origin": "manual",
            "tool": {"name": "counterclaim", "version": __version__},
            "created_at": meta.get("created_at"),
            "updated_at": None,
            "lead_time": None,
            "schema_version": schema_version,
            "corpus_version": corpus_version,
            "guidelines_version": meta.get("guidelines_version"),
        },
        "cancelled": False,
        "ground_truth": bool(meta.get("ground_truth", True)),
        "mentions": [
            {
                "id": m["id"],
                "span": locate(text, m["span"], f"{where}.mentions[{i}].span"),
                "actor": m.get("actor"),
                "type": m.get("type"),
            }
            for i, m in enumerate(_checked(raw.get("mentions", []), "mention", f"{where}.mentions"))
        ],
        "events": [_event(text, e, f"{where}.events[{i}]") for i, e in enumerate(raw.get("events", []))],
        "claims": [_claim(text, c, f"{where}.claims[{i}]") for i, c in enumerate(raw.get("claims", []))],
    }


def compile_document(raw: dict, document: dict, *, schema_version: str, corpus_version: str, where: str) -> dict:
    """An annotated document from an authoring mapping and its corpus document (``doc_id``, ``text``...).

    ``annotation.corpus_version`` and ``annotation.schema_version`` in the mapping record the corpus and
    schema versions the annotation was made against (its provenance); without them the current ones are used.
    The document itself always follows the current ``schema_version``.
    """
    text = document["text"]
    meta = raw.get("annotation") or {}
    corpus_version = meta.get("corpus_version", corpus_version)
    made_under = str(meta.get("schema_version", schema_version))
    return {
        "schema_version": schema_version,
        "doc_id": document["doc_id"],
        "corpus_version": corpus_version,
        "text": text,
        "text_sha256": document["text_sha256"],
        "annotations": [compile_annotation(text, raw, schema_version=made_under,
                                           corpus_version=corpus_version, where=where)],
    }


def load_authoring(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or "doc_id" not in data:
        raise InputError(f"{path}: an authoring file is a mapping with at least `doc_id`")
    return data


def compile_file(path: str | Path, ont: Ontology, corpus: BuiltCorpus, *, documents: dict[str, dict] | None = None
                 ) -> dict:
    """Compile one authoring file against the corpus and validate the result; raise ``ValidationFailed`` with
    every problem if it is invalid. ``documents`` (the corpus by id) saves reading the corpus again."""
    from counterclaim.validation import Problem, document_problems

    path = Path(path)
    docs = corpus.by_id() if documents is None else documents
    raw = load_authoring(path)
    if raw["doc_id"] not in docs:
        raise CorpusError(f"{path}: document `{raw['doc_id']}` is not in {corpus.corpus_dir}; check the id or add "
                          "the document")
    compiled = compile_document(raw, docs[raw["doc_id"]], schema_version=ont.version,
                                corpus_version=corpus.version, where=str(path))
    index = {raw["doc_id"]: docs[raw["doc_id"]]["text_sha256"]}
    problems = [Problem(str(path), ptr, msg) for ptr, msg in document_problems(compiled, ont, index)]
    if problems:
        raise ValidationFailed(problems)
    return compiled


def compile_files(paths: Iterable[str | Path], ont: Ontology, corpus: BuiltCorpus) -> list[tuple[list[Path], dict]]:
    """Compile authoring files into annotated documents, one per ``doc_id``: the files of one document give one
    document with one annotation each, ordered by annotation id (so the result does not depend on the order
    the files are given); the document's ``corpus_version`` is the first file's. Returns ``(files, document)``
    in the order the documents first appear.

    Every file is compiled and validated before anything is returned: ``ValidationFailed`` carries the problems
    of every invalid file; ``AnnotationIdClash`` names two files of one document whose annotations share an id.
    """
    documents = corpus.by_id()
    grouped: dict[str, tuple[list[Path], list[dict]]] = {}
    problems = []
    for name in paths:
        path = Path(name)
        try:
            compiled = compile_file(path, ont, corpus, documents=documents)
        except ValidationFailed as exc:
            problems += exc.problems
            continue
        files, docs = grouped.setdefault(compiled["doc_id"], ([], []))
        for earlier, doc in zip(files, docs):
            if doc["annotations"][0]["id"] == compiled["annotations"][0]["id"]:
                raise AnnotationIdClash(
                    f"{path}: annotation id `{compiled['annotations'][0]['id']}` of document `{compiled['doc_id']}` "
                    f"is already used by {earlier}; give each authoring file of one document its own id "
                    "(`annotation: {id: ...}`)")
        files.append(path)
        docs.append(compiled)
    if problems:
        raise ValidationFailed(problems)
    out = []
    for files, docs in grouped.values():
        annotations = sorted((doc["annotations"][0] for doc in docs), key=lambda ann: ann["id"])
        out.append((files, {**docs[0], "annotations": annotations}))
    return out
