"""Rows of the ``quantities`` config: one row per number asserted in a document's gold annotation, with who
says it, about which event, by whom (pure functions).

"Who said how many" is one filter: each row carries the quantity (measurand, value or low/high, qualifier),
its event (global id, type, mode, realis, granularity, trigger, date and place), the event's acting ``actors``,
the ``claims`` that assert the number (claimant kind, actor, name, mention text, stance, certainty, cue) with
their claimant and co-claimant actors flattened into ``claimant_actors``, and the outlet (the document's source domain, URL
and reliability label).

``actors`` are the fillers of the roles in :data:`ACTING_ROLES` (``attacker``, ``agent``) of the quantity's
event. An event often has none of its own — "12 civilians died" is a ``DIE`` event whose attacker is on the
``ATTACK`` it points to with ``cause``, and one strike of a campaign may leave its attacker to the aggregate
it is ``part_of`` — so when the event has none they are taken from its ``cause`` event, then from its
``part_of`` event (recursively, each event once); ``actors_from_gid`` names the event they were taken from.
Without any, ``actors`` is an empty list and ``actors_from_gid`` null: the row is still there.

``incident_id`` will link rows about the same real-world incident across documents; it is null until the
corpus has incident grouping.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from counterclaim.hf.gids import gid, sentence_gid

if TYPE_CHECKING:
    from counterclaim.hf.rows import RowBuilder
    from counterclaim.hf.rows_sentences import DocumentContext

ACTING_ROLES = ("attacker", "agent")
# Where to look for actors when an event has none, in order.
INHERITED_FROM = ("cause", "part_of")


def _acting(ev: dict) -> list[dict]:
    return [arg for arg in ev["arguments"] if arg["role"] in ACTING_ROLES and arg.get("mention")]


def acting_event(ev: dict, events: dict[str, dict]) -> dict | None:
    """The event whose acting arguments stand for ``ev``'s: itself, else its ``cause``, else its ``part_of``
    (breadth first, each event once); None when no event in that chain has any."""
    queue, seen = [ev], set()
    while queue:
        current = queue.pop(0)
        if current["id"] in seen:
            continue
        seen.add(current["id"])
        if _acting(current):
            return current
        causes = [arg["event"] for arg in current["arguments"] if arg["role"] == "cause" and arg.get("event")]
        parents = [current["part_of"]] if current.get("part_of") else []
        queue += [events[e] for e in causes + parents if e in events]
    return None


def quantity_rows(builder: "RowBuilder", ctx: "DocumentContext", doc: dict, gold_ann: dict) -> Iterator[dict]:
    ont = builder.ont
    enc = builder._enc
    doc_id = doc["doc_id"]
    mentions = {m["id"]: m for m in gold_ann["mentions"]}
    events = {e["id"]: e for e in gold_ann["events"]}
    asserting: dict[str, list[dict]] = {}
    for c in gold_ann["claims"]:
        for qid in c["about"]["quantities"]:
            asserting.setdefault(qid, []).append(c)
    src = doc.get("source") or {}

    def actor_of(source: dict) -> str | None:
        mention = mentions.get(source.get("mention") or "")
        return source.get("actor") or (mention or {}).get("actor")

    def name_of(actor_id: str | None) -> str | None:
        actor = ont.actor_by_id.get(actor_id or "")
        return actor.name if actor else None

    for ev in gold_ann["events"]:
        source_event = acting_event(ev, events)
        actors = []
        for arg in _acting(source_event) if source_event else []:
            mention = mentions[arg["mention"]]
            actors.append({"role": enc("roles", arg["role"]), "mention_gid": gid(doc_id, mention["id"]),
                           "actor": mention.get("actor"), "actor_name": name_of(mention.get("actor")),
                           "actor_type": enc("actor_types", builder.actor_type(mention)),
                           "text": mention["span"]["text"]})
        time, place = ev.get("time") or {}, ev.get("place") or {}
        for q in ev["quantities"]:
            span = q.get("span") or {}
            k = ctx.sentence_of(q.get("span"))
            claims = []
            for c in asserting.get(q["id"], []):
                claimant = c["claimant"]
                mention = mentions.get(claimant.get("mention") or "")
                actor = actor_of(claimant) if claimant["kind"] != "outlet" else None
                claims.append({
                    "gid": gid(doc_id, c["id"]), "claimant_kind": enc("claimant_kinds", claimant["kind"]),
                    "claimant_actor": actor, "claimant_actor_name": name_of(actor),
                    "claimant_text": mention["span"]["text"] if mention else None,
                    "co_claimant_actors": [a for a in (actor_of(s) for s in c.get("co_claimants", [])) if a],
                    "reported_via_actors": [a for a in (actor_of(s) for s in c["reported_via"]) if a],
                    "stance": enc("stance", c["stance"]), "certainty": enc("certainty", c["certainty"]),
                    "cue": (c.get("cue") or {}).get("text"),
                })
            yield {
                "id": gid(doc_id, q["id"]), "doc_id": doc_id, "quantity_id": q["id"],
                "measurand": enc("measurands", q["measurand"]), "value": _float(q.get("value")),
                "low": _float(q.get("low")), "high": _float(q.get("high")),
                "qualifier": enc("qualifiers", q["qualifier"]),
                "start": span.get("start"), "end": span.get("end"), "text": span.get("text"), "note": q.get("note"),
                "sentence_gid": None if k is None else sentence_gid(doc_id, k),
                "context": None if k is None else ctx.text[ctx.sentences[k][0]:ctx.sentences[k][1]],
                "event_gid": gid(doc_id, ev["id"]), "event_type": enc("event_types", ev["type"]),
                "event_mode": enc("modes", ev.get("mode")), "event_realis": enc("realis", ev["realis"]),
                "event_granularity": enc("granularity", ev["granularity"]),
                "event_trigger": (ev.get("trigger") or {}).get("text"),
                "event_date_start": time.get("start"), "event_date_end": time.get("end"),
                "event_place": place.get("name") or (place.get("span") or {}).get("text"),
                "actors": actors, "actors_from_gid": gid(doc_id, source_event["id"]) if source_event else None,
                "claims": claims,
                "claimant_actors": sorted({a for c in claims for a in (c["claimant_actor"], *c["co_claimant_actors"])
                                           if a}),
                "asserted_by_outlet": any(a["claimant"]["kind"] == "outlet" for a in asserting.get(q["id"], [])),
                "source_domain": src.get("domain"), "source_url": src.get("url"),
                "source_reliability": src.get("reliability"), "incident_id": None,
            }


def _float(value) -> float | None:
    return None if value is None else float(value)
