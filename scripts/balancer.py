"""HAProxy (Debian's package) in front of the app hosts: its configuration, and the process.

Used by the cluster benchmarks and tests (scripts/cluster.py); `deploy/haproxy.cfg` is the same
configuration written out for a school's IT team (docs/deployment.md argues the choices).

What the balancer does and why:
- HTTP, `balance leastconn` over the app hosts: a turn holds its request for as long as the persona
  thinks (0.1–2 s), so the host with the fewest requests under way is the least loaded one.
- health check `GET /api/health/live` once a second, out after 2 failures, back after 2 successes:
  the app's liveness, not `/api/health`, because an app whose own Rasa is down still answers turns
  through the other hosts' pairs (api/services/rasa_client.py); taking it out would waste a host.
- `retry-on conn-failure empty-response` with `option redispatch`: a request that could not reach an
  app, or whose app died before answering a byte, goes to another host instead of becoming a 502.
  Safe here because every write the chat makes is idempotent: a message carries its client key
  (resent, it returns the stored answer or 409 `turn_pending`), `/retry` answers the oldest pending
  turn once under the session lock, starting an exam session resumes the active one.
- no session stickiness: the app keeps nothing in memory between requests (logins, turns and engine
  state are in the database, throttling counters in Redis).

`tcp_forward` sections relay TCP as is; the test cluster uses them to give the namespace hosts the
machine's PostgreSQL and Redis, which listen on loopback only (see scripts/cluster.py).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from scripts.stack import Service

MONITOR_URI = "/haproxy/live"  # answered by HAProxy itself: the balancer runs


def haproxy_binary() -> str | None:
    """Path of Debian's haproxy, or None when it is not installed."""
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)


@dataclass(frozen=True)
class Backend:
    name: str
    address: str
    port: int


@dataclass
class BalancerConfig:
    """One HTTP front for the apps, and any TCP forwards."""

    bind: str  # address:port the clients use
    apps: list[Backend]
    check_interval_ms: int = 1000
    forwards: list[tuple[str, str, str]] = field(default_factory=list)  # (name, bind, target)

    def tcp_forward(self, name: str, bind: str, target: str) -> None:
        self.forwards.append((name, bind, target))

    def render(self) -> str:
        """The haproxy.cfg text."""
        lines = [
            "# Written by scripts/balancer.py; docs/deployment.md explains each choice.",
            "global",
            "    maxconn 4096",
            "    nbthread 1",
            "",
            "defaults",
            "    mode http",
            "    log stdout format raw local0",
            "    option httplog",
            "    timeout connect 2s",
            "    timeout client 120s",
            "    timeout server 120s",  # a turn may wait RASA_TIMEOUT_SECONDS (20 s) per pair
            "    timeout queue 30s",
            "    retries 3",
            "    option redispatch 1",
            "    retry-on conn-failure empty-response",
            "    option http-buffer-request",
            "",
            "frontend apps_in",
            f"    bind {self.bind}",
            f"    monitor-uri {MONITOR_URI}",
            "    option forwardfor",
            "    default_backend apps",
            "",
            "backend apps",
            "    balance leastconn",
            "    option httpchk GET /api/health/live",
            "    http-check expect status 200",
            f"    default-server check inter {self.check_interval_ms} fall 2 rise 2",
        ]
        lines += [f"    server {app.name} {app.address}:{app.port}" for app in self.apps]
        for name, bind, target in self.forwards:
            lines += [
                "",
                f"listen {name}",
                "    mode tcp",
                "    option tcplog",
                f"    bind {bind}",
                "    timeout client 1h",
                "    timeout server 1h",
                f"    server {name} {target}",
            ]
        return "\n".join(lines) + "\n"


def check_config(path: Path) -> None:
    """Let HAProxy validate the file (raises with its message)."""
    binary = haproxy_binary()
    if binary is None:
        raise RuntimeError("haproxy absent : apt-get install haproxy")
    result = subprocess.run([binary, "-c", "-q", "-f", str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"configuration HAProxy refusée : {result.stderr.strip() or result.stdout.strip()}")


def balancer_service(config: BalancerConfig, run_dir: Path) -> Service:
    """HAProxy as a Service of scripts.stack (foreground, its own process group, log file), so that it
    is started, watched and stopped like the product's processes. Not started yet."""
    binary = haproxy_binary()
    if binary is None:
        raise RuntimeError("haproxy absent : apt-get install haproxy")
    path = run_dir / "haproxy.cfg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config.render())
    check_config(path)
    host, port = config.bind.rsplit(":", 1)
    return Service(
        name="répartiteur HAProxy",
        command=[binary, "-db", "-f", str(path)],  # -db: foreground, logs to stdout
        ready_url=f"http://{host}:{port}{MONITOR_URI}",
        cwd=run_dir, log_path=run_dir / "logs" / "haproxy.log", port=int(port), host=host,
    )
