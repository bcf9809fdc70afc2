"""Personas the caller may play."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import CurrentUser
from api.errors import ApiError
from api.services.personas import PersonaLibrary, PersonaPublic, public_view

router = APIRouter(prefix="/api/personas", tags=["personas"])


def library(request: Request) -> PersonaLibrary:
    lib: PersonaLibrary = request.app.state.personas
    return lib


@router.get("", response_model=list[PersonaPublic], summary="Personas disponibles")
def list_personas(request: Request, user: CurrentUser) -> list[PersonaPublic]:
    return [public_view(p) for p in library(request).all()]


@router.get("/{persona_id}", response_model=PersonaPublic, summary="Fiche publique d'un persona")
def get_persona(persona_id: str, request: Request, user: CurrentUser) -> PersonaPublic:
    persona = library(request).get(persona_id)
    if persona is None:
        raise ApiError(404, "persona_not_found", f"Persona inconnu : {persona_id}.")
    return public_view(persona)
