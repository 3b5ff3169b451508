"""Label Studio formats, as pure functions with no I/O: the labeling config generated from the ontology, the
converter from a JSON export task to an annotated document (with its report codes), and the inverse from an
annotation to Label Studio results and predictions."""
