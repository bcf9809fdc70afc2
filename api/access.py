"""Who may see what. Every route asks here, so the rules live in one place.

A resource the caller may not see is reported as missing (404), never as forbidden, so that its
existence does not leak.

Juror reviews (`juror_session`, `review_session`, at the end):

- A juror marks only sessions they are assigned to (JurorAssignment), and sees only their own grid
  until every juror assigned to the session has signed (independent double marking).
- Trainers (sessions of their cohorts) and administrators read every grid, never write one.
- Candidates never reach a review: juror comments stay hidden from them before release.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.errors import ApiError
from api.models import Cohort, CohortMember, JurorAssignment, Role, RoleplaySession, User
from api.models.cohort import SessionMode


def trainer_cohort_ids(db: Session, trainer: User) -> set[int]:
    if trainer.role == Role.admin:
        return {c for c in db.exec(select(Cohort.id)) if c is not None}
    return {c for c in db.exec(select(Cohort.id).where(Cohort.trainer_id == trainer.id)) if c is not None}


def trainer_candidate_ids(db: Session, trainer: User) -> set[int]:
    """Candidates in the cohorts this trainer owns."""
    cohorts = trainer_cohort_ids(db, trainer)
    if not cohorts:
        return set()
    return set(db.exec(select(CohortMember.user_id).where(col(CohortMember.cohort_id).in_(cohorts))))


def can_see_session(db: Session, session: RoleplaySession, user: User) -> bool:
    if user.role == Role.admin:
        return True
    if session.candidate_id == user.id:
        return True
    if session.mode == SessionMode.trial:
        return False  # try-it sessions are never shown to anyone but their author
    if user.role == Role.juror:
        return db.get(JurorAssignment, (session.id, user.id)) is not None
    if user.role == Role.trainer:
        return session.candidate_id in trainer_candidate_ids(db, user)
    return False


def visible_session(db: Session, session_id: str, user: User) -> RoleplaySession:
    session = db.get(RoleplaySession, session_id)
    if session is None or not can_see_session(db, session, user):
        raise ApiError(404, "session_not_found", "Session introuvable.")
    return session


def own_session(db: Session, session_id: str, user: User) -> RoleplaySession:
    """Only the session's candidate may talk in it or end it."""
    session = db.get(RoleplaySession, session_id)
    if session is None or session.candidate_id != user.id:
        raise ApiError(404, "session_not_found", "Session introuvable.")
    return session


def visible_sessions(db: Session, user: User) -> list[RoleplaySession]:
    query = select(RoleplaySession).order_by(col(RoleplaySession.created_at).desc())
    if user.role == Role.candidate:
        query = query.where(RoleplaySession.candidate_id == user.id)
    elif user.role == Role.juror:
        assigned = select(JurorAssignment.session_id).where(JurorAssignment.juror_id == user.id)
        query = query.where(col(RoleplaySession.id).in_(assigned))
    elif user.role == Role.trainer:
        candidates = trainer_candidate_ids(db, user)
        query = query.where(
            (col(RoleplaySession.candidate_id).in_(candidates) & (RoleplaySession.mode != SessionMode.trial))
            | (RoleplaySession.candidate_id == user.id)
        )
    return list(db.exec(query))


def managed_cohort(db: Session, cohort_id: int, user: User) -> Cohort:
    """A cohort the trainer owns (any cohort for an administrator)."""
    cohort = db.get(Cohort, cohort_id)
    if cohort is None or (user.role != Role.admin and cohort.trainer_id != user.id):
        raise ApiError(404, "cohort_not_found", "Promotion introuvable.")
    return cohort


def feedback_visible(session: RoleplaySession, user: User) -> bool:
    """Exam feedback is hidden from the candidate until a juror releases it."""
    if user.id != session.candidate_id:
        return True
    return session.mode != SessionMode.exam or session.feedback_released_at is not None


def is_manager(user: User) -> bool:
    """Trainers and administrators: they manage cohorts and read reviews."""
    return user.role in (Role.admin, Role.trainer)


# --- juror reviews -------------------------------------------------------------------------------

NOT_FOUND = ("session_not_found", "Session introuvable.")


def juror_session(db: Session, session_id: str, user: User) -> RoleplaySession:
    """A session the caller marks: they are a juror assigned to it."""
    session = db.get(RoleplaySession, session_id)
    if session is None or user.role != Role.juror or db.get(JurorAssignment, (session_id, user.id)) is None:
        raise ApiError(404, *NOT_FOUND)
    return session


def review_session(db: Session, session_id: str, user: User) -> RoleplaySession:
    """A session whose review the caller may read: its assigned juror, or a trainer/admin who sees it."""
    if user.role == Role.juror:
        return juror_session(db, session_id, user)
    if is_manager(user):
        session = visible_session(db, session_id, user)
        if session.mode == SessionMode.trial:
            raise ApiError(404, *NOT_FOUND)  # a trainer's own try-outs are not for review
        return session
    raise ApiError(404, *NOT_FOUND)
