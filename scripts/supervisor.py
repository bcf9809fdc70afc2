"""Keep the stack running: watch each service by its readiness, restart a dead or hung one.

Why readiness and not the PID: a frozen process, or a server whose worker died while the main
process kept the port, is alive and useless. Each look asks the service's readiness URL with a
timeout; a service that exited, never became ready, or stopped answering several looks in a row is
stopped as a whole tree (its port freed) and started again after a backoff that doubles up to a
ceiling, so that a service crashing at start does not spin.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from scripts.stack import Service, StackError


@dataclass
class Policy:
    """How patient the supervisor is (seconds)."""

    probe_timeout: float = 3.0
    failed_probes: int = 3  # consecutive failed looks before a ready service counts as hung
    start_timeout: float = 240.0  # Rasa loads TensorFlow: the first readiness may take minutes
    backoff_first: float = 1.0
    backoff_max: float = 30.0
    stable_after: float = 60.0  # ready this long: the next failure starts the backoff over


@dataclass
class Watched:
    service: Service
    started_at: float
    ready_since: float | None = None
    failures: int = 0
    restarts: int = 0
    backoff: float = 0.0
    restart_at: float | None = None  # waiting out the backoff


class Supervisor:
    """Call `look()` periodically (scripts/run.py does, once a second)."""

    def __init__(self, services: list[Service], policy: Policy | None = None,
                 report: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or Policy()
        self.report = report
        self.clock = clock
        now = clock()
        self.watched = [Watched(service, started_at=now, ready_since=now) for service in services]

    def look(self) -> None:
        """One round: restart what is due, check the others."""
        for watched in self.watched:
            self._look_at(watched)

    def restarts(self, service: Service) -> int:
        return next(w.restarts for w in self.watched if w.service is service)

    def _look_at(self, watched: Watched) -> None:
        now = self.clock()
        service = watched.service
        if watched.restart_at is not None:
            if now >= watched.restart_at:
                watched.restart_at = None
                watched.started_at, watched.ready_since, watched.failures = now, None, 0
                watched.restarts += 1
                service.start()
                self.report(f"    redémarré : {service.name} (redémarrage n° {watched.restarts})")
            return
        code = service.exited()
        if code is not None:
            self._schedule_restart(watched, f"{service.name} s'est arrêté (code {code})")
            return
        service.remember_tree()
        if service.ready(self.policy.probe_timeout):
            if watched.ready_since is None:
                watched.ready_since = now
                self.report(f"    prêt : {service.name}")
            watched.failures = 0
            if now - watched.ready_since >= self.policy.stable_after:
                watched.backoff = 0.0
            return
        if watched.ready_since is None:
            if now - watched.started_at > self.policy.start_timeout:
                self._schedule_restart(watched, f"{service.name} n'est pas prêt après "
                                                f"{self.policy.start_timeout:.0f} s")
            return
        watched.failures += 1
        if watched.failures >= self.policy.failed_probes:
            self._schedule_restart(watched, f"{service.name} ne répond plus ({watched.failures} essais "
                                            f"sans réponse en {self.policy.probe_timeout:.0f} s)")

    def _schedule_restart(self, watched: Watched, reason: str) -> None:
        watched.backoff = (self.policy.backoff_first if watched.backoff == 0
                           else min(watched.backoff * 2, self.policy.backoff_max))
        self.report(f"ATTENTION : {reason} ; arrêt de tous ses processus, redémarrage dans {watched.backoff:.0f} s")
        try:
            watched.service.stop()
        except StackError as error:
            self.report(f"ERREUR : {error}")
        watched.restart_at = self.clock() + watched.backoff
