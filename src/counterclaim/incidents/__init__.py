"""Incidents across documents: events that different articles report, grouped by a stated rule with a
confidence per member, and every claim about an incident side by side (who said how many, blaming whom).

``reports`` turns one annotated document into event reports, ``rule`` groups reports into incidents,
``views`` lays out the claims of an incident, ``project`` reads a project's corpus and annotations."""

from counterclaim.incidents.project import (GOLD, SILVER, SOURCES, gold_annotation, incidents_of, project_annotations,
                                            project_incidents, silver_annotation)
from counterclaim.incidents.reports import DocumentAnnotation, Report, event_reports
from counterclaim.incidents.rule import Incident, Link, Member, find_incidents, incident_id, link, rule_text
from counterclaim.incidents.views import claim_records, contested, event_incidents, format_number, select, summary

__all__ = [
    "DocumentAnnotation", "GOLD", "Incident", "Link", "Member", "Report", "SILVER", "SOURCES", "claim_records",
    "contested", "event_incidents", "event_reports", "find_incidents", "format_number", "gold_annotation",
    "incident_id", "incidents_of", "link", "project_annotations", "project_incidents", "rule_text", "select",
    "silver_annotation", "summary",
]
