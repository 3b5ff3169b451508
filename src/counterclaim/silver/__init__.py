"""Silver annotations: the rule-based engine's annotation of every corpus document, stored in ``corpus/silver/``
apart from the gold in ``corpus/annotations/``, with a manifest saying which engine made them, from which inputs,
and how well that engine scores against the gold.

``build`` runs the engine over the corpus and writes the files, ``store`` reads them and says whether they are
current, ``scores`` measures the engine on the gold documents it was not written on.
"""

from counterclaim.silver.store import (BUILD_HINT, Follower, SilverError, SilverStatus, SilverStore, gold_digest,
                                       status, texts_digest)

__all__ = ["BUILD_HINT", "Follower", "SilverError", "SilverStatus", "SilverStore", "gold_digest", "status",
           "texts_digest"]
