"""Role-play sessions: start, talk, end, read the transcript and the report; assign jurors; release."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from sqlmodel import SQLModel

from api.access import feedback_visible, is_manager, own_session, visible_session, visible_sessions
from api.deps import CurrentUser, RasaDep, SessionDep, SettingsDep, require_roles
from api.errors import ApiError
from api.models import Assignment, JurorAssignment, Role, RoleplaySession, SessionStatus, User
from api.models.roleplay import (
    MessageCreate,
    PersonaLine,
    RoleplaySessionCreate,
    RoleplaySessionDetail,
    RoleplaySessionPublic,
    TurnPublic,
)
from api.services import dialogue, review
from api.services.assignments import candidate_assignments
from api.services.personas import PersonaLibrary
from api.services.practice_visibility import require_practice_allowed
from api.validation import ClientKey, DbId, SessionId

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


class JurorAdd(SQLModel):
    juror_id: DbId


def detail(db: SessionDep, session: RoleplaySession,
           mask: Callable[[str], str] | None = None) -> RoleplaySessionDetail:
    """The session and its transcript; `mask` (a juror marking blind) hides the candidate's name."""
    turns = [TurnPublic.model_validate(t, from_attributes=True) for t in dialogue.turns_of(db, session.id)]
    if mask is not None:
        turns = [turn.model_copy(update=review.masked_turn(turn, mask)) for turn in turns]
    public = RoleplaySessionPublic.model_validate(session, from_attributes=True)
    return RoleplaySessionDetail(**public.model_dump(), turns=turns)


SEED_IGNORED_FR = ("La graine de séance est réservée aux formateurs : elle a été ignorée, "
                   "la séance a tiré la sienne.")
SEED_OF_ASSIGNMENT_FR = "La graine de séance est fixée par le scénario assigné : celle de la demande a été ignorée."


def seed_for(user: User, body: RoleplaySessionCreate) -> tuple[int | None, list[str]]:
    """The seed a trainer asked for, or none with the reason it was ignored (a candidate choosing
    the seed could replay a known form of an exam)."""
    if body.seed is None:
        return None, []
    if body.assignment_id is not None:
        return None, [SEED_OF_ASSIGNMENT_FR]
    if not is_manager(user):
        return None, [SEED_IGNORED_FR]
    return body.seed, []


def start_for(request: Request, db: SessionDep, user: User, body: RoleplaySessionCreate,
              seed: int | None = None) -> RoleplaySession:
    """Start a free-practice session on a persona, or a session of one of the candidate's assignments."""
    library: PersonaLibrary = request.app.state.personas
    if body.assignment_id is not None:
        assignment = db.get(Assignment, body.assignment_id)
        if assignment is None or assignment not in candidate_assignments(db, user):
            raise ApiError(404, "assignment_not_found", "Scénario assigné introuvable.")
        persona = library.get(assignment.persona_id)
        if persona is None:
            raise ApiError(404, "persona_not_found", f"Persona inconnu : {assignment.persona_id}.")
        return dialogue.start_or_resume_assignment(db, user, assignment, persona)
    if not body.persona_id:
        raise ApiError(422, "invalid_request", "Indiquez persona_id ou assignment_id.")
    require_practice_allowed(db, user, body.persona_id)  # an exam's persona hidden from free practice
    persona = library.get(body.persona_id)
    if persona is None:
        raise ApiError(404, "persona_not_found", f"Persona inconnu : {body.persona_id}.")
    return dialogue.start_session(db, user, persona, seed=seed)


@router.get("", response_model=list[RoleplaySessionPublic], summary="Les sessions que je peux voir")
def list_sessions(db: SessionDep, user: CurrentUser) -> list[RoleplaySession]:
    return visible_sessions(db, user)


@router.post("", response_model=RoleplaySessionDetail, status_code=201, summary="Démarrer une session")
def create_session(body: RoleplaySessionCreate, request: Request, db: SessionDep,
                   user: CurrentUser) -> RoleplaySessionDetail:
    seed, notices = seed_for(user, body)
    return detail(db, start_for(request, db, user, body, seed)).model_copy(update={"notices": notices})


@router.get("/{session_id}", response_model=RoleplaySessionDetail, summary="Session et transcription")
def get_session(session_id: SessionId, db: SessionDep, user: CurrentUser) -> RoleplaySessionDetail:
    session = dialogue.view_of(db, visible_session(db, session_id, user))
    return detail(db, session, review.blind_masker(db, session, user))


def client_key_of(body: MessageCreate, header: str | None) -> str | None:
    """The message's idempotency key, from the header or the body (422 if they disagree)."""
    if header is not None and body.client_key is not None and header != body.client_key:
        raise ApiError(422, "invalid_request", "Clé de message différente dans l'en-tête et dans le corps.")
    return header if header is not None else body.client_key


