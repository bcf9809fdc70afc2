"""Login throttling, in memory and in a real Redis."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.services.throttle import LoginThrottle, MemoryStore, RedisStore
from tests.conftest import DEMO_PASSWORD, make_settings
from tests.services import redis_url


def exercise(throttle: LoginThrottle) -> None:
    user = f"user-{uuid.uuid4().hex[:6]}"
    for _ in range(3):
        assert throttle.blocked_for(user, "10.0.0.1") == 0
        throttle.failed(user, "10.0.0.1")
    wait = throttle.blocked_for(user, "10.0.0.1")
    assert 0 < wait <= 60
    assert throttle.blocked_for(user, "10.0.0.2") == 0, "une autre adresse n'est pas bloquée"
    throttle.succeeded(user, "10.0.0.1")
    assert throttle.blocked_for(user, "10.0.0.1") == 0


def test_memory_throttle_blocks_after_the_limit() -> None:
    exercise(LoginThrottle(MemoryStore(), max_failures=3, window_seconds=60))


@pytest.mark.redis
def test_redis_throttle_blocks_after_the_limit() -> None:
    exercise(LoginThrottle(RedisStore(redis_url(), prefix=f"rp-test:{uuid.uuid4().hex}:"),
                           max_failures=3, window_seconds=60))


@pytest.mark.redis
def test_api_answers_429_after_repeated_failures_with_redis(tmp_path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'a.db'}", redis_url=redis_url(), login_max_failures=2)
    with TestClient(create_app(settings)) as client:
        client.app.state.throttle.store.primary._prefix = f"rp-test:{uuid.uuid4().hex}:"  # type: ignore[attr-defined]
        for _ in range(2):
            bad = client.post("/api/auth/login", json={"username": "demo-jury", "password": "non"})
            assert bad.status_code == 401
        blocked = client.post("/api/auth/login", json={"username": "demo-jury", "password": DEMO_PASSWORD})
        assert blocked.status_code == 429
        assert blocked.json()["error"]["code"] == "too_many_attempts"
        assert int(blocked.headers["Retry-After"]) > 0
        other = client.post("/api/auth/login", json={"username": "demo-candidat", "password": DEMO_PASSWORD})
        assert other.status_code == 200
