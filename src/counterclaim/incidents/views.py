"""Incidents as plain records: every claim about an incident side by side, names resolved from the registries.

:func:`claim_records` is what both the ``incidents`` dataset config and ``counterclaim incidents show`` are
made of: one record per (incident, claim) — claimant, outlet and its affiliation, the numbers asserted,
the culprits named, the article's credibility label and whether the annotation is gold or silver. A member
event that no claim asserts gives one record with ``claim_id`` null: the event as its article reports it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Iterable

from counterclaim.corpus.places import governorate
from counterclaim.incidents.reports import ClaimReport
from counterclaim.incidents.rule import Incident, places_compatible
from counterclaim.model.ontology import Ontology


def _merge(a: ClaimReport, b: ClaimReport) -> ClaimReport:
    """One claim seen from two member events of one document: the union of its numbers and culprits."""
    return replace(a, numbers=tuple(dict.fromkeys(a.numbers + b.numbers)),
                   culprits=tuple(dict.fromkeys(a.culprits + b.culprits)))


def claim_records(incident: Incident, ont: Ontology) -> list[dict[str, Any]]:
    """One record per (incident, claim), in member order (document id, then event id)."""
    records: dict[tuple[str, str], dict[str, Any]] = {}
    claims: dict[tuple[str, str], ClaimReport] = {}
    for member in incident.members:
        r = member.report
        for claim in r.claims:
            key = (r.doc_id, claim.claim_id or f"#{r.event_id}")
            if key in claims:
                claims[key] = _merge(claims[key], claim)
                continue
            claims[key] = claim
            records[key] = {"member": member}
    out = []
    for key, record in records.items():
        member, claim = record["member"], claims[key]
        r = member.report
        outlet = ont.outlet_by_id.get(r.source.get("outlet") or "")
        claimant = ont.actor_by_id.get(claim.claimant_actor or "")
        if claim.claimant_kind == "outlet":
            claimant_name = outlet.name if outlet else (r.source.get("domain") or "the outlet")
        else:
            claimant_name = claimant.name if claimant else claim.claimant_text
        out.append({
            "incident_id": incident.id, "incident_type": incident.type, "incident_documents": len(incident.documents),
            "confidence": member.confidence, "doc_id": r.doc_id, "event_id": r.event_id,
            "date_start": r.first_day.isoformat(), "date_end": r.last_day.isoformat(), "date_basis": r.date_basis,
            "place": r.place, "governorates": sorted(r.governorates),
            "outlet": r.source.get("outlet") or r.source.get("domain"),
            "outlet_name": outlet.name if outlet else None,
            "outlet_country": outlet.country if outlet else None,
            "outlet_affiliation": outlet.affiliation if outlet else None,
            "outlet_side": outlet.side if outlet else None,
            "credibility": r.source.get("credibility"), "credibility_by": r.source.get("credibility_by"),
            "annotation": r.status, "annotation_id": r.annotation_id,
            "claim_id": claim.claim_id, "content": claim.content, "cue": claim.cue,
            "claimant_kind": claim.claimant_kind, "claimant_actor": claim.claimant_actor,
            "claimant_name": claimant_name, "claimant_text": claim.claimant_text,
            "stance": claim.stance, "certainty": claim.certainty,
            "numbers": [{"quantity_id": n.quantity_id, "event_id": n.event_id, "measurand": n.measurand,
                         "value": n.value, "low": n.low, "high": n.high, "qualifier": n.qualifier, "text": n.text}
                        for n in claim.numbers],
            "culprits": [{"event_id": c.event_id, "actor": c.actor,
                          "name": ont.actor_by_id[c.actor].name if c.actor in ont.actor_by_id else None,
                          "text": c.text} for c in claim.culprits],
        })
    return out


def event_incidents(incidents: Iterable[Incident]) -> dict[tuple[str, str], str]:
    """``(doc_id, event_id) -> incident id`` for every event an incident's members stand for: the member events and
    the deaths and injuries they caused. An event in two incidents (a death caused by two attacks) keeps the
    first, in the order of ``incidents`` (by first day, then id)."""
    out: dict[tuple[str, str], str] = {}
    for incident in incidents:
        for member in incident.members:
            r = member.report
            for event_id in r.events or (r.event_id,):
                out.setdefault((r.doc_id, event_id), incident.id)
    return out


def contested(records: Iterable[dict[str, Any]]) -> list[str]:
    """The measurands given more than one distinct number (value, low, high, qualifier) by the records."""
    seen: dict[str, set] = {}
    for record in records:
        for n in record["numbers"]:
            seen.setdefault(n["measurand"], set()).add((n["value"], n["low"], n["high"], n["qualifier"]))
    return sorted(m for m, numbers in seen.items() if len(numbers) > 1)


def summary(incident: Incident, ont: Ontology) -> dict[str, Any]:
    """What ``counterclaim incidents list`` shows of one incident."""
    records = claim_records(incident, ont)
    return {
        "incident_id": incident.id, "type": incident.type,
        "first_day": incident.first_day.isoformat(), "last_day": incident.last_day.isoformat(),
        "places": incident.places, "governorates": incident.governorates, "documents": incident.documents,
        "outlets": sorted({r["outlet"] for r in records if r["outlet"]}),
        "claims": sum(1 for r in records if r["claim_id"]),
        "contested": contested(records),
        "confidence": min(m.confidence for m in incident.members),
    }


def select(incidents: Iterable[Incident], *, type: str | None = None, date: dt.date | None = None,
           place: str | None = None) -> list[Incident]:
    """The incidents of ``type`` whose days include ``date`` and whose place or governorate fits ``place``
    (a governorate spelling, or words of a place name)."""
    wanted_governorate = governorate(place) if place else None
    out = []
    for inc in incidents:
        if type is not None and inc.type != type:
            continue
        if date is not None and not inc.first_day <= date <= inc.last_day:
            continue
        if place is not None and not (wanted_governorate in inc.governorates
                                      or any(places_compatible(place, p) for p in inc.places)):
            continue
        out.append(inc)
    return out


# qualifier -> how a number reads
_NUMBER_FORMS = {
    "exact": "{value}", "about": "about {value}", "at_least": "at least {value}", "more_than": "more than {value}",
    "up_to": "up to {value}", "less_than": "less than {value}", "range": "{low}–{high}",
}


def _n(value: float | None) -> str:
    return "?" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def format_number(n: dict[str, Any]) -> str:
    """A number of :func:`claim_records` as it reads: ``killed: at least 213``; a vague amount shows its
    words and bounds: ``killed: “dozens” (≥24)``."""
    if n["qualifier"] == "vague":
        bounds = (f"{_n(n['low'])}–{_n(n['high'])}" if n["high"] is not None
                  else f"≥{_n(n['low'])}" if n["low"] is not None else "")
        shown = (f"“{n['text']}”" + (f" ({bounds})" if bounds else "")) if n["text"] else (bounds or "?")
    elif n["value"] is None and n["qualifier"] != "range":
        shown = f"{_n(n['low'])}–{_n(n['high'])}"
    else:
        shown = _NUMBER_FORMS[n["qualifier"]].format(value=_n(n["value"]), low=_n(n["low"]), high=_n(n["high"]))
    return f"{n['measurand']}: {shown}"
