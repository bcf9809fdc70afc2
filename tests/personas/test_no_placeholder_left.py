"""No persona line may show a template slot (« Et {autre} peut écrire… » reached a candidate when a
mediator took sides): every situation that declares a slot is said with it filled."""

from __future__ import annotations

import pytest

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

# Mediations: a one-to-one has no other member to name (tests/personas/test_one_to_one.py).
TEAMS = [p for p in load_library().values() if p.team is not None and not p.team.one_to_one]


@pytest.mark.parametrize("persona", TEAMS, ids=lambda p: p.id)
@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize("kind", ["sides_with", "blames"])
def test_taking_sides_names_the_other_member(persona, side, kind):
    member = persona.team.members[side].speaker
    other = persona.team.members[1 - side].speaker
    lines = []
    events: list[str] = []
    for seed in range(6):  # several variants of the reaction
        s = Session(persona, seed=seed)
        s.say("Bonjour à tous les deux, merci d'être là.", "greet")
        s.say("Je pense que c'est clair.", "inform",
              analysis=TurnSignals(is_question=False, stance={kind: member}, reader_version="2.0"))
        lines += [line for result in s.results for line in result.lines]
        events += s.events
    assert any(e.startswith("taking_sides") for e in events)
    assert not [line.text for line in lines if "{" in line.text or "}" in line.text]
    hurt = other if kind == "sides_with" else member
    assert any(line.speaker_id == hurt for line in lines)
