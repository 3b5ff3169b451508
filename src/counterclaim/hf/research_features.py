"""Features of the research configs (``ner_sentences``, ``quantities``, ``bigbio_kb``) and the columns added to
existing configs in 0.2 (sentences, global ids, claim context).

Added columns come after the existing ones, so rows of 0.1 keep every column, name and type (a minor version).
Global ids are ``<doc_id>:<local id>`` (:mod:`counterclaim.hf.gids`): a row's ``id`` and every column whose
name ends in ``_gid`` or ``_gids``. The other id columns keep the local ids of 0.1.

``bigbio_kb`` is BigBio's knowledge-base schema exactly (bigscience-workshop/biomedical, ``utils/schemas/kb.py``,
``features``; a test compares it field by field), so BigBio tooling runs on it unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterclaim.hf.features import BOOL, FLOAT, INT, STR, ClassLabel, List, bio_names

if TYPE_CHECKING:
    from counterclaim.hf.features import ConfigFeatures

RESEARCH_CONFIGS = ("ner_sentences", "quantities", "bigbio_kb")
CLAIM_TAG_LABELS = ("CLAIM", "CUE", "CLAIMANT")


def _normalized():
    return List({"db_name": STR, "db_id": STR})


def bigbio_kb_features() -> dict:
    """BigBio's kb schema in the mirror types: ``datasets.Sequence(x)`` is ``List(x)``, ``[x]`` is ``List(x)``."""
    text_offsets = {"text": List(STR), "offsets": List(List(INT))}
    return {
        "id": STR,
        "document_id": STR,
        "passages": List({"id": STR, "type": STR, **text_offsets}),
        "entities": List({"id": STR, "type": STR, **text_offsets, "normalized": _normalized()}),
        "events": List({"id": STR, "type": STR, "trigger": dict(text_offsets),
                        "arguments": List({"role": STR, "ref_id": STR})}),
        "coreferences": List({"id": STR, "entity_ids": List(STR)}),
        "relations": List({"id": STR, "type": STR, "arg1_id": STR, "arg2_id": STR, "normalized": _normalized()}),
    }


def extend_configs(f: "ConfigFeatures") -> None:
    """Add the research columns to ``f.configs`` and the research configs after them."""
    L = f.labels
    L["claim_tags"] = ClassLabel(bio_names(CLAIM_TAG_LABELS))
    configs = f.configs
    configs["documents"]["sentences"] = List({"start": INT, "end": INT})
    configs["events"].update({
        "id": STR, "sentence_gid": STR, "part_of_gid": STR, "asserted_by_gids": List(STR),
    })
    configs["claims"].update({
        "id": STR, "context": STR, "context_start": INT, "sentence_gids": List(STR),
        "about_event_gids": List(STR), "about_quantity_gids": List(STR),
        "supports_gids": List(STR), "contests_gids": List(STR),
    })
    configs["annotations"]["id"] = STR
    configs["ner_sentences"] = {
        "id": STR, "doc_id": STR, "sentence_index": INT, "start": INT, "end": INT, "text": STR,
        "tokens": List(STR), "token_starts": List(INT), "token_ends": List(INT),
        "ner_tags": List(L["actor_tags"]), "event_tags": List(L["event_tags"]), "claim_tags": List(L["claim_tags"]),
        "unrepresented_mention_gids": List(STR), "unrepresented_event_gids": List(STR),
        "unrepresented_claim_gids": List(STR), "crossing_gids": List(STR),
    }
    actor = {"role": L["roles"], "mention_gid": STR, "actor": STR, "actor_name": STR,
             "actor_type": L["actor_types"], "text": STR}
    asserting = {"gid": STR, "claimant_kind": L["claimant_kinds"], "claimant_actor": STR,
                 "claimant_actor_name": STR, "claimant_text": STR, "co_claimant_actors": List(STR),
                 "reported_via_actors": List(STR),
                 "stance": L["stance"], "certainty": L["certainty"], "cue": STR}
    configs["quantities"] = {
        "id": STR, "doc_id": STR, "quantity_id": STR,
        "measurand": L["measurands"], "value": FLOAT, "low": FLOAT, "high": FLOAT, "qualifier": L["qualifiers"],
        "start": INT, "end": INT, "text": STR, "note": STR, "sentence_gid": STR, "context": STR,
        "event_gid": STR, "event_type": L["event_types"], "event_mode": L["modes"], "event_realis": L["realis"],
        "event_granularity": L["granularity"], "event_trigger": STR, "event_date_start": STR,
        "event_date_end": STR, "event_place": STR,
        "actors": List(actor), "actors_from_gid": STR,
        "claims": List(asserting), "claimant_actors": List(STR), "asserted_by_outlet": BOOL,
        "source_domain": STR, "source_url": STR, "source_reliability": STR, "incident_id": STR,
    }
    configs["bigbio_kb"] = bigbio_kb_features()
