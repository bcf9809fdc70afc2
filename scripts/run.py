"""`make run`: start the whole product on loopback, keep it running, stop it cleanly on Ctrl-C.

A service that dies or stops answering is restarted by the supervisor (scripts/supervisor.py)
instead of stopping the product: candidates' turns wait as `pending` and are answered once it is
back.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
import time
from types import FrameType

from scripts.stack import LOOPBACK, Ports, Service, Stack, StackError
from scripts.supervisor import Supervisor

DEMO_ACCOUNTS = (
    ("demo-candidat", "candidat·e"),
    ("demo-formateur", "formateur·rice"),
    ("demo-jury", "juré·e"),
)


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit():
        raise SystemExit(f"ERREUR : {name} doit être un numéro de port, reçu {value!r}")
    return int(value)


def main() -> int:
    """Start, print where to go, wait for Ctrl-C or a crashed child, then stop everything."""
    demo_password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
    ports = Ports(app=_port("APP_PORT", 8000), rasa=_port("RASA_PORT", 5005),
                  actions=_port("ACTION_PORT", 5055))
    # No WARM_MODELS: reports reuse the readings stored with each turn and need no spaCy (the app
    # saves ~300 MB); it is loaded on the first report that must re-read a turn (docs/benchmarks.md).
    stack = Stack(ports=ports, app_env={"DEMO_PASSWORD": demo_password},
                  rasa_token=os.environ.get("RASA_TOKEN"), host=os.environ.get("BIND_HOST", LOOPBACK),
                  forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", ""))

    def report(service: Service, seconds: float) -> None:
        print(f"    prêt : {service.name} ({seconds:.1f} s)", flush=True)

    print("==> Démarrage : serveur d'actions, serveur Rasa, application", flush=True)
    started = time.monotonic()
    try:
        stack.start(on_ready=report)
    except StackError as error:
        print(f"ERREUR : {error}", file=sys.stderr)
        return 1

    stopping = threading.Event()

    def ask_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, ask_stop)
    signal.signal(signal.SIGTERM, ask_stop)
    print(f"\n  Entraîneur prêt en {time.monotonic() - started:.0f} s : {stack.app_url}")
    print(f"  API documentée : {stack.app_url}/docs")
    if os.environ.get("APP_ENV", "development") != "production":
        print("  Comptes de démonstration (mot de passe commun : " + demo_password + ")")
        for username, role in DEMO_ACCOUNTS:
            print(f"    - {username} ({role})")
    print(f"  Journaux : {stack.run_dir / 'logs'}")
    print("  Ctrl-C pour tout arrêter.\n", flush=True)
    supervisor = Supervisor(stack.services, report=lambda line: print(line, flush=True))
    try:
        while not stopping.wait(1.0):  # one look a second; Ctrl-C ends the wait at once
            supervisor.look()
    finally:
        print("==> Arrêt de tous les processus…", flush=True)
        try:
            stack.stop()
        except StackError as error:
            print(f"ERREUR : {error}", file=sys.stderr)
            return 1
        print("    terminé.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
