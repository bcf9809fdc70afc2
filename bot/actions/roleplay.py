"""Pure glue between a Rasa ``latest_message`` and the persona engine (no rasa_sdk import).

Kept apart from the Action class so it can be tested with plain dicts and so the class stays a
three-line adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.actions.persona_cache import PERSONAS, PersonaCache, PersonaMissing
from personas.engine import CandidateTurn, TurnSignals, play_turn
from personas.errors import PersonaError
from personas.schema import Persona

# (candidate text, history, persona) -> the turn reading as JSON (scoring.schema.TurnReading), or None
ReadingFn = Callable[[str, list[dict[str, Any]], Persona], dict[str, Any] | None]

MISSING_SESSION_FR = (
    "Les données de la session de jeu de rôle sont manquantes ou illisibles : je ne peux pas répondre. "
    "Rechargez la page ou relancez la session depuis votre tableau de bord."
)
ENGINE_FAILURE_FR = (
    "Un incident technique empêche le personnage de répondre à ce message. "
    "Reformulez ou renvoyez votre message ; la séance n'est pas perdue."
)
SYSTEM_SPEAKER = {"speaker_id": "systeme", "speaker": "Système"}
logger = logging.getLogger(__name__)


def _nlu(message: dict[str, Any]) -> dict[str, Any]:
    intent = message.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    confidence = intent.get("confidence") if isinstance(intent, dict) else None
    return {
        "intent": name if isinstance(name, str) and name else "nlu_fallback",
        "confidence": float(confidence) if isinstance(confidence, int | float) else 0.0,
    }


def _missing(nlu: dict[str, Any], state: Any, detail: str, text: str = MISSING_SESSION_FR) -> list[dict[str, Any]]:
    """One French system line and an unchanged, not-ended state: the API keeps the session alive."""
    return [
        {"kind": "line", **SYSTEM_SPEAKER, "text": text},
        {
            "kind": "state",
            "state": state if isinstance(state, dict) else {},
            "ended": False,
            "outcome": None,
            "nlu": nlu,
            "error": detail,
        },
    ]


def persona_missing(nlu: dict[str, Any], state: Any, digest: str) -> list[dict[str, Any]]:
    """No line, one state message saying which persona body to send: the app sends the same turn
    again with ``persona`` (see docs/contracts.md). Nothing was played, the state is unchanged."""
    return [{"kind": "state", "state": state if isinstance(state, dict) else {}, "ended": False, "outcome": None,
             "nlu": nlu, "error": "persona_missing", "persona_missing": True, "persona_hash": digest}]


def reply_messages(message: dict[str, Any], roleplay: Any, reading_fn: ReadingFn | None = None,
                   cache: PersonaCache | None = None) -> list[dict[str, Any]]:
    """The custom JSON messages (lines, then one state) answering the candidate message.

    The persona comes from `cache` (the process's own by default) by ``persona_ref.hash``, or from
    the ``persona`` body sent with the turn, checked against that hash once. The state message
    carries the turn's reading, which the API stores with the turn: the engine acted on exactly
    that reading, and the report reuses it.
    """
    nlu = _nlu(message)
    if not isinstance(roleplay, dict) or (roleplay.get("persona_ref") is None
                                          and not isinstance(roleplay.get("persona"), dict)):
        return _missing(nlu, None, "metadata.roleplay.persona absent")
    state = roleplay.get("state")
    seed = roleplay.get("seed")
    history = roleplay.get("history")
    if state is not None and not isinstance(state, dict):
        return _missing(nlu, None, "metadata.roleplay.state invalide")
    if not isinstance(seed, int) or isinstance(seed, bool):
        return _missing(nlu, state, "metadata.roleplay.seed invalide")
    try:
        persona = (cache if cache is not None else PERSONAS).resolve(roleplay)
    except PersonaMissing as missing:
        return persona_missing(nlu, state, str(missing))
    except PersonaError as exc:
        return _missing(nlu, state, str(exc))
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    history_list = history if isinstance(history, list) else []
    reading = reading_fn(text, history_list, persona) if reading_fn is not None and text else None
    analysis = TurnSignals.model_validate(reading) if reading is not None else None
    entities = [e for e in message.get("entities") or [] if isinstance(e, dict)]
    turn = CandidateTurn(
        text=text, intent=nlu["intent"], confidence=nlu["confidence"], entities=entities, analysis=analysis
    )
    try:
        result = play_turn(persona, state, turn, seed)
    except ValueError as exc:  # pydantic ValidationError on a corrupted state
        return _missing(nlu, state, f"état illisible : {exc.__class__.__name__}")
    except Exception as exc:  # an engine bug must not take the action server down with the session
        logger.exception("play_turn a échoué")
        return _missing(nlu, state, f"erreur du moteur : {exc.__class__.__name__}", ENGINE_FAILURE_FR)
    messages: list[dict[str, Any]] = [{"kind": "line", **line.model_dump()} for line in result.lines]
    messages.append(
        {"kind": "state", "state": result.state, "ended": result.ended, "outcome": result.outcome, "nlu": nlu,
         "reading": reading}
    )
    return messages
