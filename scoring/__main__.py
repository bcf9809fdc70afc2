"""Command line: ``python -m scoring annotate INPUT.jsonl`` and ``python -m scoring score TRANSCRIPT``.

Bad input exits with code 2 and a French then English message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scoring.errors import ScoringInputError

BATCH = 512


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScoringInputError(f"Le fichier {path} n'est pas encodé en UTF-8 (octet {exc.start}).",
                                f"File {path} is not UTF-8 encoded (byte {exc.start}).") from exc
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ScoringInputError(f"Ligne {n} : JSON invalide ({exc.msg}).",
                                    f"Line {n}: invalid JSON ({exc.msg}).") from exc
        if not isinstance(row, dict) or "text" not in row:
            raise ScoringInputError(f"Ligne {n} : objet avec « id », « lang », « text » attendu.",
                                    f"Line {n}: object with 'id', 'lang', 'text' expected.")
        rows.append(row)
    if not rows:
        raise ScoringInputError(f"Fichier vide : {path}.", f"Empty file: {path}.")
    return rows


def cmd_annotate(args: argparse.Namespace) -> int:
    """One JSON line out per line in, in order."""
    from scoring.annotate import annotate_turns

    rows = _read_jsonl(args.input)
    items = [{"id": r.get("id"), "lang": r.get("lang", "fr"), "text": r.get("text") or "",
              "context": r.get("context") or [], "genre": r.get("genre") or args.genre,
              "speakers": r.get("speakers") or [], "topics": r.get("topics") or [], "when": r.get("when")}
             for r in rows]
    out = sys.stdout
    for start in range(0, len(items), BATCH):
        for ann in annotate_turns(items[start : start + BATCH], sentiment=not args.no_sentiment):
            data = ann.model_dump(mode="json")
            if not args.full:
                data.pop("markers", None)
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score one transcript file and print the report."""
    from scoring.render import render_html, render_markdown
    from scoring.report import score_transcript
    from scoring.rubric import load_rubric, load_rubric_file
    from scoring.transcript import load_transcript

    transcript = load_transcript(args.transcript, language=args.lang, candidate=args.candidate)
    if args.bloc:
        transcript = transcript.model_copy(update={"bloc": args.bloc})
    rubric = load_rubric_file(args.rubric) if args.rubric else (
        load_rubric(transcript.bloc) if transcript.bloc else None)
    report = score_transcript(transcript, rubric)
    if args.format == "md":
        sys.stdout.write(render_markdown(report))
    elif args.format == "html":
        sys.stdout.write(render_html(report))
    else:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Argument parser (French help, English option names)."""
    parser = argparse.ArgumentParser(prog="python -m scoring", description="Analyse des jeux de rôle commerciaux.")
    sub = parser.add_subparsers(dest="command", required=True)
    ann = sub.add_parser("annotate", help="annoter des tours (JSON Lines en entrée et en sortie)")
    ann.add_argument("input", help="fichier .jsonl ou « - » pour l'entrée standard")
    ann.add_argument("--full", action="store_true", help="inclure tous les marqueurs trouvés")
    ann.add_argument("--no-sentiment", action="store_true", help="ne pas calculer le sentiment (plus rapide)")
    ann.add_argument("--genre", choices=["sales", "negotiation", "mediation", "counselling"], default=None,
                     help="type de conversation des lignes sans champ « genre » (vente, négociation, médiation, "
                          "accompagnement) ; par défaut celui de la langue")
    ann.set_defaults(func=cmd_annotate)
    sc = sub.add_parser("score", help="évaluer une transcription (.json, .txt, .csv)")
    sc.add_argument("transcript")
    sc.add_argument("--format", choices=("json", "md", "html"), default="json")
    sc.add_argument("--bloc", type=int, choices=(2, 4, 5), default=None, help="bloc évalué (sinon celui du fichier)")
    sc.add_argument("--rubric", default=None, help="rubrique YAML à utiliser à la place de celle du bloc")
    sc.add_argument("--lang", default="fr", help="langue des fichiers texte/CSV (fr, en)")
    sc.add_argument("--candidate", default=None, help="nom du candidat dans un fichier texte/CSV")
    sc.set_defaults(func=cmd_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ScoringInputError as exc:
        sys.stderr.write(f"Erreur : {exc.message_fr}\nError: {exc.message_en}\n")
        return 2
    except FileNotFoundError as exc:
        sys.stderr.write(f"Erreur : fichier introuvable : {exc.filename}\nError: file not found: {exc.filename}\n")
        return 2
    except MemoryError:
        sys.stderr.write("Erreur : entrée trop volumineuse.\nError: input too large.\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
