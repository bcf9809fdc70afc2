"""Personas the caller may play."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import CurrentUser, SessionDep
from api.errors import ApiError
from api.models import Role
from api.services.personas import PersonaLibrary, PersonaPublic, public_view
from api.services.practice_visibility import hidden_from_practice, require_practice_allowed

router = APIRouter(prefix="/api/personas", tags=["personas"])


def library(request: Request) -> PersonaLibrary:
    lib: PersonaLibrary = request.app.state.personas
    return lib


@router.get("", response_model=list[PersonaPublic], summary="Personas disponibles")
def list_personas(request: Request, db: SessionDep, user: CurrentUser) -> list[PersonaPublic]:
    hidden = hidden_from_practice(db) if user.role == Role.candidate else set()
    return [public_view(p) for p in library(request).all() if p.id not in hidden]


@router.get("/{persona_id}", response_model=PersonaPublic, summary="Fiche publique d'un persona")
def get_persona(persona_id: str, request: Request, db: SessionDep, user: CurrentUser) -> PersonaPublic:
    require_practice_allowed(db, user, persona_id)
    persona = library(request).get(persona_id)
    if persona is None:
        raise ApiError(404, "persona_not_found", f"Persona inconnu : {persona_id}.")
    return public_view(persona)
