"""Login that tells nothing and cannot be unthrottled, Redis outages, security headers."""

from __future__ import annotations

import logging
import statistics
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.deps import get_rasa
from api.main import create_app
from api.proxies import client_address, parse_networks
from scripts.stack import free_port
from tests.conftest import DEMO_PASSWORD, ScriptedRasa, make_settings
from tests.services import redis_url


@pytest.fixture
def app_client(tmp_path: Any, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """An app on SQLite with the settings the test passes (indirect parametrisation), peer 10.0.0.5."""
    overrides: dict[str, Any] = getattr(request, "param", {})
    settings = make_settings(f"sqlite:///{tmp_path / 'a.db'}", login_max_failures=3, **overrides)
    app = create_app(settings)
    rasa = ScriptedRasa()
    app.dependency_overrides[get_rasa] = lambda: rasa
    with TestClient(app, client=("10.0.0.5", 40000)) as client:
        yield client


def attempt(client: TestClient, username: str, password: str = "mauvais", **headers: str) -> int:
    response = client.post("/api/auth/login", json={"username": username, "password": password}, headers=headers)
    return response.status_code


def test_an_unknown_account_costs_one_hash_check_like_a_known_one(app_client: TestClient,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import api.routers.auth as auth

    checked: list[str] = []
    real = auth.verify_password

    def counting(password: str, password_hash: str) -> bool:
        checked.append(password_hash)
        return real(password, password_hash)

    monkeypatch.setattr(auth, "verify_password", counting)
    assert attempt(app_client, "personne-inconnue") == 401
    assert len(checked) == 1 and checked[0].startswith("$argon2"), "un hachage vérifié même sans compte"

    def timed(username: str) -> float:
        started = time.perf_counter()
        assert attempt(app_client, username, **{"X-Test": uuid.uuid4().hex}) in (401, 429)
        return time.perf_counter() - started

    known = statistics.median(timed("demo-jury") for _ in range(2))
    unknown = statistics.median(timed(f"inconnu-{i}") for i in range(3))
    assert unknown > known / 3, f"inconnu {unknown * 1000:.0f} ms, connu {known * 1000:.0f} ms"


def test_forwarded_for_is_ignored_without_trusted_proxies(app_client: TestClient) -> None:
    """Rotating X-Forwarded-For after a 429 used to give fresh attempts."""
    for i in range(3):
        assert attempt(app_client, "demo-jury", **{"X-Forwarded-For": f"203.0.113.{i}"}) == 401
    assert attempt(app_client, "demo-jury", DEMO_PASSWORD, **{"X-Forwarded-For": "198.51.100.7"}) == 429


@pytest.mark.parametrize("app_client", [{"forwarded_allow_ips": "10.0.0.0/8"}], indirect=True)
def test_a_trusted_proxy_gives_the_client_address(app_client: TestClient) -> None:
    for _ in range(3):
        assert attempt(app_client, "demo-jury", **{"X-Forwarded-For": "203.0.113.9"}) == 401
    assert attempt(app_client, "demo-jury", **{"X-Forwarded-For": "203.0.113.9"}) == 429
    # Another client behind the same proxy is counted apart; a forged left-hand entry changes nothing.
    assert attempt(app_client, "demo-jury", DEMO_PASSWORD, **{"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}) == 200


def test_client_address_rules() -> None:
    trusted = parse_networks("127.0.0.1, 10.0.0.0/8")
    assert client_address("192.0.2.1", "203.0.113.1", trusted) == "192.0.2.1", "pair non approuvé : en-tête ignoré"
    assert client_address("127.0.0.1", "203.0.113.1", ()) == "127.0.0.1", "aucun proxy approuvé par défaut"
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.1, 10.1.1.1", trusted) == "203.0.113.1"
    assert client_address("10.0.0.2", None, trusted) == "10.0.0.2"
    with pytest.raises(ValueError, match="FORWARDED_ALLOW_IPS"):
        parse_networks("10.0.0.1, pas-une-adresse")


@pytest.mark.redis
def test_health_reports_redis_when_configured(tmp_path: Any) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'a.db'}", redis_url=redis_url())
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: ScriptedRasa()
    with TestClient(app) as client:
        body = client.get("/api/health").json()
    assert body["redis"] == {"ok": True, "detail": "joignable"} and body["status"] == "ok"


@pytest.mark.parametrize("app_client", [{"redis_url": f"redis://127.0.0.1:{free_port()}/0"}], indirect=True)
def test_redis_down_falls_back_to_memory_with_a_warning(app_client: TestClient,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="roleplay"):
        assert attempt(app_client, "demo-candidat", DEMO_PASSWORD) == 200
        for _ in range(3):
            assert attempt(app_client, "demo-jury") == 401
        assert attempt(app_client, "demo-jury", DEMO_PASSWORD) == 429, "la limitation continue, en mémoire"
    assert any("Redis injoignable" in record.getMessage() for record in caplog.records)
    health = app_client.get("/api/health")
    assert health.status_code == 503
    assert health.json()["redis"]["ok"] is False and "mémoire" in health.json()["redis"]["detail"]


def test_security_headers_on_pages_api_and_errors(app_client: TestClient) -> None:
    for path, status in [("/connexion", 200), ("/api/health/live", 200), ("/api/sessions", 401),
                         ("/nulle-part", 404), ("/static/app.css", 200)]:
        response = app_client.get(path)
        assert response.status_code == status, path
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]
        assert "server" not in headers
        if path.startswith("/static/"):
            assert headers.get("cache-control") != "no-store"
        else:
            assert headers["cache-control"] == "no-store", path


def test_no_template_has_inline_script_or_style() -> None:
    """The strict CSP forbids inline code: every script and style comes from /static."""
    import re

    from api.config import ROOT

    for template in (ROOT / "web" / "templates").glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"script en ligne dans {template.name}"
        assert "<style" not in text and " style=" not in text, f"style en ligne dans {template.name}"
        assert not re.search(r"\son[a-z]+=", text), f"gestionnaire d'événement en ligne dans {template.name}"
