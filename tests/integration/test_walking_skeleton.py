"""End to end against the real Rasa server, the real action server and the app."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def api(stack: Any) -> httpx.Client:
    client = httpx.Client(base_url=stack.app_url, timeout=60)
    token = client.post("/api/auth/login", json={"username": "demo-candidat", "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def bloc2_persona(client: httpx.Client) -> dict[str, Any]:
    personas = [p for p in client.get("/api/personas").json() if p["bloc"] == 2]
    assert personas, "aucun persona de Bloc 2"
    return personas[0]


def test_health_reports_every_part_up(live_stack: Any) -> None:
    response = httpx.get(f"{live_stack.app_url}/api/health", timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rasa"]["ok"] and body["action_server"]["ok"] and body["database"]["ok"]


def test_rasa_api_requires_its_token(live_stack: Any) -> None:
    assert httpx.get(f"{live_stack.rasa_url}/status", timeout=10).status_code == 401
    ok = httpx.get(f"{live_stack.rasa_url}/status", params={"token": live_stack.rasa_token}, timeout=10)
    assert ok.status_code == 200


def test_five_french_turns_through_the_real_stack(live_stack: Any) -> None:
    client = api(live_stack)
    persona = bloc2_persona(client)
    session = client.post("/api/sessions", json={"persona_id": persona["id"]}).json()
    speaker_names = {s["name"] for s in persona["speakers"]}
    turns = [
        "Bonjour, je suis Camille Martin de la société Optima, merci de me recevoir.",
        "Pour commencer, pouvez-vous me décrire comment vous êtes organisés aujourd'hui ?",
        "Qu'est-ce qui vous pose le plus de difficultés dans votre fonctionnement actuel ?",
        "Si je comprends bien, ce qui vous freine surtout c'est le temps perdu, c'est bien ça ?",
        "Quels seraient pour vous les critères d'une bonne solution ?",
    ]
    for text in turns:
        reply = client.post(f"/api/sessions/{session['id']}/messages", json={"text": text})
        assert reply.status_code == 200, reply.text
        lines = reply.json()
        assert lines, f"pas de réponse du persona à {text!r}"
        for line in lines:
            assert line["speaker"] in speaker_names
            assert len(line["text"].strip()) > 3

    stored = client.get(f"/api/sessions/{session['id']}").json()
    candidate = [t for t in stored["turns"] if t["speaker_role"] == "candidate"]
    persona_turns = [t for t in stored["turns"] if t["speaker_role"] == "persona"]
    assert [t["text"] for t in candidate] == turns
    assert all(t["status"] == "answered" for t in candidate)
    assert len(persona_turns) >= len(turns)
    assert stored["persona_version"] == persona["version"]

    report = client.post(f"/api/sessions/{session['id']}/end").json()
    assert report["conversation"]["questions"] >= 3
    assert report["conversation"]["open_questions"] >= 2


def test_rasa_down_then_back(live_stack: Any) -> None:
    client = api(live_stack)
    session = client.post("/api/sessions", json={"persona_id": bloc2_persona(client)["id"]}).json()
    rasa = next(s for s in live_stack.services if s.name == "serveur Rasa")
    rasa.stop()
    try:
        response = client.post(f"/api/sessions/{session['id']}/messages",
                               json={"text": "Bonjour, vous m'entendez ?"})
        assert response.status_code == 503
        assert "indisponible" in response.json()["error"]["message"]
        assert client.get("/api/health").status_code == 503
        turns = client.get(f"/api/sessions/{session['id']}").json()["turns"]
        assert turns[-1]["text"] == "Bonjour, vous m'entendez ?" and turns[-1]["status"] == "pending"
    finally:
        live_stack.restart(rasa)
    retried = client.post(f"/api/sessions/{session['id']}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json()
    turns = client.get(f"/api/sessions/{session['id']}").json()["turns"]
    assert [t["status"] for t in turns if t["speaker_role"] == "candidate"] == ["answered"]


def test_a_frozen_action_server_is_named_then_the_turn_is_answered_once(live_stack: Any) -> None:
    """SIGSTOP the real action server: Rasa waits on it, the app times out; the 503 names the action
    server in French, a new message is refused while the turn waits, and the retry answers it."""
    import os
    import signal

    client = api(live_stack)
    session = client.post("/api/sessions", json={"persona_id": bloc2_persona(client)["id"]}).json()
    url = f"/api/sessions/{session['id']}"
    actions = live_stack.service("serveur d'actions")
    assert actions.process is not None
    os.kill(actions.process.pid, signal.SIGSTOP)
    try:
        response = client.post(f"{url}/messages", json={"text": "Bonjour, êtes-vous là ?", "client_key": "k-1"})
        assert response.status_code == 503
        error = response.json()["error"]
        assert "serveur d'actions" in error["message"] and "ReadTimeout" not in error["message"]
        blocked = client.post(f"{url}/messages", json={"text": "Autre question ?"})
        assert blocked.status_code == 409 and blocked.json()["error"]["turn_id"] == error["turn_id"]
    finally:
        os.kill(actions.process.pid, signal.SIGCONT)
    retried = client.post(f"{url}/retry")
    assert retried.status_code == 200, retried.text
    again = client.post(f"{url}/messages", json={"text": "Bonjour, êtes-vous là ?", "client_key": "k-1"})
    assert again.status_code == 200 and again.json() == retried.json()
    candidate = [t for t in client.get(url).json()["turns"] if t["speaker_role"] == "candidate"]
    assert [(t["text"], t["status"]) for t in candidate] == [("Bonjour, êtes-vous là ?", "answered")]


def test_twenty_concurrent_sessions_all_get_answers(live_stack: Any) -> None:
    """Many candidates at once: no request may fail for lack of database connections or locks."""
    from concurrent.futures import ThreadPoolExecutor

    client = api(live_stack)
    persona_id = bloc2_persona(client)["id"]
    token = client.headers["Authorization"]

    def one_session(index: int) -> list[int]:
        with httpx.Client(base_url=live_stack.app_url, timeout=120, headers={"Authorization": token}) as own:
            session = own.post("/api/sessions", json={"persona_id": persona_id}).json()
            url = f"/api/sessions/{session['id']}/messages"
            texts = [f"Question {index}.{turn} : comment travaillez-vous aujourd'hui ?" for turn in range(3)]
            return [own.post(url, json={"text": text}).status_code for text in texts]

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = [code for codes in pool.map(one_session, range(20)) for code in codes]
    assert statuses == [200] * 60, statuses
