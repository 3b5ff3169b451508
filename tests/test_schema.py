"""The ontology and the JSON Schema generated from it."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from counterclaim.io import jsonio
from counterclaim.errors import OntologyError
from counterclaim.model.ontology import load_ontology, parse_ontology
from counterclaim.model.schema import SCHEMA_FILE, build_schema
from helpers import REPO

SCHEMA_DIR = REPO / "schema"


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(SCHEMA_DIR)


@pytest.fixture()
def raw_ontology():
    return yaml.safe_load((SCHEMA_DIR / "ontology.yaml").read_text(encoding="utf-8"))


def test_committed_schema_passes_the_2020_12_metaschema():
    schema = json.loads((SCHEMA_DIR / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_committed_schema_equals_the_generated_one(ontology):
    committed = (SCHEMA_DIR / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == jsonio.dumps(build_schema(ontology), indent=2) + "\n", "run `counterclaim schema build`"


def test_schema_enums_come_from_the_ontology(ontology):
    defs = build_schema(ontology)["$defs"]
    assert defs["event"]["properties"]["type"]["enum"] == [t.id for t in ontology.event_types]
    assert defs["argument"]["properties"]["role"]["enum"] == [r.id for r in ontology.roles]
    assert defs["claim"]["properties"]["stance"]["enum"] == ["affirm", "deny", "neutral"]
    assert "killed_civilians" in defs["quantity"]["properties"]["measurand"]["enum"]


def test_every_event_type_takes_only_declared_roles_and_has_modes(ontology):
    role_ids = {r.id for r in ontology.roles}
    for etype in ontology.event_types:
        assert etype.modes, etype.id
        assert set(etype.roles) <= role_ids, etype.id


def test_registry_seeds_the_actors_of_the_five_articles(ontology):
    actors = ontology.actor_by_id
    assert actors["ISIL"].qid == "Q2429253"
    assert actors["RUS"].qid == "Q159"
    for needed in ("RUS_GOV", "RUS_MOD", "RUS_MIL", "GBR_INTEL", "SOHR", "EARNEST", "SNC", "USA_GOV"):
        assert needed in actors
    for actor in ontology.actors:
        assert actor.aliases, f"{actor.id} has no aliases for pre-annotation"
        assert actor.qid is None or actor.qid.startswith("Q")


def test_duplicate_event_type_is_refused(raw_ontology):
    raw_ontology["event_types"].append(dict(raw_ontology["event_types"][0]))
    with pytest.raises(OntologyError, match=r"event type `ATTACK` is declared twice"):
        parse_ontology(raw_ontology)


def test_undeclared_role_is_refused(raw_ontology):
    raw_ontology["event_types"][0]["roles"] = ["attacker", "pilot"]
    with pytest.raises(OntologyError, match=r"roles \['pilot'\] are not declared under `roles`"):
        parse_ontology(raw_ontology)


def test_actor_of_unknown_type_is_refused(raw_ontology):
    raw_ontology["actors"][0]["type"] = "nation"
    with pytest.raises(OntologyError, match=r"actors\[0\] \(`RUS`\): type `nation` is not one of"):
        parse_ontology(raw_ontology)


def test_duplicate_actor_id_is_refused(raw_ontology):
    raw_ontology["actors"].append(dict(raw_ontology["actors"][0]))
    with pytest.raises(OntologyError, match=r"actor id `RUS` is declared twice"):
        parse_ontology(raw_ontology)
