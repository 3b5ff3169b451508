"""Rows of the silver configs from one document's silver annotation (pure functions).

The rows are those of the gold configs (:class:`counterclaim.hf.rows.RowBuilder`), built from the engine's
annotation instead of the gold one; ``silver_incidents`` is built by the export from the silver event reports of
every document, as ``incidents`` is from the gold ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from counterclaim.hf.quantities import quantity_rows

if TYPE_CHECKING:
    from counterclaim.hf.rows import RowBuilder
    from counterclaim.hf.rows_sentences import DocumentContext


def silver_rows(builder: "RowBuilder", ctx: "DocumentContext", doc: dict, silver_ann: dict
                ) -> Iterator[tuple[str, dict]]:
    """``(config, row)`` of ``silver_documents``, ``silver_claims`` and ``silver_quantities`` for one document."""
    layers = builder.layers(silver_ann)
    prov = silver_ann["provenance"]
    tool = prov.get("tool") or {}
    yield "silver_documents", {
        "doc_id": doc["doc_id"], "title": doc.get("title"), "text": doc["text"], "text_sha256": doc["text_sha256"],
        "source": builder.source_metadata(doc.get("source") or {}),
        "annotation_id": silver_ann["id"], "origin": prov["origin"], "annotator": prov["annotator"],
        "tool_name": tool.get("name"), "tool_version": tool.get("version"),
        **layers, "sentences": ctx.sentence_column(),
    }
    for row in builder.claim_rows(doc, silver_ann, layers, ctx):
        yield "silver_claims", row
    for row in quantity_rows(builder, ctx, doc, silver_ann):
        yield "silver_quantities", row
