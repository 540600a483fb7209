"""Oxigraph stores: in memory or persistent (`mixity load`), RDFS entailment, the start-up cache."""
