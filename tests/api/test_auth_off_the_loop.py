"""The token lookup of every authenticated request runs in a worker thread, never on the event loop.

Found by bench/load_bench.py at 50 concurrent sessions: the lookup ran inside an async dependency,
so when the connection pool was empty it blocked the event loop for the pool's 30 s timeout, no
finished request could give its connection back, and the app stalled for minutes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.deps


def test_the_token_lookup_does_not_run_on_the_event_loop(client: TestClient, candidate_headers: dict[str, str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = api.deps.user_for_token

    def watched(db: Any, token: str) -> Any:
        try:
            asyncio.get_running_loop()
            seen.append(True)  # called from the event loop's thread
        except RuntimeError:
            seen.append(False)
        return real(db, token)

    monkeypatch.setattr(api.deps, "user_for_token", watched)
    assert client.get("/api/auth/me", headers=candidate_headers).status_code == 200
    assert seen == [False]
