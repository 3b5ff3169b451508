"""Rows of the ``incidents`` config: one per (incident, claim), from :func:`counterclaim.incidents.claim_records`.

A row belongs to the split of the document its claim comes from, like every other row: an incident whose
documents sit in different splits has rows in each of them, and no split holds anything read from a
document of another split (a row's date and place are its own event's, not the incident's).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from counterclaim.hf.rows import RowBuilder
from counterclaim.incidents import Incident, claim_records


def incident_rows(incidents: Iterable[Incident], builder: RowBuilder) -> Iterator[tuple[str, dict]]:
    """``(doc_id, row)`` for every claim about every incident, ClassLabels encoded."""
    codes = builder.codes

    def enc(label_set: str, value: str | None) -> int | None:
        return None if value is None else codes[label_set][value]

    for incident in incidents:
        for record in claim_records(incident, builder.ont):
            row = dict(record)
            row["content_text"] = row.pop("content")
            row["incident_type"] = enc("event_types", record["incident_type"])
            row["claimant_kind"] = enc("claimant_kinds", record["claimant_kind"])
            row["stance"] = enc("stance", record["stance"])
            row["certainty"] = enc("certainty", record["certainty"])
            row["numbers"] = [{**n, "measurand": enc("measurands", n["measurand"]),
                               "qualifier": enc("qualifiers", n["qualifier"])} for n in record["numbers"]]
            yield record["doc_id"], row
