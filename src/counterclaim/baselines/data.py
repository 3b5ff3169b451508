"""The gold documents the baselines learn from and are scored on, with their sentences and tag sequences.

Built with the dataset's own code (:class:`counterclaim.hf.rows.RowBuilder`, the ``ner_sentences`` rows), so a
baseline sees exactly the tokens, sentences and tags a researcher loads from the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CorpusError
from counterclaim.hf.features import ConfigFeatures
from counterclaim.hf.rows import RowBuilder
from counterclaim.hf.rows_sentences import DocumentContext, ner_sentence_rows
from counterclaim.hf.splits import split_of
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout, annotation_file_name
from counterclaim.model.ontology import Ontology
from counterclaim.model.selection import select_gold


@dataclass
class Sentence:
    """One sentence of a gold document: tokens with document offsets, and its gold tags as label strings."""

    start: int
    end: int
    tokens: list[str]
    starts: list[int]
    ends: list[int]
    tags: dict[str, list[str]]  # ner_tags, event_tags, claim_tags


@dataclass
class GoldDocument:
    doc: dict  # the corpus document
    annotated: dict  # the annotated document
    gold: dict  # its gold annotation
    split: str
    ctx: DocumentContext
    sentences: list[Sentence]


def load_gold(layout: Layout, ont: Ontology) -> tuple[list[GoldDocument], str]:
    """Every corpus document with a gold annotation, in corpus order, and the corpus version."""
    corpus = BuiltCorpus.open(layout.corpus_dir)
    features = ConfigFeatures(ont)
    builder = RowBuilder(ont, features)
    names = {column: features.labels[label].names for column, label in
             (("ner_tags", "actor_tags"), ("event_tags", "event_tags"), ("claim_tags", "claim_tags"))}
    out = []
    for doc in corpus.documents():
        path = Path(layout.annotations_dir) / annotation_file_name(doc["doc_id"])
        if not path.exists():
            continue
        annotated = jsonio.read_json(path)
        if annotated.get("text_sha256") != doc["text_sha256"]:
            raise CorpusError(f"{path}: made for another text than corpus document {doc['doc_id']}; re-pull it")
        gold = select_gold(annotated).annotation
        if gold is None:
            continue
        ctx = DocumentContext.of(doc)
        sentences = [
            Sentence(row["start"], row["end"], row["tokens"], row["token_starts"], row["token_ends"],
                     {column: [names[column][t] for t in row[column]] for column in names})
            for row in ner_sentence_rows(builder, ctx, gold)
        ]
        out.append(GoldDocument(doc, annotated, gold, split_of(doc["doc_id"]), ctx, sentences))
    return out, corpus.version
