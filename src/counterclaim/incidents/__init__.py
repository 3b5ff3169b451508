"""Incidents across documents: events that different articles report, grouped by a stated rule with a
confidence per member, and every claim about an incident side by side (who said how many, blaming whom).

``reports`` turns one annotated document into event reports, ``rule`` groups reports into incidents,
``views`` lays out the claims of an incident, ``project`` reads a project's corpus and annotations."""

from counterclaim.incidents.project import choose_annotation, incidents_of, project_annotations, project_incidents
from counterclaim.incidents.reports import DocumentAnnotation, Report, event_reports
from counterclaim.incidents.rule import Incident, Link, Member, find_incidents, incident_id, link, rule_text
from counterclaim.incidents.views import claim_records, contested, format_number, select, summary

__all__ = [
    "DocumentAnnotation", "Incident", "Link", "Member", "Report", "choose_annotation", "claim_records", "contested",
    "event_reports", "find_incidents", "format_number", "incident_id", "incidents_of", "link", "project_annotations",
    "project_incidents", "rule_text", "select", "summary",
]
