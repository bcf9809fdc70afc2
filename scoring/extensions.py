"""Doc/Span extension attributes set by the scoring components (registered once per process)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

_DOC_ATTRS: dict[str, Any] = {
    "markers": None,  # list[Span], span.label_ is the marker family (components.markers)
    "is_question": False,
    "question_type": None,  # "open" | "closed" | None (evaluation contract)
    "question_form": None,  # "open" | "closed" | "alternative" | "leading" | None
    "question_spans": None,  # list[Span]: the sentences that ask something
    "spin": None,
    "phatic": False,  # every question of the turn is small talk (« comment allez-vous ? »)
    "interrogative": False,  # a question sentence has interrogative form (not just « ? »)
    "assertiveness": "neutral",
    "assertiveness_scores": None,  # dict[str, float]
    "assertiveness_markers": None,  # list[Span]
    "sentiment": 0.0,
    "subjectivity": 0.0,
    "negotiation": None,  # list[dict]: offers, concessions, counterparts
}
_SPAN_ATTRS: dict[str, Any] = {"question_form": None,
                                "interrogative": False}  # this sentence asks by its form (wh-word, inversion, request)


def register_extensions() -> None:
    """Register the attributes if missing; safe to call many times (idempotent, like negspacy)."""
    for name, default in _DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def markers_of(doc: Doc, *families: str) -> list[Span]:
    """Marker spans of the given families (all if none given)."""
    spans: list[Span] = doc._.markers or []
    if not families:
        return list(spans)
    return [s for s in spans if s.label_ in families]
