"""The cheaper turn against the real processes: the persona by reference, one short Rasa conversation
per turn in a bounded tracker store, and nothing lost when Rasa restarts."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import httpx
import pytest

from personas.fingerprint import persona_ref
from personas.loader import load_library
from scoring.schema import READING_CONTEXT_TURNS
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def api(stack: Any) -> httpx.Client:
    client = httpx.Client(base_url=stack.app_url, timeout=60)
    token = client.post("/api/auth/login", json={"username": "demo-candidat", "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def bloc2(client: httpx.Client) -> str:
    return str(next(p["id"] for p in client.get("/api/personas").json() if p["bloc"] == 2))


def webhook(stack: Any, sender: str, text: str, roleplay: dict[str, Any]) -> list[dict[str, Any]]:
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60,
                          json={"sender": sender, "message": text, "metadata": {"roleplay": roleplay}})
    assert response.status_code == 200, response.text
    return [m["custom"] for m in response.json() if isinstance(m.get("custom"), dict)]


def test_rasa_runs_the_bounded_tracker_store(live_stack: Any) -> None:
    # Rasa falls back silently to its unbounded store when it cannot import ours: read its log.
    log = live_stack.service("serveur Rasa").log_path.read_text(errors="replace")
    assert "tracker store borné" in log, log[-3000:]


def test_a_draft_persona_is_sent_once_then_named_by_its_hash(live_stack: Any) -> None:
    """The real action server: an unknown hash is asked for, the body is kept, the ref then suffices."""
    library = load_library()
    body = {**library[min(library)].model_dump(mode="json"), "title": "Brouillon jamais vu"}
    ref = persona_ref(body)
    base = {"session_id": "essai", "seed": 7, "turn_index": 0, "persona_ref": ref, "state": None, "history": []}
    asked = webhook(live_stack, "essai:0", "Bonjour, je vous écoute.", base)
    assert [m["kind"] for m in asked] == ["state"] and asked[0]["persona_missing"] is True
    played = webhook(live_stack, "essai:0", "Bonjour, je vous écoute.", {**base, "persona": body})
    assert played[-1]["kind"] == "state" and "error" not in played[-1] and played[0]["kind"] == "line"
    again = webhook(live_stack, "essai:1", "Comment travaillez-vous aujourd'hui ?",
                    {**base, "turn_index": 1, "state": played[-1]["state"]})
    assert again[-1]["kind"] == "state" and "error" not in again[-1] and again[-1]["state"]["turn"] == 2
    forged = webhook(live_stack, "essai:2", "Bonjour", {**base, "persona_ref": persona_ref({**body, "title": "X"}),
                                                        "persona": body})
    assert forged[0]["speaker_id"] == "systeme" and "persona_ref.hash" in forged[-1]["error"]


def test_each_rasa_tracker_holds_one_turn_without_the_persona(live_stack: Any) -> None:
    client = api(live_stack)
    session = client.post("/api/sessions", json={"persona_id": bloc2(client)}).json()
    texts = [f"Pouvez-vous me décrire votre organisation, point {n} ?" for n in range(READING_CONTEXT_TURNS // 2 + 2)]
    for text in texts:
        assert client.post(f"/api/sessions/{session['id']}/messages", json={"text": text}).status_code == 200
    last = len(texts) - 1
    tracker = httpx.get(f"{live_stack.rasa_url}/conversations/{session['id']}:{last}/tracker", timeout=30,
                        params={"token": live_stack.rasa_token}).json()
    users = [e for e in tracker["events"] if e["event"] == "user"]
    assert [u["text"] for u in users] == [texts[-1]]
    roleplay = users[0]["metadata"]["roleplay"]
    assert "persona" not in roleplay and set(roleplay["persona_ref"]) == {"id", "version", "hash"}
    assert len(roleplay["history"]) == READING_CONTEXT_TURNS


def test_a_rasa_restart_mid_session_loses_nothing(live_stack: Any) -> None:
    client = api(live_stack)
    session = client.post("/api/sessions", json={"persona_id": bloc2(client)}).json()
    url = f"/api/sessions/{session['id']}"
    for text in ("Bonjour, merci de me recevoir.", "Comment êtes-vous organisés aujourd'hui ?"):
        assert client.post(f"{url}/messages", json={"text": text}).status_code == 200
    rasa = live_stack.service("serveur Rasa")
    live_stack.restart(rasa)  # a new process: every tracker it held is gone
    reply = client.post(f"{url}/messages", json={"text": "Qu'est-ce qui vous pose le plus de difficultés ?"})
    assert reply.status_code == 200, reply.text and reply.json()
    candidate = [t for t in client.get(url).json()["turns"] if t["speaker_role"] == "candidate"]
    assert [t["status"] for t in candidate] == ["answered"] * 3
    database = live_stack.app_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        (state,) = db.execute("SELECT state FROM roleplay_session WHERE id = ?", (session["id"],)).fetchone()
    assert json.loads(state)["turn"] == 3  # the engine went on from the app's copy of its state
