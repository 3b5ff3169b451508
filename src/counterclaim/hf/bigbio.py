"""The ``bigbio_kb`` config: each gold-annotated document in BigBio's knowledge-base schema, and BigBio's checks.

The features are BigBio's ``kb`` schema exactly (:func:`counterclaim.hf.research_features.bigbio_kb_features`),
so BigBio's tooling runs on the rows unchanged. How counterclaim's annotations map onto it:

- ``id`` and ``document_id``: the ``doc_id``. Every other id is global (``<doc_id>:<local id>``); ids made up
  for objects that have no local id contain ``#``, which local ids never do, so no two ids collide.
- ``passages``: the headline (``<doc_id>:#title``, type ``title``) and the body (``<doc_id>:#body``, type
  ``body``). BigBio rebuilds a document's text by joining its passages with one space; the body passage
  therefore starts at the second newline of the blank line after the headline, so that text is exactly
  ``text`` with the first newline replaced by a space, and every offset is an offset into ``text``.
  A document without that layout is one ``document`` passage.
- ``entities``: actor mentions (type: the actor type; ``normalized``: the registry actor as
  ``counterclaim-actors`` and its Wikidata id as ``wikidata``), and the spans that events and claims point to:
  quantities (type ``quantity:<measurand>``), times (``time``), places (``place``, with a ``geonames`` id when
  known), span arguments (``argument``), claims (``claim``, one ``[start, end]`` pair per content span) and
  cues (``cue``).
- ``events``: type, trigger (empty lists without a trigger), and ``arguments`` ``{role, ref_id}``: the
  ontology roles (a mention, another event or a span), and ``time``, ``place``, ``quantity``, ``part_of``
  (the aggregate event) and ``asserted_by`` (each claim asserting the event — BigBio relations link entities
  only, so this link lives on the event).
- ``relations``: from a claim entity to its ``claimant`` and ``reported_via`` mentions (an outlet-asserted
  claim has no claimant relation), its ``cue``, each ``about_quantity``, and the claims it ``supports`` or
  ``contests``.
- ``coreferences``: the mentions of each registry actor mentioned twice or more.

What the kb schema has no field for (realis, mode, granularity, stance, certainty, claimant kind, dates) stays
in the ``events``, ``claims`` and ``quantities`` configs, joinable by the same global ids.

:func:`kb_problems` runs BigBio's own dataset checks (tests/test_bigbio.py in bigscience-workshop/biomedical:
passage and entity/trigger offsets against the passages' text, ids, references, no multi-label types), which
BigBio only warns about; counterclaim's tests fail on any.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

from counterclaim.hf.gids import gid
from counterclaim.model.ontology import Ontology

if TYPE_CHECKING:
    from counterclaim.hf.rows_sentences import DocumentContext

REGISTRY_DB = "counterclaim-actors"
WIKIDATA_DB = "wikidata"
GEONAMES_DB = "geonames"
_CONNECTORS = re.compile(r"\+|,|\||;")  # BigBio warns about types and db ids joined by these


def _entity(entity_id: str, etype: str, spans: Iterable[dict], normalized: list[dict] | None = None) -> dict:
    spans = list(spans)
    return {"id": entity_id, "type": etype, "text": [s["text"] for s in spans],
            "offsets": [[s["start"], s["end"]] for s in spans], "normalized": normalized or []}


def passages(doc_id: str, text: str, title: str | None) -> list[dict]:
    """The headline and the body, or the whole text (see the module docstring)."""
    if title and text.startswith(title + "\n\n"):
        body_start = len(title) + 1
        out = [{"id": f"{doc_id}:#title", "type": "title", "text": [title], "offsets": [[0, len(title)]]}]
        if text[body_start:].strip():
            out.append({"id": f"{doc_id}:#body", "type": "body", "text": [text[body_start:]],
                        "offsets": [[body_start, len(text)]]})
        return out
    return [{"id": f"{doc_id}:#document", "type": "document", "text": [text], "offsets": [[0, len(text)]]}]


def bigbio_row(ont: Ontology, ctx: "DocumentContext", doc: dict, gold_ann: dict) -> dict:
    doc_id = doc["doc_id"]

    def g(local: str) -> str:
        return gid(doc_id, local)

    entities: list[dict] = []
    by_actor: dict[str, list[str]] = defaultdict(list)
    for m in gold_ann["mentions"]:
        actor = ont.actor_by_id.get(m.get("actor") or "")
        normalized = []
        if actor is not None:
            normalized.append({"db_name": REGISTRY_DB, "db_id": actor.id})
            by_actor[actor.id].append(g(m["id"]))
            if actor.qid:
                normalized.append({"db_name": WIKIDATA_DB, "db_id": actor.qid})
        entities.append(_entity(g(m["id"]), actor.type if actor else m.get("type"), [m["span"]], normalized))

    asserted_by: dict[str, list[str]] = defaultdict(list)
    for c in gold_ann["claims"]:
        for eid in c["about"]["events"]:
            asserted_by[eid].append(g(c["id"]))

    events = []
    for ev in gold_ann["events"]:
        arguments = []
        for i, arg in enumerate(ev["arguments"]):
            if arg.get("mention"):
                ref = g(arg["mention"])
            elif arg.get("event"):
                ref = g(arg["event"])
            else:
                ref = f"{g(ev['id'])}#argument{i}"
                entities.append(_entity(ref, "argument", [arg["span"]]))
            arguments.append({"role": arg["role"], "ref_id": ref})
        for part in ("time", "place"):
            value = ev.get(part)
            if value and value.get("span"):
                ref = f"{g(ev['id'])}#{part}"
                geonames = value.get("geonames_id") if part == "place" else None
                normalized = [{"db_name": GEONAMES_DB, "db_id": str(geonames)}] if geonames is not None else []
                entities.append(_entity(ref, part, [value["span"]], normalized))
                arguments.append({"role": part, "ref_id": ref})
        for q in ev["quantities"]:
            if q.get("span"):
                entities.append(_entity(g(q["id"]), f"quantity:{q['measurand']}", [q["span"]]))
                arguments.append({"role": "quantity", "ref_id": g(q["id"])})
        if ev.get("part_of"):
            arguments.append({"role": "part_of", "ref_id": g(ev["part_of"])})
        arguments += [{"role": "asserted_by", "ref_id": claim} for claim in asserted_by.get(ev["id"], [])]
        trigger = ev.get("trigger")
        events.append({"id": g(ev["id"]), "type": ev["type"],
                       "trigger": {"text": [trigger["text"]] if trigger else [],
                                   "offsets": [[trigger["start"], trigger["end"]]] if trigger else []},
                       "arguments": arguments})

    relations: list[dict] = []

    def relate(rtype: str, arg1: str, arg2: str) -> None:
        relations.append({"id": f"{doc_id}:r#{len(relations) + 1}", "type": rtype, "arg1_id": arg1,
                          "arg2_id": arg2, "normalized": []})

    quantity_ids = {q["id"] for e in gold_ann["events"] for q in e["quantities"] if q.get("span")}
    for c in gold_ann["claims"]:
        claim = g(c["id"])
        entities.append(_entity(claim, "claim", c["content"]))
        if c.get("cue"):
            entities.append(_entity(f"{claim}#cue", "cue", [c["cue"]]))
            relate("cue", claim, f"{claim}#cue")
        if c["claimant"].get("mention"):
            relate("claimant", claim, g(c["claimant"]["mention"]))
        for source in c["reported_via"]:
            if source.get("mention"):
                relate("reported_via", claim, g(source["mention"]))
        for qid in c["about"]["quantities"]:
            if qid in quantity_ids:
                relate("about_quantity", claim, g(qid))
        for link in c["links"]:
            relate(link["type"], claim, g(link["claim"]))

    coreferences = [{"id": f"{doc_id}:coref#{actor}", "entity_ids": ids}
                    for actor, ids in sorted(by_actor.items()) if len(ids) > 1]
    return {"id": doc_id, "document_id": doc_id, "passages": passages(doc_id, doc["text"], doc.get("title")),
            "entities": entities, "events": events, "coreferences": coreferences, "relations": relations}


# -- BigBio's checks ------------------------------------------------------------------------------------------


def example_text(row: dict) -> str:
    """The text BigBio rebuilds from the passages (joined by one space)."""
    return " ".join(t for p in row["passages"] for t in p["text"])


def _ids(value: Any) -> Iterable[str]:
    """Every value under an ``id`` key, at any depth (what BigBio's uniqueness check walks)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(sub, (dict, list)):
                yield from _ids(sub)
            elif key == "id":
                yield sub
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def kb_problems(row: dict, text: str | None = None, seen_ids: set[str] | None = None) -> list[str]:
    """Every violation of BigBio's kb checks in one row (empty: the row passes), each naming the object.

    ``text``: the document text, to check that offsets are document offsets too. ``seen_ids``: ids of the rows
    checked before (ids must be unique across a split; the set is updated)."""
    problems: list[str] = []
    joined = example_text(row)
    where = row.get("id")
    seen = seen_ids if seen_ids is not None else set()
    for value in _ids(row):
        if value in seen:
            problems.append(f"{where}: id {value!r} is not unique")
        seen.add(value)

    def check_spans(what: str, texts: list[str], offsets: list[list[int]]) -> None:
        if len(texts) != len(offsets):
            problems.append(f"{where}: {what} has {len(texts)} texts for {len(offsets)} offsets")
        for i, pair in enumerate(offsets):
            if len(pair) != 2:
                problems.append(f"{where}: {what} offset {pair} is not a [start, end] pair")
                continue
            start, end = pair
            covered = texts[i] if i < len(texts) else ""
            if joined[start:end] != covered:
                problems.append(f"{where}: {what} text {covered!r} != passages' text at {start}:{end} "
                                f"{joined[start:end]!r}")
            if text is not None and text[start:end] != covered:
                problems.append(f"{where}: {what} text {covered!r} != document text at {start}:{end}")

    for p in row["passages"]:
        if len(p["text"]) != 1 or len(p["offsets"]) != 1:
            problems.append(f"{where}: passage {p['id']} must have exactly one text and one offset pair")
        check_spans(f"passage {p['id']}", p["text"], p["offsets"])
    for e in row["entities"]:
        check_spans(f"entity {e['id']}", e["text"], e["offsets"])
        for norm in e["normalized"]:
            if _CONNECTORS.search(norm["db_id"] or ""):
                problems.append(f"{where}: entity {e['id']} db_id {norm['db_id']!r} joins several ids")
    for ev in row["events"]:
        check_spans(f"event {ev['id']} trigger", ev["trigger"]["text"], ev["trigger"]["offsets"])
    for part in ("passages", "entities", "relations", "events"):
        for item in row[part]:
            if _CONNECTORS.search(item["type"] or ""):
                problems.append(f"{where}: {part} {item['id']} type {item['type']!r} holds several labels")

    entity_ids = {e["id"] for e in row["entities"]}
    event_ids = {e["id"] for e in row["events"]}
    for ev in row["events"]:
        for arg in ev["arguments"]:
            if arg["ref_id"] not in entity_ids | event_ids:
                problems.append(f"{where}: event {ev['id']} argument {arg['role']} -> {arg['ref_id']} resolves to "
                                "no entity or event")
    for rel in row["relations"]:
        for key in ("arg1_id", "arg2_id"):
            if rel[key] not in entity_ids:
                problems.append(f"{where}: relation {rel['id']} {key} {rel[key]} resolves to no entity")
    for coref in row["coreferences"]:
        for entity_id in coref["entity_ids"]:
            if entity_id not in entity_ids:
                problems.append(f"{where}: coreference {coref['id']} entity {entity_id} resolves to no entity")
    return problems
