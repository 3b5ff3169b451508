"""The value an optional field takes when it is left empty — declared once, for every path into the schema.

Label Studio (an empty per-region choice), quote-based authoring (a field left out of the YAML) and the
guidelines' quick reference (generated from this table) all read it, so the same annotation cannot differ by
the way it was made.
"""

DEFAULTS: dict[str, str] = {
    "realis": "actual",
    "granularity": "single",
    "qualifier": "exact",
    "stance": "affirm",
    "certainty": "unknown",
    "time_precision": "unknown",
    "place_precision": "unknown",
}
