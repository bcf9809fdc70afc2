"""Everything the first turn would load, loaded before the action server listens.

Why: `/health` must mean « the next turn is fast ». The first turn used to pay for spaCy's French
model, the parsing of its persona and the engine's first run; on busy cores that blocked the
server's event loop for seconds (the supervisor then took a live server for a hung one, see
docs/benchmarks.md) and made the first candidate wait.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.actions import signals
from bot.actions.persona_cache import preload_library
from bot.actions.roleplay import reply_messages
from personas.fingerprint import persona_ref
from personas.schema import Persona

logger = logging.getLogger(__name__)
WARM_MESSAGE = {"text": "Bonjour, quel budget avez-vous prévu pour ce projet ?",
                "intent": {"name": "ask_budget", "confidence": 0.9}, "entities": []}


def warm_turn(persona: Persona) -> bool:
    """Play one turn of a cached persona, named by its ref, with the real reading and engine."""
    roleplay: dict[str, Any] = {"session_id": "warm", "seed": 1, "turn_index": 0, "state": None, "history": [],
                                "persona_ref": persona_ref(persona.model_dump(mode="json"))}
    messages = reply_messages(WARM_MESSAGE, roleplay, signals.read_turn)
    return bool(messages) and "error" not in messages[-1]


def warm_up() -> dict[str, Any]:
    """Cache the library personas, load the reading, play one turn; says what worked (logged)."""
    library = preload_library()
    done: dict[str, Any] = {"personas": len(library), "reading": signals.warm_reading()}
    done["turn"] = warm_turn(library[min(library)]) if library else False
    logger.info("serveur d'actions préchauffé : %s", done)
    return done
