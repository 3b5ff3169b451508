"""The data model: the ontology loaded from ``schema/ontology.yaml``, the defaults of optional values, the JSON
Schema generated from the ontology, and the rules that select annotations (gold, each annotator's latest)."""
