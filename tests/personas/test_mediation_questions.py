"""Bloc 5: a restatement that ends on a question to the other member gets that member's answer."""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

PAIR = load_library()["b5-conflit-portefeuille"]


def signals(**fields) -> TurnSignals:
    return TurnSignals(reader_version="2.0", **fields)


def test_the_question_after_a_restatement_is_answered_by_the_member_it_is_put_to():
    s = Session(PAIR)
    s.say("Bonjour à tous les deux, merci d'être venus.", "greet")
    s.say("Je vous propose une règle : chacun parle à son tour, on parle des faits.", "set_ground_rules")
    s.say("Karim, comment as-tu vécu la situation ?", "invite_to_speak",
          analysis=signals(is_question=True, question_type="open", question_subtype="ouverte", addressee=["karim"]))
    ok_lines = {t for v in PAIR.lines["reformulation_ok"].values() for t in v}
    before = len(s.events)
    result = s.say("Si je te suis bien, Karim, tu as appris par le client qu'il avait été contacté sans que tu "
                   "le saches. Et toi Julie, comment l'as-tu vécu ?", "reformulate",
                   analysis=signals(is_question=True, question_type="open", question_subtype="ouverte",
                                    is_reformulation=True, reformulation_accuracy="accurate", addressee=["julie"]))
    assert result.lines and result.lines[0].speaker_id == "julie"
    assert not {line.text for line in result.lines} <= ok_lines
    assert not any(e.startswith("reformulation_off") for e in s.events[before:])


def test_a_closing_after_both_members_accepted_is_not_met_with_nothing_was_decided():
    """Both said yes to the proposal: the closing concludes (with a recap) or asks for the recap, never
    « on n'a rien décidé »; before that, the member who has not accepted says what is missing."""
    from personas.engine import CandidateTurn
    from personas.engine.context import TurnContext
    from personas.engine.core import load_state
    from personas.engine.mediation import close
    from personas.engine.models import MemberState
    from personas.engine.reading import read_turn
    from personas.engine.voice import Voice

    state = load_state(PAIR, None)
    state.solution_agreed = True
    state.summary_turn = state.turn = 5
    for member_id in state.members:
        state.members[member_id] = MemberState(tension=0.2, solution_accepted=True)
    ctx = TurnContext(persona=PAIR, state=state, reading=read_turn(CandidateTurn(
        text="On acte : créneaux publiés lundi, bilan le 15 mai ?", intent="request_commitment")),
        voice=Voice(PAIR, state, 1))
    close(ctx)
    assert state.outcome == "agreement" and state.ended

    state2 = load_state(PAIR, None)
    state2.members["karim"] = MemberState(tension=0.2, solution_accepted=True)
    ctx2 = TurnContext(persona=PAIR, state=state2, reading=read_turn(CandidateTurn(
        text="On est d'accord ?", intent="request_commitment")), voice=Voice(PAIR, state2, 1))
    close(ctx2)
    assert "closing_premature" in " ".join(state2.events)
    assert ctx2.voice.lines and ctx2.voice.lines[0].speaker_id == "julie"
