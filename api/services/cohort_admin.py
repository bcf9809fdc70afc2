"""What a trainer does to a cohort from its page, beyond creating it: find an existing account and add
it, remove a member, change a member's extra time, edit or remove an assigned scenario.

Why a service of its own: the same rules as the JSON API (api/routers/cohorts.py, users.py,
assignments.py) are needed by the pages, which answer with the French reason on the page instead of
a JSON error; keeping them here keeps the page handlers to parsing forms.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, or_, select

from api.errors import ApiError
from api.models import Assignment, CohortMember, Role, RoleplaySession, User
from api.models.cohort import SessionMode

SEARCH_LIMIT = 20

# Confirmations shown after a redirect (?fait=…&qui=…): what was done, in French.
DONE_MESSAGES = {
    "compte-candidat": "Compte « {qui} » créé et ajouté à la promotion. Communiquez-lui son identifiant et "
                       "son mot de passe initial.",
    "compte-jure": "Compte de juré·e « {qui} » créé. Assignez-le·la aux sessions à corriger depuis leur page "
                   "de correction.",
    "membre-ajoute": "« {qui} » a rejoint la promotion.",
    "membre-retire": "« {qui} » a quitté la promotion (ses sessions sont conservées).",
    "temps": "Temps supplémentaire de « {qui} » enregistré.",
    "scenario": "Scénario assigné à la promotion.",
    "scenario-modifie": "Scénario modifié.",
    "scenario-supprime": "Scénario retiré de la promotion.",
}


def done_message(code: str, who: str) -> str | None:
    template = DONE_MESSAGES.get(code)
    return template.format(qui=who[:120]) if template else None


def search_candidates(db: Session, text: str, cohort_id: int) -> list[User]:
    """Active candidate accounts whose username or name contains `text` (2 letters at least), not
    already in the cohort; at most SEARCH_LIMIT, so that a search never lists every account."""
    needle = text.strip().lower()
    if len(needle) < 2:
        return []
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    pattern = f"%{needle}%"
    query = select(User).where(
        User.role == Role.candidate, col(User.is_active).is_(True), col(User.id).not_in(members),
        or_(col(User.username).ilike(pattern), col(User.full_name).ilike(pattern)),
    ).order_by(col(User.username)).limit(SEARCH_LIMIT)
    return list(db.exec(query))


def add_member(db: Session, cohort_id: int, user_id: int) -> User:
    member = db.get(User, user_id)
    if member is None or member.role != Role.candidate:
        raise ApiError(404, "user_not_found", "Candidat·e introuvable.")
    if db.get(CohortMember, (cohort_id, user_id)) is None:
        db.add(CohortMember(cohort_id=cohort_id, user_id=user_id))
        db.commit()
    return member


def remove_member(db: Session, cohort_id: int, user_id: int) -> User:
    link = db.get(CohortMember, (cohort_id, user_id))
    member = db.get(User, user_id)
    if link is None or member is None:
        raise ApiError(404, "member_not_found", "Ce compte n'est pas membre de la promotion.")
    db.delete(link)
    db.commit()
    return member


def member_of(db: Session, cohort_id: int, user_id: int) -> User:
    member = db.get(User, user_id)
    if member is None or db.get(CohortMember, (cohort_id, user_id)) is None:
        raise ApiError(404, "member_not_found", "Ce compte n'est pas membre de la promotion.")
    return member


def set_extra_time(db: Session, member: User, percent: int) -> User:
    if not 0 <= percent <= 200:
        raise ApiError(422, "invalid_extra_time", "Temps supplémentaire invalide (0 à 200 %).")
    member.extra_time_percent = percent
    db.add(member)
    db.commit()
    return member


def cohort_assignment(db: Session, cohort_id: int, assignment_id: int) -> Assignment:
    assignment = db.get(Assignment, assignment_id)
    if assignment is None or assignment.cohort_id != cohort_id:
        raise ApiError(404, "assignment_not_found", "Scénario assigné introuvable.")
    return assignment


def has_sessions(db: Session, assignment: Assignment) -> bool:
    return db.exec(select(RoleplaySession.id).where(RoleplaySession.assignment_id == assignment.id)).first() \
        is not None


def update_assignment(db: Session, assignment: Assignment, duration_minutes: int, closes_at: datetime | None,
                      max_attempts: int | None, hide_from_practice: bool = False) -> Assignment:
    """Change the duration, closing date, attempts and, for an exam, whether its persona is hidden from
    free practice; sessions already played keep their deadline."""
    if not 5 <= duration_minutes <= 180:
        raise ApiError(422, "invalid_duration", "Durée invalide : de 5 à 180 minutes.")
    if max_attempts is not None and not 1 <= max_attempts <= 20:
        raise ApiError(422, "invalid_attempts", "Nombre de tentatives invalide : de 1 à 20.")
    opens = assignment.opens_at
    if opens is not None and closes_at is not None and closes_at <= (opens if opens.tzinfo else
                                                                    opens.replace(tzinfo=closes_at.tzinfo)):
        raise ApiError(422, "invalid_window", "La date de fermeture doit suivre la date d'ouverture.")
    if assignment.mode == SessionMode.exam and max_attempts is None:
        max_attempts = 1
    assignment.duration_minutes, assignment.closes_at, assignment.max_attempts = duration_minutes, closes_at, \
        max_attempts
    assignment.hide_from_practice = assignment.mode == SessionMode.exam and hide_from_practice
    db.add(assignment)
    db.commit()
    return assignment


def delete_assignment(db: Session, assignment: Assignment) -> None:
    """Same rule as the API: a scenario already played stays (its sessions point to it)."""
    if has_sessions(db, assignment):
        raise ApiError(409, "assignment_has_sessions",
                       "Des sessions ont déjà été jouées pour ce scénario : il ne peut plus être retiré. "
                       "Vous pouvez encore le fermer en avançant sa date de fermeture.")
    db.delete(assignment)
    db.commit()
