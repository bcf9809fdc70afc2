"""The app's only door to Rasa: its REST channel for turns, its token-protected API for health.

Several Rasa + action server pairs (one per host) may serve one app: the client is its own
balancer. It sends a turn to its own host's pair first (no network hop, and each host's app loads
its own pair) and, when that pair fails, to the next one at once, within the same request. A pair
that failed is skipped for `cooldown` seconds; after that it gets a health check (Rasa `/status`,
action server `/health`) before a turn is sent to it again. When every pair is cooling down they
are tried anyway, oldest failure first: a turn is never refused on a stale mark alone.

Why a turn may go to any pair, even in the middle of a conversation: the app sends the session's
engine state, history and seed with every turn (`dialogue._forward`) and stores the answer once,
under the session lock; a pair keeps nothing the next turn needs. Sending the same turn to a second
pair after the first timed out is therefore safe: the engine is pure (same state, same seed, same
answer) and whichever answer arrives is stored once.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger("roleplay")


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


def parse_pairs(rasa_urls: str, action_server_urls: str) -> list[tuple[str, str]]:
    """`RASA_URLS` and `ACTION_SERVER_URLS` (comma-separated, same order) as (Rasa, actions) pairs.

    Raises ValueError in French when the lists do not match, so that a wrong setting stops the app
    at start instead of sending turns to half a pair.
    """
    rasa = [url.strip().rstrip("/") for url in rasa_urls.split(",") if url.strip()]
    actions = [url.strip().rstrip("/") for url in action_server_urls.split(",") if url.strip()]
    if len(rasa) != len(actions):
        raise ValueError(f"RASA_URLS ({len(rasa)} adresses) et ACTION_SERVER_URLS ({len(actions)}) "
                         "doivent lister autant d'adresses, dans le même ordre")
    for url in rasa + actions:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"adresse de serveur invalide : {url!r} (http://hôte:port attendu)")
    return list(zip(rasa, actions, strict=True))


@dataclass
class Pair:
    """One Rasa server and the action server it calls (they run on the same host)."""

    rasa_url: str
    action_server_url: str
    down_until: float = 0.0  # monotonic time before which the pair is skipped
    failed_at: float = 0.0
    reason: str = ""  # why it last failed, in French

    @property
    def name(self) -> str:
        return self.rasa_url.split("://", 1)[-1]


def _has_state(body: list[Any]) -> bool:
    """A usable reply carries the action's state message (docs/contracts.md). Rasa answers 200 with
    no such message when its action server is down: that pair failed, another may answer."""
    return any(isinstance(m, dict) and isinstance(m.get("custom"), dict) and m["custom"].get("kind") == "state"
               for m in body)


class RasaClient:
    """Thin HTTP client and client-side balancer over the pairs; one pooled connection set per app."""

    def __init__(self, rasa_url: str, token: str, action_server_url: str, timeout: float, *,
                 pairs: Sequence[tuple[str, str]] = (), cooldown: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        listed = list(pairs) or [(rasa_url, action_server_url)]
        self.pairs = [Pair(rasa.rstrip("/"), actions.rstrip("/")) for rasa, actions in listed]
        self.rasa_url = self.pairs[0].rasa_url
        self.action_server_url = self.pairs[0].action_server_url
        self.token = token
        self.timeout = timeout
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._rotation = itertools.count()
        self._client = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=50))

    def close(self) -> None:
        self._client.close()

    def order(self) -> list[Pair]:
        """The pairs in the order a turn tries them: ready ones first — the own pair (listed first),
        then the others in turn, so that a host whose pair is down spreads its turns — then those
        cooling down, oldest failure first."""
        now = self.clock()
        with self._lock:
            start = next(self._rotation)
        own, others = self.pairs[0], self.pairs[1:]
        if others:
            shift = start % len(others)
            others = others[shift:] + others[:shift]
        candidates = [own, *others]
        ready = [pair for pair in candidates if pair.down_until <= now]
        cooling = sorted((pair for pair in candidates if pair.down_until > now), key=lambda p: p.failed_at)
        return ready + cooling

    def _mark_down(self, pair: Pair, reason: str) -> None:
        with self._lock:
            pair.failed_at = self.clock()
            pair.down_until = pair.failed_at + self.cooldown
            pair.reason = reason
        if len(self.pairs) > 1:
            log.warning("paire Rasa %s écartée %.0f s : %s", pair.name, self.cooldown, reason)

    def _mark_up(self, pair: Pair) -> None:
        if pair.failed_at:
            with self._lock:
                pair.failed_at, pair.down_until, pair.reason = 0.0, 0.0, ""
            if len(self.pairs) > 1:
                log.warning("paire Rasa %s de nouveau utilisée", pair.name)

    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Post one candidate message to the first pair that answers it usably; return Rasa's bot
        messages. The whole call stays within `timeout` (later pairs get what is left of it)."""
        deadline = self.clock() + self.timeout
        failures: list[str] = []
        for pair in self.order():
            left = deadline - self.clock()
            if failures and left <= 0.05:
                break
            if pair.failed_at:  # failed before: its health check first, a turn only if it passes
                problem = self._diagnose(pair, "", timeout=min(left, 1.0))
                if problem:
                    self._mark_down(pair, problem)
                    failures.append(problem)
                    continue
            try:
                body = self._send_to(pair, sender, text, metadata, max(left, 0.05))
            except RasaUnavailable as error:
                self._mark_down(pair, str(error))
                failures.append(str(error))
                continue
            self._mark_up(pair)
            if failures:
                log.warning("tour de %s servi par la paire %s après %d échec(s)", sender, pair.name, len(failures))
            return body
        raise RasaUnavailable(failures[0] if len(self.pairs) == 1 else self._all_failed(failures))

    def _all_failed(self, failures: list[str]) -> str:
        """One reason for the candidate when several pairs were tried: the own pair's, and how many."""
        tried = len(failures)
        return failures[0] + (f" ; {tried} paires Rasa essayées, aucune n'a répondu" if tried > 1 else "")

    def _send_to(self, pair: Pair, sender: str, text: str, metadata: dict[str, Any],
                 timeout: float) -> list[dict[str, Any]]:
        try:
            response = self._client.post(
                f"{pair.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata}, timeout=timeout,
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(self._diagnose(pair, f"le serveur Rasa ne répond pas ({why(error)})")) from error
        if response.status_code != 200:
            raise RasaUnavailable(self._diagnose(pair, f"le serveur Rasa a répondu {response.status_code}"))
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, list):
            raise RasaUnavailable("réponse illisible du serveur Rasa")
        if len(self.pairs) > 1 and not _has_state(body):
            raise RasaUnavailable(self._diagnose(pair, "le serveur d'actions n'a pas répondu"))
        return body

    def diagnose(self, otherwise: str) -> str:
        """Which part of the own pair made a turn fail (see `_diagnose`)."""
        return self._diagnose(self.pairs[0], otherwise)

    def _diagnose(self, pair: Pair, otherwise: str, timeout: float = 3.0) -> str:
        """Which part made a turn fail (`otherwise` when both answer their health URL). Rasa waits
        for the action server, so a hung or dead action server shows up as Rasa's timeout: ask the
        action server first, then Rasa."""
        actions = self._action_server_status(pair, timeout)
        if not actions["ok"]:
            return f"le serveur d'actions ne répond pas ({actions['detail']})"
        rasa = self._rasa_status(pair, timeout)
        if not rasa["ok"]:
            return f"le serveur Rasa ne répond pas ({rasa['detail']})"
        return otherwise

    def rasa_status(self) -> dict[str, Any]:
        """Rasa's /status (needs the token): model loaded or not. With several pairs: ok when at
        least one Rasa is, the detail says which are down."""
        return self._combined([self._rasa_status(pair) for pair in self.pairs])

    def action_server_status(self) -> dict[str, Any]:
        """The action server's /health (several pairs: ok when at least one is)."""
        return self._combined([self._action_server_status(pair) for pair in self.pairs])

    def _combined(self, statuses: list[dict[str, Any]]) -> dict[str, Any]:
        if len(statuses) == 1:
            return statuses[0]
        up = sum(1 for status in statuses if status["ok"])
        down = [f"{pair.name} : {status['detail']}" for pair, status in zip(self.pairs, statuses, strict=True)
                if not status["ok"]]
        detail = f"{up}/{len(statuses)} joignables" + (f" ({' ; '.join(down)})" if down else "")
        return {"ok": up > 0, "detail": detail}

    def _rasa_status(self, pair: Pair, timeout: float = 3.0) -> dict[str, Any]:
        try:
            response = self._client.get(f"{pair.rasa_url}/status", params={"token": self.token}, timeout=timeout)
        except httpx.HTTPError as error:
            return {"ok": False, "detail": f"injoignable ({why(error)})"}
        if response.status_code != 200:
            return {"ok": False, "detail": f"statut HTTP {response.status_code}"}
        model = response.json().get("model_file")
        return {"ok": bool(model), "detail": "modèle chargé" if model else "aucun modèle chargé"}

    def _action_server_status(self, pair: Pair, timeout: float = 3.0) -> dict[str, Any]:
        try:
            response = self._client.get(f"{pair.action_server_url}/health", timeout=timeout)
        except httpx.HTTPError as error:
            return {"ok": False, "detail": f"injoignable ({why(error)})"}
        ok = response.status_code == 200
        return {"ok": ok, "detail": "prêt" if ok else f"statut HTTP {response.status_code}"}
