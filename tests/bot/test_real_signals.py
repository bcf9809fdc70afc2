"""End to end below Rasa: the scripted candidates, annotated by the real scoring package, through the engine.

Slow (loads spaCy once). It guards the seam the unit tests mock: if the scoring labels drift, the
strong candidates must still succeed and the weak ones still fail.
"""

import pytest

from bot.actions.signals import read_turn
from personas.engine import CandidateTurn, TurnSignals, play_turn
from personas.loader import load_library
from personas.schema import SUCCESS_OUTCOMES
from personas.scripts import load_scripts

pytestmark = pytest.mark.slow
LIB = load_library()


def _play(persona, steps):
    state, history, result = None, [], None
    for step in steps:
        reading = read_turn(step.text, history, persona)
        assert reading is not None, "scoring.annotate must be usable in the app environment"
        signals = TurnSignals.model_validate(reading)
        result = play_turn(persona, state, CandidateTurn(text=step.text, intent=step.intent, analysis=signals), 7)
        state = result.state
        history.append({"speaker_role": "candidate", "speaker_id": "candidat", "text": step.text})
        history += [{"speaker_role": "persona", "speaker_id": li.speaker_id, "text": li.text} for li in result.lines]
        if result.ended:
            break
    return result


@pytest.fixture(scope="module", autouse=True)
def _scoring_available():
    pytest.importorskip("scoring.annotate")
    if read_turn("Comment travaillez-vous ?", [], next(iter(LIB.values()))) is None:
        pytest.skip("scoring.annotate indisponible (modèle spaCy ?)")


@pytest.mark.parametrize("persona_id", sorted(LIB))
def test_strong_and_weak_with_real_signals(persona_id):
    persona = LIB[persona_id]
    scripts = load_scripts(persona_id)
    strong = _play(persona, scripts.strong)
    assert strong.outcome == persona.end_conditions.success_outcome, strong.state["events"]
    weak = _play(persona, scripts.weak)
    assert weak.outcome not in SUCCESS_OUTCOMES, weak.state["events"]
