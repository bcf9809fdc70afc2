"""The turn reading, computed once per candidate turn in the action server by ``scoring``.

The engine stays pure by receiving the reading; computing it needs spaCy, which lives in
``scoring``. The same reading is sent back to the API, stored with the turn and reused by the report
and the grid. Any failure there (model missing, bad input) must not break the role-play: the engine
then falls back on the NLU intent alone, and the report reads the turn at scoring time.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from personas.reading_inputs import speaker_refs, topic_refs
from personas.schema import Persona
from scoring.schema import GENRE_OF_BLOC, READING_CONTEXT_TURNS

logger = logging.getLogger(__name__)
CONTEXT_TURNS = READING_CONTEXT_TURNS


def context_from_history(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The last turns as the reading's context: the candidate is "self", the persona "other"."""
    context: list[dict[str, Any]] = []
    for item in history[-CONTEXT_TURNS:]:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        if item.get("speaker_role") == "candidate":
            context.append({"speaker": "self", "text": item["text"]})
        else:
            speaker_id = item.get("speaker_id")
            context.append({"speaker": "other", "text": item["text"],
                            "speaker_id": speaker_id if isinstance(speaker_id, str) else None})
    return context


def read_turn(text: str, history: list[dict[str, Any]], persona: Persona,
              when: datetime | None = None) -> dict[str, Any] | None:
    """The reading of the candidate turn (``TurnReading`` as JSON), or None when impossible."""
    try:
        from scoring.annotate import annotate_turns
    except Exception:  # scoring not installed or its models missing: intent-only fallback
        logger.warning("scoring.annotate indisponible : l'engine utilisera l'intention seule", exc_info=True)
        return None
    try:
        item = {"id": "turn", "lang": "fr", "text": text, "context": context_from_history(history),
                "genre": GENRE_OF_BLOC.get(int(persona.bloc)), "speakers": speaker_refs(persona),
                "topics": topic_refs(persona), "when": when}
        return annotate_turns([item])[0].model_dump(mode="json")
    except Exception:
        logger.warning("lecture du tour impossible : l'engine utilisera l'intention seule", exc_info=True)
        return None


WARM_TURN = {"id": "warm", "lang": "fr", "text": "Bonjour, quel budget avez-vous prévu pour ce projet ?",
             "context": [{"speaker": "other", "text": "Bonjour, je vous écoute."}], "genre": None,
             "speakers": [], "topics": [], "when": None}


def warm_reading() -> bool:
    """Read one sample turn so that spaCy and the lexicons are loaded before the server listens.

    Why: the action runs in the server's event loop; a first turn that loads the French model there
    blocks `/health` for seconds (longer on busy cores, with a queue of turns behind it), and the
    supervisor then took a live action server for a hung one and killed it (seen by
    bench/fault_bench.py). False when the reading is unavailable (the engine then uses the intent).
    """
    try:
        from scoring.annotate import annotate_turns

        annotate_turns([WARM_TURN])
    except Exception:
        logger.warning("préchargement de la lecture des tours impossible", exc_info=True)
        return False
    return True
