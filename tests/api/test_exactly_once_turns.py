"""Each candidate turn is answered exactly once: pending turns block new ones, retries answer the
oldest, idempotency keys resolve re-sent messages, and reads never write."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from api.models import RoleplaySession, Turn
from api.services import dialogue
from tests.api.test_cohorts_and_exams import assign, trainer_with_cohort
from tests.api.test_sessions import start
from tests.conftest import ScriptedRasa, login


def candidate_turns(client: TestClient, headers: dict[str, str], session_id: str) -> list[dict[str, Any]]:
    turns = client.get(f"/api/sessions/{session_id}", headers=headers).json()["turns"]
    return [t for t in turns if t["speaker_role"] == "candidate"]


def test_a_new_message_while_one_is_pending_gets_409_with_its_id(
        client: TestClient, candidate_headers: dict[str, str], rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}"
    rasa.down = True
    first = client.post(f"{url}/messages", json={"text": "Premier message"}, headers=candidate_headers)
    assert first.status_code == 503
    pending_id = first.json()["error"]["turn_id"]
    rasa.down = False
    refused = client.post(f"{url}/messages", json={"text": "Second message"}, headers=candidate_headers)
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "turn_pending"
    assert refused.json()["error"]["turn_id"] == pending_id
    assert "Renvoyer" in refused.json()["error"]["message"]
    assert [t["text"] for t in candidate_turns(client, candidate_headers, session["id"])] == ["Premier message"]

    retried = client.post(f"{url}/retry", headers=candidate_headers)
    assert retried.status_code == 200
    assert client.post(f"{url}/messages", json={"text": "Second message"}, headers=candidate_headers).status_code == 200
    assert [t["status"] for t in candidate_turns(client, candidate_headers, session["id"])] == ["answered"] * 2


def test_retry_answers_the_oldest_pending_turn(client: TestClient, candidate_headers: dict[str, str],
                                               rasa: ScriptedRasa) -> None:
    """Two pending turns (left by an older version): retry answers them in order, the persona hearing
    neither pending turn in its history until it is answered."""
    session = start(client, candidate_headers)
    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        for seq, text in enumerate(("Ancien un", "Ancien deux"), start=100):
            db.add(Turn(session_id=session["id"], seq=seq, speaker_role="candidate", speaker_id="candidate",
                        speaker_name="Candidat·e", text=text, status="pending"))
        db.commit()
    url = f"/api/sessions/{session['id']}/retry"
    assert client.post(url, headers=candidate_headers).status_code == 200
    assert rasa.calls[-1]["text"] == "Ancien un"
    history = [h["text"] for h in rasa.calls[-1]["metadata"]["roleplay"]["history"]]
    assert "Ancien deux" not in history and "Ancien un" not in history
    assert client.post(url, headers=candidate_headers).status_code == 200
    assert rasa.calls[-1]["text"] == "Ancien deux"
    assert "Ancien un" in [h["text"] for h in rasa.calls[-1]["metadata"]["roleplay"]["history"]]
    assert rasa.calls[-1]["metadata"]["roleplay"]["turn_index"] == 1
    nothing = client.post(url, headers=candidate_headers)
    assert nothing.status_code == 409 and nothing.json()["error"]["code"] == "nothing_to_retry"


@pytest.mark.parametrize("via", ["header", "body"])
def test_a_resent_message_with_its_key_resolves_to_the_stored_turn(
        client: TestClient, candidate_headers: dict[str, str], rasa: ScriptedRasa, via: str) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}/messages"
    body: dict[str, Any] = {"text": "Bonjour, où en êtes-vous ?"}
    headers = dict(candidate_headers)
    if via == "header":
        headers["Idempotency-Key"] = "9b2f5d1e-4c3a-4a51-9e0f-1a2b3c4d5e6f"
    else:
        body["client_key"] = "9b2f5d1e-4c3a-4a51-9e0f-1a2b3c4d5e6f"

    rasa.down = True  # the first post is stored, then the persona is unavailable
    assert client.post(url, json=body, headers=headers).status_code == 503
    rasa.down = False
    while_pending = client.post(url, json=body, headers=headers)
    assert while_pending.status_code == 409 and while_pending.json()["error"]["code"] == "turn_pending"
    answered = client.post(f"/api/sessions/{session['id']}/retry", headers=candidate_headers)
    assert answered.status_code == 200
    calls = len(rasa.calls)
    again = client.post(url, json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json() == answered.json(), "la réponse enregistrée, pas une nouvelle"
    assert len(rasa.calls) == calls, "Rasa n'est pas rappelé"
    assert len(candidate_turns(client, candidate_headers, session["id"])) == 1

    reused = client.post(url, json={**body, "text": "Autre chose"}, headers=headers)
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "client_key_reused"


def test_bad_keys_are_refused_in_french(client: TestClient, candidate_headers: dict[str, str]) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}/messages"
    bad = client.post(url, json={"text": "Bonjour", "client_key": "a b"}, headers=candidate_headers)
    assert bad.status_code == 422 and bad.json()["error"]["message"]
    clash = client.post(url, json={"text": "Bonjour", "client_key": "un"},
                        headers={**candidate_headers, "Idempotency-Key": "deux"})
    assert clash.status_code == 422 and "clé" in clash.json()["error"]["message"].lower()


def test_pending_turns_are_not_scored(client: TestClient, candidate_headers: dict[str, str],
                                      rasa: ScriptedRasa) -> None:
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}"
    assert client.post(f"{url}/messages", json={"text": "Qu'est-ce qui compte le plus pour vous ?"},
                       headers=candidate_headers).status_code == 200
    rasa.down = True
    assert client.post(f"{url}/messages", json={"text": "Est-ce que vous avez un budget ?"},
                       headers=candidate_headers).status_code == 503
    ended = client.post(f"{url}/end", headers=candidate_headers)
    assert ended.status_code == 200
    assert ended.json()["conversation"]["questions"] == 1, "la question restée sans réponse n'est pas notée"


def test_concurrent_retries_store_one_answer(client: TestClient, candidate_headers: dict[str, str],
                                             rasa: ScriptedRasa, settings: Any) -> None:
    """Two retries of the same pending turn racing through Rasa: one answer is stored, not two."""
    if settings.database_url.startswith("sqlite") and ":memory:" in settings.database_url:
        pytest.skip("une seule connexion partagée")
    session = start(client, candidate_headers)
    url = f"/api/sessions/{session['id']}"
    rasa.down = True
    assert client.post(f"{url}/messages", json={"text": "Vous m'entendez ?"},
                       headers=candidate_headers).status_code == 503
    rasa.down = False
    both_in_rasa = threading.Barrier(2, timeout=10)
    original_send = rasa.send

    def slow_send(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        both_in_rasa.wait()  # each retry has read the turn as pending before either stores
        return original_send(sender, text, metadata)

    rasa.send = slow_send  # type: ignore[method-assign]
    results: list[int] = []

    def retry() -> None:
        results.append(client.post(f"{url}/retry", headers=candidate_headers).status_code)

    threads = [threading.Thread(target=retry) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200, 200]
    turns = client.get(url, headers=candidate_headers).json()["turns"]
    [asked] = [t for t in turns if t["speaker_role"] == "candidate"]
    answers = [t for t in turns if t["seq"] > asked["seq"]]
    assert len(answers) == 1, f"une seule réponse enregistrée pour le tour : {answers}"


def test_reads_never_write_and_the_next_write_closes(client: TestClient, settings: Any) -> None:
    """A timed session past its deadline reads as ended (report included) without any write; the next
    write (here a message) closes it for good."""
    trainer, cohort_id, _ = trainer_with_cohort(client)
    assignment = assign(client, trainer, cohort_id, mode="practice", duration_minutes=20)
    candidate = login(client)
    session = client.post("/api/sessions", json={"assignment_id": assignment["id"]}, headers=candidate).json()
    url = f"/api/sessions/{session['id']}"
    asked = client.post(f"{url}/messages", json={"text": "Quels sont vos enjeux ?"}, headers=candidate)
    assert asked.status_code == 200
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as db:
        stored = db.get(RoleplaySession, session["id"])
        assert stored is not None
        stored.deadline_at = datetime.now(UTC) - timedelta(seconds=1)
        db.add(stored)
        db.commit()

    writes: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        view = client.get(url, headers=candidate).json()
        report = client.get(f"{url}/report", headers=candidate)
        page = client.get(f"/sessions/{session['id']}", headers=candidate)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert writes == [], f"une lecture a écrit : {writes}"
    assert view["status"] == "ended" and view["ended_reason"] == "time_up"
    assert report.status_code == 200 and report.json()["conversation"]["questions"] == 1
    assert page.status_code == 200 and 'id="composer"' not in page.text
    with Session(engine) as db:
        assert db.exec(select(RoleplaySession.status).where(RoleplaySession.id == session["id"])).one() == "active"

    late = client.post(f"{url}/messages", json={"text": "Encore là ?"}, headers=candidate)
    assert late.status_code == 409 and late.json()["error"]["code"] == "time_up"
    with Session(engine) as db:
        assert db.exec(select(RoleplaySession.status).where(RoleplaySession.id == session["id"])).one() == "ended"


def test_the_session_lock_holds_across_connections(settings: Any, client: TestClient,
                                                   candidate_headers: dict[str, str]) -> None:
    """While one connection (one app worker) holds a session's lock, another waits for it: the row
    lock on PostgreSQL, the write lock on SQLite."""
    session = start(client, candidate_headers)
    engine = client.app.state.engine  # type: ignore[attr-defined]
    holder, waiter = Session(engine), Session(engine)
    order: list[str] = []
    locked = threading.Event()

    def second() -> None:
        locked.wait(timeout=10)
        dialogue.lock_session(waiter, session["id"])
        order.append("second")
        waiter.commit()

    thread = threading.Thread(target=second)
    try:
        dialogue.lock_session(holder, session["id"])
        thread.start()
        locked.set()
        thread.join(timeout=0.5)  # bounded: the waiter must still be blocked on the lock
        assert thread.is_alive(), "le second a pris le verrou pendant que le premier le tenait"
        order.append("first")
        holder.commit()
        thread.join(timeout=10)
    finally:
        holder.close()
        waiter.close()
    assert order == ["first", "second"]
