"""`/api/health` is 200 only once a turn has gone through Rasa and the action server (the next
candidate turn is then fast), and makes that warm-up turn once per app process."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.services.rasa_client import RasaUnavailable
from tests.conftest import ScriptedRasa


class SlowToWarm(ScriptedRasa):
    """Both servers answer their status, but turns fail until `warm` is set (a Rasa still loading)."""

    def __init__(self) -> None:
        super().__init__()
        self.warm = False
        self.sent: list[str] = []

    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        self.sent.append(sender)
        if not self.warm:
            raise RasaUnavailable("délai de réponse dépassé")
        return super().send(sender, text, metadata)


def test_health_waits_for_one_warm_turn_then_does_not_send_another(client: TestClient) -> None:
    from api.deps import get_rasa

    rasa = SlowToWarm()
    client.app.dependency_overrides[get_rasa] = lambda: rasa  # type: ignore[attr-defined]
    cold = client.get("/api/health")
    assert cold.status_code == 503
    body = cold.json()
    assert body["status"] == "degraded" and body["rasa"]["ok"] and body["action_server"]["ok"]
    assert body["round_trip"]["ok"] is False and "tour d'essai impossible" in body["round_trip"]["detail"]

    rasa.warm = True
    warm = client.get("/api/health")
    assert warm.status_code == 200, warm.text
    assert warm.json()["round_trip"]["ok"] is True
    assert client.get("/api/health").status_code == 200
    assert len(rasa.sent) == 2 and all(s.startswith("warmup:") for s in rasa.sent)
    assert rasa.calls == []  # the warm-up turn is no session's turn


def test_no_warm_up_while_rasa_is_down(client: TestClient, rasa: ScriptedRasa) -> None:
    rasa.down = True
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["round_trip"] == {"ok": False, "detail": "en attente de Rasa et du serveur d'actions"}
