"""Rubric versions per bloc and re-grading of sessions with them.

The packaged file `scoring/rubrics/bloc<N>.yaml` is version 0 and is never written; trainers' edits
are stored as numbered versions in the database. A re-grade is stored on its own row, so the
original report of a session (what the candidate saw) is never overwritten.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.errors import ApiError
from api.models import Regrade, RoleplaySession, RubricVersion, SessionStatus, User
from api.services.dialogue import turns_of
from api.services.scoring import answered_turns, transcript_of
from api.services.studio import FieldError, invalid
from personas.loader import issues_from_validation
from scoring.errors import ScoringInputError
from scoring.report import score_transcript
from scoring.rubric import RUBRIC_DIR, Rubric

BLOCS = (2, 4, 5)


def check_bloc(bloc: int) -> int:
    if bloc not in BLOCS:
        raise ApiError(404, "rubric_not_found", "Grille introuvable (blocs évalués : 2, 4, 5).")
    return bloc


def builtin_rubric_text(bloc: int) -> str:
    return (RUBRIC_DIR / f"bloc{check_bloc(bloc)}.yaml").read_text(encoding="utf-8")


def validate_rubric_text(text: str, bloc: int) -> tuple[Rubric | None, list[FieldError]]:
    """Same checks as `scoring.rubric.parse_rubric`, with every error pointing at its field."""
    file = f"bloc{bloc}.yaml"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = "syntaxe YAML invalide" + (f" ligne {mark.line + 1}" if mark is not None else "")
        return None, [FieldError("(yaml)", message, f"{file}: (yaml): {message}")]
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        return None, [FieldError(i.path, i.message, i.format(file)) for i in issues_from_validation(exc)]
    if rubric.bloc != bloc:
        message = f"la grille doit rester celle du bloc {bloc}"
        return None, [FieldError("bloc", message, f"{file}: bloc: {message}")]
    return rubric, []


def rubric_versions(db: Session, bloc: int) -> list[RubricVersion]:
    return list(db.exec(select(RubricVersion).where(RubricVersion.bloc == bloc).order_by(col(RubricVersion.number))))


def rubric_text(db: Session, bloc: int, number: int | None = None) -> tuple[int, str]:
    """(number, text) of a version; the latest when `number` is None; 0 is the packaged file."""
    check_bloc(bloc)
    if number == 0:
        return 0, builtin_rubric_text(bloc)
    query = select(RubricVersion).where(RubricVersion.bloc == bloc)
    query = (
        query.where(RubricVersion.number == number)
        if number is not None
        else query.order_by(col(RubricVersion.number).desc())
    )
    version = db.exec(query).first()
    if version is None:
        if number is None:
            return 0, builtin_rubric_text(bloc)
        raise ApiError(404, "version_not_found", "Version de grille introuvable.")
    return version.number, version.yaml_text


def save_rubric(db: Session, bloc: int, user: User, text: str, comment: str) -> RubricVersion:
    rubric, errors = validate_rubric_text(text, check_bloc(bloc))
    if rubric is None:
        raise invalid(errors)
    latest, current = rubric_text(db, bloc)
    if text == current:
        raise ApiError(409, "no_change", "Aucune modification depuis la dernière version : rien à enregistrer.")
    assert user.id is not None
    version = RubricVersion(
        bloc=bloc, number=latest + 1, yaml_text=text, comment=comment.strip()[:500], author_id=user.id
    )
    db.add(version)
    db.commit()
    db.refresh(version)
    return version


def regrade(db: Session, session: RoleplaySession, user: User, number: int | None = None) -> Regrade:
    """Score an ended session again with a rubric version (latest by default), stored separately."""
    if session.status != SessionStatus.ended:
        raise ApiError(409, "session_active", "La session n'est pas terminée : rien à re-noter.")
    bloc = check_bloc(session.bloc)
    used, text = rubric_text(db, bloc, number)
    rubric, errors = validate_rubric_text(text, bloc)
    if rubric is None:
        raise invalid(errors)
    turns = answered_turns(turns_of(db, session.id))
    if not any(t.speaker_role == "candidate" for t in turns):
        raise ApiError(409, "nothing_to_grade", "Aucun message du candidat : rien à évaluer.")
    try:
        report = score_transcript(transcript_of(session, turns), rubric=rubric).model_dump(mode="json")
    except ScoringInputError as error:
        raise ApiError(409, "nothing_to_grade", str(error)) from error
    assert user.id is not None
    row = Regrade(session_id=session.id, bloc=bloc, rubric_version=used, report=report, created_by=user.id)
    db.add(row)
    db.commit()
    db.refresh(row)
    return row


def _grid_summary(report: dict[str, Any] | None) -> dict[str, Any]:
    grid = (report or {}).get("grid") or {}
    return {
        "overall": grid.get("overall"),
        "rubric_label": grid.get("rubric_version"),
        "items": [{"id": i.get("id"), "label": i.get("label"), "level": i.get("level")} for i in grid.get("items", [])],
    }


def grades_of(db: Session, session: RoleplaySession) -> dict[str, Any]:
    """The original grade (with the rubric version in force when the session ended) and every re-grade."""
    regrades = db.exec(select(Regrade).where(Regrade.session_id == session.id).order_by(col(Regrade.id)))
    return {
        "session_id": session.id,
        "original": {"rubric_version": int((session.report or {}).get("rubric_version_number") or 0),
                     **_grid_summary(session.report)},
        "regrades": [
            {
                "id": r.id,
                "rubric_version": r.rubric_version,
                "created_at": r.created_at.isoformat(),
                **_grid_summary(r.report),
            }
            for r in regrades
        ],
    }
