"""The recorded intents of the live NLU, with the real turn reading: every persona's strong script
reaches its good outcome and the weak one never does (what the end-to-end tests check through Rasa,
here without a server, so a reading regression shows up in seconds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.actions.signals import read_turn
from personas.engine import CandidateTurn, TurnSignals, play_turn
from personas.loader import load_library
from personas.schema import SUCCESS_OUTCOMES

pytestmark = pytest.mark.slow
LIB = load_library()
RECORDED = json.loads((Path(__file__).parents[1] / "personas" / "data" / "live_nlu_turns.json").read_text("utf-8"))
STEPS = RECORDED.get("personas", RECORDED)


def outcome(persona_id: str, kind: str) -> str | None:
    persona, state, history, result = LIB[persona_id], None, [], None
    for step in STEPS[persona_id][kind]:
        reading = read_turn(step["text"], history, persona)
        assert reading is not None
        turn = CandidateTurn(text=step["text"], intent=step["intent"], confidence=step["confidence"],
                             analysis=TurnSignals.model_validate(reading))
        result = play_turn(persona, state, turn, 1234)
        state = result.state
        history.append({"speaker_role": "candidate", "speaker_id": "candidat", "text": step["text"]})
        history += [{"speaker_role": "persona", "speaker_id": li.speaker_id, "text": li.text} for li in result.lines]
        if result.ended:
            break
    assert result is not None
    return result.outcome


@pytest.mark.parametrize("persona_id", sorted(LIB))
def test_strong_wins_and_weak_does_not_with_live_intents(persona_id):
    assert outcome(persona_id, "strong") == LIB[persona_id].end_conditions.success_outcome
    assert outcome(persona_id, "weak") not in SUCCESS_OUTCOMES
