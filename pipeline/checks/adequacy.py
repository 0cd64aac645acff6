"""Semantic adequacy (A5): a target that renders something else than its source, found with the
sentence embeddings the aligner computes (each sentence embedded once per run)."""
