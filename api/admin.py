"""Operator's command line: the first administrator of a fresh database, and a lost password.

Why: in production (`APP_ENV=production`, PostgreSQL) no demo account is seeded, and accounts are
created in the web app by an administrator or a trainer, so the very first administrator has to come
from the machine itself. The command migrates the database first (an empty PostgreSQL works), reads
the password from standard input or a prompt (never from the command line, where `ps` and the shell
history would keep it), and applies the same rules as the web app.

    printf '%s\\n' "$PASSWORD" | python -m api.admin create-admin alice --full-name "Alice Martin" --password-stdin
    python -m api.admin reset-password alice          # asks twice; signs the account out everywhere
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from typing import TextIO

from sqlmodel import Session, select

from api.config import Settings
from api.db import make_engine, upgrade
from api.models import AuthToken, Role, User
from api.security import hash_password
from api.services.accounts import account_problem, password_problem


class AdminCommandError(Exception):
    """A refusal the operator must read (French), with the command's exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _read_password(from_stdin: bool, stdin: TextIO) -> str:
    """The new password, from one line of standard input or typed twice at a prompt."""
    if from_stdin:
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (confirmation) : ") != first:
        raise AdminCommandError("Les deux saisies du mot de passe diffèrent : rien n'a été modifié.")
    return first


def create_admin(db: Session, username: str, full_name: str, password: str) -> User:
    """Create an administrator account; refuses an identifier in use or a weak password."""
    username = username.strip().lower()
    if reason := account_problem(db, username, password):
        raise AdminCommandError(f"Compte refusé : {reason}.")
    user = User(username=username, full_name=full_name.strip(), role=Role.admin,
                password_hash=hash_password(password))
    db.add(user)
    db.commit()
    db.refresh(user)
    return user


def reset_password(db: Session, username: str, password: str) -> User:
    """Set a new password and end every open session of the account (its tokens are deleted)."""
    user = db.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise AdminCommandError(f"Compte inconnu : {username}.", status=1)
    if reason := password_problem(password):
        raise AdminCommandError(f"Mot de passe refusé : {reason}.")
    user.password_hash = hash_password(password)
    db.add(user)
    for token in db.exec(select(AuthToken).where(AuthToken.user_id == user.id)):
        db.delete(token)
    db.commit()
    return user


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m api.admin", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-admin", help="créer un compte administrateur")
    create.add_argument("username")
    create.add_argument("--full-name", default="")
    create.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    reset = sub.add_parser("reset-password", help="changer le mot de passe d'un compte (le déconnecte partout)")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None,
         stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run one command against the database of `settings` (the environment's by default)."""
    args = _parser().parse_args(argv)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        settings = settings or Settings()
    except ValueError as error:
        print(f"Configuration invalide : {error}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        password = _read_password(args.password_stdin, stdin)
        with Session(engine) as db:
            if args.command == "create-admin":
                user = create_admin(db, args.username, args.full_name, password)
                print(f"Administrateur créé : {user.username} (id {user.id}).", file=stdout)
            else:
                user = reset_password(db, args.username, password)
                print(f"Mot de passe modifié pour {user.username} ; ses sessions ouvertes sont fermées.",
                      file=stdout)
    except AdminCommandError as error:
        print(str(error), file=sys.stderr)
        return error.status
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
