"""Role-play sessions: start, talk, end, read the transcript and the report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import col, select

from api.deps import CurrentUser, RasaDep, SessionDep, SettingsDep
from api.errors import ApiError
from api.models import Role, RoleplaySession, SessionStatus, User
from api.models.roleplay import (
    MessageCreate,
    PersonaLine,
    RoleplaySessionCreate,
    RoleplaySessionDetail,
    RoleplaySessionPublic,
    TurnPublic,
)
from api.services import dialogue
from api.services.personas import PersonaLibrary

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


def visible_session(db: SessionDep, session_id: str, user: User) -> RoleplaySession:
    """The session if the caller may see it; 404 otherwise, so that existence does not leak."""
    session = db.get(RoleplaySession, session_id)
    if session is None or (user.role == Role.candidate and session.candidate_id != user.id):
        raise ApiError(404, "session_not_found", "Session introuvable.")
    return session


def owned_session(db: SessionDep, session_id: str, user: User) -> RoleplaySession:
    """The caller's own session (only its candidate may talk in it)."""
    session = visible_session(db, session_id, user)
    if session.candidate_id != user.id:
        raise ApiError(404, "session_not_found", "Session introuvable.")
    return session


def detail(db: SessionDep, session: RoleplaySession) -> RoleplaySessionDetail:
    turns = [TurnPublic.model_validate(t, from_attributes=True) for t in dialogue.turns_of(db, session.id)]
    public = RoleplaySessionPublic.model_validate(session, from_attributes=True)
    return RoleplaySessionDetail(**public.model_dump(), turns=turns)


@router.get("", response_model=list[RoleplaySessionPublic], summary="Mes sessions")
def list_sessions(db: SessionDep, user: CurrentUser) -> list[RoleplaySession]:
    query = select(RoleplaySession).order_by(col(RoleplaySession.created_at).desc())
    if user.role == Role.candidate:
        query = query.where(RoleplaySession.candidate_id == user.id)
    return list(db.exec(query))


@router.post("", response_model=RoleplaySessionDetail, status_code=201, summary="Démarrer une session")
def create_session(body: RoleplaySessionCreate, request: Request, db: SessionDep,
                   user: CurrentUser) -> RoleplaySessionDetail:
    library: PersonaLibrary = request.app.state.personas
    persona = library.get(body.persona_id)
    if persona is None:
        raise ApiError(404, "persona_not_found", f"Persona inconnu : {body.persona_id}.")
    return detail(db, dialogue.start_session(db, user, persona))


@router.get("/{session_id}", response_model=RoleplaySessionDetail, summary="Session et transcription")
def get_session(session_id: str, db: SessionDep, user: CurrentUser) -> RoleplaySessionDetail:
    return detail(db, visible_session(db, session_id, user))


@router.post("/{session_id}/messages", response_model=list[PersonaLine],
             summary="Envoyer un message au persona",
             responses={503: {"description": "Persona indisponible : le message est enregistré"}})
def post_message(session_id: str, body: MessageCreate, db: SessionDep, user: CurrentUser,
                 rasa: RasaDep, settings: SettingsDep) -> list[PersonaLine]:
    session = owned_session(db, session_id, user)
    replies = dialogue.post_message(db, rasa, session, body.text, settings.max_message_chars)
    return [PersonaLine(speaker=t.speaker_name, text=t.text) for t in replies]


@router.post("/{session_id}/retry", response_model=list[PersonaLine],
             summary="Renvoyer le dernier message resté sans réponse")
def retry(session_id: str, db: SessionDep, user: CurrentUser, rasa: RasaDep) -> list[PersonaLine]:
    session = owned_session(db, session_id, user)
    replies = dialogue.retry_pending(db, rasa, session)
    return [PersonaLine(speaker=t.speaker_name, text=t.text) for t in replies]


@router.post("/{session_id}/end", summary="Terminer la session et obtenir le rapport")
def end(session_id: str, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    session = dialogue.end_session(db, owned_session(db, session_id, user))
    return session.report or {}


@router.get("/{session_id}/report", summary="Rapport de score d'une session terminée")
def report(session_id: str, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    session = visible_session(db, session_id, user)
    if session.status != SessionStatus.ended or session.report is None:
        raise ApiError(409, "session_active", "La session n'est pas terminée : pas encore de rapport.")
    return session.report
