"""Scenarios assigned to cohorts (persona, mode, duration, window, attempts)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlmodel import col, select

from api.access import managed_cohort, trainer_cohort_ids
from api.deps import CurrentUser, SessionDep, require_roles
from api.errors import ApiError
from api.models import Assignment, Role, RoleplaySession, User
from api.models.cohort import AssignmentCreate, AssignmentPublic, SessionMode
from api.services.assignments import AssignmentStatus, aware, candidate_assignments, status_of
from api.services.personas import PersonaLibrary
from api.validation import DbId

router = APIRouter(prefix="/api/assignments", tags=["scénarios assignés"])
Manager = Depends(require_roles(Role.admin, Role.trainer))


def candidate_statuses(request: Request, db: SessionDep, user: User) -> list[AssignmentStatus]:
    library: PersonaLibrary = request.app.state.personas
    statuses = []
    for assignment in candidate_assignments(db, user):
        persona = library.get(assignment.persona_id)
        if persona is not None:
            statuses.append(status_of(db, assignment, user, persona.title, int(persona.bloc)))
    return statuses


@router.get("/mine", response_model=list[AssignmentStatus], summary="Mes scénarios assignés, avec leur état")
def my_assignments(request: Request, db: SessionDep, user: CurrentUser) -> list[AssignmentStatus]:
    if user.role != Role.candidate:
        return []
    return candidate_statuses(request, db, user)


@router.get("", response_model=list[AssignmentPublic], summary="Scénarios assignés à mes promotions")
def list_assignments(db: SessionDep, user: User = Manager) -> list[Assignment]:
    cohorts = trainer_cohort_ids(db, user)
    return list(db.exec(select(Assignment).where(col(Assignment.cohort_id).in_(cohorts))))


@router.post("", response_model=AssignmentPublic, status_code=201, summary="Assigner un scénario à une promotion")
def create_assignment(body: AssignmentCreate, request: Request, db: SessionDep,
                      user: User = Manager) -> Assignment:
    managed_cohort(db, body.cohort_id, user)
    library: PersonaLibrary = request.app.state.personas
    if library.get(body.persona_id) is None:
        raise ApiError(404, "persona_not_found", f"Persona inconnu : {body.persona_id}.")
    if body.mode == SessionMode.trial:
        raise ApiError(422, "invalid_mode", "Mode invalide : practice ou exam.")
    opens, closes = aware(body.opens_at), aware(body.closes_at)
    if opens and closes and closes <= opens:
        raise ApiError(422, "invalid_window", "La date de fermeture doit suivre la date d'ouverture.")
    assert user.id is not None
    data = body.model_dump()
    data.update(opens_at=opens, closes_at=closes)
    assignment = Assignment(**data, created_by=user.id)
    if assignment.mode == SessionMode.exam and assignment.max_attempts is None:
        assignment.max_attempts = 1
    db.add(assignment)
    db.commit()
    db.refresh(assignment)
    return assignment


@router.delete("/{assignment_id}", status_code=204, summary="Retirer un scénario assigné")
def delete_assignment(assignment_id: DbId, db: SessionDep, user: User = Manager) -> None:
    assignment = db.get(Assignment, assignment_id)
    if assignment is None or assignment.cohort_id not in trainer_cohort_ids(db, user):
        raise ApiError(404, "assignment_not_found", "Scénario assigné introuvable.")
    if db.exec(select(RoleplaySession.id).where(RoleplaySession.assignment_id == assignment_id)).first():
        raise ApiError(409, "assignment_has_sessions",
                       "Des sessions ont déjà été jouées pour ce scénario : il ne peut plus être retiré.")
    db.delete(assignment)
    db.commit()
