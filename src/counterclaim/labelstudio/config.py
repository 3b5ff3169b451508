"""Generate the Label Studio labeling config from the ontology (never maintained by hand).

Region kinds are span labels of one ``<Labels>`` control on a ``<Text>`` object (never HyperText: its offsets
depend on the DOM). Each kind has per-region controls shown only when a region of that kind is selected.
Relations carry the structure Label Studio cannot nest: one relation label per event role, plus the links
that join a claim's parts and an event's time, place and quantities. The converter in
:mod:`counterclaim.labelstudio.convert` reads exactly these names; both take them from the tables below.

Layout: two columns. The span labels (kept in view while the text scrolls) and the text on the left; on the
right, a column that stays in view beside the text and shows the fields of the selected region, each under a
header naming it. An event's mode is one control per event type (``mode_ATTACK``...), shown only once that
type is chosen, so the list offers the modes of that type alone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from counterclaim.model.ontology import Ontology, Term

CONFIG_FILE = "labelstudio.xml"  # the generated config, in guidelines/

TEXT_NAME = "text"
LABELS_NAME = "label"


@dataclass(frozen=True)
class RegionKind:
    label: str
    color: str
    hint: str


# Span labels, in the order annotators see them.
REGION_KINDS: tuple[RegionKind, ...] = (
    RegionKind("ACTOR", "#1f77b4", "A mention of an actor: pick the canonical actor (or a type if unlisted)."),
    RegionKind("EVENT", "#d62728", "An event trigger: the word(s) that express the event; set type, mode, realis."),
    RegionKind("ARGUMENT", "#8c564b", "A non-actor argument (a target such as 'a market'); link it from the EVENT."),
    RegionKind("QUANTITY", "#ff7f0e", "A number about an event; link it from the EVENT with `quantity`."),
    RegionKind("TIME", "#17becf", "A time expression of an event; link it from the EVENT with `time`."),
    RegionKind("PLACE", "#2ca02c", "A place of an event; link it from the EVENT with `place`."),
    RegionKind("CLAIM", "#9467bd", "The content of a claim; link claimant, cue, events and quantities from it."),
    RegionKind("CUE", "#e377c2", "The reporting verb or phrase of a claim (said, insists); link it from the CLAIM."),
)
KIND_BY_LABEL = {k.label: k for k in REGION_KINDS}

# Relations that are not event roles: (label, from kind, to kinds, meaning)
STRUCTURAL_RELATIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("quantity", "EVENT", ("QUANTITY",), "a number about the event"),
    ("time", "EVENT", ("TIME",), "when the event happened"),
    ("place", "EVENT", ("PLACE",), "where the event happened"),
    ("part_of", "EVENT", ("EVENT",), "this single event belongs to that aggregate event"),
    ("claimant", "CLAIM", ("ACTOR",), "who makes the claim"),
    ("reported_via", "CLAIM", ("ACTOR",), "a source the claim passed through (nearest first)"),
    ("cue", "CLAIM", ("CUE",), "the reporting verb or phrase"),
    ("continues", "CLAIM", ("CLAIM",), "a further content span of the same claim"),
    ("about", "CLAIM", ("EVENT", "QUANTITY"), "an event or number the claim asserts"),
    ("supports", "CLAIM", ("CLAIM",), "this claim supports that claim"),
    ("contests", "CLAIM", ("CLAIM",), "this claim contests that claim"),
)
UNSOURCED = "unsourced"  # the CLAIM control's value that marks the outlet as claimant
UNNAMED = "unnamed source"  # ... and the one that marks an unidentified source (its mention linked, if any)
CLAIMANT_KIND_OF_CHOICE = {UNSOURCED: "outlet", UNNAMED: "unnamed"}


@dataclass(frozen=True)
class PerRegionControl:
    """A per-region control: its name in results, tag, region kind, and the ontology set it offers.

    None is marked ``required``: Label Studio then demands the field on every region, whatever its kind,
    so annotators could not submit. Missing values are reported when annotations are pulled instead.
    """

    name: str
    tag: str  # Choices | Taxonomy | Number | TextArea | DateTime
    kind: str
    title: str
    terms: str | None = None  # Ontology attribute holding the closed set
    values: tuple[tuple[str, str], ...] = ()  # fixed (value, hint) choices when not an ontology set
    per_event_type: bool = False  # one control per event type (see :func:`mode_controls`)


PER_REGION: tuple[PerRegionControl, ...] = (
    PerRegionControl("actor", "Taxonomy", "ACTOR", "Canonical actor (search by name)"),
    PerRegionControl("actor_type", "Choices", "ACTOR", "Actor type (only when the actor is not in the list)", "actor_types"),
    PerRegionControl("event_type", "Choices", "EVENT", "Event type", "event_types"),
    PerRegionControl("mode", "Choices", "EVENT", "Mode (must fit the type)", "modes", per_event_type=True),
    PerRegionControl("realis", "Choices", "EVENT", "Realis", "realis"),
    PerRegionControl("granularity", "Choices", "EVENT", "Single incident or aggregate", "granularity"),
    PerRegionControl("measurand", "Choices", "QUANTITY", "What is counted", "measurands"),
    PerRegionControl("qualifier", "Choices", "QUANTITY", "Qualifier", "qualifiers"),
    PerRegionControl("value", "Number", "QUANTITY", "Value"),
    PerRegionControl("low", "Number", "QUANTITY", "Low (for ranges and bounds)"),
    PerRegionControl("high", "Number", "QUANTITY", "High (for ranges and bounds)"),
    PerRegionControl("quantity_note", "TextArea", "QUANTITY", "Note"),
    PerRegionControl("time_precision", "Choices", "TIME", "Time precision", "time_precision"),
    PerRegionControl("time_start", "DateTime", "TIME", "Resolved start"),
    PerRegionControl("time_end", "DateTime", "TIME", "Resolved end"),
    PerRegionControl("place_precision", "Choices", "PLACE", "Place precision", "place_precision"),
    PerRegionControl("place_name", "TextArea", "PLACE", "Canonical place name"),
    PerRegionControl("geonames_id", "Number", "PLACE", "GeoNames id"),
    PerRegionControl("stance", "Choices", "CLAIM", "Claimant's stance", "stance"),
    PerRegionControl("certainty", "Choices", "CLAIM", "Certainty", "certainty"),
    PerRegionControl("claimant_kind", "Choices", "CLAIM", "Claimant kind (leave empty for a linked actor)",
                     values=((UNSOURCED, "The outlet asserts this without a source."),
                             (UNNAMED, "A source the text does not identify (sources, an official, witnesses); "
                                       "link its mention with `claimant` if the text has one."))),
    PerRegionControl("check_worthy", "Choices", "CLAIM", "Worth fact-checking?",
                     values=(("yes", "A checkable factual claim that matters."), ("no", "Opinion, trivial or uncheckable."))),
)
CONTROL_BY_NAME = {c.name: c for c in PER_REGION}
MODE = "mode"  # the per-type mode controls are named mode_<TYPE>; exports of older configs use `mode` itself


def mode_control_name(event_type: str) -> str:
    return f"{MODE}_{event_type}"


def mode_controls(ont: Ontology) -> tuple[PerRegionControl, ...]:
    """One mode control per event type, offering that type's modes only (shown once the type is chosen)."""
    return tuple(
        PerRegionControl(mode_control_name(t.id), "Choices", "EVENT", f"Mode of {t.id}",
                         values=tuple((m, "") for m in t.modes))
        for t in ont.event_types)


