"""A turn written in English gets one request, in character, to go on in French; never a goodbye or a deal."""

from __future__ import annotations

import pytest

from personas.engine import TurnSignals
from personas.engine.reading import fold, written_in_english
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()


def _text(result) -> str:
    return " ".join(line.text for line in result.lines)


@pytest.mark.parametrize("persona_id", sorted(LIB))
def test_english_gets_one_request_in_french_and_never_ends_the_session(persona_id):
    s = Session(LIB[persona_id])
    for intent in ("goodbye", "request_commitment"):  # what an NLU trained on French may make of it
        result = s.say("Well, I think we are done here, so we can sign the contract today.", intent,
                       analysis=TurnSignals(reader_version="2.0"))
        assert not result.ended and s.state["outcome"] is None
    first, second = s.results
    assert "français" in _text(first).lower()
    assert "français" not in _text(second).lower()  # one request only; then a plain clarification
    assert s.state["english_turns"] == 2
    assert s.state["closing_attempts"] == 0


def test_a_persona_without_english_lines_says_the_engines_french_default():
    persona = LIB["b2-transport-frigorifique"]
    lines = {k: v for k, v in persona.lines.items() if k != "english"}
    s = Session(persona.model_copy(update={"lines": lines}))
    result = s.say("Could you tell me more about your trucks?", "ask_situation")
    assert "français" in _text(result)
    assert any(e.endswith("default_line:english") for e in s.state["events"])


@pytest.mark.parametrize("text", [
    "Do you have any questions?", "Thank you, goodbye.", "I'm the new account manager for your region.",
    "Can we talk about the price now?",
])
def test_english_is_recognised_by_its_function_words(text):
    assert written_in_english(fold(text))


@pytest.mark.parametrize("text", [
    "Merci, thanks !", "On fait le deal today ?", "Bonjour, je suis ravi de vous rencontrer.",
    "Le process est OK pour vous ?", "Vous avez combien de camions ?", "Et le budget ?",
])
def test_french_with_a_few_english_words_stays_french(text):
    assert not written_in_english(fold(text))
