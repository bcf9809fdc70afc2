"""The answer to the last message tells the page that the persona ended the session (header), the body
keeping its documented ``[{"speaker", "text"}]`` shape; the chat page knows it after a reload too."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ScriptedRasa

from .test_sessions import start
from .test_web_pages import web_login


def _ending(rasa: ScriptedRasa, monkeypatch: Any) -> None:
    """From now on the persona's answer ends the session (as the engine does on a walk-out or a deal)."""
    plain = rasa.send

    def send(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        messages = plain(sender, text, metadata)
        messages[-1]["custom"].update(ended=True, outcome="walk_out")
        return messages

    monkeypatch.setattr(rasa, "send", send)


def test_the_last_answer_says_the_session_is_ended(client: TestClient, candidate_headers: dict[str, str],
                                                   rasa: ScriptedRasa, monkeypatch: Any) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}/messages"
    first = client.post(url, json={"text": "Bonjour Madame"}, headers=candidate_headers)
    assert first.status_code == 200 and first.headers["X-Session-Status"] == "active"
    _ending(rasa, monkeypatch)
    last = client.post(url, json={"text": "Vous n'y connaissez rien.", "client_key": "k-last"},
                       headers=candidate_headers)
    assert last.status_code == 200, last.text
    assert last.headers["X-Session-Status"] == "ended"
    assert [set(line) for line in last.json()] == [{"speaker", "text"}]
    again = client.post(url, json={"text": "Vous n'y connaissez rien.", "client_key": "k-last"},
                        headers=candidate_headers)  # the same message sent again: same answer, still ended
    assert again.status_code == 200 and again.headers["X-Session-Status"] == "ended"
    assert again.json() == last.json()


def test_the_chat_page_of_a_session_the_persona_ended_shows_the_end(client: TestClient, rasa: ScriptedRasa,
                                                                     monkeypatch: Any) -> None:
    csrf = web_login(client)
    persona_id = client.get("/api/personas").json()[0]["id"]
    session = client.post("/api/sessions", json={"persona_id": persona_id}, headers={"X-CSRF-Token": csrf}).json()
    active = client.get(f"/sessions/{session['id']}").text
    assert 'id="session-ended" class="session-ended" role="status" hidden' in active
    _ending(rasa, monkeypatch)
    sent = client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Au revoir."},
                       headers={"X-CSRF-Token": csrf})
    assert sent.headers["X-Session-Status"] == "ended"
    page = client.get(f"/sessions/{session['id']}")
    assert page.status_code == 200, page.text
    html = page.text
    banner = html.split('id="session-ended"', 1)[1].split("</div>", 1)[0]
    assert "hidden" not in banner.split(">", 1)[0]
    assert "a mis fin à la session" in banner
    assert f'href="/sessions/{session["id"]}/rapport"' in banner
    assert 'id="composer"' not in html