def relation_labels(ont: Ontology) -> tuple[str, ...]:
    """Every relation label: one per event role, then the structural ones."""
    return tuple(r.id for r in ont.roles) + tuple(r[0] for r in STRUCTURAL_RELATIONS)


def _terms(ont: Ontology, attr: str) -> tuple[Term, ...]:
    if attr == "modes":
        return tuple(Term(m, "Allowed for: " + ", ".join(t.id for t in ont.event_types if m in t.modes))
                     for m in ont.all_modes)
    return tuple(getattr(ont, attr))


def _choices(parent: ET.Element, control: PerRegionControl, ont: Ontology) -> None:
    attrs = {
        "name": control.name, "toName": TEXT_NAME, "perRegion": "true", "choice": "single-radio",
        "showInline": "true",
    }
    el = ET.SubElement(parent, "Choices", attrs)
    terms = control.values or tuple((t.id, t.definition) for t in _terms(ont, control.terms))
    for value, hint in terms:
        ET.SubElement(el, "Choice", {"value": value, **({"hint": hint} if hint else {})})


def _taxonomy(parent: ET.Element, control: PerRegionControl, ont: Ontology) -> None:
    el = ET.SubElement(parent, "Taxonomy", {
        "name": control.name, "toName": TEXT_NAME, "perRegion": "true", "leafsOnly": "true",
        "maxUsages": "1", "placeholder": "Search actors...",
    })
    for atype in ont.actor_types:
        members = [a for a in ont.actors if a.type == atype.id]
        if not members:
            continue
        group = ET.SubElement(el, "Choice", {"value": atype.id, "hint": atype.definition})
        for actor in members:
            hint = ", ".join(actor.aliases) + (f" (Wikidata {actor.qid})" if actor.qid else "")
            ET.SubElement(group, "Choice", {"value": f"{actor.name} ({actor.id})", "alias": actor.id, "hint": hint})


