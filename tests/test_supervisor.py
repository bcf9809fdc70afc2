"""The launcher with real processes: whole trees killed (orphans included), ports freed, dead and
hung services restarted with backoff, the action server in one process on loopback, one run
directory per stack, and the app's uvicorn without banner nor trusted X-Forwarded-For."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scripts.paths import ROOT
from scripts.processes import alive, descendants, group_members
from scripts.stack import Ports, Service, Stack, free_port, port_is_free
from scripts.supervisor import Policy, Supervisor

# A server whose work is done by a forked worker, like Sanic's manager: the leader only waits.
FORKING_SERVER = textwrap.dedent("""
    import http.server, os, signal, sys
    port, leave_group = int(sys.argv[1]), sys.argv[2] == "1"
    if os.fork() == 0:
        if leave_group:
            os.setsid()
        http.server.ThreadingHTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler).serve_forever()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a leader that ignores SIGTERM: SIGKILL must follow
    while True:
        signal.pause()
""")


def until(condition: Callable[[], bool], timeout: float, what: str, step: Callable[[], None] | None = None) -> None:
    """Poll `condition` (after `step`, if any) until true; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"délai dépassé : {what}")
        if step is not None:
            step()
        else:
            time.sleep(0.05)  # polling interval of the condition itself


def http_service(tmp_path: Path, name: str, command: list[str], port: int) -> Service:
    return Service(name=name, command=command, ready_url=f"http://127.0.0.1:{port}/", cwd=tmp_path,
                   log_path=tmp_path / f"{name}.log", port=port)


@pytest.fixture
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:
        service.stop(timeout=2)


@pytest.mark.parametrize("leave_group", [False, True], ids=["same-group", "own-session"])
def test_stop_ends_orphaned_workers_and_frees_the_port(tmp_path: Path, services: list[Service],
                                                      leave_group: bool) -> None:
    port = free_port()
    service = http_service(tmp_path, "forking", [sys.executable, "-c", FORKING_SERVER, str(port),
                                                 "1" if leave_group else "0"], port)
    services.append(service)
    service.start()
    until(service.ready, 20, "le serveur qui forke répond")
    service.remember_tree()  # what the supervisor does at each look
    assert service.process is not None
    [worker] = descendants(service.process.pid)

    os.kill(service.process.pid, signal.SIGKILL)  # the leader dies, the worker keeps the port
    service.process.wait(timeout=10)
    assert alive(worker) and not port_is_free(port)

    service.stop(timeout=2)
    assert not alive(worker), "le worker orphelin est arrêté aussi"
    assert port_is_free(port), "le port est libéré"


def test_stop_follows_with_sigkill_when_sigterm_is_ignored(tmp_path: Path, services: list[Service]) -> None:
    port = free_port()
    service = http_service(tmp_path, "obstiné", [sys.executable, "-c", FORKING_SERVER, str(port), "0"], port)
    services.append(service)
    service.start()
    until(service.ready, 20, "le serveur répond")
    assert service.process is not None
    pgid = service.process.pid
    service.stop(timeout=0.5)
    assert group_members(pgid) == set() and port_is_free(port)


