"""The app's only door to Rasa: its REST channel for turns, its token-protected API for health."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa or the action server did not answer usably; the caller keeps the candidate's turn.

    `str()` is a French reason naming the part that failed, shown to the candidate.
    """


_HTTP_FAILURES = {
    "ConnectError": "connexion refusée",
    "ConnectTimeout": "délai de connexion dépassé",
    "ReadTimeout": "délai de réponse dépassé",
    "WriteTimeout": "délai d'envoi dépassé",
    "PoolTimeout": "trop de requêtes en cours",
    "RemoteProtocolError": "connexion interrompue",
    "ReadError": "connexion interrompue",
}


def why(error: httpx.HTTPError) -> str:
    """A French phrase for an HTTP failure (the class name only when it is an unusual one)."""
    name = error.__class__.__name__
    return _HTTP_FAILURES.get(name, f"erreur réseau {name}")


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
            raise RasaUnavailable(self.diagnose(f"le serveur Rasa ne répond pas ({why(error)})")) from error
        if response.status_code != 200:
            raise RasaUnavailable(self.diagnose(f"le serveur Rasa a répondu {response.status_code}"))
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, list):
            raise RasaUnavailable("réponse illisible du serveur Rasa")
        return body

    def diagnose(self, otherwise: str) -> str:
        """Which part made a turn fail. Rasa waits for the action server, so a hung or dead action
        server shows up as Rasa's timeout: ask the action server first, then Rasa."""
        actions = self.action_server_status()
        if not actions["ok"]:
            return f"le serveur d'actions ne répond pas ({actions['detail']})"
        rasa = self.rasa_status()
        if not rasa["ok"]:
            return f"le serveur Rasa ne répond pas ({rasa['detail']})"
        return otherwise

    def rasa_status(self) -> dict[str, Any]:
        """Rasa's /status (needs the token): model loaded or not."""
        try:
            response = self._client.get(f"{self.rasa_url}/status", params={"token": self.token}, timeout=3)
        except httpx.HTTPError as error:
            return {"ok": False, "detail": f"injoignable ({why(error)})"}
        if response.status_code != 200:
            return {"ok": False, "detail": f"statut HTTP {response.status_code}"}
        model = response.json().get("model_file")
        return {"ok": bool(model), "detail": "modèle chargé" if model else "aucun modèle chargé"}

    def action_server_status(self) -> dict[str, Any]:
        """The action server's /health."""
        try:
            response = self._client.get(f"{self.action_server_url}/health", timeout=3)
        except httpx.HTTPError as error:
            return {"ok": False, "detail": f"injoignable ({why(error)})"}
        ok = response.status_code == 200
        return {"ok": ok, "detail": "prêt" if ok else f"statut HTTP {response.status_code}"}
