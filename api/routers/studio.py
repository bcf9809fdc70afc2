"""Persona studio JSON API (trainers and administrators only; 404 for everyone else).

Every save goes through the same validation as `python -m personas check`; an invalid text answers
422 with field-level French errors and stores nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from api.access import visible_session
from api.deps import SessionDep, require_roles
from api.errors import ApiError
from api.models import Role, User
from api.models.studio import (
    RegradeCreate,
    StatusChange,
    StudioPersonaCreate,
    StudioPersonaDetail,
    StudioPersonaPublic,
    TrialCreate,
    YamlCheck,
    YamlSave,
)
from api.services import dialogue, studio, studio_rubrics
from api.services.personas import PersonaLibrary
from api.services.yaml_diff import diff_text, unified_diff
from api.validation import DbId, SessionId

router = APIRouter(prefix="/api/studio", tags=["studio"])
Trainer = Depends(require_roles(Role.trainer, Role.admin))


def _library(request: Request) -> PersonaLibrary:
    library: PersonaLibrary = request.app.state.personas
    return library


def _dir(request: Request) -> Path:
    return Path(request.app.state.settings.personas_dir)


def _detail(db: SessionDep, request: Request, studio_id: str) -> StudioPersonaDetail:
    library = _library(request)
    builtin = library.builtin(studio_id)
    if builtin is not None:
        text = studio.builtin_text(_dir(request), studio_id) or ""
        return StudioPersonaDetail(**studio.builtin_public(builtin).model_dump(), versions=[], yaml=text)
    persona = studio.get_persona(db, studio_id)
    names = studio.names_by_id(db)
    versions = studio.versions_of(db, studio_id)
    return StudioPersonaDetail(
        **studio.public(db, persona, names).model_dump(),
        versions=studio.version_public(versions, names),
        yaml=versions[-1].yaml_text,
    )


@router.get("/personas", response_model=list[StudioPersonaPublic], summary="Personas de l'atelier (filtrables)")
def list_personas(
    request: Request,
    db: SessionDep,
    bloc: int | None = None,
    role: str = "",
    author: str = "",
    status: str = "",
    q: str = "",
    user: User = Trainer,
) -> list[StudioPersonaPublic]:
    return studio.catalogue(db, _library(request), bloc=bloc, role=role, author=author, status=status, q=q)


@router.post(
    "/personas",
    response_model=StudioPersonaDetail,
    status_code=201,
    summary="Créer un persona depuis un modèle ou dupliquer un persona",
)
def create_persona(
    body: StudioPersonaCreate, request: Request, db: SessionDep, user: User = Trainer
) -> StudioPersonaDetail:
    persona = studio.create_from(db, _library(request), _dir(request), user, body.source_id, body.id, body.title)
    return _detail(db, request, persona.id)


@router.post("/validate", summary="Valider un texte YAML sans l'enregistrer")
def validate(body: YamlCheck, user: User = Trainer) -> dict[str, Any]:
    file = f"{body.persona_id or 'persona'}.yaml"
    parsed, errors = studio.validate_text(body.yaml, file, expected_id=body.persona_id)
    return {"valid": parsed is not None, "errors": studio.errors_json(errors)}


@router.post(
    "/import",
    response_model=StudioPersonaDetail,
    status_code=201,
    summary="Importer un fichier YAML de persona (même format que personas/library)",
)
async def import_persona(
    request: Request, db: SessionDep, file: UploadFile = File(...), user: User = Trainer
) -> StudioPersonaDetail:
    raw = await file.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(422, "persona_invalid", "Le fichier doit être encodé en UTF-8.") from error
    persona, _ = studio.import_text(db, _library(request), user, text, file.filename or "import.yaml")
    return _detail(db, request, persona.id)


@router.get("/personas/{studio_id}", response_model=StudioPersonaDetail, summary="Persona, versions et YAML")
def get_persona(studio_id: str, request: Request, db: SessionDep, user: User = Trainer) -> StudioPersonaDetail:
    return _detail(db, request, studio_id)


@router.post(
    "/personas/{studio_id}/versions",
    response_model=StudioPersonaDetail,
    status_code=201,
    summary="Enregistrer une nouvelle version (validée)",
)
def save_version(
    studio_id: str, body: YamlSave, request: Request, db: SessionDep, user: User = Trainer
) -> StudioPersonaDetail:
    persona = _editable(db, request, studio_id)
    studio.save_version(db, persona, user, body.yaml, body.comment)
    return _detail(db, request, studio_id)


def _editable(db: SessionDep, request: Request, studio_id: str) -> Any:
    if _library(request).builtin(studio_id) is not None:
        raise ApiError(
            409,
            "builtin_read_only",
            "Les personas de la bibliothèque intégrée sont en lecture seule : dupliquez-le pour le modifier.",
        )
    return studio.get_persona(db, studio_id)


@router.get("/personas/{studio_id}/versions/{number}", summary="Texte YAML d'une version")
def get_version(studio_id: str, number: DbId, db: SessionDep, user: User = Trainer) -> dict[str, Any]:
    version = studio.get_version(db, studio.get_persona(db, studio_id).id, number)
    return {
        "number": version.number,
        "comment": version.comment,
        "created_at": version.created_at,
        "yaml": version.yaml_text,
    }


@router.get("/personas/{studio_id}/diff", summary="Différences entre deux versions (diff unifié)")
def diff(studio_id: str, db: SessionDep, a: DbId, b: DbId, user: User = Trainer) -> dict[str, Any]:
    persona = studio.get_persona(db, studio_id)
    old, new = studio.get_version(db, persona.id, a), studio.get_version(db, persona.id, b)
    lines = unified_diff(
        old.yaml_text, new.yaml_text, f"{studio_id}.yaml (version {a})", f"{studio_id}.yaml (version {b})"
    )
    return {"a": a, "b": b, "diff": diff_text(lines), "lines": [{"kind": x.kind, "text": x.text} for x in lines]}


@router.get("/personas/{studio_id}/export", summary="Exporter le fichier YAML (octets exacts de la version)")
def export(
    studio_id: str, request: Request, db: SessionDep, version: DbId | None = None, user: User = Trainer
) -> Response:
    text = studio.source_text(db, _library(request), _dir(request), studio_id, version)
    return Response(
        text.encode("utf-8"),
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{studio_id}.yaml"'},
    )


@router.post(
    "/personas/{studio_id}/status",
    response_model=StudioPersonaPublic,
    summary="Changer le statut (brouillon, publié, archivé)",
)
def change_status(
    studio_id: str, body: StatusChange, request: Request, db: SessionDep, user: User = Trainer
) -> StudioPersonaPublic:
    persona = studio.set_status(db, _editable(db, request, studio_id), body.status)
    return studio.public(db, persona)


@router.get("/personas/{studio_id}/lint", summary="Avertissements de conception (python -m personas lint)")
def lint(
    studio_id: str, request: Request, db: SessionDep, version: DbId | None = None, user: User = Trainer
) -> dict[str, Any]:
    text = studio.source_text(db, _library(request), _dir(request), studio_id, version)
    errors, warnings = studio.lint_text(text, f"{studio_id}.yaml", studio.scripts_of(db, _library(request), studio_id))
    return {"errors": studio.errors_json(errors), "warnings": warnings}


@router.post("/personas/{studio_id}/trials", status_code=201, summary="Essayer une version (session d'essai)")
def start_trial(
    studio_id: str, body: TrialCreate, request: Request, db: SessionDep, user: User = Trainer
) -> dict[str, Any]:
    builtin = _library(request).builtin(studio_id)
    if builtin is not None:
        session = studio.start_trial(db, user, builtin, str(builtin.version), body.seed)
    else:
        version = studio.get_version(db, studio.get_persona(db, studio_id).id, body.version)
        session = studio.start_trial(db, user, studio.persona_of(version), f"atelier-v{version.number}", body.seed)
    return {"session_id": session.id, "persona_version": session.persona_version, "seed": session.seed,
            "url": f"/studio/essais/{session.id}"}


@router.get("/trials/{trial_id}/state", summary="État caché du persona pendant un essai")
def trial_state(trial_id: SessionId, db: SessionDep, user: User = Trainer) -> dict[str, Any]:
    session = studio.trial_session(db, trial_id, user)
    return studio.state_panel(session, dialogue.turns_of(db, session.id))


# --- rubrics -------------------------------------------------------------------------------------


@router.get("/rubrics/{bloc}", summary="Grille d'un bloc : versions et texte de la dernière")
def get_rubric(bloc: int, db: SessionDep, version: DbId | None = None, user: User = Trainer) -> dict[str, Any]:
    number, text = studio_rubrics.rubric_text(db, bloc, version)
    names = studio.names_by_id(db)
    versions = [
        {"number": 0, "comment": "Fichier intégré (scoring/rubrics)", "author": "bibliothèque", "created_at": None}
    ]
    versions += [
        {"number": v.number, "comment": v.comment, "author": names.get(v.author_id, "?"), "created_at": v.created_at}
        for v in studio_rubrics.rubric_versions(db, bloc)
    ]
    return {"bloc": bloc, "number": number, "yaml": text, "versions": versions}


@router.post("/rubrics/{bloc}/versions", status_code=201, summary="Enregistrer une nouvelle version de la grille")
def save_rubric(bloc: int, body: YamlSave, db: SessionDep, user: User = Trainer) -> dict[str, Any]:
    version = studio_rubrics.save_rubric(db, bloc, user, body.yaml, body.comment)
    return {"bloc": bloc, "number": version.number}


@router.get("/rubrics/{bloc}/diff", summary="Différences entre deux versions de la grille")
def rubric_diff(bloc: int, a: DbId, b: DbId, db: SessionDep, user: User = Trainer) -> dict[str, Any]:
    (_, old), (_, new) = studio_rubrics.rubric_text(db, bloc, a), studio_rubrics.rubric_text(db, bloc, b)
    lines = unified_diff(old, new, f"bloc{bloc}.yaml (version {a})", f"bloc{bloc}.yaml (version {b})")
    return {"a": a, "b": b, "diff": diff_text(lines)}


@router.post(
    "/sessions/{session_id}/regrade",
    status_code=201,
    summary="Re-noter une session terminée avec une version de la grille",
)
def regrade(session_id: SessionId, body: RegradeCreate, db: SessionDep, user: User = Trainer) -> dict[str, Any]:
    session = visible_session(db, session_id, user)
    studio_rubrics.regrade(db, session, user, body.version)
    return studio_rubrics.grades_of(db, session)


@router.get("/sessions/{session_id}/grades", summary="Note d'origine et re-notations d'une session")
def grades(session_id: SessionId, db: SessionDep, user: User = Trainer) -> dict[str, Any]:
    return studio_rubrics.grades_of(db, visible_session(db, session_id, user))
