"""Annotations back to the quote-based authoring form: the inverse of :mod:`counterclaim.quality.authoring`.

A gold annotation is easiest to write by correcting a draft: ``counterclaim author draft DOC_ID`` turns the
pre-annotation engine's proposal into an authoring YAML file, which annotators correct and compile. Every span
becomes its quote, with ``nth`` when the quote occurs more than once (counted the way
:func:`~counterclaim.quality.authoring.locate` counts); values equal to their defaults are left out. Compiling
the result gives the annotation back (tested), apart from provenance.
"""

from __future__ import annotations

from typing import Any

import yaml

from counterclaim.model.defaults import DEFAULTS


def quote_of(text: str, span: dict) -> str | dict:
    """A span as the authoring form writes it: the quote, or ``{quote, nth}`` when it is not unique."""
    quote, start = span["text"], span["start"]
    positions = []
    pos = text.find(quote)
    while pos >= 0:
        positions.append(pos)
        pos = text.find(quote, pos + 1)
    return quote if positions == [start] else {"quote": quote, "nth": positions.index(start) + 1}


def _without_defaults(obj: dict, fields: dict[str, str]) -> dict:
    return {k: v for k, v in obj.items() if not (k in fields and DEFAULTS[fields[k]] == v)}


def _event(text: str, ev: dict) -> dict:
    out: dict[str, Any] = {"id": ev["id"], "type": ev["type"]}
    if ev.get("mode") is not None:
        out["mode"] = ev["mode"]
    if ev.get("trigger") is not None:
        out["trigger"] = quote_of(text, ev["trigger"])
    out.update(_without_defaults({"realis": ev["realis"], "granularity": ev["granularity"]},
                                 {"realis": "realis", "granularity": "granularity"}))
    if ev.get("part_of"):
        out["part_of"] = ev["part_of"]
    if ev["arguments"]:
        out["arguments"] = [{"role": a["role"], **({"span": quote_of(text, a["span"])} if "span" in a else
                                                   {k: a[k] for k in ("mention", "event") if k in a})}
                            for a in ev["arguments"]]
    for part, precision in (("time", "time_precision"), ("place", "place_precision")):
        value = ev.get(part)
        if value is not None:
            item = {k: v for k, v in value.items() if v is not None and k != "span"}
            if value.get("span") is not None:
                item = {"span": quote_of(text, value["span"]), **item}
            out[part] = _without_defaults(item, {"precision": precision})
    if ev["quantities"]:
        out["quantities"] = [
            {k: v for k, v in {
                "id": q["id"], "measurand": q["measurand"], "value": q.get("value"), "low": q.get("low"),
                "high": q.get("high"),
                "qualifier": None if q["qualifier"] == DEFAULTS["qualifier"] else q["qualifier"],
                "span": None if q.get("span") is None else quote_of(text, q["span"]), "note": q.get("note"),
            }.items() if v is not None}
            for q in ev["quantities"]]
    return out


def _claim(text: str, c: dict) -> dict:
    content = [quote_of(text, s) for s in c["content"]]
    out: dict[str, Any] = {"id": c["id"], "content": content[0] if len(content) == 1 else content,
                           "cue": None if c.get("cue") is None else quote_of(text, c["cue"]),
                           "claimant": c["claimant"]}
    for key in ("co_claimants", "reported_via"):
        if c.get(key):
            out[key] = c[key]
    about = {k: v for k, v in c["about"].items() if v}
    if about:
        out["about"] = about
    out.update(_without_defaults({"stance": c["stance"], "certainty": c["certainty"]},
                                 {"stance": "stance", "certainty": "certainty"}))
    if c["links"]:
        out["links"] = c["links"]
    if c.get("check_worthy") is not None:
        out["check_worthy"] = c["check_worthy"]
    return out


def to_authoring(doc_id: str, text: str, annotation: dict, *, header: dict) -> dict:
    """The authoring mapping of one annotation; ``header`` becomes its ``annotation:`` entry."""
    return {
        "doc_id": doc_id,
        "annotation": header,
        "mentions": [{"id": m["id"], "span": quote_of(text, m["span"]), "actor": m.get("actor"),
                      **({"type": m["type"]} if m.get("actor") is None and m.get("type") else {})}
                     for m in annotation["mentions"]],
        "events": [_event(text, ev) for ev in annotation["events"]],
        "claims": [_claim(text, c) for c in annotation["claims"]],
    }


class _Dumper(yaml.SafeDumper):
    """Block style for the document and its lists of objects; each object on one flow-style line."""


def _mapping(dumper: yaml.SafeDumper, data: dict) -> yaml.MappingNode:
    top = "doc_id" in data
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=not top)


_Dumper.add_representer(dict, _mapping)


def dump_authoring(mapping: dict, *, comment: str = "") -> str:
    """YAML text of an authoring mapping, one object per line (like the hand-written gold files)."""
    body = yaml.dump(mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    head = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
    return head + body
