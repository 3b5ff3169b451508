"""Versioned releases of the corpus and the dataset: a snapshot of what a release holds, the comparison with
the previous one (which version step the changes need), and the release itself."""

from counterclaim.release.cut import ReleaseReport, release

__all__ = ["ReleaseReport", "release"]
