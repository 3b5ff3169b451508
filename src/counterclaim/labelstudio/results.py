"""Turn a schema annotation into Label Studio results: the inverse of :mod:`counterclaim.labelstudio.convert`.

Region ids are the schema ids (mentions, events, quantities, claims), so pushing and pulling back gives the
same ids. Regions that have no id of their own get one derived from their owner (``e1_time``,
``c1_cue``, ``c1_2``, ``e1_arg0``). Everything is emitted in the document's order, which is the order the
converter reads back. Objects Label Studio cannot show (an event without a trigger, a quantity without a
span, a claimant given only as a registry actor) raise :class:`NotRepresentable`.

The same results serve as predictions: given ``scores`` (region id -> confidence in [0, 1]), each span region
carries its ``score``, which Label Studio shows beside the region. A region without a score of its own (a
claim's cue, an event's time or span argument) takes its owner's.
"""

from __future__ import annotations

from typing import Mapping

from counterclaim.errors import CounterclaimError
from counterclaim.model.ontology import Ontology
from counterclaim.labelstudio.config import LABELS_NAME, TEXT_NAME, UNNAMED, UNSOURCED, mode_control_name


class NotRepresentable(CounterclaimError):
    """An annotation uses something Label Studio regions and relations cannot express."""


class _Emitter:
    def __init__(self, text: str, where: str, scores: Mapping[str, float] | None, origin: str):
        self.text = text
        self.where = where
        self.scores = scores
        self.origin = origin
        self.results: list[dict] = []
        self.relations: list[dict] = []

    def _value(self, span: dict) -> dict:
        return {"start": span["start"], "end": span["end"]}

    def region(self, rid: str, kind: str, span: dict | None, what: str, owner: str | None = None) -> None:
        if span is None:
            raise NotRepresentable(f"{self.where}: {what} has no span, so it cannot be shown in Label Studio")
        value = {**self._value(span), "text": self.text[span["start"]:span["end"]], "labels": [kind]}
        result = {"id": rid, "from_name": LABELS_NAME, "to_name": TEXT_NAME, "type": "labels", "value": value,
                  "origin": self.origin}
        if self.scores is not None:
            score = self.scores.get(rid, self.scores.get(owner) if owner else None)
            if score is not None:
                result["score"] = round(float(score), 4)
        self.results.append(result)

    def attr(self, rid: str, span: dict, name: str, rtype: str, key: str, value) -> None:
        if value is None:
            return
        self.results.append({"id": rid, "from_name": name, "to_name": TEXT_NAME, "type": rtype,
                             "value": {**self._value(span), key: value}, "origin": self.origin})

    def textarea(self, rid: str, span: dict, name: str, value: str | None) -> None:
        self.attr(rid, span, name, "textarea", "text", None if value is None else [value])

    def choice(self, rid: str, span: dict, name: str, value: str | None) -> None:
        self.attr(rid, span, name, "choices", "choices", None if value is None else [value])

    def relate(self, head: str, tail: str, label: str) -> None:
        self.relations.append({"from_id": head, "to_id": tail, "type": "relation", "direction": "right",
                               "labels": [label]})


