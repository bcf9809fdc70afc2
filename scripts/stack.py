"""Start, watch and stop the three processes of the product: Rasa, the action server and the app.

Used by `make run` (scripts/run.py) and by the integration and browser tests, so that what the
tests exercise is exactly what a user starts.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.paths import APP_PYTHON, BOT_DIR, MODEL_PATH, RASA_BIN, ROOT


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
    """True when GET url answers 2xx."""
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
    """One child process and how to tell it is ready."""

    name: str
    command: list[str]
    ready_url: str
    cwd: Path
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process in its own process group, output to its log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env={**os.environ, **self.env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()

    def exited(self) -> int | None:
        """The exit code if the process ended, else None."""
        return None if self.process is None else self.process.poll()

    def log_tail(self, lines: int = 25) -> str:
        """The last lines of the log, to explain a failure."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the whole process group, then SIGKILL what is left."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


class Stack:
    """The whole product on loopback: Rasa server, action server, FastAPI app."""

    def __init__(
        self,
        ports: Ports | None = None,
        run_dir: Path | None = None,
        app_env: dict[str, str] | None = None,
        rasa_token: str | None = None,
        with_app: bool = True,
    ) -> None:
        self.ports = ports or Ports()
        self.run_dir = run_dir or ROOT / "var" / "run"
        self.rasa_token = rasa_token or secrets.token_urlsafe(24)
        self.app_env = app_env or {}
        self.with_app = with_app
        self.services: list[Service] = []

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.app}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    def _write_endpoints(self) -> Path:
        path = self.run_dir / "endpoints.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n')
        return path

    def app_environment(self) -> dict[str, str]:
        """Environment the app process gets: where Rasa is, and the token to reach its API."""
        return {
            "RASA_URL": self.rasa_url,
            "RASA_TOKEN": self.rasa_token,
            "ACTION_SERVER_URL": self.actions_url,
            **self.app_env,
        }

    def build_services(self) -> list[Service]:
        """Describe the three processes (not started)."""
        logs = self.run_dir / "logs"
        services = [
            Service(
                name="serveur d'actions",
                command=[str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "bot.actions",
                         "--port", str(self.ports.actions)],
                ready_url=f"{self.actions_url}/health",
                cwd=ROOT, log_path=logs / "actions.log",
                env={"PYTHONPATH": str(ROOT)},
            ),
            Service(
                name="serveur Rasa",
                command=[str(RASA_BIN), "run", "--model", str(MODEL_PATH), "--enable-api",
                         "--auth-token", self.rasa_token, "--interface", "127.0.0.1",
                         "--port", str(self.ports.rasa), "--endpoints", str(self._write_endpoints()),
                         "--credentials", str(BOT_DIR / "credentials.yml")],
                ready_url=f"{self.rasa_url}/status?token={self.rasa_token}",
                cwd=BOT_DIR, log_path=logs / "rasa.log",
            ),
        ]
        if self.with_app:
            services.append(Service(
                name="application (API + web)",
                command=[str(APP_PYTHON), "-m", "uvicorn", "--factory", "api.main:create_app",
                         "--host", "127.0.0.1", "--port", str(self.ports.app), "--no-access-log"],
                ready_url=f"{self.app_url}/api/health",
                cwd=ROOT, log_path=logs / "app.log", env=self.app_environment(),
            ))
        return services

    def check_prerequisites(self) -> None:
        """Fail early, in French, when something the stack needs is missing or taken."""
        if not MODEL_PATH.exists():
            raise StackError(f"modèle Rasa absent ({MODEL_PATH}) : lancez `make setup`.")
        if not RASA_BIN.exists():
            raise StackError("Rasa n'est pas installé (.venv-rasa) : lancez `make setup`.")
        ports = [self.ports.rasa, self.ports.actions] + ([self.ports.app] if self.with_app else [])
        taken = [p for p in ports if not port_is_free(p)]
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
                    self.stop()
                    raise StackError(
                        f"{service.name} s'est arrêté (code {code}) pendant le démarrage. "
                        f"Fin du journal {service.log_path}:\n{service.log_tail()}"
                    )
                if self._is_ready(service):
                    pending.remove(service)
                    if on_ready:
                        on_ready(service, time.monotonic() - started)
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                self.stop()
                raise StackError(f"délai dépassé ({timeout:.0f} s) en attendant : {names}")
            time.sleep(0.25)  # polling interval between readiness probes

    @staticmethod
    def _is_ready(service: Service) -> bool:
        # The app's /api/health is 503 until Rasa is up; its own liveness is enough for it.
        if service.ready_url.endswith("/api/health"):
            return http_ok(service.ready_url + "/live")
        return http_ok(service.ready_url)

    def stop(self) -> None:
        """Stop every service, app first so it does not log Rasa errors while Rasa goes down."""
        for service in reversed(self.services):
            service.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