class FakeClock:
    """The supervisor's clock, advanced by the test: backoffs are checked without waiting them out."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def plain_server(tmp_path: Path, port: int) -> Service:
    return http_service(tmp_path, "serveur", [sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                                              str(port)], port)


def test_a_dead_service_is_restarted(tmp_path: Path, services: list[Service]) -> None:
    port = free_port()
    service = plain_server(tmp_path, port)
    services.append(service)
    service.start()
    until(service.ready, 20, "le serveur répond")
    clock, lines = FakeClock(), []
    supervisor = Supervisor([service], Policy(probe_timeout=1), report=lines.append, clock=clock)
    assert service.process is not None
    os.kill(service.process.pid, signal.SIGKILL)
    service.process.wait(timeout=10)

    supervisor.look()
    assert "s'est arrêté" in lines[-1] and "redémarrage dans 1 s" in lines[-1]
    supervisor.look()
    assert supervisor.restarts(service) == 0, "le délai n'est pas écoulé"
    clock.now += 1
    supervisor.look()
    assert supervisor.restarts(service) == 1
    until(service.ready, 20, "le serveur redémarré répond")


def test_a_hung_service_is_killed_and_restarted(tmp_path: Path, services: list[Service]) -> None:
    port = free_port()
    service = plain_server(tmp_path, port)
    services.append(service)
    service.start()
    until(service.ready, 20, "le serveur répond")
    assert service.process is not None
    hung_pid = service.process.pid
    clock, lines = FakeClock(), []
    supervisor = Supervisor([service], Policy(probe_timeout=0.3, failed_probes=2), report=lines.append, clock=clock)
    os.kill(hung_pid, signal.SIGSTOP)  # alive, port held, answers nothing

    supervisor.look()
    assert supervisor.restarts(service) == 0 and alive(hung_pid), "un seul essai manqué ne suffit pas"
    supervisor.look()
    assert "ne répond plus" in lines[-1]
    assert not alive(hung_pid) and port_is_free(port), "le processus figé est tué, son port libéré"
    clock.now += 1
    supervisor.look()
    until(service.ready, 20, "le serveur redémarré répond")
    assert service.process.pid != hung_pid


def test_a_service_crashing_at_start_backs_off(tmp_path: Path, services: list[Service]) -> None:
    service = Service(name="fragile", command=[sys.executable, "-c", "raise SystemExit(3)"],
                      ready_url=f"http://127.0.0.1:{free_port()}/", cwd=tmp_path, log_path=tmp_path / "f.log")
    services.append(service)
    service.start()
    assert service.process is not None
    service.process.wait(timeout=20)
    clock, lines = FakeClock(), []
    supervisor = Supervisor([service], Policy(backoff_first=1, backoff_max=4), report=lines.append, clock=clock)
    delays = []
    for _ in range(4):
        supervisor.look()  # sees the exit, schedules
        delays.append(supervisor.watched[0].backoff)
        clock.now += supervisor.watched[0].backoff
        supervisor.look()  # starts it again
        assert service.process is not None
        service.process.wait(timeout=20)
    assert delays == [1, 2, 4, 4]
    assert "code 3" in lines[0]


def test_each_stack_has_its_own_run_directory() -> None:
    first = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()))
    second = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()))
    assert first.run_dir != second.run_dir
    assert first.run_dir.parent == second.run_dir.parent == ROOT / "var" / "run"
    try:
        first_endpoints, second_endpoints = first._write_endpoints(), second._write_endpoints()
        assert str(first.ports.actions) in first_endpoints.read_text()
        assert str(second.ports.actions) in second_endpoints.read_text(), "le second n'écrase pas le premier"
        assert str(first.ports.actions) in first_endpoints.read_text()
    finally:
        for stack in (first, second):
            for name in ("endpoints.yml",):
                (stack.run_dir / name).unlink(missing_ok=True)
            stack.run_dir.rmdir()


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, from /proc/net/tcp (IPv4) and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


@pytest.mark.slow
def test_the_action_server_is_one_process_on_loopback_and_comes_back(tmp_path: Path,
                                                                    services: list[Service]) -> None:
    stack = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()), run_dir=tmp_path)
    actions = next(s for s in stack.build_services() if s.name == "serveur d'actions")
    services.append(actions)
    actions.start()
    until(actions.ready, 120, "le serveur d'actions répond")
    assert actions.process is not None
    assert descendants(actions.process.pid) == set(), "pas de processus worker séparé"
    assert group_members(actions.process.pid) == {actions.process.pid}
    assert listening_addresses(stack.ports.actions) == {"0100007F"}, "à l'écoute sur 127.0.0.1 seulement"

    clock, lines = FakeClock(), []
    supervisor = Supervisor([actions], report=lines.append, clock=clock)
    os.kill(actions.process.pid, signal.SIGKILL)
    actions.process.wait(timeout=10)
    supervisor.look()
    assert port_is_free(stack.ports.actions)
    clock.now += 1
    supervisor.look()
    until(actions.ready, 120, "le serveur d'actions redémarré répond")


@pytest.mark.slow
def test_the_app_hides_its_server_and_ignores_forwarded_for(tmp_path: Path, services: list[Service]) -> None:
    stack = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()), run_dir=tmp_path,
                  app_env={"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "DEMO_PASSWORD": "demo-demo-42",
                           "APP_ENV": "development", "SECRET_KEY": "k" * 48, "LOGIN_MAX_FAILURES": "2"})
    app = next(s for s in stack.build_services() if s.name.startswith("application"))
    services.append(app)
    app.start()
    until(app.ready, 120, "l'application répond")
    with urllib.request.urlopen(f"{stack.app_url}/connexion", timeout=5) as response:
        assert response.headers.get("server") is None
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert listening_addresses(stack.ports.app) == {"0100007F"}

    def login(forwarded: str, password: str = "non") -> int:
        request = urllib.request.Request(
            f"{stack.app_url}/api/auth/login", method="POST",
            data=b'{"username": "demo-jury", "password": "' + password.encode() + b'"}',
            headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    assert [login("203.0.113.1"), login("203.0.113.2")] == [401, 401]
    assert login("203.0.113.3", "demo-demo-42") == 429, "changer X-Forwarded-For ne lève pas la limite"
