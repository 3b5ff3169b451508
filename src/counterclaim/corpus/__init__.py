"""The document corpus: readers of raw inputs, the normalisation policy, ids, build and ingestion."""

from counterclaim.corpus.add import AddReport, add_to_corpus, load_reliability_map
from counterclaim.corpus.build import BuildReport, build_corpus, load_documents, read_manifest
from counterclaim.corpus.check import CheckReport, check_corpus
from counterclaim.corpus.limits import DEFAULT_LIMITS, Limits
from counterclaim.corpus.references import RawSources
from counterclaim.corpus.ids import content_id, id_from_filename
from counterclaim.corpus.normalize import (
    POLICY_VERSION,
    RULES,
    normalize_article,
    normalize_record,
    normalize_text,
    normalize_title,
    render_policy_markdown,
)
from counterclaim.corpus.readers import READERS, RawRecord, RowProblem, input_kind

__all__ = [
    "DEFAULT_LIMITS",
    "POLICY_VERSION",
    "READERS",
    "RULES",
    "AddReport",
    "BuildReport",
    "CheckReport",
    "Limits",
    "RawSources",
    "RawRecord",
    "RowProblem",
    "add_to_corpus",
    "build_corpus",
    "check_corpus",
    "content_id",
    "id_from_filename",
    "input_kind",
    "load_documents",
    "load_reliability_map",
    "normalize_article",
    "normalize_record",
    "normalize_text",
    "normalize_title",
    "read_manifest",
    "render_policy_markdown",
]
