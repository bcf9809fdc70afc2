"""Through the action: an English turn that the French NLU reads as a goodbye does not end the session."""

from __future__ import annotations

from bot.actions.roleplay import reply_messages
from personas.loader import load_library


def test_an_english_goodbye_is_met_with_a_request_in_french_and_the_session_goes_on():
    persona = load_library()["b2-transport-frigorifique"].model_dump(mode="json")
    message = {"text": "I think we can make a deal today, thank you.",
               "intent": {"name": "goodbye", "confidence": 0.97}}
    messages = reply_messages(message, {"persona": persona, "seed": 3, "state": None, "history": []})
    lines, state = messages[:-1], messages[-1]
    assert state["kind"] == "state" and state["ended"] is False and state["outcome"] is None
    assert lines and "français" in " ".join(line["text"] for line in lines)
