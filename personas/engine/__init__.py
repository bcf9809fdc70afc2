"""The persona engine: pure, deterministic role-play behaviour (see docs/personas.md)."""

from personas.engine.core import initial_state, opening_lines, play_turn
from personas.engine.models import CandidateTurn, EngineState, Line, TurnResult, TurnSignals

__all__ = [
    "CandidateTurn",
    "EngineState",
    "Line",
    "TurnResult",
    "TurnSignals",
    "initial_state",
    "opening_lines",
    "play_turn",
]
