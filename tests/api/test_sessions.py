"""The session API: start, talk, Rasa down, bad input, end and report."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ScriptedRasa, login


def first_persona_id(client: TestClient, headers: dict[str, str]) -> str:
    personas = client.get("/api/personas", headers=headers).json()
    assert personas, "la bibliothèque de personas est vide"
    return str(personas[0]["id"])


def start(client: TestClient, headers: dict[str, str]) -> dict:
    response = client.post("/api/sessions", json={"persona_id": first_persona_id(client, headers)},
                           headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_personas_list_hides_the_hidden_parts(client: TestClient, candidate_headers: dict[str, str]) -> None:
    personas = client.get("/api/personas", headers=candidate_headers).json()
    assert {p["bloc"] for p in personas} <= {2, 4, 5}
    for persona in personas:
        assert persona["brief"]["context"]
        assert set(persona) == {"id", "version", "bloc", "role", "title", "speakers", "brief"}


def test_a_turn_is_stored_with_the_persona_reply(client: TestClient, candidate_headers: dict[str, str],
                                                 rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    reply = client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Bonjour Madame"},
                        headers=candidate_headers)
    assert reply.status_code == 200, reply.text
    assert reply.json() == [{"speaker": reply.json()[0]["speaker"], "text": "Réponse 1"}]
    sent = rasa.calls[0]["metadata"]["roleplay"]
    assert sent["persona"]["id"] == session["persona_id"]
    assert sent["state"] is None and sent["turn_index"] == 0

    client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Comment allez-vous ?"},
                headers=candidate_headers)
    assert rasa.calls[1]["metadata"]["roleplay"]["state"] == {"turns": 1}
    assert rasa.calls[1]["metadata"]["roleplay"]["turn_index"] == 1

    stored = client.get(f"/api/sessions/{session['id']}", headers=candidate_headers).json()
    candidate_turns = [t for t in stored["turns"] if t["speaker_role"] == "candidate"]
    assert [t["text"] for t in candidate_turns] == ["Bonjour Madame", "Comment allez-vous ?"]
    assert all(t["status"] == "answered" for t in candidate_turns)
    assert [t["seq"] for t in stored["turns"]] == sorted(t["seq"] for t in stored["turns"])
    assert all(t["created_at"] for t in stored["turns"])


def test_rasa_down_keeps_the_message_and_says_so(client: TestClient, candidate_headers: dict[str, str],
                                                 rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    rasa.down = True
    response = client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Vous êtes là ?"},
                           headers=candidate_headers)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "persona_unavailable"
    assert "enregistré" in response.json()["error"]["message"]
    turns = client.get(f"/api/sessions/{session['id']}", headers=candidate_headers).json()["turns"]
    assert turns[-1]["text"] == "Vous êtes là ?" and turns[-1]["status"] == "pending"

    rasa.down = False
    retried = client.post(f"/api/sessions/{session['id']}/retry", headers=candidate_headers)
    assert retried.status_code == 200, retried.text
    turns = client.get(f"/api/sessions/{session['id']}", headers=candidate_headers).json()["turns"]
    assert [t["status"] for t in turns if t["speaker_role"] == "candidate"] == ["answered"]
    assert rasa.calls[-1]["text"] == "Vous êtes là ?"


def test_real_closed_port_is_reported_as_unavailable(settings, candidate_headers: dict[str, str]) -> None:
    """Without the test double: the app's real HTTP client against a port nobody listens on."""
    from sqlmodel import Session

    from api.main import create_app
    from api.seed import seed_demo_accounts

    with TestClient(create_app(settings)) as real_client:
        with Session(real_client.app.state.engine) as db:  # type: ignore[attr-defined]
            seed_demo_accounts(db, settings, external_db=True)
        headers = login(real_client)
        session = start(real_client, headers)
        response = real_client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Allô ?"},
                                    headers=headers)
        assert response.status_code == 503
        health = real_client.get("/api/health")
        assert health.status_code == 503
        assert health.json()["database"]["ok"] is True
        assert health.json()["rasa"]["ok"] is False


def test_bad_messages_get_french_422(client: TestClient, candidate_headers: dict[str, str]) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}/messages"
    empty = client.post(url, json={"text": "   \n "}, headers=candidate_headers)
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "message_empty"
    long = client.post(url, json={"text": "a" * 2001}, headers=candidate_headers)
    assert long.status_code == 422 and "2000" in long.json()["error"]["message"]
    malformed = client.post(url, content=b'{"text": ', headers={**candidate_headers,
                                                                 "Content-Type": "application/json"})
    assert malformed.status_code == 422 and "JSON" in malformed.json()["error"]["message"]
    missing = client.post(url, json={}, headers=candidate_headers)
    assert missing.status_code == 422 and "texte" in missing.json()["error"]["message"]
    turns = client.get(f"/api/sessions/{session['id']}", headers=candidate_headers).json()["turns"]
    assert not [t for t in turns if t["speaker_role"] == "candidate"]


def test_oversized_body_gets_413(client: TestClient, candidate_headers: dict[str, str]) -> None:
    session = start(client, candidate_headers)
    response = client.post(f"/api/sessions/{session['id']}/messages", json={"text": "x" * 200_000},
                           headers=candidate_headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_unknown_ids_get_404(client: TestClient, candidate_headers: dict[str, str]) -> None:
    assert client.get("/api/sessions/nope", headers=candidate_headers).status_code == 404
    response = client.post("/api/sessions", json={"persona_id": "inconnu"}, headers=candidate_headers)
    assert response.status_code == 404 and response.json()["error"]["code"] == "persona_not_found"
    assert client.get("/api/personas/inconnu", headers=candidate_headers).status_code == 404


def test_another_candidates_session_is_404(client: TestClient, candidate_headers: dict[str, str]) -> None:
    session = start(client, candidate_headers)
    from sqlmodel import Session

    from api.models import Role, User
    from api.security import hash_password

    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        db.add(User(username="autre-candidat", role=Role.candidate, password_hash=hash_password("secret-123")))
        db.commit()
    other = login(client, "autre-candidat", "secret-123")
    assert client.get(f"/api/sessions/{session['id']}", headers=other).status_code == 404
    assert client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Salut"},
                       headers=other).status_code == 404


def test_end_produces_a_report_and_closes_the_session(client: TestClient,
                                                      candidate_headers: dict[str, str]) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}"
    for text in ("Bonjour, pouvez-vous me décrire votre organisation actuelle ?",
                 "Est-ce que vous avez un budget ?",
                 "Qu'est-ce qui vous pose le plus de difficultés aujourd'hui ?"):
        assert client.post(f"{url}/messages", json={"text": text}, headers=candidate_headers).status_code == 200
    assert client.get(f"{url}/report", headers=candidate_headers).status_code == 409
    ended = client.post(f"{url}/end", headers=candidate_headers)
    assert ended.status_code == 200, ended.text
    conversation = ended.json()["conversation"]
    assert conversation["questions"] == 3
    assert conversation["open_questions"] == 2
    assert conversation["closed_questions"] == 1
    assert client.get(f"{url}/report", headers=candidate_headers).json() == ended.json()
    refused = client.post(f"{url}/messages", json={"text": "Encore une chose"}, headers=candidate_headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "session_ended"
    assert client.get(url, headers=candidate_headers).json()["status"] == "ended"