def _simple(parent: ET.Element, control: PerRegionControl) -> None:
    attrs = {"name": control.name, "toName": TEXT_NAME, "perRegion": "true"}
    if control.tag == "DateTime":
        attrs["only"] = "date"
    if control.tag == "TextArea":
        attrs.update(maxSubmissions="1", editable="true", rows="1")
    ET.SubElement(parent, control.tag, attrs)


_BUILDERS = {
    "Choices": _choices,
    "Taxonomy": _taxonomy,
    "Number": lambda parent, control, ont: _simple(parent, control),
    "TextArea": lambda parent, control, ont: _simple(parent, control),
    "DateTime": lambda parent, control, ont: _simple(parent, control),
}


# Inline styles of the layout (Label Studio applies a View's `style` attribute as is).
ROW_STYLE = "display: flex; align-items: flex-start; gap: 16px"
TEXT_COLUMN_STYLE = "flex: 1 1 0; min-width: 0"
LABELS_BAR_STYLE = "position: sticky; top: 0; z-index: 5; background: var(--color-neutral-background, #fff)"
FIELDS_COLUMN_STYLE = ("flex: 0 0 360px; position: sticky; top: 0; max-height: 90vh; overflow-y: auto; "
                       "padding-left: 12px; border-left: 1px solid #ddd")
KIND_HEADER_STYLE = "border-left: 6px solid {color}; padding-left: 6px; font-size: 15px; margin: 4px 0 8px"
FIELD_HEADER_STYLE = "font-size: 13px; margin: 10px 0 2px"


def _field(panel: ET.Element, control: PerRegionControl, ont: Ontology) -> None:
    ET.SubElement(panel, "Header", {"value": control.title, "size": "6", "style": FIELD_HEADER_STYLE})
    _BUILDERS[control.tag](panel, control, ont)


def _fields(column: ET.Element, kind: RegionKind, ont: Ontology) -> None:
    """The panel of one region kind: a header naming the kind, then each field under its own header; the
    per-type mode controls each in a view shown only when its type is the chosen event type."""
    controls = [c for c in PER_REGION if c.kind == kind.label]
    if not controls:
        return
    panel = ET.SubElement(column, "View", {"visibleWhen": "region-selected", "whenLabelValue": kind.label})
    ET.SubElement(panel, "Header", {"value": f"{kind.label} — {kind.hint}", "size": "5",
                                    "style": KIND_HEADER_STYLE.format(color=kind.color)})
    for control in controls:
        if not control.per_event_type:
            _field(panel, control, ont)
            continue
        for per_type, etype in zip(mode_controls(ont), ont.event_types):
            shown = ET.SubElement(panel, "View", {"visibleWhen": "choice-selected", "whenTagName": "event_type",
                                                  "whenChoiceValue": etype.id})
            _field(shown, per_type, ont)


def build_label_config(ont: Ontology) -> str:
    """The labeling config XML (deterministic; every attribute value XML-escaped by ElementTree)."""
    view = ET.Element("View")
    row = ET.SubElement(view, "View", {"style": ROW_STYLE})
    text_column = ET.SubElement(row, "View", {"style": TEXT_COLUMN_STYLE})
    bar = ET.SubElement(text_column, "View", {"style": LABELS_BAR_STYLE})
    labels = ET.SubElement(bar, "Labels", {"name": LABELS_NAME, "toName": TEXT_NAME, "choice": "single"})
    for kind in REGION_KINDS:
        ET.SubElement(labels, "Label", {"value": kind.label, "background": kind.color, "hint": kind.hint})
    ET.SubElement(text_column, "Text", {"name": TEXT_NAME, "value": "$text"})
    fields = ET.SubElement(row, "View", {"style": FIELDS_COLUMN_STYLE})
    ET.SubElement(fields, "Header", {"value": "Fields of the selected region", "size": "6", "style": FIELD_HEADER_STYLE})
    for kind in REGION_KINDS:
        _fields(fields, kind, ont)
    relations = ET.SubElement(view, "Relations")
    for label in relation_labels(ont):
        ET.SubElement(relations, "Relation", {"value": label})
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"
