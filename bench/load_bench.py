"""Load benchmark: the product against the stock `rasa init` bot, measured in the same run.

Starts the product on free ports (scripts.stack, as `make run`), waits for `/api/health` to be 200
and times the first reply after that; builds the stock bot (`rasa init --no-prompt`: DIET + TED,
the same Rasa from `.venv-rasa`) in a temporary folder and serves it with `rasa run --enable-api`.
Then, for each concurrency level, plays N sessions of `--turns` French messages at once through
the product's JSON API, and the same against the stock bot's REST webhook, one after the other
(interleaved per level, so both meet the same machine load). Prints turns/s, p50, p95 and errors
for both, and the resident memory of every process (with its children).

    .venv/bin/python bench/load_bench.py [--levels 1,20,50] [--turns 15] [--one-core] [--stock-dir DIR]

`--one-core` pins every served process (product and stock bot) to CPU 0 and the load generator to
the other cores, as a one-core host would. A `Host` holds the services it runs and how they are
pinned and measured; a two-host mode adds another kind of `Host`.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.paths import RASA_BIN
from scripts.processes import descendants
from scripts.stack import Ports, Service, Stack, free_port, http_ok

PASSWORD = "bench-password-123"
# 15 French candidate turns of a discovery-then-negotiation meeting (both bots get the same texts).
SCRIPT = [
    "Bonjour, merci de me recevoir, je suis responsable commerciale chez Optima.",
    "Pour commencer, pouvez-vous me décrire votre organisation actuelle ?",
    "Qu'est-ce qui vous pose le plus de difficultés aujourd'hui ?",
    "Si je comprends bien, vous perdez beaucoup de temps sur la saisie, c'est ça ?",
    "Quelles conséquences cela a-t-il sur vos équipes ?",
    "Comment se passe la prise de décision pour un projet comme celui-ci ?",
    "Quel budget avez-vous prévu pour cette année ?",
    "Et en termes de calendrier, quand souhaitez-vous démarrer ?",
    "Travaillez-vous déjà avec un autre prestataire ?",
    "Je vous propose de vous présenter notre solution en deux mots.",
    "Elle vous ferait gagner environ 30 % de temps sur la saisie.",
    "Notre proposition est à 45 000 euros HT par an.",
    "En contrepartie, pourriez-vous nous accorder une référence client ?",
    "Pour résumer : gain de temps, 45 000 € HT, démarrage en mars, engagement trois ans.",
    "Je vous propose un rendez-vous le 15 mars avec votre directeur financier.",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (MB)."""
    total = 0
    for one in {pid, *descendants(pid)}:
        status = Path(f"/proc/{one}/status")
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def pin_tree(pid: int, cpus: set[int]) -> None:
    """Pin every thread of a process and of its descendants (threads made later inherit it)."""
    for one in {pid, *descendants(pid)}:
        for task in Path(f"/proc/{one}/task").glob("*"):
            try:
                os.sched_setaffinity(int(task.name), cpus)
            except (OSError, ValueError):
                continue


@dataclass
class Process:
    """One served process as the bench sees it: a name, a PID to measure, a base URL."""

    name: str
    pid: int


@dataclass
class Host:
    """Where services run and how: here, this machine, optionally with served processes pinned to
    `cpus` and the load generator to the other cores."""

    name: str = "local"
    cpus: set[int] | None = None
    processes: list[Process] = field(default_factory=list)

    def adopt(self, name: str, pid: int) -> None:
        """Count a started process as served by this host (pinned now if the host is pinned)."""
        self.processes.append(Process(name, pid))
        if self.cpus is not None:
            pin_tree(pid, self.cpus)

    def pin_load_generator(self) -> None:
        if self.cpus is not None:
            rest = set(range(os.cpu_count() or 1)) - self.cpus
            os.sched_setaffinity(0, rest or self.cpus)

    def memory(self) -> list[tuple[str, float]]:
        return [(p.name, tree_rss_mb(p.pid)) for p in self.processes]


@dataclass
class Result:
    label: str
    level: int
    latencies: list[float]
    errors: int
    wall: float

    def merged(self, other: Result) -> Result:
        """Two runs of the same target and level as one: latencies pooled, wall times added."""
        return Result(self.label, self.level, self.latencies + other.latencies, self.errors + other.errors,
                      self.wall + other.wall)

    def row(self) -> str:
        lat = self.latencies
        rate = len(lat) / self.wall if self.wall else 0.0
        return (f"| {self.label} | {self.level} | {len(lat)} | {rate:.1f} | {percentile(lat, 0.5) * 1000:.0f} ms | "
                f"{percentile(lat, 0.95) * 1000:.0f} ms | {statistics.mean(lat) * 1000 if lat else 0:.0f} ms | "
                f"{self.errors} |")


# What went wrong, for the end of the run (list.append is atomic under the GIL).
ERRORS: list[str] = []
# A session player: plays one session of `turns` messages, returns (latencies, errors).
Player = Callable[[int, int], tuple[list[float], int]]


