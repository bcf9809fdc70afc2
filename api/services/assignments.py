"""Assigned scenarios: when they are open, how many attempts are left, how long a session lasts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, SQLModel, col, func, select

from api.errors import ApiError
from api.models import Assignment, CohortMember, RoleplaySession, User
from api.models.cohort import SessionMode


def aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes: every stored time is UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AssignmentStatus(SQLModel):
    """An assignment as a candidate sees it on the dashboard."""

    id: int
    persona_id: str
    persona_title: str
    bloc: int
    mode: str
    duration_minutes: int
    allowed_minutes: int
    opens_at: datetime | None
    closes_at: datetime | None
    max_attempts: int | None
    attempts_used: int
    state: str  # upcoming | open | closed | exhausted
    active_session_id: str | None


def candidate_assignments(db: Session, candidate: User) -> list[Assignment]:
    cohorts = select(CohortMember.cohort_id).where(CohortMember.user_id == candidate.id)
    query = select(Assignment).where(col(Assignment.cohort_id).in_(cohorts))
    return list(db.exec(query.order_by(col(Assignment.closes_at), col(Assignment.id))))


def allowed_minutes(assignment: Assignment, candidate: User) -> int:
    """The duration with the candidate's extra time (accommodation), rounded up to the minute."""
    extra = candidate.extra_time_percent or 0
    return -(-assignment.duration_minutes * (100 + extra) // 100)


def attempts_used(db: Session, assignment: Assignment, candidate: User) -> int:
    query = select(func.count()).select_from(RoleplaySession).where(
        RoleplaySession.assignment_id == assignment.id, RoleplaySession.candidate_id == candidate.id)
    return int(db.exec(query).one())


def status_of(db: Session, assignment: Assignment, candidate: User, title: str, bloc: int,
              now: datetime | None = None) -> AssignmentStatus:
    now = now or datetime.now(UTC)
    used = attempts_used(db, assignment, candidate)
    opens, closes = aware(assignment.opens_at), aware(assignment.closes_at)
    active = db.exec(select(RoleplaySession.id).where(
        RoleplaySession.assignment_id == assignment.id, RoleplaySession.candidate_id == candidate.id,
        RoleplaySession.status == "active")).first()
    if opens and now < opens:
        state = "upcoming"
    elif closes and now > closes:
        state = "closed"
    elif assignment.mode == SessionMode.exam and assignment.max_attempts and used >= assignment.max_attempts:
        state = "exhausted"
    else:
        state = "open"
    assert assignment.id is not None
    return AssignmentStatus(
        id=assignment.id, persona_id=assignment.persona_id, persona_title=title, bloc=bloc,
        mode=assignment.mode, duration_minutes=assignment.duration_minutes,
        allowed_minutes=allowed_minutes(assignment, candidate), opens_at=opens, closes_at=closes,
        max_attempts=assignment.max_attempts, attempts_used=used, state=state, active_session_id=active,
    )


def check_can_start(status: AssignmentStatus) -> None:
    """Refuse, with the reason, a session outside the window or beyond the attempts."""
    if status.state == "upcoming":
        raise ApiError(409, "assignment_not_open", "Ce scénario n'est pas encore ouvert.")
    if status.state == "closed":
        raise ApiError(409, "assignment_closed",
                       "La période de passage de ce scénario est terminée : aucune nouvelle session.")
    if status.state == "exhausted":
        raise ApiError(409, "no_attempts_left", "Vous avez utilisé toutes vos tentatives pour cet examen.")


def deadline_for(assignment: Assignment, candidate: User, started: datetime) -> datetime:
    return started + timedelta(minutes=allowed_minutes(assignment, candidate))
