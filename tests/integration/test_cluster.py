"""Two hosts (network namespaces) behind HAProxy on one PostgreSQL database: turns stay exactly once.

The real processes of scripts/cluster.py: each namespace runs an app, a Rasa server and an action
server; HAProxy balances the apps. Needs root, `ip`, Debian's haproxy, PostgreSQL and the Rasa
model: skipped with the reason when one is missing, failed in CI (CI=true).
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD
from tests.services import missing, postgres_database

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres]

LINES = [
    "Bonjour, merci de me recevoir aujourd'hui.",
    "Pouvez-vous me décrire comment vous êtes organisés ?",
    "Qu'est-ce qui vous pose le plus de difficultés en ce moment ?",
    "Si je comprends bien, c'est surtout le temps perdu qui vous gêne ?",
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from scripts.balancer import haproxy_binary
    from scripts.cluster import Cluster, prepare_database
    from scripts.hosts import missing_prerequisite
    from scripts.paths import MODEL_PATH, RASA_BIN

    problem = missing_prerequisite()
    if problem:
        missing(problem)
    if haproxy_binary() is None:
        missing("haproxy absent : apt-get install haproxy")
    if not RASA_BIN.exists() or not MODEL_PATH.exists():
        missing("Rasa ou son modèle absent : lancez `make setup`")
    with postgres_database() as url:
        prepare_database(url, DEMO_PASSWORD)
        running = Cluster(database_url=url, cpus=[None, None], run_dir=Path(tmp_path_factory.mktemp("cluster")))
        running.start()
        try:
            yield running
        finally:
            running.stop()


def client_for(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = client.post("/api/auth/login", json={"username": "demo-candidat", "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def new_session(client: httpx.Client) -> str:
    persona = next(p for p in client.get("/api/personas").json() if p["bloc"] == 2)
    response = client.post("/api/sessions", json={"persona_id": persona["id"]})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def say(client: httpx.Client, session_id: str, text: str, statuses: list[int]) -> list[dict[str, Any]]:
    """Send one message as the chat page does (key; `/retry` after a 503 or 409 `turn_pending`)."""
    key = uuid.uuid4().hex
    response = client.post(f"/api/sessions/{session_id}/messages", json={"text": text, "client_key": key})
    statuses.append(response.status_code)
    for backoff in (0.5, 1, 2, 4, 8):
        if response.status_code == 200:
            break
        assert response.status_code in (409, 503), response.text
        time.sleep(backoff)  # the page's backoff before « Renvoyer »
        response = client.post(f"/api/sessions/{session_id}/retry")
        statuses.append(response.status_code)
    assert response.status_code == 200, response.text
    return list(response.json())


def candidate_turns(client: httpx.Client, session_id: str) -> list[dict[str, Any]]:
    turns = sorted(client.get(f"/api/sessions/{session_id}").json()["turns"], key=lambda t: t["seq"])
    return [t for t in turns if t["speaker_role"] == "candidate"]


def post_on_every_host_at_once(hosts: list[httpx.Client], path: str,
                               body: dict[str, str] | None) -> list[httpx.Response]:
    answers: list[httpx.Response] = []
    start = threading.Barrier(len(hosts))

    def post(client: httpx.Client) -> None:
        start.wait()
        answers.append(client.post(path, json=body))

    threads = [threading.Thread(target=post, args=(client,)) for client in hosts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_the_same_message_posted_to_both_hosts_at_once_is_one_turn(cluster: Any) -> None:
    """Two app processes on two hosts, one PostgreSQL: the session lock and the client key hold."""
    hosts = [client_for(stack.app_url) for stack in cluster.stacks]
    balancer = client_for(cluster.url)
    session_id = new_session(hosts[0])
    for text in LINES[:3]:
        body = {"text": text, "client_key": uuid.uuid4().hex}
        answers = post_on_every_host_at_once(hosts, f"/api/sessions/{session_id}/messages", body)
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses in ([200, 200], [200, 409]), [a.text for a in answers]
        again = balancer.post(f"/api/sessions/{session_id}/messages", json=body)
        assert again.status_code == 200 and again.json() == next(a.json() for a in answers if a.status_code == 200)
    # Two retries at once with nothing pending: both refused cleanly.
    answers = post_on_every_host_at_once(hosts, f"/api/sessions/{session_id}/retry", None)
    assert sorted(a.status_code for a in answers) == [409, 409], [a.text for a in answers]
    stored = candidate_turns(balancer, session_id)
    assert [t["text"] for t in stored] == LINES[:3]
    assert all(t["status"] == "answered" for t in stored)


def test_turns_survive_a_killed_rasa_on_host_one(cluster: Any) -> None:
    through_balancer = client_for(cluster.url)
    sessions = [new_session(through_balancer) for _ in range(3)]
    statuses: list[int] = []
    for text in LINES[:2]:
        for session_id in sessions:
            assert say(through_balancer, session_id, text, statuses)
    rasa = cluster.stacks[0].service("serveur Rasa")
    os.kill(rasa.process.pid, signal.SIGKILL)
    rasa.process.wait(timeout=10)
    host_one = client_for(cluster.stacks[0].app_url)  # its own Rasa is dead: answers through host 2's
    for text in LINES[2:]:
        for session_id in sessions:
            assert say(host_one, session_id, text, statuses)
            assert say(through_balancer, session_id, text + " Et pour vous ?", statuses)

    assert not [s for s in statuses if s >= 500 and s != 503], statuses
    for session_id in sessions:
        stored = candidate_turns(through_balancer, session_id)
        expected = LINES[:2] + [line for text in LINES[2:] for line in (text, text + " Et pour vous ?")]
        assert [t["text"] for t in stored] == expected
        assert all(t["status"] == "answered" for t in stored)
    log = (cluster.stacks[0].run_dir / "logs" / "app.log").read_text(errors="replace")
    assert "servi par la paire" in log  # host 1's app really used host 2's pair
