"""Fault benchmark: concurrent sessions while Rasa, the action server and the app are SIGKILLed.

Starts its own stack on free ports with the real processes (scripts.stack, as `make run` does),
watches it with the same supervisor as `make run` (scripts.supervisor, one look a second: it
restarts every service, the app included), logs in as the demo candidate and plays N sessions × M
turns at once (bounded threads, bounded time, loopback only), while SIGKILLing one after the other,
with pauses, the Rasa server, the action server and the app. The clients behave like the chat page
(web/static/chat.js): a client key per message; on 503 `POST /retry` with backoff; on a lost
connection the same text with the same key again; on 409 `turn_pending` `/retry`.

At the end every session is read back (API, and the database for the client keys) and the script
prints turns sent, stored, answered, pending at the end, duplicated, 5xx other than the documented
503, and the time to recover after each kill (first successful turn sent after the kill).

    .venv/bin/python bench/fault_bench.py [--sessions 20] [--turns 15] [--postgres] [--think 4]

SQLite by default; `--postgres` uses a fresh database of its own on postgresql://postgres@127.0.0.1:5432
(created from …/test, dropped at the end). REDIS_URL=redis://127.0.0.1:6379/0 when Redis answers.
A benchmark that prints figures, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.turn_latency import SCRIPT
from scripts.stack import Ports, Stack, free_port
from scripts.supervisor import Supervisor

PASSWORD = "bench-password-123"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
KILLS = ("serveur Rasa", "serveur d'actions", "application")
LABELS = {"serveur Rasa": "Rasa", "serveur d'actions": "action server", "application": "app"}


def tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Figures:
    """What the clients saw (shared by the client threads, under `lock`)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0  # distinct messages (client keys)
    requests: Counter[str] = field(default_factory=Counter)  # "messages 200", "retry 503", …
    server_errors: list[str] = field(default_factory=list)  # 5xx other than the documented 503
    successes: list[tuple[float, float]] = field(default_factory=list)  # (request start, end), monotonic
    gave_up: list[str] = field(default_factory=list)  # messages abandoned at the deadline
    ended_early: int = 0
    session_ids: list[str] = field(default_factory=list)
    in_flight: int = 0  # requests sent and not yet answered
    marked_pending: int = 0  # messages stored but left pending at least once (503, or 409 turn_pending)
    recovered: int = 0  # of those, answered afterwards (by /retry, or the same key resent)

    def count(self, what: str) -> None:
        with self.lock:
            self.requests[what] += 1


def post(client: httpx.Client, path: str, figures: Figures, label: str,
         json: dict[str, str] | None = None) -> httpx.Response | None:
    """One request; None on a lost connection or timeout (counted)."""
    with figures.lock:
        figures.in_flight += 1
    try:
        response = client.post(path, json=json)
    except httpx.TransportError as error:
        figures.count(f"{label} connexion perdue ({type(error).__name__})")
        return None
    finally:
        with figures.lock:
            figures.in_flight -= 1
    figures.count(f"{label} {response.status_code}")
    if response.status_code >= 500 and response.status_code != 503:
        with figures.lock:
            figures.server_errors.append(f"{label} {response.status_code} {response.text[:120]}")
    return response


