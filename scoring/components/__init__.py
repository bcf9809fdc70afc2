"""spaCy components of the scoring pipeline; importing this package registers the factories."""

from scoring.components import assertiveness, markers, negotiation, questions, sentiment

__all__ = ["assertiveness", "markers", "negotiation", "questions", "sentiment"]
