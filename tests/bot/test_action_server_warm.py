"""The action server loads the turn reading (spaCy) before it listens.

Found by bench/fault_bench.py: the first action loaded the French model inside the server's event
loop, `/health` stopped answering for more than the supervisor's three 3 s looks while 20 candidates
were sending turns, and the supervisor killed and restarted a live action server (turns got 503).
"""

from __future__ import annotations

from typing import Any

import pytest

import scripts.action_server as action_server
from bot.actions import signals


def test_the_reading_is_loaded_before_the_server_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    class FakeApp:
        def run(self, **kwargs: Any) -> None:
            calls.append("listen")

    import rasa_sdk.endpoint

    monkeypatch.setattr(rasa_sdk.endpoint, "create_app", lambda *args, **kwargs: FakeApp())
    monkeypatch.setattr(signals, "warm_reading", lambda: calls.append("warm") or True)
    action_server.main(["--port", "1"])
    assert calls == ["warm", "listen"]


def test_warming_loads_the_french_pipeline() -> None:
    from scoring import pipeline

    assert signals.warm_reading() is True
    assert any(lang == "fr" for lang, _ in pipeline._cache)