def error_code(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


def _mark_pending(figures: Figures, already: bool) -> bool:
    """Count a message the first time the server says it is stored and waiting."""
    if not already:
        with figures.lock:
            figures.marked_pending += 1
    return True


def send_turn(client: httpx.Client, session_id: str, text: str, figures: Figures, deadline: float) -> str:
    """Play the chat page for one message until it is answered: 'answered', 'ended' or 'gave_up'."""
    key = uuid.uuid4().hex
    with figures.lock:
        figures.sent += 1
    action, backoff, pending_once = "send", 0.5, False
    while time.monotonic() < deadline:
        started = time.monotonic()
        if action == "send":
            response = post(client, f"/api/sessions/{session_id}/messages", figures, "messages",
                            {"text": text, "client_key": key})
        else:
            response = post(client, f"/api/sessions/{session_id}/retry", figures, "retry")
        if response is not None and response.status_code == 200:
            with figures.lock:
                figures.successes.append((started, time.monotonic()))
                figures.recovered += pending_once
            return "answered"
        if response is None:
            action = "send"  # lost connection: the same text with the same key
        elif response.status_code == 409:
            code = error_code(response)
            if code == "turn_pending":
                action = "retry"
                pending_once = _mark_pending(figures, pending_once)
            elif code == "nothing_to_retry":  # answered meanwhile (e.g. by a request cut off)
                action = "send"  # the same key returns the stored answer
            elif code in ("session_ended", "time_up"):
                return "ended"
            else:
                with figures.lock:
                    figures.gave_up.append(f"409 {code}")
                return "gave_up"
        elif response.status_code == 503:
            action = "retry"
            pending_once = _mark_pending(figures, pending_once)
        elif response.status_code >= 500:
            action = "send"  # the page shows « Renvoyer » with the same key
        else:
            with figures.lock:
                figures.gave_up.append(f"{response.status_code} {response.text[:120]}")
            return "gave_up"
        time.sleep(backoff)  # the page's backoff before « Renvoyer » is pressed again
        backoff = min(backoff * 2, 8.0)
    with figures.lock:
        figures.gave_up.append("délai dépassé")
    return "gave_up"


def play(base: str, token: str, persona_id: str, turns: int, think: float, figures: Figures,
         deadline: float, index: int) -> None:
    """One candidate: a session of `turns` messages, `think` seconds between them."""
    time.sleep(index * 0.1)  # candidates do not all arrive in the same millisecond
    with httpx.Client(base_url=base, timeout=httpx.Timeout(60, connect=5),
                      headers={"Authorization": f"Bearer {token}"}) as client:
        session_id = None
        while session_id is None and time.monotonic() < deadline:
            response = post(client, "/api/sessions", figures, "sessions", {"persona_id": persona_id})
            if response is not None and response.status_code == 201:
                session_id = response.json()["id"]
            else:
                time.sleep(1)
        if session_id is None:
            return
        with figures.lock:
            figures.session_ids.append(session_id)
        for turn in range(turns):
            outcome = send_turn(client, session_id, SCRIPT[turn % len(SCRIPT)], figures, deadline)
            if outcome == "ended":
                with figures.lock:
                    figures.ended_early += 1
                return
            if outcome == "gave_up":
                return
            time.sleep(think)


@dataclass
class Kill:
    service: str
    at: float
    pid: int
    in_flight: int  # client requests under way when the signal was sent


def killer(stack: Stack, kills: list[Kill], figures: Figures, first: float, pause: float, rounds: int,
           done: threading.Event, log: list[str]) -> None:
    """SIGKILL each service in turn (the leader only, as a crash would), at a moment when several
    turns are under way (waited for up to 5 s), then wait for a turn sent after the kill to succeed
    (or 90 s) and pause before the next one."""
    if done.wait(first):
        return
    for name in KILLS * rounds:
        service = stack.service(name)
        assert service.process is not None
        pid = service.process.pid
        busy_until = time.monotonic() + 5
        while figures.in_flight < 3 and time.monotonic() < busy_until:
            time.sleep(0.01)  # aim at requests in flight: a crash mid-turn is the case to survive
        if done.is_set():
            return
        kill = Kill(name, time.monotonic(), pid, figures.in_flight)
        os.kill(pid, signal.SIGKILL)
        kills.append(kill)
        log.append(f"{time.strftime('%H:%M:%S')} SIGKILL {service.name} (pid {pid}, "
                   f"{kill.in_flight} requêtes en cours)")
        wait_until = kill.at + 90
        while time.monotonic() < wait_until and not done.is_set():
            with figures.lock:
                if any(start > kill.at for start, _ in figures.successes):
                    break
            time.sleep(0.2)
        if done.wait(pause):
            return


def watch(supervisor: Supervisor, stop: threading.Event) -> None:
    while not stop.wait(1.0):  # one look a second, as scripts/run.py
        supervisor.look()


def recovery(kill: Kill, figures: Figures) -> float | None:
    """Seconds from the kill to the end of the first successful turn sent after it."""
    after = [end for start, end in figures.successes if start > kill.at]
    return min(after) - kill.at if after else None


def ready_after(kill: Kill, ready: list[tuple[float, str]]) -> float | None:
    """Seconds from the kill to the supervisor's « prêt » for that service (its readiness URL answered
    on one of its looks, a second apart)."""
    after = [at for at, line in ready if at > kill.at and line.startswith(f"prêt : {kill.service}")]
    return min(after) - kill.at if after else None


def read_back(base: str, token: str, figures: Figures, database_url: str) -> dict[str, int]:
    """Every session as stored: candidate turns, answered, pending, duplicates."""
    stored = answered = pending = same_text = 0
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
        for session_id in figures.session_ids:
            detail = client.get(f"/api/sessions/{session_id}").json()
            candidate = [t for t in sorted(detail["turns"], key=lambda t: t["seq"])
                         if t["speaker_role"] == "candidate"]
            stored += len(candidate)
            answered += sum(1 for t in candidate if t["status"] == "answered")
            pending += sum(1 for t in candidate if t["status"] == "pending")
            same_text += sum(1 for a, b in itertools.pairwise(candidate) if a["text"] == b["text"])
    from sqlalchemy import create_engine, text

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as connection:
        same_key = connection.execute(text(
            "SELECT count(*) FROM (SELECT session_id, client_key FROM turn WHERE client_key IS NOT NULL "
            "GROUP BY session_id, client_key HAVING count(*) > 1) AS twice")).scalar_one()
        no_key = connection.execute(text(
            "SELECT count(*) FROM turn WHERE speaker_role = 'candidate' AND client_key IS NULL")).scalar_one()
    engine.dispose()
    return {"stored": stored, "answered": answered, "pending": pending, "same_text": same_text,
            "same_key": int(same_key), "no_key": int(no_key)}


def seed_candidate(database_url: str) -> None:
    """The app seeds demo accounts on its embedded database only: on the bench's own PostgreSQL
    database (migrated by the app at start) they are added the way the tests add them."""
    from sqlmodel import Session

    from api.config import Settings
    from api.db import make_engine
    from api.seed import seed_demo_accounts

    settings = Settings(app_env="test", database_url=database_url, secret_key="s" * 48, demo_password=PASSWORD)
    engine = make_engine(database_url)
    with Session(engine) as db:
        seed_demo_accounts(db, settings, external_db=True)
    engine.dispose()


def postgres_database() -> tuple[str, str]:
    """A fresh database of the bench's own: (its URL, its name)."""
    import psycopg

    name = f"fault_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}", name


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="sessions jouées en même temps")
    parser.add_argument("--turns", type=int, default=15, help="tours par session")
    parser.add_argument("--think", type=float, default=4.0, help="secondes entre deux messages d'un candidat")
    parser.add_argument("--first-kill", type=float, default=10.0, help="secondes avant le premier SIGKILL")
    parser.add_argument("--pause", type=float, default=10.0, help="pause après chaque reprise")
    parser.add_argument("--rounds", type=int, default=1, help="nombre de passes Rasa, actions, application")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="durée maximale du jeu")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (base neuve) au lieu de SQLite")
    parser.add_argument("--persona", default=None, help="identifiant du persona (défaut : le premier)")
    args = parser.parse_args()

    load = os.getloadavg()
    print(f"{platform.machine()}, {os.cpu_count()} cœurs, charge {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        pg_name = None
        if args.postgres:
            database_url, pg_name = postgres_database()
        else:
            database_url = f"sqlite:///{tmp}/bench.db"
        env = {"DATABASE_URL": database_url, "DEMO_PASSWORD": PASSWORD, "WARM_MODELS": "1"}
        if tcp_open("127.0.0.1", 6379):
            env["REDIS_URL"] = REDIS_URL
        print(f"base : {'PostgreSQL ' + str(pg_name) if pg_name else 'SQLite'} ; "
              f"Redis : {env.get('REDIS_URL', 'absent (compteurs en mémoire)')}")
        stack = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()), run_dir=Path(tmp),
                      app_env=env)
        started = time.monotonic()
        stack.start(timeout=300)
        print(f"pile démarrée en {time.monotonic() - started:.1f} s")
        events: list[str] = []
        ready: list[tuple[float, str]] = []

        def report(line: str) -> None:
            ready.append((time.monotonic(), line.strip()))
            events.append(f"{time.strftime('%H:%M:%S')} {line.strip()}")
            print(events[-1], flush=True)

        supervisor = Supervisor(stack.services, report=report)
        stop_watch = threading.Event()
        watcher = threading.Thread(target=watch, args=(supervisor, stop_watch), daemon=True)
        watcher.start()
        try:
            if pg_name:
                seed_candidate(database_url)
            base = stack.app_url
            token = httpx.post(f"{base}/api/auth/login",
                               json={"username": "demo-candidat", "password": PASSWORD}).json()["access_token"]
            personas = httpx.get(f"{base}/api/personas", headers={"Authorization": f"Bearer {token}"}).json()
            persona_id = args.persona or personas[0]["id"]
            figures = Figures()
            kills: list[Kill] = []
            done = threading.Event()
            killing = threading.Thread(target=killer, args=(stack, kills, figures, args.first_kill, args.pause,
                                                             args.rounds, done, events), daemon=True)
            play_started = time.monotonic()
            deadline = play_started + args.max_seconds
            killing.start()
            with ThreadPoolExecutor(max_workers=args.sessions) as pool:
                list(pool.map(lambda i: play(base, token, persona_id, args.turns, args.think, figures,
                                             deadline, i), range(args.sessions)))
            wall = time.monotonic() - play_started
            done.set()
            killing.join(timeout=120)
            figures_db = read_back(base, token, figures, database_url)
            restarts = {LABELS[name]: supervisor.restarts(stack.service(name)) for name in KILLS}
        finally:
            stop_watch.set()
            watcher.join(timeout=30)
            stack.stop()
            if pg_name:
                drop_postgres_database(pg_name)

    print()
    print(f"persona {persona_id}, {len(figures.session_ids)} sessions × {args.turns} tours, "
          f"{args.think:.0f} s entre deux messages ; jeu en {wall:.0f} s")
    print(f"tours envoyés (clés distinctes)        : {figures.sent}")
    print(f"tours enregistrés (candidat, en base)  : {figures_db['stored']}")
    print(f"tours répondus                         : {figures_db['answered']}")
    print(f"en attente à la fin                    : {figures_db['pending']}")
    print(f"mis en attente en cours de jeu         : {figures.marked_pending} (repris ensuite : {figures.recovered})")
    print(f"dupliqués (même clé / même texte)      : {figures_db['same_key']} / {figures_db['same_text']}")
    print(f"tours candidats sans clé               : {figures_db['no_key']}")
    print(f"5xx autres que le 503 documenté        : {len(figures.server_errors)}")
    for line in figures.server_errors[:10]:
        print(f"    {line}")
    print(f"sessions finies par le persona         : {figures.ended_early}")
    print(f"messages abandonnés                    : {len(figures.gave_up)} {Counter(figures.gave_up).most_common(5)}")
    print("requêtes : " + ", ".join(f"{k} ×{v}" for k, v in sorted(figures.requests.items())))
    print(f"redémarrages par le superviseur : {restarts}")
    for kill in kills:
        seconds = recovery(kill, figures)
        shown = f"{seconds:.1f} s" if seconds is not None else "aucun tour réussi après"
        seconds = ready_after(kill, ready)
        ready_shown = f"{seconds:.1f} s" if seconds is not None else "?"
        print(f"reprise après SIGKILL {LABELS[kill.service]:<13} : premier tour réussi {shown}, "
              f"service prêt {ready_shown} ({kill.in_flight} requêtes en cours au SIGKILL)")
    if len(kills) < len(KILLS) * args.rounds:
        print(f"ATTENTION : {len(KILLS) * args.rounds - len(kills)} arrêt(s) non joué(s) (le jeu a fini avant)")
    print("journal :")
    for line in events:
        print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
