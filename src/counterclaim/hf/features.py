"""Hugging Face ``Features`` of every dataset config, generated from the ontology.

Declared with a tiny mirror of the ``datasets`` feature types (``Value``, ``ClassLabel``, ``List``, structs
as dicts) that produces both the ``Features.to_dict()`` form (for the dataset card and the parquet schema
metadata) and the Arrow schema, without importing ``datasets`` — the export stays light and fast. A test
checks both against ``datasets.Features.from_dict``.

Closed sets of the ontology are ClassLabels (their integer codes follow the ontology's order: renaming,
removing or reordering a value is a breaking change); open sets (actor ids, free text) are strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from counterclaim.model.ontology import Ontology

CONFIGS = ("documents", "ner", "events", "claims", "annotations", "incidents", "ner_sentences", "quantities",
           "bigbio_kb", "silver_documents", "silver_claims", "silver_quantities", "silver_incidents")
DEFAULT_CONFIG = "documents"


@dataclass(frozen=True)
class Value:
    dtype: str

    def to_dict(self) -> dict:
        return {"dtype": self.dtype, "_type": "Value"}

    def arrow(self) -> pa.DataType:
        return {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "float64": pa.float64(),
                "bool": pa.bool_()}[self.dtype]


@dataclass(frozen=True)
class ClassLabel:
    names: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"names": list(self.names), "_type": "ClassLabel"}

    def arrow(self) -> pa.DataType:
        return pa.int64()

    def encode(self, value: str | None) -> int | None:
        return None if value is None else self.names.index(value)


@dataclass(frozen=True)
class List:
    feature: Any

    def to_dict(self) -> dict:
        return {"feature": to_dict(self.feature), "_type": "List"}

    def arrow(self) -> pa.DataType:
        return pa.list_(arrow_type(self.feature))


def to_dict(feature: Any) -> dict:
    if isinstance(feature, dict):
        return {name: to_dict(sub) for name, sub in feature.items()}
    return feature.to_dict()


def arrow_type(feature: Any) -> pa.DataType:
    if isinstance(feature, dict):
        return pa.struct([pa.field(name, arrow_type(sub)) for name, sub in feature.items()])
    return feature.arrow()


def arrow_schema(features: dict) -> pa.Schema:
    """The Arrow schema with the ``huggingface`` metadata ``datasets`` reads ClassLabels back from."""
    metadata = {"huggingface": json.dumps({"info": {"features": to_dict(features)}})}
    return pa.schema([pa.field(name, arrow_type(f)) for name, f in features.items()], metadata=metadata)


STR, INT, FLOAT, BOOL = Value("string"), Value("int32"), Value("float64"), Value("bool")


def bio_names(labels: tuple[str, ...]) -> tuple[str, ...]:
    return ("O",) + tuple(f"{p}-{label}" for label in labels for p in ("B", "I"))


class ConfigFeatures:
    """The features of each config for one ontology, with the ClassLabels rows are encoded with."""

    def __init__(self, ont: Ontology):
        sets = ont.closed_sets()
        self.labels = {name: ClassLabel(values) for name, values in sets.items()}
        self.labels["actor_tags"] = ClassLabel(bio_names(sets["actor_types"]))
        self.labels["event_tags"] = ClassLabel(bio_names(sets["event_types"]))
        L = self.labels
        span = {"start": INT, "end": INT, "text": STR}
        self.span = span
        mention = {"id": STR, "start": INT, "end": INT, "text": STR, "actor": STR, "actor_name": STR,
                   "actor_type": L["actor_types"], "sector": L["sectors"], "wikidata": STR}
        argument = {"role": L["roles"], "mention_id": STR, "event_id": STR, "start": INT, "end": INT, "text": STR}
        quantity = {"id": STR, "measurand": L["measurands"], "value": FLOAT, "low": FLOAT, "high": FLOAT,
                    "qualifier": L["qualifiers"], "start": INT, "end": INT, "text": STR, "note": STR}
        time = {"start": INT, "end": INT, "text": STR, "date_start": STR, "date_end": STR,
                "precision": L["time_precision"]}
        place = {"start": INT, "end": INT, "text": STR, "name": STR, "geonames_id": Value("int64"),
                 "precision": L["place_precision"]}
        event = {"id": STR, "type": L["event_types"], "mode": L["modes"], "trigger": span,
                 "realis": L["realis"], "granularity": L["granularity"], "part_of": STR,
                 "arguments": List(argument), "time": time, "place": place, "quantities": List(quantity)}
        source = {"mention_id": STR, "actor": STR, "text": STR}
        claim = {"id": STR, "content": List(span), "cue": span, "claimant_kind": L["claimant_kinds"],
                 "claimant": source, "co_claimants": List(source), "reported_via": List(source),
                 "about_events": List(STR),
                 "about_quantities": List(STR), "stance": L["stance"], "certainty": L["certainty"],
                 "supports": List(STR), "contests": List(STR), "check_worthy": BOOL}
        self.mention, self.event, self.claim = mention, event, claim
        layers = {"mentions": List(mention), "events": List(event), "claims": List(claim)}
        source_record = {"row": INT, "id": STR, "relation": STR, "label": STR, "date": STR, "location": STR}
        source_meta = {"url": STR, "domain": STR, "published": STR, "retrieved_at": STR, "reliability": STR,
                       # from a source dataset (FA-KES) and the outlet registry; null for other documents
                       "dataset": STR, "outlet": STR, "outlet_name": STR, "outlet_country": STR,
                       "outlet_affiliation": STR, "outlet_side": STR, "date": STR, "location": STR,
                       "credibility": STR, "credibility_by": STR, "source_ids": List(STR),
                       "source_records": List(source_record)}

        self.configs: dict[str, dict] = {
            "documents": {
                "doc_id": STR, "title": STR, "text": STR, "text_sha256": STR, "source": source_meta,
                "gold_source": STR, "gold_annotation_id": STR, **layers,
            },
            "ner": {
                "doc_id": STR, "tokens": List(STR), "token_starts": List(INT), "token_ends": List(INT),
                "actor_tags": List(L["actor_tags"]), "event_tags": List(L["event_tags"]),
                "unrepresented_mentions": List(STR), "unrepresented_events": List(STR),
            },
            "events": {
                "doc_id": STR, "event_id": STR, "context": STR, "context_start": INT,
                **{k: v for k, v in event.items() if k != "id"},
                "asserted_by": List(STR),
            },
            "claims": {
                "doc_id": STR, "claim_id": STR, "content_text": STR,
                **{k: v for k, v in claim.items() if k != "id"},
                "claimant_actor_name": STR,
                "events": List({"id": STR, "type": L["event_types"], "realis": L["realis"], "trigger": STR}),
                "quantities": List({"id": STR, "event_id": STR, "measurand": L["measurands"], "value": FLOAT,
                                    "low": FLOAT, "high": FLOAT, "qualifier": L["qualifiers"], "text": STR}),
                "source_domain": STR, "source_reliability": STR,
            },
            "annotations": {
                "doc_id": STR, "annotation_id": STR, "annotator": STR, "origin": STR, "cancelled": BOOL,
                "ground_truth": BOOL, "is_gold": BOOL, "created_at": STR, "updated_at": STR,
                "lead_time": FLOAT, "schema_version": STR, **layers,
            },
            "incidents": {
                "incident_id": STR, "incident_type": L["event_types"], "incident_documents": INT,
                "confidence": FLOAT, "doc_id": STR, "event_id": STR, "date_start": STR, "date_end": STR,
                "date_basis": STR, "place": STR, "governorates": List(STR),
                "outlet": STR, "outlet_name": STR, "outlet_country": STR, "outlet_affiliation": STR,
                "outlet_side": STR, "credibility": STR, "credibility_by": STR,
                "annotation": STR, "annotation_id": STR,
                "claim_id": STR, "content_text": STR, "cue": STR, "claimant_kind": L["claimant_kinds"],
                "claimant_actor": STR, "claimant_name": STR, "claimant_text": STR,
                "stance": L["stance"], "certainty": L["certainty"],
                "numbers": List({"quantity_id": STR, "event_id": STR, "measurand": L["measurands"], "value": FLOAT,
                                 "low": FLOAT, "high": FLOAT, "qualifier": L["qualifiers"], "text": STR}),
                "culprits": List({"event_id": STR, "actor": STR, "name": STR, "text": STR}),
            },
        }
        from counterclaim.hf.research_features import extend_configs

        extend_configs(self)  # sentences, global ids, and the ner_sentences, quantities and bigbio_kb configs
        from counterclaim.hf.silver_features import extend_silver

        extend_silver(self)  # the silver configs: machine annotations, never mixed with the gold ones

    def schema(self, config: str) -> pa.Schema:
        return arrow_schema(self.configs[config])

    def to_dict(self, config: str) -> dict:
        return to_dict(self.configs[config])


def _yaml_type(feature: Any) -> tuple[str, Any]:
    """(key, value) of one feature in the dataset card's YAML form (as ``datasets`` writes it)."""
    if isinstance(feature, dict):
        return "struct", yaml_list(feature)
    if isinstance(feature, Value):
        return "dtype", feature.dtype
    if isinstance(feature, ClassLabel):
        return "dtype", {"class_label": {"names": {str(i): n for i, n in enumerate(feature.names)}}}
    if isinstance(feature, List):
        key, value = _yaml_type(feature.feature)
        if key == "dtype":
            return "list", value
        return "list", value if key == "struct" else {key: value}
    raise TypeError(feature)


def yaml_list(features: dict) -> list[dict]:
    """The ``dataset_info.features`` list of a dataset card."""
    out = []
    for name, feature in features.items():
        key, value = _yaml_type(feature)
        out.append({"name": name, key: value})
    return out
