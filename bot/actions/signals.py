"""Per-turn labels for the engine, from the scoring package when it is available.

The engine stays pure by receiving ``TurnSignals``; computing them needs spaCy, which lives in
``scoring``. Any failure there (package absent, model missing, bad input) must not break the
role-play: the engine then falls back on the NLU intent alone.
"""

from __future__ import annotations

import logging
from typing import Any

from personas.engine import TurnSignals

logger = logging.getLogger(__name__)
CONTEXT_TURNS = 8


def context_from_history(history: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The last turns as the scoring context: the candidate is "self", the persona "other"."""
    context: list[dict[str, str]] = []
    for item in history[-CONTEXT_TURNS:]:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        speaker = "self" if item.get("speaker_role") == "candidate" else "other"
        context.append({"speaker": speaker, "text": item["text"]})
    return context


def compute_signals(text: str, history: list[dict[str, Any]], genre: str | None = None) -> TurnSignals | None:
    """Annotate the candidate turn with ``scoring.annotate.annotate_turns``; None when impossible.

    ``genre`` (sales, negotiation, mediation) is the persona's kind of conversation: the live engine
    then reads reformulations with the same calibration as the final report.
    """
    try:
        from scoring.annotate import annotate_turns
    except Exception:  # scoring not installed or its models missing: intent-only fallback
        logger.warning("scoring.annotate indisponible : l'engine utilisera l'intention seule", exc_info=True)
        return None
    try:
        item = {"id": "turn", "lang": "fr", "text": text, "context": context_from_history(history), "genre": genre}
        annotation = annotate_turns([item])[0]
        data = annotation.model_dump() if hasattr(annotation, "model_dump") else dict(annotation)
        return TurnSignals.model_validate(data)
    except Exception:
        logger.warning("annotation du tour impossible : l'engine utilisera l'intention seule", exc_info=True)
        return None