def annotation_to_results(text: str, ann: dict, ont: Ontology, where: str = "annotation",
                          scores: Mapping[str, float] | None = None, origin: str = "manual") -> list[dict]:
    """The Label Studio ``result`` list for one schema annotation (for a prediction: with ``scores`` and
    ``origin="prediction"``)."""
    em = _Emitter(text, where, scores, origin)
    for m in ann["mentions"]:
        em.region(m["id"], "ACTOR", m["span"], f"mention {m['id']}")
        if m.get("actor"):
            em.attr(m["id"], m["span"], "actor", "taxonomy", "taxonomy", [[ont.actor_by_id[m["actor"]].type, m["actor"]]])
        em.choice(m["id"], m["span"], "actor_type", m.get("type"))

    for ev in ann["events"]:
        eid, trig = ev["id"], ev["trigger"]
        em.region(eid, "EVENT", trig, f"event {eid}")
        em.choice(eid, trig, "event_type", ev["type"])
        em.choice(eid, trig, mode_control_name(ev["type"]), ev.get("mode"))
        em.choice(eid, trig, "realis", ev["realis"])
        em.choice(eid, trig, "granularity", ev["granularity"])
        for j, arg in enumerate(ev["arguments"]):
            if "span" in arg:
                rid = f"{eid}_arg{j}"
                em.region(rid, "ARGUMENT", arg["span"], f"argument {j} of {eid}", owner=eid)
                em.relate(eid, rid, arg["role"])
            else:
                em.relate(eid, arg.get("mention") or arg["event"], arg["role"])
        for q in ev["quantities"]:
            qid, qspan = q["id"], q["span"]
            em.region(qid, "QUANTITY", qspan, f"quantity {qid}")
            em.choice(qid, qspan, "measurand", q["measurand"])
            em.choice(qid, qspan, "qualifier", q["qualifier"])
            for key in ("value", "low", "high"):
                em.attr(qid, qspan, key, "number", "number", q.get(key))
            em.textarea(qid, qspan, "quantity_note", q.get("note"))
            em.relate(eid, qid, "quantity")
        time = ev.get("time")
        if time is not None:
            rid = f"{eid}_time"
            em.region(rid, "TIME", time.get("span"), f"time of {eid}", owner=eid)
            em.choice(rid, time["span"], "time_precision", time["precision"])
            em.attr(rid, time["span"], "time_start", "datetime", "datetime", time.get("start"))
            em.attr(rid, time["span"], "time_end", "datetime", "datetime", time.get("end"))
            em.relate(eid, rid, "time")
        place = ev.get("place")
        if place is not None:
            rid = f"{eid}_place"
            em.region(rid, "PLACE", place.get("span"), f"place of {eid}", owner=eid)
            em.choice(rid, place["span"], "place_precision", place["precision"])
            em.textarea(rid, place["span"], "place_name", place.get("name"))
            em.attr(rid, place["span"], "geonames_id", "number", "number", place.get("geonames_id"))
            em.relate(eid, rid, "place")
        if ev.get("part_of"):
            em.relate(eid, ev["part_of"], "part_of")

    for c in ann["claims"]:
        cid, head = c["id"], c["content"][0]
        em.region(cid, "CLAIM", head, f"claim {cid}")
        em.choice(cid, head, "stance", c["stance"])
        em.choice(cid, head, "certainty", c["certainty"])
        if c.get("check_worthy") is not None:
            em.choice(cid, head, "check_worthy", "yes" if c["check_worthy"] else "no")
        for k, span in enumerate(c["content"][1:], start=2):
            rid = f"{cid}_{k}"
            em.region(rid, "CLAIM", span, f"content span {k} of {cid}", owner=cid)
            em.relate(cid, rid, "continues")
        if c.get("cue") is not None:
            em.region(f"{cid}_cue", "CUE", c["cue"], f"cue of {cid}", owner=cid)
            em.relate(cid, f"{cid}_cue", "cue")
        claimant = c["claimant"]
        if claimant["kind"] == "outlet":
            em.choice(cid, head, "claimant_kind", UNSOURCED)
        elif claimant["kind"] == "unnamed":
            em.choice(cid, head, "claimant_kind", UNNAMED)
            if claimant.get("mention"):
                em.relate(cid, claimant["mention"], "claimant")
        elif claimant.get("mention"):
            em.relate(cid, claimant["mention"], "claimant")
        else:
            raise NotRepresentable(f"{where}: claim {cid} names its claimant only as actor "
                                   f"{claimant.get('actor')}; Label Studio needs a mention to link")
        for src in c.get("co_claimants", []):
            if not src.get("mention"):
                raise NotRepresentable(f"{where}: claim {cid} has a co-claimant without a mention")
            em.relate(cid, src["mention"], "claimant")
        for src in c["reported_via"]:
            if not src.get("mention"):
                raise NotRepresentable(f"{where}: claim {cid} has a `reported_via` source without a mention")
            em.relate(cid, src["mention"], "reported_via")
        for target in c["about"]["events"] + c["about"]["quantities"]:
            em.relate(cid, target, "about")
        for link in c["links"]:
            em.relate(cid, link["claim"], link["type"])
    return em.results + em.relations
