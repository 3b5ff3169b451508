"""``counterclaim incidents list`` and ``counterclaim incidents show``: incidents across documents, and the
contested numbers of one incident side by side."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from counterclaim.cli.options import json_option, project_option
from counterclaim.errors import InputError, ValidationFailed
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import default_ontology
from counterclaim.incidents.views import format_number

def _culprits(record: dict[str, Any]) -> str:
    return "; ".join(c["name"] or c["text"] for c in record["culprits"]) or "—"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    return ["  ".join(f"{cell:<{w}}" for cell, w in zip(cells, widths)).rstrip() for cells in (header, *rows)]


silver_option = click.option("--silver", is_flag=True, help="Group the silver (machine) annotations of every "
                             "document instead of the gold ones (corpus/silver/, `counterclaim silver build`).")


def _load(project: str | None, silver: bool = False):
    from counterclaim.incidents import GOLD, SILVER, project_incidents

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    try:
        return ont, project_incidents(layout, ont, SILVER if silver else GOLD)
    except ValidationFailed as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        raise click.ClickException(f"{len(exc.problems)} validation error(s) in the annotations; fix them "
                                   "(`counterclaim validate corpus/annotations` shows them)") from None


@click.group()
def incidents() -> None:
    """Incidents across documents: the same event reported by several articles, grouped by a stated rule.

    Two events are one incident when they have the same type, overlapping dates (their own, else the
    article's), compatible places (their own, else the article's governorate) and overlapping actors other
    than the culprit; each member has a confidence. The rule is stated in full in the dataset card and in
    counterclaim.incidents.rule. Annotations: each document's gold annotation; with --silver, each document's
    silver (machine) annotation instead — never some of each.
    """


@incidents.command("list")
@click.option("--type", "event_type", help="Only incidents of this event type (e.g. ATTACK).")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only incidents whose days include this "
              "date (YYYY-MM-DD).")
@click.option("--place", help="Only incidents in this governorate (e.g. Damascus) or place (e.g. Ghouta).")
@silver_option
@json_option
@project_option
def list_incidents(event_type: str | None, date: dt.datetime | None, place: str | None, silver: bool, as_json: bool,
                   project: str | None) -> None:
    """List the incidents: id, type, days, places, documents, outlets and the measurands given several numbers.

    \b
    Examples:
      counterclaim incidents list
      counterclaim incidents list --type ATTACK --date 2013-08-21 --place Damascus
      counterclaim incidents list --place Ghouta --json
      counterclaim incidents list --silver --type ATTACK --place Idlib
    """
    from counterclaim.incidents import select, summary

    ont, found = _load(project, silver)
    event_type = event_type.upper() if event_type else None
    if event_type is not None and event_type not in ont.event_type_by_id:
        raise InputError(f"unknown event type {event_type!r}; use one of {', '.join(ont.event_type_by_id)}")
    chosen = [summary(inc, ont) for inc in select(found, type=event_type, date=date.date() if date else None,
                                                        place=place)]
    if as_json:
        click.echo(jsonio.dumps(chosen, indent=2))
        return
    if not chosen:
        click.echo(f"no incident{' matches' if (event_type or date or place) else ' yet'} "
                   f"({len(found)} incident(s) across the annotated documents)")
        return
    rows = [(s["incident_id"], s["type"],
             s["first_day"] if s["first_day"] == s["last_day"] else f"{s['first_day']}..{s['last_day']}",
             ", ".join(s["places"] + [g for g in s["governorates"] if g not in s["places"]]) or "—",
             str(len(s["documents"])), ", ".join(s["outlets"]), ", ".join(s["contested"]) or "—",
             f"{s['confidence']:.2f}") for s in chosen]
    for line in _table(("incident", "type", "days", "places", "docs", "outlets", "contested", "min conf."), rows):
        click.echo(line)


@incidents.command("show")
@click.argument("incident_id")
@silver_option
@json_option
@project_option
def show(incident_id: str, silver: bool, as_json: bool, project: str | None) -> None:
    """Every claim about one incident, outlet by outlet: who said how many, and whom they blamed.

    One line per claim (and per member event that no claim asserts): the outlet and its side, FA-KES's
    credibility label of the article, the claimant, the stance, the numbers asserted and the culprits named,
    the document and whether its annotation is gold or silver.

    \b
    Examples:
      counterclaim incidents show inc-c2bd860867fe
      counterclaim incidents show inc-c2bd860867fe --json | jq '.claims[] | {outlet, claimant_name, numbers}'
      counterclaim incidents show --silver inc-bb3e7b689b3c
    """
    from counterclaim.incidents import claim_records, summary

    ont, found = _load(project, silver)
    incident = next((inc for inc in found if inc.id == incident_id), None)
    if incident is None:
        raise InputError(f"no incident {incident_id!r} among {len(found)} incident(s); "
                         f"`counterclaim incidents list{' --silver' if silver else ''}` shows their ids")
    head, records = summary(incident, ont), claim_records(incident, ont)
    if as_json:
        click.echo(jsonio.dumps({"incident": head, "claims": records}, indent=2))
        return
    days = head["first_day"] if head["first_day"] == head["last_day"] else f"{head['first_day']}..{head['last_day']}"
    where = ", ".join(head["places"] + head["governorates"]) or "place unknown"
    click.echo(f"{incident.id}: {incident.type} on {days} at {where} — {len(head['documents'])} documents, "
               f"{head['claims']} claims; contested: {', '.join(head['contested']) or 'nothing'}")
    rows = []
    for r in records:
        side = f" ({r['outlet_side']})" if r["outlet_side"] else ""
        claimant = r["claimant_name"] or "—"
        rows.append((f"{r['outlet_name'] or r['outlet'] or '—'}{side}", r["credibility"] or "—",
                     claimant if r["claim_id"] else "(no claim)", r["stance"] or "—",
                     "; ".join(format_number(n) for n in r["numbers"]) or "—", _culprits(r),
                     f"{r['doc_id']}#{r['claim_id'] or r['event_id']}", r["annotation"], f"{r['confidence']:.2f}"))
    for line in _table(("outlet", "FA-KES label", "claimant", "stance", "numbers", "culprits", "document",
                        "annotation", "conf."), rows):
        click.echo(line)
