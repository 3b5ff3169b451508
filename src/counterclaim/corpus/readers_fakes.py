"""FA-KES: its columns, its labels, its dates, and the rules for its repeated rows (pure functions).

FA-KES (Abu Salem et al., ICWSM 2019) is one CSV of articles on the Syrian war::

    unit_id,article_title,article_content,source,date,location,labels
    1914947530,Syria attack symptoms consistent with nerve agent use WHO,"Wed 05 Apr 2017 ...",reuters,4/4/2017,idlib,1

``source`` is the outlet (an id of the ontology's ``outlets`` registry); ``date`` (M/D/YYYY) and ``location``
(a governorate) are the date and place of the incident the article reports, extracted for the dataset by
crowd workers — not the publication date, which FA-KES does not give; ``labels`` is the dataset authors'
verdict on the article's casualty facts checked against the VDC casualty database (1 credible, 0 fake).

**Ids.** A row's document id is ``fakes-<unit_id>``: derived from the source, never from its position.

**Rows.** A row whose unit_id, date, governorate or label cannot be read is reported and not ingested (a
date is never guessed). Of the rows that can, one document is kept per article, by three rules applied in
file order:

1. ``same-id``: a row repeating the unit_id of an earlier kept row, with the same text, is merged into it;
2. ``same-id-other-text``: a row repeating the unit_id with a different text is not ingested (the first row
   keeps the id; the difference is located in the report) and is recorded on the kept document;
3. ``same-text``: a row with another unit_id but the text of an earlier kept row is the corpus's duplicate
   content rule; it is recorded on the kept document, whose ``source_ids`` then lists both unit_ids.

"Text" is the normalised body, as in the corpus's duplicate-content rule. Every merged row stays in the raw
store (under the kept record's ``_source.merged``) and in the document's ``source_records``, with its own
label, date and governorate: the document's ``credibility`` is ``mixed`` when its rows carry both labels, and
its ``date`` / ``location`` are null when its rows disagree — a value is never silently picked.

The texts are kept as FA-KES has them: its authors removed every apostrophe and comma ("Assads
government", "1000 bombs"), and some rows hold U+FFFD replacement characters where characters were lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from counterclaim.corpus.normalize import TITLE_SEPARATOR, split_record
from counterclaim.corpus.places import GOVERNORATES, governorate
from counterclaim.io.jsonio import sha256_text

KIND = "fakes-csv"
DATASET = "FA-KES"
COLUMNS = ("unit_id", "article_title", "article_content", "source", "date", "location", "labels")
ID_PREFIX = "fakes-"
LABELS = {"1": "credible", "0": "fake"}
MIXED = "mixed"  # the document's rows carry both labels
CREDIBILITY_BY = "FA-KES authors: the article's casualty facts checked against the VDC casualty database"
RELATIONS = ("kept", "same-id", "same-id-other-text", "same-text")

_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_UNIT_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
_CONTEXT = 24  # characters shown on each side of a located difference


class FakesFieldError(ValueError):
    """A FA-KES field cannot be read; the message is the row's reason."""


def is_fakes_header(header: Iterable[str]) -> bool:
    return set(COLUMNS) <= set(header)


def valid_unit_id(unit_id: str) -> bool:
    return bool(_UNIT_ID.fullmatch(unit_id))


def doc_id(unit_id: str) -> str:
    return f"{ID_PREFIX}{unit_id}"