class Product:
    """The product's stack on free ports, played through its JSON API as the chat page does."""

    def __init__(self, host: Host, tmp: Path, app_env: dict[str, str] | None = None) -> None:
        self.host = host
        # As `make run` starts it (no WARM_MODELS: the app loads spaCy only to re-read a turn).
        self.stack = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()), run_dir=tmp,
                           app_env={"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "DEMO_PASSWORD": PASSWORD,
                                    **(app_env or {})})
        self.token = ""
        self.persona_id = ""

    def start(self) -> tuple[float, float, float, float]:
        """Start; seconds until every service is ready, until `/api/health` is 200, to the first
        reply after that, to the report of that one-turn session."""
        started = time.monotonic()
        self.stack.start(timeout=300)
        ready = time.monotonic() - started
        while not http_ok(f"{self.stack.app_url}/api/health", timeout=60):
            time.sleep(0.2)  # polling the health URL until it is 200 (bounded by the stack's own start)
            if time.monotonic() - started > 600:
                raise RuntimeError("/api/health n'est jamais passé à 200")
        healthy = time.monotonic() - started
        for service in self.stack.services:
            assert service.process is not None
            self.host.adopt(f"produit : {service.name}", service.process.pid)
        base = self.stack.app_url
        self.token = httpx.post(f"{base}/api/auth/login", json={"username": "demo-candidat", "password": PASSWORD},
                                timeout=60).json()["access_token"]
        personas = httpx.get(f"{base}/api/personas", headers=self.headers, timeout=60).json()
        self.persona_id = next(p["id"] for p in personas if p["bloc"] == 2)
        session = httpx.post(f"{base}/api/sessions", json={"persona_id": self.persona_id}, headers=self.headers,
                             timeout=60).json()
        first = time.perf_counter()
        reply = httpx.post(f"{base}/api/sessions/{session['id']}/messages", json={"text": SCRIPT[0]},
                           headers=self.headers, timeout=120)
        first_reply = time.perf_counter() - first
        if reply.status_code != 200:
            raise RuntimeError(f"premier tour refusé : {reply.status_code} {reply.text}")
        first = time.perf_counter()
        ended = httpx.post(f"{base}/api/sessions/{session['id']}/end", headers=self.headers, timeout=120)
        first_report = time.perf_counter() - first
        if ended.status_code != 200:
            raise RuntimeError(f"premier rapport refusé : {ended.status_code} {ended.text}")
        return ready, healthy, first_reply, first_report

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def play(self, index: int, turns: int) -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        with httpx.Client(base_url=self.stack.app_url, timeout=120, headers=self.headers) as client:
            try:
                session = client.post("/api/sessions", json={"persona_id": self.persona_id}).json()
            except httpx.HTTPError as error:
                ERRORS.append(f"produit, création de session : {error!r}")
                return latencies, turns
            for turn in range(turns):
                started = time.perf_counter()
                try:
                    response = client.post(f"/api/sessions/{session['id']}/messages",
                                           json={"text": SCRIPT[turn % len(SCRIPT)], "client_key": f"{index}-{turn}"})
                except httpx.HTTPError as error:
                    ERRORS.append(f"produit, tour : {error!r}")
                    errors += 1
                    continue
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    latencies.append(elapsed)
                elif response.status_code == 409 and response.json()["error"]["code"] in ("session_ended", "time_up"):
                    latencies.append(elapsed)  # the persona ended the meeting: a served answer; start another
                    session = client.post("/api/sessions", json={"persona_id": self.persona_id}).json()
                else:
                    ERRORS.append(f"produit, tour : HTTP {response.status_code} {response.text[:200]}")
                    errors += 1
        return latencies, errors

    def stop(self) -> None:
        self.stack.stop()


