"""The app names the session's persona by reference and sends its body only when asked for it.

Rasa is the scripted stand-in (tests/conftest.py), which, like the action server, answers
``persona_missing`` to a hash it does not hold; tests/bot/test_persona_cache.py checks the action
server's side and tests/integration the two together.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import RoleplaySession
from personas.fingerprint import persona_hash
from scoring.schema import READING_CONTEXT_TURNS
from tests.conftest import ScriptedRasa

from .test_sessions import start


def post(client: TestClient, headers: dict[str, str], session_id: str, text: str) -> Any:
    return client.post(f"/api/sessions/{session_id}/messages", json={"text": text}, headers=headers)


def test_the_body_is_sent_once_when_asked_then_the_ref_alone(
        client: TestClient, candidate_headers: dict[str, str], rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    first = post(client, candidate_headers, session["id"], "Bonjour Madame")
    assert first.status_code == 200, first.text
    assert first.json() == [{"speaker": first.json()[0]["speaker"], "text": "Réponse 1"}]

    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        stored = db.get(RoleplaySession, session["id"])
        assert stored is not None
        snapshot = stored.persona_snapshot
    ref = {"id": snapshot["id"], "version": str(snapshot["version"]), "hash": persona_hash(snapshot)}

    # Asked with the ref alone, told « missing », sent again with the body, for the same turn.
    assert len(rasa.missing) == 1
    asked = rasa.missing[0]
    assert asked["metadata"]["roleplay"]["persona_ref"] == ref and "persona" not in asked["metadata"]["roleplay"]
    answered = rasa.calls[0]
    assert answered["metadata"]["roleplay"]["persona"] == snapshot
    assert answered["sender"] == asked["sender"] and answered["text"] == asked["text"] == "Bonjour Madame"

    second = post(client, candidate_headers, session["id"], "Comment allez-vous ?")
    assert second.status_code == 200
    assert len(rasa.missing) == 1
    sent = rasa.calls[1]["metadata"]["roleplay"]
    assert sent["persona_ref"] == ref and "persona" not in sent

    turns = client.get(f"/api/sessions/{session['id']}", headers=candidate_headers).json()["turns"]
    candidate = [t for t in turns if t["speaker_role"] == "candidate"]
    assert [(t["text"], t["status"]) for t in candidate] == [("Bonjour Madame", "answered"),
                                                             ("Comment allez-vous ?", "answered")]
    answers = [t["text"] for t in turns if t["speaker_role"] == "persona" and t["text"].startswith("Réponse")]
    assert answers == ["Réponse 1", "Réponse 2"]  # one answer per turn, the asked-for body cost no extra one


def test_each_turn_is_its_own_rasa_conversation(client: TestClient, candidate_headers: dict[str, str],
                                                rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    for text in ("Un", "Deux", "Trois"):
        assert post(client, candidate_headers, session["id"], text).status_code == 200
    assert [c["sender"] for c in rasa.calls] == [f"{session['id']}:{n}" for n in range(3)]


def test_only_the_turns_the_reading_looks_at_are_sent(client: TestClient, candidate_headers: dict[str, str],
                                                      rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    texts = [f"Message numéro {n}" for n in range(READING_CONTEXT_TURNS)]
    for text in texts:
        assert post(client, candidate_headers, session["id"], text).status_code == 200
    history = rasa.calls[-1]["metadata"]["roleplay"]["history"]
    assert len(history) == READING_CONTEXT_TURNS
    # The last turns, in order, ending with the persona's answer to the previous message.
    assert [h["text"] for h in history][-2:] == [texts[-2], f"Réponse {len(texts) - 1}"]
    assert texts[0] not in [h["text"] for h in history]


def test_an_action_server_that_never_takes_the_body_leaves_the_turn_pending(
        client: TestClient, candidate_headers: dict[str, str], rasa: ScriptedRasa, monkeypatch: Any) -> None:
    session = start(client, candidate_headers)
    monkeypatch.setattr(rasa, "personas", _Forgetful())
    response = post(client, candidate_headers, session["id"], "Bonjour")
    assert response.status_code == 503
    assert "persona" in response.json()["error"]["message"]
    assert len(rasa.missing) == 2 and rasa.calls == []
    turns = client.get(f"/api/sessions/{session['id']}", headers=candidate_headers).json()["turns"]
    assert [t["status"] for t in turns if t["speaker_role"] == "candidate"] == ["pending"]


class _Forgetful(dict):  # type: ignore[type-arg]
    """A persona store that drops what it is given (an action server that cannot keep the body)."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None
