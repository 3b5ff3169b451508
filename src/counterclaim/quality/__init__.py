"""Making and checking annotations: quote-based authoring, agreement between annotators, adjudication of their
disagreements, scoring system output against the gold (the official metric), and the guidelines' generated
tables and machine-checked examples."""
