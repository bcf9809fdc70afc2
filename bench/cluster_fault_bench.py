"""Cluster benchmark: two hosts behind HAProxy, killed while candidates play; one host vs two.

Builds a cluster on this machine (scripts/cluster.py, root only): each host is a network namespace
running the real app, Rasa server and action server, pinned to its own CPU with taskset; HAProxy
balances the apps; every app sends turns to its own Rasa pair first and to the other host's when it
fails. All hosts share a fresh PostgreSQL database of the bench's own on the machine's server
(dropped at the end) and Redis database 12 (relayed by HAProxy, see scripts/cluster.py). The
processes are watched by `make run`'s supervisor (one look a second), which restarts what dies.

Fault run (default): N sessions × M turns at once through the balancer, played like the chat page
(bench/fault_bench.py: client key per message, `/retry` with backoff on 503 and 409 `turn_pending`,
the same key again on a lost connection), while host 1 is SIGKILLed whole (app, Rasa, action
server: every process group, as a power cut would), then its Rasa server alone, then its action
server alone — each kill once the previous one's processes are ready again. Prints turns sent,
stored, answered, marked pending, recovered, pending at the end, duplicated, out of order, 5xx
other than the documented 503, turns answered by the other host's pair, and per kill the time to
the first successful turn and to readiness.

    .venv/bin/python bench/cluster_fault_bench.py [--sessions 20] [--turns 15] [--think 12] [--rounds 1]

Scale run (`--scale`): the same play with no pause between turns, first on one host pinned to CPU 0,
then on two hosts pinned to CPU 0 and CPU 1; prints turns per second of each and the ratio.

A benchmark that prints figures, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fault_bench import (
    Figures,
    drop_postgres_database,
    play,
    postgres_database,
    read_back,
    tcp_open,
)
from bench.turn_latency import SCRIPT
from scripts.balancer import haproxy_binary
from scripts.cluster import Cluster, prepare_database
from scripts.hosts import missing_prerequisite
from scripts.processes import descendants
from scripts.stack import Service, Stack
from scripts.supervisor import Supervisor

PASSWORD = "bench-password-123"
REDIS_DB = 12
KILLS = ("host", "rasa", "actions")
EXTRA_KILLS = ("rasa-all",)  # every host's Rasa at once: no pair left, the documented 503 and /retry
LABELS = {"host": "hôte 1 entier", "rasa": "Rasa de l'hôte 1", "actions": "actions de l'hôte 1",
          "rasa-all": "Rasa de tous les hôtes"}


@dataclass
class Kill:
    what: str
    at: float
    in_flight: int
    ready_after: float | None = None  # seconds until every killed service answered its readiness URL


def killed_services(cluster: Cluster, what: str) -> list[Service]:
    stack = cluster.stacks[0]
    if what == "rasa-all":
        return [each.service("serveur Rasa") for each in cluster.stacks]
    if what == "host":
        return list(stack.services)
    return [stack.service("serveur Rasa" if what == "rasa" else "serveur d'actions")]


def killer(cluster: Cluster, kills: list[Kill], figures: Figures, first: float, pause: float,
           order: list[str], done: threading.Event, log: list[str]) -> None:
    """Kill host 1 whole, then its Rasa, then its action server, at a moment when several requests
    are under way (waited for up to 5 s); the next kill once the killed processes are ready again
    (restarted by the supervisor; 180 s at most) and `pause` seconds have passed."""
    if done.wait(first):
        return
    for what in order:
        services = killed_services(cluster, what)
        busy_until = time.monotonic() + 5
        while figures.in_flight < 3 and time.monotonic() < busy_until:
            time.sleep(0.01)  # aim at requests in flight: a crash mid-turn is the case to survive
        if done.is_set():
            return
        kill = Kill(what, time.monotonic(), figures.in_flight)
        for service in services:
            assert service.process is not None
            # A whole host dies with every process of every group; a single crash kills the leader.
            with_group = what == "host"
            try:
                if with_group:
                    os.killpg(service.process.pid, signal.SIGKILL)
                else:
                    os.kill(service.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        kills.append(kill)
        log.append(f"{time.strftime('%H:%M:%S')} SIGKILL {LABELS[what]} ({kill.in_flight} requêtes en cours)")
        time.sleep(1.5)  # the supervisor looks once a second: let it see the death before polling readiness
        wait_until = kill.at + 180
        while time.monotonic() < wait_until and not done.is_set():
            if all(s.exited() is None and s.ready(1.0) for s in services):
                kill.ready_after = time.monotonic() - kill.at
                break
            time.sleep(0.5)
        if done.wait(pause):
            return


def watch(supervisor: Supervisor, stop: threading.Event) -> None:
    while not stop.wait(1.0):  # one look a second, as scripts/run.py
        supervisor.look()


def order_problems(base: str, token: str, session_ids: list[str]) -> int:
    """Sessions whose candidate turns are not the script's lines in order, each followed by the
    persona's answer before the next one (pending turns excepted)."""
    bad = 0
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
        for session_id in session_ids:
            turns = sorted(client.get(f"/api/sessions/{session_id}").json()["turns"], key=lambda t: t["seq"])
            candidate = [t for t in turns if t["speaker_role"] == "candidate"]
            expected = [SCRIPT[i % len(SCRIPT)] for i in range(len(candidate))]
            answered_in_place = all(
                t["status"] != "answered" or (i + 1 < len(turns) and turns[i + 1]["speaker_role"] == "persona")
                for i, t in enumerate(turns) if t["speaker_role"] == "candidate")
            if [t["text"] for t in candidate] != expected or not answered_in_place:
                bad += 1
    return bad


