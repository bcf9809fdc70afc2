"""Which personas a candidate may play in free practice.

Why: the persona of an exam was also open in free practice with full feedback, so a candidate could
rehearse the exam itself. A trainer can hide it (`Assignment.hide_from_practice`) while the exam is
open: until its closing date, or for as long as it is assigned when it has none. Trainers, jurors and
administrators still see every persona (the studio, the cohort page), and the exam's own brief and
sessions are untouched.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from api.errors import ApiError
from api.models import Assignment, Role, User
from api.models.cohort import SessionMode
from api.services.assignments import aware


def hidden_from_practice(db: Session, now: datetime | None = None) -> set[str]:
    """Persona ids hidden from free practice by an exam that is not closed yet."""
    now = now or datetime.now(UTC)
    rows = db.exec(select(Assignment).where(col(Assignment.hide_from_practice).is_(True),
                                            Assignment.mode == SessionMode.exam))
    return {a.persona_id for a in rows if (closes := aware(a.closes_at)) is None or closes > now}


def practice_allowed(db: Session, user: User, persona_id: str) -> bool:
    return user.role != Role.candidate or persona_id not in hidden_from_practice(db)


def require_practice_allowed(db: Session, user: User, persona_id: str) -> None:
    """A hidden persona is reported as missing to a candidate, like anything they may not see."""
    if not practice_allowed(db, user, persona_id):
        raise ApiError(404, "persona_not_found", f"Persona inconnu : {persona_id}.")
