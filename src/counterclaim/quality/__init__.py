"""Making and checking annotations: quote-based authoring, agreement between annotators, adjudication of their
disagreements, and the guidelines' generated tables and machine-checked examples."""