class StockBot:
    """The stock `rasa init` bot (DIET + TED), built with the project's `.venv-rasa`, on a free port."""

    def __init__(self, host: Host, folder: Path) -> None:
        self.host = host
        self.folder = folder
        self.port = free_port()
        self.service: Service | None = None

    def build(self) -> float:
        """`rasa init --no-prompt` (it trains); skipped when `folder` already holds a trained model."""
        if list((self.folder / "models").glob("*.tar.gz")):
            return 0.0
        self.folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        subprocess.run([str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(self.folder)], cwd=self.folder,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                       env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"}, timeout=1800)
        return time.monotonic() - started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        model = max((self.folder / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        self.service = Service(
            name="rasa init (stock)",
            command=[str(RASA_BIN), "run", "--model", str(model), "--enable-api", "--interface", "127.0.0.1",
                     "--port", str(self.port), "--credentials", str(self.folder / "credentials.yml")],
            ready_url=f"{self.url}/status", cwd=self.folder, log_path=self.folder / "rasa-run.log",
            env={"RASA_TELEMETRY_ENABLED": "false"}, port=self.port,
        )
        started = time.monotonic()
        self.service.start()
        while not self.service.ready():
            if self.service.exited() is not None or time.monotonic() - started > 300:
                raise RuntimeError(f"le bot de référence ne démarre pas :\n{self.service.log_tail()}")
            time.sleep(0.25)  # polling readiness
        assert self.service.process is not None
        self.host.adopt("rasa init (référence)", self.service.process.pid)
        self.play(-1, 2)  # its first prediction is slow too: warm it as the product is warmed
        return time.monotonic() - started

    def play(self, index: int, turns: int) -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        sender = f"stock-{index}-{secrets.token_hex(4)}"  # one conversation per session, as in the product
        with httpx.Client(timeout=120) as client:
            for turn in range(turns):
                started = time.perf_counter()
                try:
                    response = client.post(f"{self.url}/webhooks/rest/webhook",
                                           json={"sender": sender, "message": SCRIPT[turn % len(SCRIPT)]})
                except httpx.HTTPError as error:
                    ERRORS.append(f"référence, tour : {error!r}")
                    errors += 1
                    continue
                elapsed = time.perf_counter() - started
                if response.status_code == 200 and isinstance(response.json(), list):
                    latencies.append(elapsed)
                else:
                    ERRORS.append(f"référence, tour : HTTP {response.status_code} {response.text[:200]}")
                    errors += 1
        return latencies, errors

    def stop(self) -> None:
        if self.service is not None:
            self.service.stop()


def run_level(label: str, play: Player, level: int, turns: int, sessions: int) -> Result:
    """`sessions` sessions of `turns` messages, `level` at a time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=level) as pool:
        results = list(pool.map(lambda i: play(i, turns), range(sessions)))
    wall = time.perf_counter() - started
    return Result(label, level, [lat for lats, _ in results for lat in lats], sum(e for _, e in results), wall)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,20,50", help="sessions jouées en même temps, séparées par des virgules")
    parser.add_argument("--turns", type=int, default=15, help="tours par session")
    parser.add_argument("--rounds", type=int, default=1,
                        help="manches par niveau, produit et référence alternés (A B, B A…)")
    parser.add_argument("--one-core", action="store_true", help="épingle chaque service sur le cœur 0")
    parser.add_argument("--stock-dir", type=Path, default=None,
                        help="dossier du bot de référence (réutilisé s'il contient un modèle entraîné)")
    parser.add_argument("--skip-stock", action="store_true", help="ne mesure que le produit")
    parser.add_argument("--keep", type=Path, default=None, help="garde les journaux de la pile dans ce dossier")
    parser.add_argument("--app-env", action="append", default=[], metavar="CLÉ=VALEUR",
                        help="variable d'environnement de l'application (ex. WARM_MODELS=1), répétable")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    host = Host(cpus={0} if args.one_core else None)

    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, {os.cpu_count()} cœurs, "
          f"charge {load_average()}{', --one-core' if args.one_core else ''}", flush=True)
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp_name:
        tmp = Path(tmp_name)
        stock = None if args.skip_stock else StockBot(host, args.stock_dir or tmp / "stock")
        if stock is not None:
            print(f"bot de référence construit en {stock.build():.0f} s (0 = réutilisé)", flush=True)
        product = Product(host, args.keep or tmp / "product", dict(item.split("=", 1) for item in args.app_env))
        try:
            ready, healthy, first, report = product.start()
            print(f"produit : prêt en {ready:.1f} s, /api/health 200 à {healthy:.1f} s, "
                  f"premier tour après « healthy » : {first * 1000:.0f} ms, premier rapport : {report * 1000:.0f} ms",
                  flush=True)
            if stock is not None:
                print(f"bot de référence prêt en {stock.start():.1f} s", flush=True)
            host.pin_load_generator()
            product.play(-1, 2)  # same warm-up for both
            results: list[Result] = []
            print("\n| cible | sessions simultanées | tours | tours/s | p50 | p95 | moyenne | erreurs |")
            print("|---|---|---|---|---|---|---|---|", flush=True)
            for level in levels:
                sessions = max(level, 3)
                plays: list[tuple[str, Player]] = [("produit (API)", product.play)]
                if stock is not None:
                    plays.append(("rasa init (REST)", stock.play))
                merged: dict[str, Result] = {}
                for round_index in range(args.rounds):
                    # A B, then B A: both targets meet the same drift of a shared machine's load.
                    for label, play in plays if round_index % 2 == 0 else plays[::-1]:
                        result = run_level(label, play, level, args.turns, sessions)
                        results.append(result)
                        print(result.row() + f" manche {round_index + 1}, charge {load_average()}", flush=True)
                        merged[label] = merged[label].merged(result) if label in merged else result
                if args.rounds > 1:
                    for result in merged.values():
                        print(result.row() + " toutes manches", flush=True)
            if ERRORS:
                print(f"\n{len(ERRORS)} erreurs, les premières : " + " | ".join(sorted(set(ERRORS))[:5]))
            print("\nmémoire résidente (avec les processus enfants) :")
            total = 0.0
            for name, mb in host.memory():
                print(f"- {name} : {mb:.0f} Mo")
                total += mb if name.startswith("produit") else 0.0
            print(f"- produit, total : {total:.0f} Mo")
        finally:
            product.stop()
            if stock is not None:
                stock.stop()
                if args.stock_dir is None:
                    shutil.rmtree(stock.folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
