"""Who may see or mark a juror review. Built on api/access.py, whose rules stay the reference.

Kept in its own module because api/access.py is shared; the lead may fold these into it. As
everywhere, a resource the caller may not use is reported missing (404), never forbidden.

- A juror marks only sessions they are assigned to (JurorAssignment), and sees only their own grid
  until every juror assigned to the session has signed (independent double marking).
- Trainers (sessions of their cohorts) and administrators read every grid, never write one.
- Candidates never reach a review: juror comments stay hidden from them before release.
"""

from __future__ import annotations

from sqlmodel import Session

from api.access import visible_session
from api.errors import ApiError
from api.models import JurorAssignment, Role, RoleplaySession, SessionMode, User

NOT_FOUND = ("session_not_found", "Session introuvable.")


def is_manager(user: User) -> bool:
    return user.role in (Role.admin, Role.trainer)


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
