"""Each Bloc 4 session draws the buyer's thresholds within the trainer's band (issue: the limit
could be found by bisection because every session had the same one and worded it differently)."""

from __future__ import annotations

import pytest

from personas.debrief import debrief
from personas.engine import TurnSignals
from personas.engine.negotiation import position, price_text
from personas.engine.thresholds import draw_thresholds, extreme_thresholds
from personas.engine.voice import format_price
from personas.lint import lint_persona
from personas.loader import load_library
from tests.personas.persona_helpers import Session, session_negotiation

LIB = load_library()
OPEN = TurnSignals(is_question=True, question_type="open")
BUYERS = [p for p in LIB.values() if p.negotiation is not None]


@pytest.mark.parametrize("persona", BUYERS, ids=lambda p: p.id)
def test_the_library_buyers_draw_different_limits_across_sessions(persona):
    limits = {draw_thresholds(persona.negotiation, seed).walk_away for seed in range(40)}
    assert persona.negotiation.session_band > 0
    assert len(limits) >= 5
    low, high = extreme_thresholds(persona.negotiation)
    assert all(low.walk_away <= limit <= high.walk_away for limit in limits)


@pytest.mark.parametrize("persona", BUYERS, ids=lambda p: p.id)
def test_a_draw_keeps_the_design_and_is_the_same_for_the_same_seed(persona):
    for seed in range(40):
        drawn = draw_thresholds(persona.negotiation, seed)
        assert drawn.opening < drawn.target < drawn.walk_away
        assert drawn == draw_thresholds(persona.negotiation, seed)


def test_a_persona_without_band_keeps_its_thresholds():
    persona = BUYERS[0]
    fixed = persona.negotiation.model_copy(update={"session_band": 0.0})
    drawn = draw_thresholds(fixed, 3)
    assert (drawn.opening, drawn.target, drawn.walk_away) == (fixed.opening, fixed.target, fixed.walk_away)


def _to_price_talk(s: Session) -> None:
    n = s.persona.negotiation
    for need in s.persona.needs:
        keyword = need.keywords[0] if need.keywords else ""
        s.say(f"Pouvez-vous m'en dire plus sur {keyword} ?", need.topics[0], analysis=OPEN)
    s.say(f"Notre proposition est de {int(n.candidate_list_price)} € HT par an.", "propose_price")


@pytest.mark.parametrize("persona", BUYERS, ids=lambda p: p.id)
def test_the_session_plays_and_records_its_own_draw(persona):
    seeds = [0, 1, 2, 3, 5, 8]
    recorded = set()
    for seed in seeds:
        s = Session(persona, seed=seed)
        _to_price_talk(s)
        n = s.negotiation
        assert s.state["thresholds"]["walk_away"] == n.walk_away
        assert s.state["negotiation"]["persona_offer"] == position(n, 0) == n.opening
        recorded.add(n.walk_away)
        facts = debrief(persona, s.state).negotiation
        assert facts is not None and facts["thresholds"]["walk_away"] == n.walk_away
    assert len(recorded) > 1


@pytest.mark.parametrize("persona", BUYERS, ids=lambda p: p.id)
def test_a_price_is_said_the_same_way_at_the_limit_and_below(persona):
    """« D'accord pour votre proposition » only at the limit told the candidate where it was."""
    n = session_negotiation(persona, 4)
    for value in (n.walk_away, n.walk_away - n.rounding, n.target):
        assert price_text(n, value) == format_price(value, n.unit_label)


def test_lint_checks_both_ends_of_the_band():
    persona = next(p for p in BUYERS if p.id == "b4-acheteur-aeronautique")
    assert lint_persona(persona) == []
    too_wide = persona.model_copy(update={"negotiation": persona.negotiation.model_copy(update={"session_band": 0.15})})
    warnings = lint_persona(too_wide)
    assert any("fourchette" in w for w in warnings), warnings
