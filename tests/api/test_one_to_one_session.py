"""A Bloc 5 one-to-one (one team member) through the API and the web pages: the brief, the chat, the
report and its page show the session without error, and speak of the one member.

Rasa is replaced by a stand-in that plays the real engine (``bot.actions.roleplay``) with the intents of
the persona's scripted strong candidate; the real NLU is exercised by tests/integration.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.actions.persona_cache import PersonaCache
from bot.actions.roleplay import reply_messages
from personas.scripts import load_scripts
from tests.api.test_web_pages import web_login
from tests.conftest import ScriptedRasa

PERSONA_ID = "b5-coaching-commercial"
SCRIPTS = load_scripts(PERSONA_ID)
assert SCRIPTS is not None
INTENTS = {step.text: step.intent for step in [*SCRIPTS.strong, *SCRIPTS.weak]}


class EngineRasa(ScriptedRasa):
    """Answers like Rasa and the action server: the scripted intent, then the engine's lines and state."""

    def __init__(self) -> None:
        super().__init__()
        self.cache = PersonaCache()

    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        roleplay = metadata["roleplay"]
        if "persona_ref" not in roleplay:
            return super().send(sender, text, metadata)
        message = {"text": text, "intent": {"name": INTENTS.get(text, "nlu_fallback"), "confidence": 0.95}}
        return [{"recipient_id": sender, "custom": m} for m in reply_messages(message, roleplay, cache=self.cache)]


@pytest.fixture
def rasa() -> ScriptedRasa:
    return EngineRasa()


def test_a_one_to_one_session_plays_and_gets_its_report(client: TestClient) -> None:
    csrf = web_login(client)
    headers = {"X-CSRF-Token": csrf}
    brief = client.get(f"/personas/{PERSONA_ID}")
    assert brief.status_code == 200 and "Stéphane Morel" in brief.text and "Interlocuteur" in brief.text
    session = client.post("/api/sessions", json={"persona_id": PERSONA_ID}, headers=headers)
    assert session.status_code == 201, session.text
    url = f"/api/sessions/{session.json()['id']}"
    replies = []
    for step in SCRIPTS.strong:
        sent = client.post(f"{url}/messages", json={"text": step.text}, headers=headers)
        assert sent.status_code == 200, sent.text
        replies.append(sent.json())
    said = [line for reply in replies for line in reply]
    assert all(reply for reply in replies), "the member answers every turn"
    assert {line["speaker"] for line in said} == {"Stéphane Morel"}
    assert not [line["text"] for line in said if "{" in line["text"]]
    assert client.get(url, headers=headers).json()["status"] == "ended"
    chat = client.get(f"/sessions/{session.json()['id']}")
    assert chat.status_code == 200 and "Stéphane Morel" in chat.text
    report = client.get(f"{url}/report", headers=headers)
    assert report.status_code == 200, report.text
    assert report.json()["grid"]["items"]
    page = client.get(f"/sessions/{session.json()['id']}/rapport")
    assert page.status_code == 200, page.text
    assert "accord trouvé" in page.text
    for words in ("un membre", "autre membre", "second membre"):
        assert words not in page.text
