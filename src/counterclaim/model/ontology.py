"""Load ``schema/ontology.yaml``: the one declaration every other artefact is generated from.

The loader checks the file's own consistency (unique ids, roles and modes that exist, actors of known types)
and returns an immutable :class:`Ontology`. Every generator (JSON Schema, Label Studio config, HF features,
guideline tables) takes an ``Ontology`` and nothing else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from counterclaim.errors import OntologyError


@dataclass(frozen=True)
class Term:
    """A value of a closed set, with the definition annotators read."""

    id: str
    definition: str


@dataclass(frozen=True)
class EventType:
    id: str
    definition: str
    modes: tuple[str, ...]
    roles: tuple[str, ...]
    crosswalk: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    sector: str
    country: str | None
    qid: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Outlet:
    """A news outlet documents come from (``source.outlet`` of a document names one by ``id``)."""

    id: str
    name: str
    domain: str | None
    country: str | None
    affiliation: str
    side: str | None  # an ``outlet_sides`` id, or None when the outlet is not owned by a party to the war
    qid: str | None


@dataclass(frozen=True)
class Ontology:
    name: str
    version: str
    event_types: tuple[EventType, ...]
    roles: tuple[Term, ...]
    realis: tuple[Term, ...]
    granularity: tuple[Term, ...]
    time_precision: tuple[Term, ...]
    place_precision: tuple[Term, ...]
    actor_types: tuple[Term, ...]
    sectors: tuple[Term, ...]
    stance: tuple[Term, ...]
    certainty: tuple[Term, ...]
    claimant_kinds: tuple[Term, ...]
    link_types: tuple[Term, ...]
    measurands: tuple[Term, ...]
    qualifiers: tuple[Term, ...]
    actors: tuple[Actor, ...]
    outlet_sides: tuple[Term, ...] = ()
    outlets: tuple[Outlet, ...] = ()

    def __hash__(self) -> int:
        # Hashing every term and actor on each lookup of a per-ontology cache costs more than the lookup
        # itself; an Ontology is immutable, so its hash is computed once.
        return self._hash

    @functools.cached_property
    def _hash(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    # -- lookups -------------------------------------------------------------------------------------
    @functools.cached_property
    def event_type_by_id(self) -> dict[str, EventType]:
        return {t.id: t for t in self.event_types}

    @functools.cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @functools.cached_property
    def outlet_by_id(self) -> dict[str, Outlet]:
        return {o.id: o for o in self.outlets}

    @functools.cached_property
    def all_modes(self) -> tuple[str, ...]:
        """Every mode of every event type, in first-seen order (a closed set for the dataset)."""
        seen: dict[str, None] = {}
        for t in self.event_types:
            for m in t.modes:
                seen.setdefault(m, None)
        return tuple(seen)

    def ids(self, name: str) -> tuple[str, ...]:
        """The ids of a closed set by its attribute name, e.g. ``ids("realis")``."""
        return self._ids[name] if name in self._ids else tuple(t.id for t in getattr(self, name))

    def closed_sets(self) -> dict[str, tuple[str, ...]]:
        """Every closed label set by name: what the dataset turns into ClassLabels."""
        return dict(self._ids)

    @functools.cached_property
    def _ids(self) -> dict[str, tuple[str, ...]]:
        sets = {
            name: tuple(t.id for t in getattr(self, name))
            for name in (
                "roles", "realis", "granularity", "time_precision", "place_precision", "actor_types",
                "sectors", "stance", "certainty", "claimant_kinds", "link_types", "measurands", "qualifiers",
            )
        }
        sets["event_types"] = tuple(t.id for t in self.event_types)
        sets["modes"] = self.all_modes
        return sets


# -- loading ---------------------------------------------------------------------------------------------

_TERM_SETS = {
    # attribute -> path in the YAML
    "roles": ("roles",),
    "realis": ("realis",),
    "granularity": ("granularity",),
    "time_precision": ("time_precision",),
    "place_precision": ("place_precision",),
    "actor_types": ("actor_types",),
    "sectors": ("sectors",),
    "stance": ("claim_attributes", "stance"),
    "certainty": ("claim_attributes", "certainty"),
    "claimant_kinds": ("claim_attributes", "claimant_kinds"),
    "link_types": ("claim_attributes", "link_types"),
    "measurands": ("quantity", "measurands"),
    "qualifiers": ("quantity", "qualifiers"),
}


def _get(data: dict, path: tuple[str, ...], where: str) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            raise OntologyError(f"{where}: missing `{'.'.join(path)}`; add it (see the other sets for the shape)")
        node = node[key]
    return node


def _terms(raw: Any, label: str, where: str) -> tuple[Term, ...]:
    if not isinstance(raw, list) or not raw:
        raise OntologyError(f"{where}: `{label}` must be a non-empty list of {{id, definition}}")
    out = []
    seen = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("id") or not item.get("definition"):
            raise OntologyError(f"{where}: `{label}[{i}]` needs an `id` and a `definition`")
        if item["id"] in seen:
            raise OntologyError(f"{where}: `{label}` lists `{item['id']}` twice; ids must be unique")
        seen.add(item["id"])
        out.append(Term(str(item["id"]), str(item["definition"])))
    return tuple(out)


def parse_ontology(data: Any, where: str = "ontology") -> Ontology:
    """Build and check an :class:`Ontology` from the parsed YAML mapping."""
    if not isinstance(data, dict):
        raise OntologyError(f"{where}: the ontology must be a YAML mapping")
    sets = {attr: _terms(_get(data, path, where), ".".join(path), where) for attr, path in _TERM_SETS.items()}
    role_ids = {t.id for t in sets["roles"]}

    event_types = []
    seen_types: set[str] = set()
    for i, raw in enumerate(_get(data, ("event_types",), where)):
        loc = f"{where}: event_types[{i}]"
        if not isinstance(raw, dict) or not raw.get("id"):
            raise OntologyError(f"{loc} needs an `id`")
        tid = raw["id"]
        if tid in seen_types:
            raise OntologyError(f"{loc}: event type `{tid}` is declared twice")
        seen_types.add(tid)
        modes = tuple(raw.get("modes") or ())
        roles = tuple(raw.get("roles") or ())
        if not modes:
            raise OntologyError(f"{loc} (`{tid}`): list at least one mode (use `unspecified`)")
        unknown = [r for r in roles if r not in role_ids]
        if unknown:
            raise OntologyError(f"{loc} (`{tid}`): roles {unknown} are not declared under `roles`; declare them")
        event_types.append(
            EventType(tid, str(raw.get("definition", "")), modes, roles, dict(raw.get("crosswalk") or {}))
        )

    type_ids = {t.id for t in sets["actor_types"]}
    sector_ids = {t.id for t in sets["sectors"]}
    actors = []
    seen_actors: set[str] = set()
    for i, raw in enumerate(_get(data, ("actors",), where)):
        loc = f"{where}: actors[{i}]"
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
            raise OntologyError(f"{loc} needs an `id` and a `name`")
        aid = raw["id"]
        if aid in seen_actors:
            raise OntologyError(f"{loc}: actor id `{aid}` is declared twice; ids must be unique")
        seen_actors.add(aid)
        if raw.get("type") not in type_ids:
            raise OntologyError(f"{loc} (`{aid}`): type `{raw.get('type')}` is not one of {sorted(type_ids)}")
        if raw.get("sector") not in sector_ids:
            raise OntologyError(f"{loc} (`{aid}`): sector `{raw.get('sector')}` is not one of {sorted(sector_ids)}")
        actors.append(
            Actor(
                id=aid,
                name=str(raw["name"]),
                type=raw["type"],
                sector=raw["sector"],
                country=raw.get("country"),
                qid=raw.get("qid"),
                aliases=tuple(str(a) for a in raw.get("aliases") or ()),
            )
        )

    sides = _terms(data["outlet_sides"], "outlet_sides", where) if "outlet_sides" in data else ()
    return Ontology(
        name=str(data.get("name", "counterclaim")),
        version=str(_get(data, ("version",), where)),
        event_types=tuple(event_types),
        actors=tuple(actors),
        outlet_sides=sides,
        outlets=_outlets(data.get("outlets") or [], {t.id for t in sides}, where),
        **sets,
    )


_QID = re.compile(r"Q[1-9][0-9]*")
_COUNTRY = re.compile(r"[A-Z]{3}")
_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def _outlets(raw: Any, side_ids: set[str], where: str) -> tuple[Outlet, ...]:
    """The ``outlets`` registry (optional in the file), checked like the actor registry."""
    if not isinstance(raw, list):
        raise OntologyError(f"{where}: `outlets` must be a list of {{id, name, domain, country, affiliation, side, qid}}")
    outlets = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        loc = f"{where}: outlets[{i}]"
        if not isinstance(item, dict) or not item.get("id") or not item.get("name") or not item.get("affiliation"):
            raise OntologyError(f"{loc} needs an `id`, a `name` and an `affiliation`")
        oid = str(item["id"])
        if oid in seen:
            raise OntologyError(f"{loc}: outlet id `{oid}` is declared twice; ids must be unique")
        seen.add(oid)
        checks = (
            ("side", lambda v: v in side_ids, f"one of {sorted(side_ids)} (declared under `outlet_sides`) or null"),
            ("country", lambda v: _COUNTRY.fullmatch(str(v)), "an ISO 3166-1 alpha-3 code such as SYR, or null"),
            ("qid", lambda v: _QID.fullmatch(str(v)), "a Wikidata item id such as Q130879, or null"),
            ("domain", lambda v: _DOMAIN.fullmatch(str(v)), "a lower-case host name such as sana.sy (no scheme, no path), or null"),
        )
        for key, ok, expected in checks:
            if item.get(key) is not None and not ok(item[key]):
                raise OntologyError(f"{loc} (`{oid}`): {key} {item[key]!r} is not {expected}")
        outlets.append(Outlet(id=oid, name=str(item["name"]), domain=item.get("domain"), country=item.get("country"),
                              affiliation=str(item["affiliation"]), side=item.get("side"), qid=item.get("qid")))
    return tuple(outlets)


def load_ontology(path: str | Path) -> Ontology:
    path = Path(path)
    if path.is_dir():
        path = path / "ontology.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OntologyError(f"{path}: ontology not found; run from a counterclaim project or pass --project") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OntologyError(f"{path}: invalid YAML: {exc}") from None
    return parse_ontology(data, str(path))


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int) -> Ontology:
    return load_ontology(path)


def default_ontology(schema_dir: str | Path | None = None) -> Ontology:
    """The project's ontology (cached per file and modification time)."""
    if schema_dir is None:
        from counterclaim.io.layout import Layout

        schema_dir = Layout.discover().schema_dir
    path = Path(schema_dir) / "ontology.yaml"
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise OntologyError(f"{path}: ontology not found; run from a counterclaim project or pass --project") from None
    return _cached(str(path), mtime)
