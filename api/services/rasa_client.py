"""The app's only door to Rasa: its REST channel for turns, its token-protected API for health."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa or the action server did not answer usably; the caller keeps the candidate's turn."""


class RasaClient:
    """Thin HTTP client; one pooled connection set per app."""

    def __init__(self, rasa_url: str, token: str, action_server_url: str, timeout: float) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.action_server_url = action_server_url.rstrip("/")
        self._client = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=50))

    def close(self) -> None:
        self._client.close()

    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Post one candidate message; return Rasa's bot messages."""
        try:
            response = self._client.post(
                f"{self.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"Rasa injoignable : {error.__class__.__name__}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa a répondu {response.status_code}")
        body = response.json()
        if not isinstance(body, list):
            raise RasaUnavailable("réponse de Rasa illisible")
        return body

    def rasa_status(self) -> dict[str, Any]:
        """Rasa's /status (needs the token): model loaded or not."""
        try:
            response = self._client.get(f"{self.rasa_url}/status", params={"token": self.token}, timeout=3)
        except httpx.HTTPError as error:
            return {"ok": False, "detail": f"injoignable ({error.__class__.__name__})"}
        if response.status_code != 200:
            return {"ok": False, "detail": f"statut HTTP {response.status_code}"}
        model = response.json().get("model_file")
        return {"ok": bool(model), "detail": "modèle chargé" if model else "aucun modèle chargé"}

    def action_server_status(self) -> dict[str, Any]:
        """The action server's /health."""
        try:
            response = self._client.get(f"{self.action_server_url}/health", timeout=3)
        except httpx.HTTPError as error:
            return {"ok": False, "detail": f"injoignable ({error.__class__.__name__})"}
        ok = response.status_code == 200
        return {"ok": ok, "detail": "prêt" if ok else f"statut HTTP {response.status_code}"}
