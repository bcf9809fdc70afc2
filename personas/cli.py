"""Command line: ``python -m personas check [PATH ...]`` and ``python -m personas lint PATH``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from personas.errors import PersonaError
from personas.lint import lint_persona
from personas.loader import load_persona_file, persona_files


def _check(paths: list[str]) -> int:
    status = 0
    files = persona_files(list(paths) or None)
    if not files:
        print("aucun fichier de personnage trouvé", file=sys.stderr)
        return 1
    seen: dict[str, str] = {}
    for file in files:
        try:
            p = load_persona_file(file)
        except PersonaError as exc:
            for line in exc.lines():
                print(line, file=sys.stderr)
            status = 1
            continue
        if p.id in seen:
            print(f"{file}: id: identifiant « {p.id} » déjà utilisé par {seen[p.id]}", file=sys.stderr)
            status = 1
            continue
        seen[p.id] = str(file)
        print(f"{p.id}\t{p.bloc}\t{p.role}\t{p.version}")
    return status


def _lint(paths: list[str], strict: bool) -> int:
    status = 0
    warned = False
    for file in persona_files(list(paths) or None):
        try:
            p = load_persona_file(file)
        except PersonaError as exc:
            for line in exc.lines():
                print(line, file=sys.stderr)
            status = 1
            continue
        warnings = lint_persona(p)
        for warning in warnings:
            print(f"{file}: avertissement: {warning}")
        warned = warned or bool(warnings)
        if not warnings:
            print(f"{file}: ok")
    return status or (2 if strict and warned else 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 invalid file, 2 warnings with --strict)."""
    parser = argparse.ArgumentParser(prog="python -m personas", description="Outils de la bibliothèque de personnages.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="valider des fichiers ou dossiers (défaut : personas/library)")
    check.add_argument("paths", nargs="*")
    lint = sub.add_parser("lint", help="jouer les candidats scriptés et signaler les défauts de conception")
    lint.add_argument("paths", nargs="*")
    lint.add_argument("--strict", action="store_true", help="code de sortie 2 en cas d'avertissement")
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.paths)
    return _lint(args.paths, args.strict)
