"""Per-turn latency of the whole stack (API -> Rasa -> action server -> engine -> API).

Plays sessions of 20 French turns through the JSON API, first one session after another, then 20
sessions at once, and prints p50/p95 latency, turns per second and the resident memory of each
process. Starts its own stack on free ports unless --url points at a running one.

    .venv/bin/python bench/turn_latency.py [--sessions 3] [--concurrent 20] [--turns 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import Ports, Stack, free_port

PASSWORD = "bench-password-123"
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
    "Je comprends votre inquiétude sur le prix.",
    "Notre proposition est à 45 000 euros HT par an.",
    "Si vous vous engagez sur trois ans, je peux faire un geste de 5 %.",
    "En contrepartie, pourriez-vous nous accorder une référence client ?",
    "Qu'en pensez-vous ?",
    "Pour résumer : gain de temps, 45 000 € HT, démarrage en mars, engagement trois ans.",
    "Je vous propose un rendez-vous le 15 mars avec votre directeur financier.",
    "Êtes-vous d'accord pour avancer sur cette base ?",
    "Merci beaucoup pour votre temps, au revoir.",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def play_session(base_url: str, token: str, persona_id: str, turns: int) -> list[float]:
    """One session of `turns` candidate messages; returns each turn's latency in seconds."""
    latencies: list[float] = []
    with httpx.Client(base_url=base_url, timeout=120,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        session = client.post("/api/sessions", json={"persona_id": persona_id}).json()
        for index in range(turns):
            started = time.perf_counter()
            response = client.post(f"/api/sessions/{session['id']}/messages",
                                   json={"text": SCRIPT[index % len(SCRIPT)]})
            latencies.append(time.perf_counter() - started)
            if response.status_code == 409:  # the persona ended the meeting: start another
                session = client.post("/api/sessions", json={"persona_id": persona_id}).json()
            elif response.status_code != 200:
                raise RuntimeError(f"tour refusé : {response.status_code} {response.text}")
    return latencies


def play_direct(stack: Stack, persona: dict, turns: int, seed: int) -> list[float]:
    """One session straight to Rasa's REST channel (NLU + policies + action server + engine), no app."""
    latencies: list[float] = []
    state = None
    history: list[dict] = []
    sender = f"bench-{seed}"
    with httpx.Client(timeout=120) as client:
        for index in range(turns):
            text = SCRIPT[index % len(SCRIPT)]
            metadata = {"roleplay": {"session_id": sender, "seed": seed, "turn_index": index, "persona": persona,
                                     "state": state, "history": history}}
            started = time.perf_counter()
            response = client.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                                   json={"sender": sender, "message": text, "metadata": metadata})
            latencies.append(time.perf_counter() - started)
            custom = [m["custom"] for m in response.json() if isinstance(m.get("custom"), dict)]
            state_message = next((c for c in custom if c.get("kind") == "state"), {})
            state = state_message.get("state")
            history.append({"speaker_role": "candidate", "speaker_id": "candidate", "text": text})
            history += [{"speaker_role": "persona", "speaker_id": c["speaker_id"], "text": c["text"]}
                        for c in custom if c.get("kind") == "line"]
            if state_message.get("ended"):
                state, history = None, []
    return latencies


def report(label: str, latencies: list[float], wall: float) -> None:
    print(f"{label}: {len(latencies)} tours, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, moyenne {statistics.mean(latencies) * 1000:.0f} ms, "
          f"{len(latencies) / wall:.1f} tours/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=3, help="sessions jouées l'une après l'autre")
    parser.add_argument("--concurrent", type=int, default=20, help="sessions jouées en même temps")
    parser.add_argument("--turns", type=int, default=20, help="tours par session")
    parser.add_argument("--persona", default=None, help="identifiant du persona (défaut : le premier)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()), run_dir=Path(tmp),
                      app_env={"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "DEMO_PASSWORD": PASSWORD,
                               "WARM_MODELS": "1"})
        started = time.monotonic()
        stack.start(timeout=300)
        print(f"pile démarrée en {time.monotonic() - started:.1f} s ({platform.machine()}, "
              f"{os.cpu_count()} cœurs, Python {platform.python_version()})")
        try:
            base = stack.app_url
            token = httpx.post(f"{base}/api/auth/login",
                               json={"username": "demo-candidat", "password": PASSWORD}).json()["access_token"]
            personas = httpx.get(f"{base}/api/personas", headers={"Authorization": f"Bearer {token}"}).json()
            persona_id = args.persona or personas[0]["id"]
            play_session(base, token, persona_id, 2)  # warm-up

            sequential: list[float] = []
            wall_started = time.perf_counter()
            for _ in range(args.sessions):
                sequential += play_session(base, token, persona_id, args.turns)
            report(f"séquentiel ({args.sessions} sessions)", sequential, time.perf_counter() - wall_started)

            wall_started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrent) as pool:
                results = list(pool.map(lambda _: play_session(base, token, persona_id, args.turns),
                                        range(args.concurrent)))
            concurrent = [latency for session in results for latency in session]
            report(f"concurrent ({args.concurrent} sessions)", concurrent, time.perf_counter() - wall_started)

            from personas.loader import load_library

            persona = load_library()[persona_id].model_dump(mode="json")
            wall_started = time.perf_counter()
            direct = [lat for i in range(args.sessions) for lat in play_direct(stack, persona, args.turns, i)]
            report(f"Rasa + actions seuls, séquentiel ({args.sessions} sessions)", direct,
                   time.perf_counter() - wall_started)
            wall_started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrent) as pool:
                results = list(pool.map(lambda i: play_direct(stack, persona, args.turns, 100 + i),
                                        range(args.concurrent)))
            report(f"Rasa + actions seuls, concurrent ({args.concurrent} sessions)",
                   [lat for session in results for lat in session], time.perf_counter() - wall_started)

            for service in stack.services:
                assert service.process is not None
                print(f"mémoire résidente {service.name} : {rss_mb(service.process.pid):.0f} Mo")
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
