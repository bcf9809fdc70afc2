"""The 503 after an outage names the part that failed, in French (the real HTTP client, real sockets)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.services.rasa_client import RasaClient, RasaUnavailable
from scripts.stack import free_port


@contextmanager
def hung_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's queue) and never answers: a frozen server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


@contextmanager
def healthy_server() -> Iterator[int]:
    """Answers 200 to any GET (a healthy action server's /health or Rasa's /status)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"status": "ok", "model_file": "m.tar.gz"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def reason(rasa_port: int, actions_port: int) -> str:
    client = RasaClient(f"http://127.0.0.1:{rasa_port}", "t", f"http://127.0.0.1:{actions_port}", timeout=0.5)
    try:
        with pytest.raises(RasaUnavailable) as failure:
            client.send("s", "Bonjour", {})
        return str(failure.value)
    finally:
        client.close()


def test_a_hung_action_server_is_named_not_rasas_timeout() -> None:
    """Rasa waits on a frozen action server, so the app sees Rasa's read timeout: the message must
    say the action server, in French."""
    with hung_port() as rasa, hung_port() as actions:
        message = reason(rasa, actions)
    assert message.startswith("le serveur d'actions ne répond pas"), message
    assert "ReadTimeout" not in message and "injoignable :" not in message


def test_a_dead_action_server_is_named() -> None:
    with hung_port() as rasa:
        message = reason(rasa, free_port())
    assert message == "le serveur d'actions ne répond pas (injoignable (connexion refusée))"


def test_rasa_down_with_actions_up_names_rasa() -> None:
    with healthy_server() as actions:
        message = reason(free_port(), actions)
    assert message.startswith("le serveur Rasa ne répond pas"), message


def test_the_503_body_carries_the_reason(client, candidate_headers) -> None:  # type: ignore[no-untyped-def]
    from tests.api.test_sessions import start

    session = start(client, candidate_headers)
    real = RasaClient(f"http://127.0.0.1:{free_port()}", "t", f"http://127.0.0.1:{free_port()}", timeout=0.5)
    from api.deps import get_rasa

    client.app.dependency_overrides[get_rasa] = lambda: real
    try:
        response = client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Allô ?"},
                               headers=candidate_headers)
    finally:
        real.close()
    assert response.status_code == 503
    error = response.json()["error"]
    assert "serveur d'actions" in error["message"] and "enregistré" in error["message"]
    assert error["reason"].startswith("le serveur d'actions")
