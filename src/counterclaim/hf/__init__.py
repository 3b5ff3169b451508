"""Publishing the corpus as a Hugging Face dataset: features, rows, splits, card, export."""