@router.post("/{session_id}/messages", response_model=list[PersonaLine],
             summary="Envoyer un message au persona",
             description="Avec une clé (`Idempotency-Key` ou `client_key`), renvoyer le même message donne "
                         "la réponse déjà enregistrée (ou 409 `turn_pending` tant qu'il attend), jamais un "
                         "second tour. Tant qu'un message attend sa réponse, un nouveau message reçoit 409 "
                         "`turn_pending` avec l'identifiant du tour en attente (`error.turn_id`). L'en-tête "
                         "`X-Session-Status` donne l'état de la session après la réponse (`ended` quand le "
                         "persona y a mis fin).",
             responses={503: {"description": "Persona indisponible : le message est enregistré"}})
def post_message(session_id: SessionId, body: MessageCreate, db: SessionDep, user: CurrentUser,
                 rasa: RasaDep, settings: SettingsDep, response: Response,
                 idempotency_key: Annotated[ClientKey | None, Header(alias="Idempotency-Key")] = None,
                 ) -> list[PersonaLine]:
    session = own_session(db, session_id, user)
    replies = dialogue.post_message(db, rasa, session, body.text, settings.max_message_chars,
                                    client_key=client_key_of(body, idempotency_key))
    _tell_status(response, session)
    return [PersonaLine(speaker=t.speaker_name, text=t.text) for t in replies]


SESSION_STATUS_HEADER = "X-Session-Status"


def _tell_status(response: Response, session: RoleplaySession) -> None:
    """The session's status after the answer (``ended`` when the persona ended it), in a header: the
    body keeps its documented ``[{"speaker", "text"}]`` shape, and the chat page closes at once."""
    response.headers[SESSION_STATUS_HEADER] = str(session.status)


@router.post("/{session_id}/retry", response_model=list[PersonaLine],
             summary="Renvoyer le plus ancien message resté sans réponse",
             responses={503: {"description": "Persona indisponible : le message reste enregistré"}})
def retry(session_id: SessionId, db: SessionDep, user: CurrentUser, rasa: RasaDep,
          response: Response) -> list[PersonaLine]:
    session = own_session(db, session_id, user)
    replies = dialogue.retry_pending(db, rasa, session)
    _tell_status(response, session)
    return [PersonaLine(speaker=t.speaker_name, text=t.text) for t in replies]


@router.post("/{session_id}/end", summary="Terminer la session (rapport en entraînement, accusé en examen)")
def end(session_id: SessionId, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    session = dialogue.end_session(db, own_session(db, session_id, user))
    if not feedback_visible(session, user):
        return {"submitted": True, "message": "Votre session d'examen est remise. Le retour sera publié par le jury."}
    return session.report or {}


@router.get("/{session_id}/report", summary="Rapport de score d'une session terminée")
def report(session_id: SessionId, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    session = dialogue.view_of(db, visible_session(db, session_id, user))
    if session.status != SessionStatus.ended or session.report is None:
        raise ApiError(409, "session_active", "La session n'est pas terminée : pas encore de rapport.")
    if not feedback_visible(session, user):
        raise ApiError(403, "feedback_not_released", "Le retour de cette session d'examen n'est pas encore publié.")
    mask = review.blind_masker(db, session, user)
    return session.report if mask is None else review.mask_data(session.report, mask)


@router.post("/{session_id}/jurors", status_code=204, summary="Assigner un juré à la session")
def assign_juror(session_id: str, body: JurorAdd, db: SessionDep,
                 user: User = Depends(require_roles(Role.admin, Role.trainer))) -> None:
    session = visible_session(db, session_id, user)
    juror = db.get(User, body.juror_id)
    if juror is None or juror.role != Role.juror:
        raise ApiError(404, "juror_not_found", "Juré introuvable.")
    assert user.id is not None
    if db.get(JurorAssignment, (session.id, body.juror_id)) is None:
        db.add(JurorAssignment(session_id=session.id, juror_id=body.juror_id, assigned_by=user.id))
        db.commit()


@router.post("/{session_id}/release", response_model=RoleplaySessionPublic,
             summary="Publier le retour d'une session d'examen au candidat",
             description="Refusé (409 `grids_not_signed`) tant que chaque juré assigné n'a pas signé sa grille ; "
                         "la publication est inscrite au journal de correction.",
             responses={409: {"description": "Session non terminée ou grilles du jury pas toutes signées"}})
def release(session_id: str, db: SessionDep,
            user: User = Depends(require_roles(Role.admin, Role.trainer, Role.juror))) -> RoleplaySession:
    return review.release_feedback(db, visible_session(db, session_id, user), user)
