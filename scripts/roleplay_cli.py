"""Play role-play sessions from a terminal against a running product, and export them for grading.

Why: trainers (and the people who build the juror-graded calibration set of docs/grid-validity.md)
need whole sessions played against the real stack (Rasa, action server, engine), one or a few turns
at a time, then the stored sessions written out in the scoring module's transcript format, with the
reading stored with each turn and the engine's record.

    python -m scripts.roleplay_cli --url http://127.0.0.1:8000 --user demo-candidat --password PW \
        new b4-acheteur-aeronautique                      # prints the session id and the opening
    python -m scripts.roleplay_cli ... say SESSION "Bonjour…" "Quel est…"   # one turn per argument
    python -m scripts.roleplay_cli ... end SESSION
    DATABASE_URL=sqlite:///var/data/app.db python -m scripts.roleplay_cli export SESSION OUT.json

`say` stops at the first turn after which the persona ended the session, and says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx


def _client(args: argparse.Namespace) -> httpx.Client:
    client = httpx.Client(base_url=args.url, timeout=120)
    response = client.post("/api/auth/login", json={"username": args.user, "password": args.password})
    if response.status_code != 200:
        raise SystemExit(f"connexion refusée ({response.status_code}) : {response.text[:200]}")
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


def _print_lines(lines: list[dict[str, Any]]) -> None:
    for line in lines:
        print(f"  {line.get('speaker') or line.get('speaker_name')} : {line['text']}")


def cmd_new(args: argparse.Namespace) -> int:
    with closing(_client(args)) as client:
        response = client.post("/api/sessions", json={"persona_id": args.persona_id})
        if response.status_code != 201:
            print(f"refusé ({response.status_code}) : {response.text[:300]}", file=sys.stderr)
            return 1
        session = response.json()
        print(f"session {session['id']}")
        _print_lines([t for t in session.get("turns", []) if t.get("speaker_role") != "candidate"])
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    with closing(_client(args)) as client:
        for text in args.messages:
            print(f"> Candidat·e : {text}")
            response = client.post(f"/api/sessions/{args.session}/messages", json={"text": text})
            if response.status_code != 200:
                print(f"refusé ({response.status_code}) : {response.text[:300]}", file=sys.stderr)
                return 1
            _print_lines(response.json())
            if response.headers.get("X-Session-Status") == "ended":
                print("[le persona a mis fin à la session]")
                return 0
    return 0


def cmd_end(args: argparse.Namespace) -> int:
    with closing(_client(args)) as client:
        response = client.post(f"/api/sessions/{args.session}/end")
        print(f"fin : {response.status_code}")
        return 0 if response.status_code == 200 else 1


def cmd_export(args: argparse.Namespace) -> int:
    """The stored session as a transcript (readings included) plus the engine's record."""
    from sqlmodel import Session

    from api.config import Settings
    from api.db import make_engine
    from api.models import RoleplaySession
    from api.services.dialogue import turns_of
    from api.services.scoring import transcript_of

    settings = Settings()
    with Session(make_engine(settings.database_url)) as db:
        session = db.get(RoleplaySession, args.session)
        if session is None:
            print(f"session inconnue : {args.session}", file=sys.stderr)
            return 1
        data = transcript_of(session, turns_of(db, session.id)).model_dump(mode="json")
        data["engine"] = {"outcome": session.outcome, "ended_reason": session.ended_reason,
                          "seed": session.seed, "persona_version": session.persona_version,
                          "state": session.state}
        data["session_id"] = session.id
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"écrit : {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.roleplay_cli", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo-candidat")
    parser.add_argument("--password", default="")
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="démarrer une session")
    new.add_argument("persona_id")
    new.set_defaults(func=cmd_new)
    say = sub.add_parser("say", help="envoyer un ou plusieurs messages, dans l'ordre")
    say.add_argument("session")
    say.add_argument("messages", nargs="+")
    say.set_defaults(func=cmd_say)
    end = sub.add_parser("end", help="terminer la session")
    end.add_argument("session")
    end.set_defaults(func=cmd_end)
    export = sub.add_parser("export", help="écrire la transcription (DATABASE_URL de l'application)")
    export.add_argument("session")
    export.add_argument("out")
    export.set_defaults(func=cmd_export)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
