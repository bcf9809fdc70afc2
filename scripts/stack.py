"""Start, watch and stop the three processes of the product: Rasa, the action server and the app.

Used by `make run` (scripts/run.py) and by the integration and browser tests, so that what the
tests exercise is exactly what a user starts. Each service is the leader of its own process group;
stopping it ends the whole tree (workers and orphans included, leader dead or alive) and waits for
its port to be free. `scripts.supervisor` restarts a dead or hung one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.paths import APP_PYTHON, BOT_DIR, MODEL_PATH, RASA_BIN, ROOT
from scripts.processes import Identity, descendants, identity, kill_tree
from scripts.warm import warm_rasa

LOOPBACK = "127.0.0.1"
# Rasa keeps one short conversation per candidate turn (the app owns the session): a bounded
# in-memory tracker store (bot/rasa_stores.py) and the in-memory lock store, said explicitly.
RASA_STORES = ("tracker_store:\n  type: bot.rasa_stores.BoundedInMemoryTrackerStore\n  max_trackers: 2000\n"
               "lock_store:\n  type: in_memory\n")
# PYTHONPATH: Rasa imports the tracker store (and its hot-path fix, bot/rasa_patches.py) from bot/.
RASA_ENV = {"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}


class StackError(RuntimeError):
    """A part of the stack could not start; the message says which and why, in French."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port the kernel says is free now (for tests that run beside a user's stack)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ok(url: str, timeout: float = 2.0) -> bool:
    """True when GET url answers 2xx within `timeout` seconds (a hung server is not ready)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Ports:
    """The three listening ports."""

    app: int = 8000
    rasa: int = 5005
    actions: int = 5055


@dataclass
class Service:
    """One child process (and whatever it forks), how to tell it is ready, and the port it holds."""

    name: str
    command: list[str]
    ready_url: str
    cwd: Path
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    port: int | None = None
    host: str = LOOPBACK
    # How to tell the port is free again; a service in another network namespace (scripts/hosts.py)
    # cannot be checked by binding its address here.
    port_free: Callable[[int, str], bool] = port_is_free
    # Every descendant seen while the service ran: workers that left the group are still ended.
    seen: set[Identity] = field(default_factory=set)
    # A first real request, sent once after each start before the service counts as ready.
    warm_up: Callable[[], bool] | None = None
    warmed: bool = False

    def start(self) -> None:
        """Start the process as the leader of a new process group, output to its log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env={**os.environ, **self.env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        self.seen = set()
        self.warmed = False

    def exited(self) -> int | None:
        """The exit code if the leader ended, else None."""
        return None if self.process is None else self.process.poll()

    def remember_tree(self) -> None:
        """Note the leader's current descendants (called by the supervisor at each look)."""
        if self.process is not None and self.process.poll() is None:
            for pid in descendants(self.process.pid):
                known = identity(pid)
                if known is not None:
                    self.seen.add(known)

    def ready(self, timeout: float = 3.0) -> bool:
        """Answers its readiness URL within `timeout` (a hung process is not ready), and has served
        its warm-up request once since it started (scripts/warm.py)."""
        if not http_ok(self.ready_url, timeout=timeout):
            return False
        if self.warm_up is not None and not self.warmed:
            self.warmed = self.warm_up()
            return self.warmed
        return True

    def log_tail(self, lines: int = 25) -> str:
        """The last lines of the log, to explain a failure."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """End the whole tree: SIGTERM, then SIGKILL after `timeout`; also when the leader is already
        dead (its orphans keep the group id); then wait until the port is free."""
        if self.process is None:
            return
        self.remember_tree()
        left = kill_tree(self.process.pid, self.seen, grace=timeout)
        try:
            self.process.wait(timeout=5)  # reap the leader
        except subprocess.TimeoutExpired:
            left.add(self.process.pid)
        if left:
            raise StackError(f"{self.name} : processus impossibles à arrêter : {sorted(left)}")
        self.wait_port_free()

    def wait_port_free(self, timeout: float = 10.0) -> None:
        """Block until nothing listens on the service's port (its tree is gone, the kernel lets go)."""
        if self.port is None:
            return
        deadline = time.monotonic() + timeout
        while not self.port_free(self.port, self.host):
            if time.monotonic() > deadline:
                raise StackError(f"{self.name} : le port {self.port} reste occupé après l'arrêt.")
            time.sleep(0.05)  # polling the port until the kernel releases it (bounded)


def default_run_dir(ports: Ports) -> Path:
    """Where a stack keeps endpoints.yml and its logs: one directory per set of ports, so that two
    stacks started from one checkout (they cannot share ports) never overwrite each other's files."""
    return ROOT / "var" / "run" / f"{ports.app}-{ports.rasa}-{ports.actions}"


class Stack:
    """The whole product on loopback (unless `host` says otherwise): Rasa server, action server, app."""

    def __init__(
        self,
        ports: Ports | None = None,
        run_dir: Path | None = None,
        app_env: dict[str, str] | None = None,
        rasa_token: str | None = None,
        with_app: bool = True,
        host: str = LOOPBACK,
        forwarded_allow_ips: str = "",
        launcher: list[str] | None = None,
        port_free: Callable[[int, str], bool] = port_is_free,
    ) -> None:
        self.ports = ports or Ports()
        self.run_dir = run_dir or default_run_dir(self.ports)
        self.rasa_token = rasa_token or secrets.token_urlsafe(24)
        self.app_env = app_env or {}
        self.with_app = with_app
        self.host = host
        self.forwarded_allow_ips = forwarded_allow_ips
        # Prefix of every command, e.g. `ip netns exec h1 taskset -c 0` for a host of a test cluster
        # (both exec the command, so the service is still the leader of its process group).
        self.launcher = launcher or []
        self.port_free = port_free
        self.services: list[Service] = []

    @property
    def _connect_host(self) -> str:
        # Services listening on every interface are reached on loopback.
        return LOOPBACK if self.host in ("0.0.0.0", "::", "") else self.host

    @property
    def app_url(self) -> str:
        return f"http://{self._connect_host}:{self.ports.app}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self._connect_host}:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        return f"http://{self._connect_host}:{self.ports.actions}"

    def _write_endpoints(self) -> Path:
        path = self.run_dir / "endpoints.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n' + RASA_STORES)
        return path

    def app_environment(self) -> dict[str, str]:
        """Environment the app process gets: where Rasa is, and the token to reach its API."""
        return {
            "RASA_URL": self.rasa_url,
            "RASA_TOKEN": self.rasa_token,
            "ACTION_SERVER_URL": self.actions_url,
            "FORWARDED_ALLOW_IPS": self.forwarded_allow_ips,
            **self.app_env,
        }

    def uvicorn_proxy_options(self) -> list[str]:
        """uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: only the configured proxies here."""
        if not self.forwarded_allow_ips:
            return ["--no-proxy-headers"]
        return ["--proxy-headers", "--forwarded-allow-ips", self.forwarded_allow_ips]

    def build_services(self) -> list[Service]:
        """Describe the three processes (not started)."""
        logs = self.run_dir / "logs"
        services = [
            Service(
                name="serveur d'actions",
                command=[*self.launcher, str(APP_PYTHON), "-m", "scripts.action_server", "--host", self.host,
                         "--port", str(self.ports.actions)],
                ready_url=f"{self.actions_url}/health",
                cwd=ROOT, log_path=logs / "actions.log",
                env={"PYTHONPATH": str(ROOT)}, port=self.ports.actions, host=self._connect_host,
                port_free=self.port_free,
            ),
            Service(
                name="serveur Rasa",
                command=[*self.launcher, str(RASA_BIN), "run", "--model", str(MODEL_PATH), "--enable-api",
                         f"--auth-token={self.rasa_token}", "--interface", self.host,
                         "--port", str(self.ports.rasa), "--endpoints", str(self._write_endpoints()),
                         "--credentials", str(BOT_DIR / "credentials.yml")],
                ready_url=f"{self.rasa_url}/status?token={self.rasa_token}",
                cwd=BOT_DIR, log_path=logs / "rasa.log", port=self.ports.rasa, host=self._connect_host,
                port_free=self.port_free,
                env=RASA_ENV, warm_up=functools.partial(warm_rasa, self.rasa_url),
            ),
        ]
        if self.with_app:
            services.append(Service(
                name="application (API + web)",
                command=[*self.launcher, str(APP_PYTHON), "-m", "uvicorn", "--factory", "api.main:create_app",
                         "--host", self.host, "--port", str(self.ports.app), "--no-access-log",
                         "--no-server-header", *self.uvicorn_proxy_options()],
                # The app's /api/health is 503 until Rasa is up; its own liveness is what says it runs.
                ready_url=f"{self.app_url}/api/health/live",
                cwd=ROOT, log_path=logs / "app.log", env=self.app_environment(),
                port=self.ports.app, host=self._connect_host, port_free=self.port_free,
            ))
        return services

    def check_prerequisites(self) -> None:
        """Fail early, in French, when something the stack needs is missing or taken."""
        if not MODEL_PATH.exists():
            raise StackError(f"modèle Rasa absent ({MODEL_PATH}) : lancez `make setup`.")
        if not RASA_BIN.exists():
            raise StackError("Rasa n'est pas installé (.venv-rasa) : lancez `make setup`.")
        ports = [self.ports.rasa, self.ports.actions] + ([self.ports.app] if self.with_app else [])
        taken = [p for p in ports if not self.port_free(p, self._connect_host)]
        if taken:
            raise StackError(
                f"port(s) déjà utilisé(s) : {', '.join(map(str, taken))}. Arrêtez le programme qui les "
                "occupe (`ss -ltnp`) ou choisissez d'autres ports (APP_PORT, RASA_PORT, ACTION_PORT)."
            )

    def start(self, timeout: float = 240.0, on_ready: Callable[[Service, float], None] | None = None) -> None:
        """Start every service and wait until each answers its readiness URL."""
        self.check_prerequisites()
        self.services = self.build_services()
        for service in self.services:
            service.start()
        self._wait_ready(list(self.services), timeout, on_ready)

    def restart(self, service: Service, timeout: float = 240.0) -> None:
        """Start one stopped service again and wait until it is ready (used by outage tests)."""
        service.stop()
        service.start()
        self._wait_ready([service], timeout, None)

    def _wait_ready(self, pending: list[Service], timeout: float,
                    on_ready: Callable[[Service, float], None] | None) -> None:
        started = time.monotonic()
        deadline = started + timeout
        while pending:
            for service in list(pending):
                code = service.exited()
                if code is not None:
                    self._stop_quietly()
                    raise StackError(
                        f"{service.name} s'est arrêté (code {code}) pendant le démarrage. "
                        f"Fin du journal {service.log_path}:\n{service.log_tail()}"
                    )
                service.remember_tree()
                if service.ready():
                    pending.remove(service)
                    if on_ready:
                        on_ready(service, time.monotonic() - started)
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                self._stop_quietly()
                raise StackError(f"délai dépassé ({timeout:.0f} s) en attendant : {names}")
            time.sleep(0.25)  # polling interval between readiness probes

    def stop(self) -> None:
        """Stop every service, app first so it does not log Rasa errors while Rasa goes down."""
        errors = []
        for service in reversed(self.services):
            try:
                service.stop()
            except StackError as error:
                errors.append(str(error))
        if errors:
            raise StackError(" ; ".join(errors))

    def _stop_quietly(self) -> None:
        """Stop after a failed start: the start's error is the one to report."""
        with contextlib.suppress(StackError):
            self.stop()

    def service(self, name_start: str) -> Service:
        """The started service whose name begins with `name_start` (for tests and the supervisor)."""
        return next(s for s in self.services if s.name.startswith(name_start))

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
