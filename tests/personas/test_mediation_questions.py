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
