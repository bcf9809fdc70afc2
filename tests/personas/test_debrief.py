"""The persona-side debrief reflects what actually happened in the session."""

import pytest

from personas.debrief import debrief
from personas.loader import load_library
from personas.scripts import load_scripts, run_script

LIB = load_library()


@pytest.mark.parametrize("persona_id", sorted(LIB))
def test_strong_and_weak_debriefs_differ(persona_id):
    persona = LIB[persona_id]
    scripts = load_scripts(persona_id)
    strong = debrief(persona, run_script(persona, scripts.strong).state)
    weak = debrief(persona, run_script(persona, scripts.weak).state)
    assert strong.success and not weak.success
    assert len(strong.needs_revealed) > len(weak.needs_revealed)
    assert len(weak.needs_missed) > len(strong.needs_missed)
    assert strong.lines_fr[0].startswith("Issue : ")
    if persona.negotiation is not None:
        assert strong.negotiation["concessions_without_counterpart"] == 0
        assert any("Prix convenu" in line for line in strong.lines_fr)


def test_unfinished_session():
    persona = LIB["b2-transport-frigorifique"]
    state = run_script(persona, load_scripts(persona.id).strong[:3]).state
    result = debrief(persona, state)
    assert result.outcome is None and result.outcome_fr == "séance non terminée"
    assert result.needs_revealed == ["Planning des tournées fait à la main sur Excel par deux exploitants"]