def parse_date(text: str) -> str:
    """``"8/21/2013"`` -> ``"2013-08-21"``; anything else is a ``FakesFieldError``."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise FakesFieldError(f"unreadable date {text!r}: FA-KES dates are M/D/YYYY (e.g. 8/21/2013)")
    month, day, year = map(int, match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise FakesFieldError(f"unreadable date {text!r}: month {month}, day {day} is not a day of {year}") from None


def row_facts(fields: dict[str, Any]) -> dict[str, Any]:
    """``{id, label, date, location}`` of one row; a field that cannot be read is a ``FakesFieldError``."""
    unit_id = (fields.get("unit_id") or "").strip()
    if not valid_unit_id(unit_id):
        raise FakesFieldError(f"invalid unit_id {unit_id!r}: expected letters, digits, '.', '_' or '-'")
    label = LABELS.get((fields.get("labels") or "").strip())
    if label is None:
        raise FakesFieldError(f"unknown label {fields.get('labels')!r}: FA-KES labels are 1 (credible) or 0 (fake)")
    place = governorate(fields.get("location"))
    if place is None:
        raise FakesFieldError(f"unknown governorate {fields.get('location')!r}: expected one of "
                              f"{', '.join(GOVERNORATES)} (or a spelling listed in corpus/places.py)")
    return {"id": unit_id, "label": label, "date": parse_date(fields.get("date") or ""), "location": place}


def _agreed(values: list[Any]) -> Any:
    return values[0] if len(set(values)) == 1 else None


def fakes_fields(fields: dict[str, Any], source: dict[str, Any] | None = None
                 ) -> tuple[str, str, str, dict[str, Any]]:
    """``(source_id, title, content, metadata)`` of a kept FA-KES row; ``source`` is its ``_source`` note:
    ``row`` (the CSV record number) and ``merged`` (the rows merged into it, see the module docstring)."""
    source = source or {}
    kept = row_facts(fields)
    records = [{"row": source.get("row"), "relation": "kept", **kept}]
    for merged in source.get("merged") or ():
        records.append({"row": merged["row"], "relation": merged["relation"], **row_facts(merged["fields"])})
    labels = [r["label"] for r in records]
    metadata = {
        "url": None, "domain": None, "published": None, "retrieved_at": None, "reliability": None, "authors": None,
        "dataset": DATASET,
        "outlet": (fields.get("source") or "").strip() or None,
        "date": _agreed([r["date"] for r in records]),
        "location": _agreed([r["location"] for r in records]),
        "credibility": _agreed(labels) or MIXED,
        "credibility_by": CREDIBILITY_BY,
        "source_ids": list(dict.fromkeys(r["id"] for r in records)),
        "source_records": records,
    }
    return doc_id(kept["id"]), fields.get("article_title") or "", fields.get("article_content") or "", metadata


# --- repeated rows ----------------------------------------------------------------------------------


@dataclass
class Kept:
    """A row that becomes a document, with the rows merged into it (``{row, relation, fields}``)."""

    row: int
    fields: dict[str, Any]
    merged: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Merged:
    """A row that is not a document of its own, and why."""

    row: int
    into: str  # the kept document's id
    reason: str


def _normalised(fields: dict[str, Any]) -> tuple[str, str] | None:
    """``(title, body)`` as the corpus will have them, or None when either is empty (the build reports it)."""
    title, body = split_record(fields.get("article_title") or "", fields.get("article_content") or "")
    return (title, body) if title and body else None


def _first_difference(a: str, b: str) -> int:
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def _excerpt(text: str, at: int) -> str:
    start = max(0, at - _CONTEXT)
    shown = text[start:at + _CONTEXT].replace("\n", " ")
    return ("…" if start else "") + shown + ("…" if at + _CONTEXT < len(text) else "")


def _differences(facts: dict[str, Any], kept: dict[str, Any], kept_row: int) -> str:
    names = {"label": "label", "date": "date", "location": "governorate"}
    parts = [f"{name} {facts[key]} here, {kept[key]} in row {kept_row}"
             for key, name in names.items() if facts[key] != kept[key]]
    return f" ({'; '.join(parts)})" if parts else ""


def reconcile(rows: list[tuple[int, dict[str, Any]]]) -> dict[int, Kept | Merged]:
    """Apply the three rules of the module docstring to ``(row number, fields)`` in file order.

    Rows whose title or text is empty after normalisation are kept as they are (the corpus build reports
    them), and take no part in the rules."""
    out: dict[int, Kept | Merged] = {}
    by_id: dict[str, Kept] = {}
    by_body: dict[str, Kept] = {}
    texts: dict[int, str] = {}
    facts: dict[int, dict[str, Any]] = {}
    for number, fields in rows:
        facts[number] = row_facts(fields)
        normalised = _normalised(fields)
        if normalised is None:
            out[number] = Kept(number, fields)
            continue
        texts[number] = TITLE_SEPARATOR.join(normalised)
        body = sha256_text(normalised[1])
        unit_id = facts[number]["id"]
        kept = by_id.get(unit_id) or by_body.get(body)
        if kept is None:
            out[number] = by_id[unit_id] = by_body[body] = Kept(number, fields)
            continue
        target = doc_id(facts[kept.row]["id"])
        differences = _differences(facts[number], facts[kept.row], kept.row)
        kept_body = sha256_text(texts[kept.row].split(TITLE_SEPARATOR, 1)[1])
        if unit_id != facts[kept.row]["id"]:
            relation = "same-text"
            reason = (f"duplicate content: same text as id {target} in row {kept.row}; recorded on that document "
                      f"as a second FA-KES unit_id{differences}")
        elif body == kept_body:
            relation = "same-id"
            reason = f"same unit_id and text as row {kept.row}: merged into document {target}{differences}"
        else:
            relation = "same-id-other-text"
            at = _first_difference(texts[kept.row], texts[number])
            reason = (f"same unit_id as row {kept.row} but another text (from character {at}: row {kept.row} has "
                      f"“{_excerpt(texts[kept.row], at)}”, this row “{_excerpt(texts[number], at)}”): not "
                      f"ingested; recorded on document {target}{differences}")
        kept.merged.append({"row": number, "relation": relation, "fields": fields})
        by_id.setdefault(unit_id, kept)
        by_body.setdefault(body, kept)
        out[number] = Merged(number, target, reason)
    return out
