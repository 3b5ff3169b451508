"""Reference systems for the dataset's tasks, trained on the gold train split and scored on the test split with
the official metric (:mod:`counterclaim.quality.evaluate`): a CRF for actor mentions and event triggers with
linear models for claim sentences and claimant choice, the registry alias matcher, and the rule-based
pre-annotator when it is installed. Small and CPU-only; ``counterclaim baselines run`` reproduces them."""
