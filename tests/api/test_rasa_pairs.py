"""The app's client-side balancer over Rasa + action server pairs (real HTTP servers, real sockets).

Each fake pair is one small HTTP server that answers like Rasa's REST channel, Rasa's /status and
the action server's /health, and can be switched to failing modes; it counts the turns it got.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from api.services.rasa_client import RasaClient, RasaUnavailable, parse_pairs
from scripts.stack import free_port

STATE = {"custom": {"kind": "state", "state": {}, "ended": False}}


class PairServer:
    """`mode`: "ok", "error" (500 on turns), "no_actions" (200 without the state message, and the
    action server's /health down, as Rasa answers when its action server died)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mode = "ok"
        self.turns = 0
        self.checks = 0
        pair = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                pair.turns += 1
                if pair.mode == "error":
                    self._answer(500, {"error": "boom"})
                elif pair.mode == "no_actions":
                    self._answer(200, [])
                else:
                    self._answer(200, [{"custom": {"kind": "line", "text": pair.name}}, STATE])

            def do_GET(self) -> None:
                pair.checks += 1
                if self.path.startswith("/health") and pair.mode != "ok":
                    self._answer(503, {})
                else:
                    self._answer(200, {"status": "ok", "model_file": "m.tar.gz"})

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@contextmanager
def pair_servers(*names: str) -> Iterator[list[PairServer]]:
    pairs = [PairServer(name) for name in names]
    threads = [threading.Thread(target=p.server.serve_forever, daemon=True) for p in pairs]
    for thread in threads:
        thread.start()
    try:
        yield pairs
    finally:
        for pair in pairs:
            pair.server.shutdown()
            pair.server.server_close()


class Clock:
    """A clock the test moves forward (the cooldown is measured on it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client_over(urls: list[str], clock: Clock) -> RasaClient:
    return RasaClient(urls[0], "t", urls[0], timeout=2.0, pairs=[(url, url) for url in urls],
                      cooldown=5.0, clock=clock)


def line_of(body: list[dict[str, Any]]) -> str:
    return str(body[0]["custom"]["text"])


def test_own_pair_first_then_the_other_when_it_fails_then_back_after_cooldown_and_check() -> None:
    clock = Clock()
    with pair_servers("h1", "h2") as (h1, h2):
        client = client_over([h1.url, h2.url], clock)
        try:
            assert line_of(client.send("s", "Bonjour", {})) == "h1"
            h1.mode = "error"
            assert line_of(client.send("s", "Bonjour", {})) == "h2"  # failover within the same call
            assert h1.turns == 2
            h1.mode = "ok"
            assert line_of(client.send("s", "Bonjour", {})) == "h2"  # h1 cooling down: not even tried
            assert h1.turns == 2
            checks = h1.checks
            clock.now += 6
            assert line_of(client.send("s", "Bonjour", {})) == "h1"  # health-checked, then used again
            assert h1.checks > checks
        finally:
            client.close()


def test_a_pair_whose_action_server_died_is_skipped() -> None:
    clock = Clock()
    with pair_servers("h1", "h2") as (h1, h2):
        h1.mode = "no_actions"
        client = client_over([h1.url, h2.url], clock)
        try:
            assert line_of(client.send("s", "Bonjour", {})) == "h2"
            clock.now += 6
            h1.turns = 0
            assert line_of(client.send("s", "Bonjour", {})) == "h2"  # still fails its health check
            assert h1.turns == 0
        finally:
            client.close()


def test_every_pair_down_names_the_own_pairs_part_and_the_count() -> None:
    clock = Clock()
    client = client_over([f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"], clock)
    try:
        with pytest.raises(RasaUnavailable) as failure:
            client.send("s", "Bonjour", {})
        message = str(failure.value)
        assert message.startswith("le serveur d'actions ne répond pas"), message
        assert "2 paires Rasa essayées" in message
        with pytest.raises(RasaUnavailable):  # all cooling down: tried anyway, not refused unseen
            client.send("s", "Bonjour", {})
    finally:
        client.close()


def test_health_says_how_many_pairs_answer() -> None:
    with pair_servers("h1") as (h1,):
        client = client_over([h1.url, f"http://127.0.0.1:{free_port()}"], Clock())
        try:
            status = client.rasa_status()
        finally:
            client.close()
    assert status["ok"] and status["detail"].startswith("1/2 joignables"), status


def test_mismatched_lists_stop_the_app_at_start() -> None:
    assert parse_pairs("http://a:5005, http://b:5005", "http://a:5055,http://b:5055") == [
        ("http://a:5005", "http://a:5055"), ("http://b:5005", "http://b:5055")]
    with pytest.raises(ValueError, match="autant d'adresses"):
        parse_pairs("http://a:5005,http://b:5005", "http://a:5055")
    from tests.conftest import make_settings

    with pytest.raises(ValueError, match="RASA_URLS"):
        make_settings("sqlite:///x.db", rasa_urls="http://a:5005", action_server_urls="")
