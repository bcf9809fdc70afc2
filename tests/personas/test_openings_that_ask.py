"""An opening that greets or announces the plan, then asks, gets its question answered (issue 12).

« Belle présentation, mais vous ne savez rien de nos contraintes » answered a candidate who had
presented nothing and asked about those very constraints; « Vous avez vingt minutes » answered a
greeting that ended on a question. Readings are built by hand; the sentences are our own.
"""

from __future__ import annotations

import pytest

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
ASKS = TurnSignals(reader_version="4.2", is_question=True, question_type="open", question_subtype="ouverte")
PERSONAS = ["b4-acheteur-aeronautique", "b2-transport-frigorifique", "b4-acheteuse-habitat-social"]


@pytest.mark.parametrize("persona_id", PERSONAS)
def test_a_plan_of_the_meeting_then_a_question_is_no_premature_offer(persona_id: str) -> None:
    s = Session(LIB[persona_id], seed=3)
    s.say("Je vous remercie pour ce rendez-vous. Je vous suggère d'abord de faire le point sur votre "
          "organisation, ensuite de vous présenter notre solution, et enfin de parler conditions. "
          "Pour démarrer, comment travaillez-vous aujourd'hui ?", "present_offer", analysis=ASKS)
    events = " ".join(s.state["events"])
    assert "offer_premature" not in events
    assert "reread:present_offer>open_question" in events
    assert not s.state["offer_presented"]


def test_an_offer_stated_before_the_question_is_still_an_offer() -> None:
    s = Session(LIB["b2-transport-frigorifique"], seed=3)
    s.say("Nous proposons un logiciel de planification des tournées avec suivi en temps réel. "
          "Qu'est-ce que vous en pensez ?", "present_offer", analysis=ASKS)
    assert "offer_premature" in " ".join(s.state["events"])


@pytest.mark.parametrize("persona_id", PERSONAS)
def test_a_greeting_that_ends_on_a_question_is_greeted_back_and_answered(persona_id: str) -> None:
    s = Session(LIB[persona_id], seed=3)
    result = s.say("Bonjour, ravi de faire votre connaissance. Qu'est-ce qui occupe le plus vos journées "
                   "en ce moment ?", "greet", analysis=ASKS)
    assert s.state["greeted"]
    assert len(result.lines) == 2  # the greeting back, then the answer
    assert "reread:greet>open_question" in " ".join(s.state["events"])


def test_a_plain_greeting_is_only_greeted_back() -> None:
    s = Session(LIB["b2-transport-frigorifique"], seed=3)
    result = s.say("Bonjour, enchanté.", "greet", analysis=TurnSignals(reader_version="4.2"))
    assert s.state["greeted"] and len(result.lines) == 1