def failovers(cluster: Cluster) -> int:
    """Turns an app had answered by another host's pair (its log line « servi par la paire »)."""
    total = 0
    for stack in cluster.stacks:
        log = stack.run_dir / "logs" / "app.log"
        if log.exists():
            total += len(re.findall("servi par la paire", log.read_text(errors="replace")))
    return total


def clear_redis() -> None:
    """Remove the login-throttle keys the run may have left in the bench's Redis database."""
    import redis

    client = redis.Redis.from_url(f"redis://127.0.0.1:6379/{REDIS_DB}")
    for key in client.scan_iter("rp:login:*"):
        client.delete(key)
    client.close()


def login(base: str) -> tuple[str, str]:
    """A candidate's token and the persona to play."""
    token = httpx.post(f"{base}/api/auth/login", json={"username": "demo-candidat", "password": PASSWORD},
                       timeout=30).json()["access_token"]
    personas = httpx.get(f"{base}/api/personas", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    return token, personas[0]["id"]


def started_cluster(cpus: list[str | None], run_dir: Path, database_url: str) -> Cluster:
    cluster = Cluster(database_url=database_url, cpus=cpus, run_dir=run_dir,
                      redis_db=REDIS_DB if tcp_open("127.0.0.1", 6379) else None)
    began = time.monotonic()
    cluster.start()
    print(f"{len(cpus)} hôte(s) démarré(s) en {time.monotonic() - began:.0f} s (CPU {', '.join(map(str, cpus))}), "
          f"répartiteur {cluster.url}", flush=True)
    return cluster


def fault_run(args: argparse.Namespace, tmp: Path, database_url: str) -> None:
    cluster = started_cluster(["0", "1"], tmp / "fault", database_url)
    events: list[str] = []

    def report(line: str) -> None:
        events.append(f"{time.strftime('%H:%M:%S')} {line.strip()}")
        print(events[-1], flush=True)

    supervisor = Supervisor(cluster.services(), report=report)
    stop_watch = threading.Event()
    watcher = threading.Thread(target=watch, args=(supervisor, stop_watch), daemon=True)
    watcher.start()
    try:
        base = cluster.url
        token, persona_id = login(base)
        figures = Figures()
        kills: list[Kill] = []
        done = threading.Event()
        order = args.kills.split(",") * args.rounds
        killing = threading.Thread(target=killer, args=(cluster, kills, figures, args.first_kill, args.pause,
                                                         order, done, events), daemon=True)
        began = time.monotonic()
        deadline = began + args.max_seconds
        killing.start()
        with ThreadPoolExecutor(max_workers=args.sessions) as pool:
            list(pool.map(lambda i: play(base, token, persona_id, args.turns, args.think, figures, deadline, i),
                          range(args.sessions)))
        wall = time.monotonic() - began
        done.set()
        killing.join(timeout=200)
        stored = read_back(base, token, figures, database_url)
        out_of_order = order_problems(base, token, figures.session_ids)
        moved = failovers(cluster)
        restarts = Counter({f"h{i} {s.name}": supervisor.restarts(s)
                            for i, stack in enumerate(cluster.stacks, start=1) for s in stack.services})
    finally:
        stop_watch.set()
        watcher.join(timeout=30)
        cluster.stop()

    print()
    print(f"persona {persona_id}, {len(figures.session_ids)} sessions × {args.turns} tours, "
          f"{args.think:.0f} s entre deux messages, 2 hôtes (1 cœur chacun) ; jeu en {wall:.0f} s")
    print(f"tours envoyés (clés distinctes)        : {figures.sent}")
    print(f"tours enregistrés (candidat, en base)  : {stored['stored']}")
    print(f"tours répondus                         : {stored['answered']}")
    print(f"mis en attente en cours de jeu         : {figures.marked_pending}")
    print(f"repris ensuite (/retry ou même clé)    : {figures.recovered}")
    print(f"en attente à la fin                    : {stored['pending']}")
    print(f"dupliqués (même clé / même texte)      : {stored['same_key']} / {stored['same_text']}")
    print(f"sessions dans le désordre              : {out_of_order}")
    print(f"tours candidats sans clé               : {stored['no_key']}")
    print(f"5xx autres que le 503 documenté        : {len(figures.server_errors)}")
    for line in figures.server_errors[:10]:
        print(f"    {line}")
    print(f"tours servis par la paire de l'autre hôte : {moved}")
    print(f"sessions finies par le persona         : {figures.ended_early}")
    print(f"messages abandonnés                    : {len(figures.gave_up)} {Counter(figures.gave_up).most_common(5)}")
    print("requêtes : " + ", ".join(f"{k} ×{v}" for k, v in sorted(figures.requests.items())))
    print("redémarrages par le superviseur : " + ", ".join(f"{name} ×{n}" for name, n in restarts.items() if n))
    for kill in kills:
        seconds = recovery_after(kill, figures)
        ready = f"{kill.ready_after:.1f} s" if kill.ready_after is not None else "pas prêt"
        print(f"SIGKILL {LABELS[kill.what]:<20} : premier tour réussi après {seconds}, processus de nouveau prêts "
              f"{ready} ({kill.in_flight} requêtes en cours)")
    if len(kills) < len(order):
        print(f"ATTENTION : {len(order) - len(kills)} arrêt(s) non joué(s) (le jeu a fini avant)")
    print("journal :")
    for line in events:
        print(f"    {line}")


def recovery_after(kill: Kill, figures: Figures) -> str:
    """From the kill to the end of the first successful turn sent after it."""
    after = [end for start, end in figures.successes if start > kill.at]
    return f"{min(after) - kill.at:.1f} s" if after else "aucun"


def cpu_seconds(stack: Stack) -> float:
    """CPU time (user + system) used so far by a host's processes and their children, from /proc."""
    ticks = 0
    for service in stack.services:
        if service.process is None:
            continue
        for pid in {service.process.pid, *descendants(service.process.pid)}:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Rate:
    per_second: float
    answered: int
    wall: float
    client_cpu: float
    host_cpu: list[float]  # CPU seconds each host used during the measure
    ended_early: int  # sessions the persona ended before their last turn


def throughput(cluster: Cluster, sessions: int, warm_turns: int, turns: int) -> Rate:
    """Turns per second with `sessions` candidates playing at once and no pause: `warm_turns` each
    first (not measured), then `turns` each; with the CPU time the client and each host used."""
    base = cluster.url
    token, persona_id = login(base)
    warm = Figures()
    deadline = time.monotonic() + 900
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        list(pool.map(lambda i: play(base, token, persona_id, warm_turns, 0.0, warm, deadline, 0), range(sessions)))
    figures = Figures()
    hosts_before = [cpu_seconds(stack) for stack in cluster.stacks]
    cpu, began = time.process_time(), time.monotonic()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        list(pool.map(lambda i: play(base, token, persona_id, turns, 0.0, figures, deadline, 0), range(sessions)))
    wall = time.monotonic() - began
    used = [cpu_seconds(stack) - before for stack, before in zip(cluster.stacks, hosts_before, strict=True)]
    answered = len(figures.successes)
    return Rate(answered / wall, answered, wall, time.process_time() - cpu, used, figures.ended_early)


def scale_run(args: argparse.Namespace, tmp: Path, database_url: str) -> None:
    results = []
    for cpus in (["0"], ["0", "1"]):
        cluster = started_cluster(list(cpus), tmp / f"scale{len(cpus)}", database_url)
        try:
            load = os.getloadavg()[0]
            rate = throughput(cluster, args.sessions, 2, args.turns)
        finally:
            cluster.stop()
        results.append(rate)
        shares = ", ".join(f"{used / rate.wall:.2f}" for used in rate.host_cpu)
        print(f"{len(cpus)} hôte(s) : {rate.per_second:.2f} tours/s ({rate.answered} tours en {rate.wall:.1f} s, "
              f"{args.sessions} sessions à la fois, {rate.ended_early} finies plus tôt par le persona, "
              f"charge avant {load:.1f}) ; cœur obtenu par hôte {shares} ; "
              f"{rate.answered / sum(rate.host_cpu):.2f} tours par seconde de CPU des hôtes ; "
              f"CPU du client {rate.client_cpu:.1f} s", flush=True)
    one, two = results
    print(f"rapport 2 hôtes / 1 hôte : {two.per_second / one.per_second:.2f} (mesuré)")
    # The machine is shared: a host pinned to one core does not get all of it. Per CPU second the
    # hosts actually used, the ratio says how far two hosts scale when each does get its own core.
    per_cpu = [r.answered / sum(r.host_cpu) for r in results]
    print(f"efficacité par seconde de CPU (2 hôtes / 1 hôte) : {per_cpu[1] / per_cpu[0]:.2f} ; "
          f"à un cœur entier par hôte : {2 * per_cpu[1] / per_cpu[0]:.2f} × (déduit, pas mesuré)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="sessions jouées en même temps")
    parser.add_argument("--turns", type=int, default=15, help="tours par session")
    parser.add_argument("--think", type=float, default=12.0, help="secondes entre deux messages d'un candidat")
    parser.add_argument("--first-kill", type=float, default=10.0, help="secondes avant le premier SIGKILL")
    parser.add_argument("--pause", type=float, default=5.0, help="pause après chaque reprise")
    parser.add_argument("--rounds", type=int, default=1, help="nombre de passes de la liste --kills")
    parser.add_argument("--kills", default=",".join(KILLS),
                        help="arrêts dans l'ordre, parmi host (hôte 1 entier), rasa, actions (de l'hôte 1), "
                             "rasa-all (Rasa de chaque hôte)")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="durée maximale du jeu")
    parser.add_argument("--scale", action="store_true", help="débit d'un hôte puis de deux (1 cœur chacun)")
    args = parser.parse_args()
    if not set(args.kills.split(",")) <= set(KILLS + EXTRA_KILLS):
        parser.error(f"--kills : parmi {', '.join(KILLS + EXTRA_KILLS)}")

    problem = missing_prerequisite() or (None if haproxy_binary() else "haproxy absent : apt-get install haproxy")
    if problem:
        print(f"impossible : {problem}")
        return 2
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {platform.machine()}, {os.cpu_count()} cœurs, "
          f"charge {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, Python {platform.python_version()}", flush=True)
    database_url, name = postgres_database()
    try:
        prepare_database(database_url, PASSWORD)
        with tempfile.TemporaryDirectory() as tmp:
            if args.scale:
                scale_run(args, Path(tmp), database_url)
            else:
                fault_run(args, Path(tmp), database_url)
    finally:
        drop_postgres_database(name)
        if tcp_open("127.0.0.1", 6379):
            clear_redis()
    load = os.getloadavg()
    print(f"charge à la fin {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
