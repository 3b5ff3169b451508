"""Features of the silver configs: the engine's annotations of every document, in configs of their own.

Silver never mixes with gold: each silver config is built from the silver annotations only
(``corpus/silver/``), and the gold configs from the gold ones only. ``silver_claims``, ``silver_quantities`` and
``silver_incidents`` have exactly the features of ``claims``, ``quantities`` and ``incidents``, so code written for
one runs on the other; ``silver_documents`` is ``documents`` with the annotation's provenance in place of the gold
columns (``gold_source``, ``gold_annotation_id``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterclaim.hf.features import STR

if TYPE_CHECKING:
    from counterclaim.hf.features import ConfigFeatures

# silver config -> the gold config it mirrors
SILVER_OF = {"silver_documents": "documents", "silver_claims": "claims", "silver_quantities": "quantities",
             "silver_incidents": "incidents"}
SILVER_CONFIGS = tuple(SILVER_OF)
GOLD_ONLY = ("gold_source", "gold_annotation_id")  # columns of `documents` that silver_documents does not have
PROVENANCE = {"annotation_id": STR, "origin": STR, "annotator": STR, "tool_name": STR, "tool_version": STR}


def extend_silver(f: "ConfigFeatures") -> None:
    """Add the silver configs to ``f.configs`` (after every gold config, whose features they copy)."""
    configs = f.configs
    documents = {}
    for name, feature in configs["documents"].items():
        if name == "mentions":
            documents.update(PROVENANCE)
        if name not in GOLD_ONLY:
            documents[name] = feature
    configs["silver_documents"] = documents
    for silver, gold in SILVER_OF.items():
        if silver != "silver_documents":
            configs[silver] = dict(configs[gold])
