"""Whether the first candidate turn will be fast: one warm-up round trip through Rasa and the action
server, made once per app process before `/api/health` answers 200.

Why: Rasa's `/status` and the action server's `/health` answer as soon as their processes listen,
but Rasa's first prediction still loads what it needs (6 s measured on the first reply after
« healthy »). The stack's launcher warms Rasa before calling it ready (scripts/warm.py); this check
makes the app's health say the same thing whoever started Rasa, and warms the app's own path to it.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any, Protocol

WARM_TEXT = "Bonjour, quel budget avez-vous prévu pour ce projet ?"


class TurnSender(Protocol):
    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]: ...


class WarmRoundTrip:
    """Remembers, per app process, that one turn went through Rasa and the action server and back.

    The warm-up turn carries no persona: the action answers its « session data missing » line and
    a state message, which the app neither stores nor shows.
    """

    def __init__(self) -> None:
        self.done = False
        self._lock = threading.Lock()

    def check(self, rasa: TurnSender) -> dict[str, Any]:
        """{"ok", "detail"}: already done, or done now (the first call waits for the round trip)."""
        if self.done:
            return {"ok": True, "detail": "tour d'essai servi"}
        with self._lock:  # one warm-up at a time; the others wait for its outcome
            if self.done:
                return {"ok": True, "detail": "tour d'essai servi"}
            started = time.perf_counter()
            try:
                messages = rasa.send(f"warmup:{secrets.token_hex(4)}", WARM_TEXT, {"roleplay": {}})
            except Exception as error:  # RasaUnavailable or anything the client raises: not warm yet
                return {"ok": False, "detail": f"tour d'essai impossible ({error})"}
            if not any(isinstance(m.get("custom"), dict) and m["custom"].get("kind") == "state" for m in messages):
                return {"ok": False, "detail": "tour d'essai sans réponse du serveur d'actions"}
            self.done = True
            return {"ok": True, "detail": f"tour d'essai servi en {(time.perf_counter() - started) * 1000:.0f} ms"}
