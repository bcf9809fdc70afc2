"""Persona studio web pages (trainers and administrators; 404 for everyone else, guarded once for
the whole router by `trainer_page_user`).

Server-rendered like the rest of the app: plain forms with the CSRF field, a <textarea> YAML editor
validated on the server at every save (and as the trainer types, through /api/studio/validate), and
a try-it page that reuses the candidate chat script plus a live panel of the persona's hidden state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import visible_session
from api.deps import SessionDep
from api.errors import ApiError
from api.models import StudioStatus, User
from api.routers.web import PageNotFound, TrainerPageUser, or_not_found, persona_library, render, trainer_page_user
from api.services import dialogue, studio, studio_rubrics
from api.services.yaml_diff import unified_diff
from api.validation import SESSION_SEED_MAX, DbId

# Anonymous callers go to the login page; other roles get the same 404 as a missing page.
router = APIRouter(include_in_schema=False, dependencies=[Depends(trainer_page_user)])
BLOC_LABELS = {
    2: "Bloc 2 — prospection et vente",
    4: "Bloc 4 — négociation complexe",
    5: "Bloc 5 — management d'équipe",
}


def _dir(request: Request) -> Path:
    return Path(request.app.state.settings.personas_dir)


def _studio(request: Request, user: User, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return render(
        request,
        name,
        user,
        status_code=status_code,
        bloc_labels=BLOC_LABELS,
        status_labels=studio.STATUS_LABELS,
        **context,
    )


# --- list, create, import ------------------------------------------------------------------------


@router.get("/studio", response_class=HTMLResponse)
def studio_home(
    request: Request,
    db: SessionDep,
    user: TrainerPageUser,
    bloc: str = "",
    role: str = "",
    author: str = "",
    status: str = "",
    q: str = "",
    error: str = "",
) -> Response:
    bloc_value = int(bloc) if bloc.isdigit() else None
    items = studio.catalogue(
        db, persona_library(request), bloc=bloc_value, role=role, author=author, status=status, q=q
    )
    templates = [p for p in persona_library(request).builtins()]
    return _studio(
        request,
        user,
        "studio_list.html",
        items=items,
        templates=templates,
        error=error or None,
        filters={"bloc": bloc, "role": role, "author": author, "status": status, "q": q},
    )


@router.post("/studio/nouveau")
def studio_create(
    request: Request,
    db: SessionDep,
    user: TrainerPageUser,
    source_id: str = Form(""),
    new_id: str = Form(""),
    title: str = Form(""),
) -> Response:
    try:
        persona = studio.create_from(
            db, persona_library(request), _dir(request), user, source_id, new_id or None, title or None
        )
    except ApiError as error:
        if error.status_code == 404:
            raise PageNotFound("Persona modèle introuvable.") from error
        return _studio(request, user, "error.html", status_code=error.status_code, message=error.message)
    return RedirectResponse(f"/studio/personas/{persona.id}", status_code=303)


@router.post("/studio/importer")
async def studio_import(
    request: Request, db: SessionDep, user: TrainerPageUser, file: UploadFile = File(...)
) -> Response:
    raw = await file.read()
    try:
        persona, _ = studio.import_text(
            db, persona_library(request), user, raw.decode("utf-8", errors="replace"), file.filename or "import.yaml"
        )
    except ApiError as error:
        errors = error.extra.get("errors") or [{"line": error.message}]
        return _studio(
            request,
            user,
            "studio_list.html",
            status_code=error.status_code,
            items=studio.catalogue(db, persona_library(request)),
            templates=persona_library(request).builtins(),
            error="Import refusé.",
            import_errors=errors,
            filters={},
        )
    return RedirectResponse(f"/studio/personas/{persona.id}", status_code=303)


# --- editor --------------------------------------------------------------------------------------


def _editor(
    request: Request, db: SessionDep, user: User, persona_id: str, status_code: int = 200, **extra: Any
) -> Response:
    library = persona_library(request)
    builtin = library.builtin(persona_id)
    if builtin is not None:
        text = studio.builtin_text(_dir(request), persona_id) or ""
        return _studio(
            request,
            user,
            "studio_editor.html",
            status_code=status_code,
            item=studio.builtin_public(builtin),
            versions=[],
            yaml_text=text,
            fields=None,
            **extra,
        )
    persona = or_not_found("Persona introuvable.", studio.get_persona, db, persona_id)
    versions = studio.versions_of(db, persona_id)
    latest = versions[-1]
    data = latest.data
    fields = {
        "title": data.get("title", ""),
        "role": data.get("role", ""),
        "duration_minutes": (data.get("brief") or {}).get("duration_minutes", 20),
        "initial_trust": (data.get("personality") or {}).get("initial_trust", 0.3),
        "initial_tension": (data.get("personality") or {}).get("initial_tension", 0.1),
    }
    names = studio.names_by_id(db)
    extra.setdefault("yaml_text", latest.yaml_text)
    return _studio(
        request,
        user,
        "studio_editor.html",
        status_code=status_code,
        item=studio.public(db, persona, names),
        versions=studio.version_public(versions, names),
        fields=fields,
        **extra,
    )


@router.get("/studio/personas/{persona_id}", response_class=HTMLResponse)
def studio_editor(
    persona_id: str, request: Request, db: SessionDep, user: TrainerPageUser, lint: str = "", saved: str = ""
) -> Response:
    extra: dict[str, Any] = {}
    if lint:
        text = or_not_found(
            "Persona introuvable.", studio.source_text, db, persona_library(request), _dir(request), persona_id
        )
        errors, warnings = studio.lint_text(
            text, f"{persona_id}.yaml", studio.scripts_of(db, persona_library(request), persona_id)
        )
        extra["lint"] = {"errors": errors, "warnings": warnings}
    if saved:
        extra["message"] = f"Version {saved} enregistrée."
    return _editor(request, db, user, persona_id, **extra)


@router.post("/studio/personas/{persona_id}/enregistrer", response_class=HTMLResponse)
def studio_save(
    persona_id: str,
    request: Request,
    db: SessionDep,
    user: TrainerPageUser,
    yaml_text: str = Form(""),
    comment: str = Form(""),
) -> Response:
    return _save(request, db, user, persona_id, lambda _: yaml_text.replace("\r\n", "\n"), comment)


@router.post("/studio/personas/{persona_id}/champs", response_class=HTMLResponse)
def studio_fields(
    persona_id: str,
    request: Request,
    db: SessionDep,
    user: TrainerPageUser,
    title: str = Form(""),
    role: str = Form(""),
    duration_minutes: str = Form(""),
    initial_trust: str = Form(""),
    initial_tension: str = Form(""),
    comment: str = Form(""),
) -> Response:
    def number(value: str) -> Any:
        try:
            return int(value) if value.strip().lstrip("-").isdigit() else float(value.replace(",", "."))
        except ValueError:
            return value

    changes: dict[str, Any] = {
        "title": title.strip(),
        "role": role.strip(),
        "brief.duration_minutes": number(duration_minutes),
        "personality.initial_trust": number(initial_trust),
        "personality.initial_tension": number(initial_tension),
    }

    return _save(
        request,
        db,
        user,
        persona_id,
        lambda current: studio.apply_fields(current, changes),
        comment or "Champs communs modifiés",
    )


def _save(request: Request, db: SessionDep, user: User, persona_id: str, make_text: Any, comment: str) -> Response:
    if persona_library(request).builtin(persona_id) is not None:
        return _editor(
            request,
            db,
            user,
            persona_id,
            status_code=409,
            error="Persona de la bibliothèque intégrée : lecture seule. Dupliquez-le pour le modifier.",
        )
    persona = or_not_found("Persona introuvable.", studio.get_persona, db, persona_id)
    text = make_text(studio.get_version(db, persona_id).yaml_text)
    return _save_or_reedit(
        lambda: studio.save_version(db, persona, user, text, comment),
        f"/studio/personas/{persona_id}",
        partial(_editor, request, db, user, persona_id, comment=comment),
        text,
    )


def _save_or_reedit(save: Callable[[], Any], page: str, editor: Callable[..., Response], text: str) -> Response:
    """Save a new version and go back to `page` saying so, or re-render the editor with the text as
    typed, the refusal's message and its field errors (persona and rubric editors alike)."""
    try:
        version = save()
    except ApiError as error:
        return editor(
            status_code=error.status_code, yaml_text=text, error=error.message, errors=error.extra.get("errors", [])
        )
    return RedirectResponse(f"{page}?saved={version.number}", status_code=303)


@router.post("/studio/personas/{persona_id}/dupliquer")
def studio_duplicate(persona_id: str, request: Request, db: SessionDep, user: TrainerPageUser) -> Response:
    return studio_create(request, db, user, source_id=persona_id, new_id="", title="")


@router.post("/studio/personas/{persona_id}/statut")
def studio_status(
    persona_id: str, request: Request, db: SessionDep, user: TrainerPageUser, status: str = Form("")
) -> Response:
    if status not in {s.value for s in StudioStatus} or persona_library(request).builtin(persona_id) is not None:
        return _editor(request, db, user, persona_id, status_code=422, error="Statut invalide.")
    persona = or_not_found("Persona introuvable.", studio.get_persona, db, persona_id)
    studio.set_status(db, persona, StudioStatus(status))
    return RedirectResponse(f"/studio/personas/{persona_id}", status_code=303)


@router.get("/studio/personas/{persona_id}/diff", response_class=HTMLResponse)
def studio_diff(
    persona_id: str, request: Request, db: SessionDep, user: TrainerPageUser, a: DbId = 0, b: DbId = 0
) -> Response:
    old = or_not_found("Version introuvable.", studio.get_version, db, persona_id, a)
    new = or_not_found("Version introuvable.", studio.get_version, db, persona_id, b)
    lines = unified_diff(
        old.yaml_text, new.yaml_text, f"{persona_id}.yaml (version {a})", f"{persona_id}.yaml (version {b})"
    )
    return _studio(
        request,
        user,
        "studio_diff.html",
        title=f"{persona_id} : version {a} → version {b}",
        lines=lines,
        back=f"/studio/personas/{persona_id}",
    )


@router.post("/studio/personas/{persona_id}/essai")
def studio_trial(
    persona_id: str, request: Request, db: SessionDep, user: TrainerPageUser, version: str = Form(""),
    seed: str = Form(""),
) -> Response:
    builtin = persona_library(request).builtin(persona_id)
    trial_seed = int(seed) if seed.strip().isdigit() and 1 <= int(seed) <= SESSION_SEED_MAX else None
    try:
        if builtin is not None:
            session = studio.start_trial(db, user, builtin, str(builtin.version), trial_seed)
        else:
            row = studio.get_version(
                db, studio.get_persona(db, persona_id).id, int(version) if version.isdigit() else None
            )
            session = studio.start_trial(db, user, studio.persona_of(row), f"atelier-v{row.number}", trial_seed)
    except ApiError as error:
        raise PageNotFound("Persona introuvable.") from error
    return RedirectResponse(f"/studio/essais/{session.id}", status_code=303)


@router.get("/studio/essais/{session_id}", response_class=HTMLResponse)
def studio_try(session_id: str, request: Request, db: SessionDep, user: TrainerPageUser) -> Response:
    session = or_not_found("Session d'essai introuvable.", studio.trial_session, db, session_id, user)
    return _studio(
        request,
        user,
        "studio_try.html",
        session=session,
        turns=dialogue.turns_of(db, session.id),
        panel=studio.state_panel(session, dialogue.turns_of(db, session.id)),
    )


# --- rubrics -------------------------------------------------------------------------------------


def _rubric_page(
    request: Request, db: SessionDep, user: User, bloc: int, status_code: int = 200, **extra: Any
) -> Response:
    number, text = studio_rubrics.rubric_text(db, bloc)
    extra.setdefault("yaml_text", text)
    return _studio(
        request,
        user,
        "studio_rubric.html",
        status_code=status_code,
        bloc=bloc,
        number=number,
        versions=studio_rubrics.rubric_versions(db, bloc),
        names=studio.names_by_id(db),
        **extra,
    )


def _bloc(value: str) -> int:
    """A graded bloc from the URL; anything else is a missing page (404), not a 422."""
    if not value.isdigit() or int(value) not in studio_rubrics.BLOCS:
        raise PageNotFound("Grille introuvable.")
    return int(value)


@router.get("/studio/grilles", response_class=HTMLResponse)
def rubrics_home() -> Response:
    return RedirectResponse("/studio/grilles/2", status_code=303)


@router.get("/studio/grilles/{bloc}", response_class=HTMLResponse)
def rubric_page(bloc: str, request: Request, db: SessionDep, user: TrainerPageUser, saved: str = "") -> Response:
    number = _bloc(bloc)
    return _rubric_page(request, db, user, number, message=f"Version {saved} enregistrée." if saved else None)


@router.post("/studio/grilles/{bloc}", response_class=HTMLResponse)
def rubric_save(
    bloc: str,
    request: Request,
    db: SessionDep,
    user: TrainerPageUser,
    yaml_text: str = Form(""),
    comment: str = Form(""),
) -> Response:
    number = _bloc(bloc)
    text = yaml_text.replace("\r\n", "\n")
    return _save_or_reedit(
        lambda: studio_rubrics.save_rubric(db, number, user, text, comment),
        f"/studio/grilles/{number}",
        partial(_rubric_page, request, db, user, number),
        text,
    )


@router.post("/studio/grilles/{bloc}/renoter", response_class=HTMLResponse)
def rubric_regrade(
    bloc: str,
    request: Request,
    db: SessionDep,
    user: TrainerPageUser,
    session_id: str = Form(""),
    version: str = Form(""),
) -> Response:
    number = _bloc(bloc)
    try:
        session = visible_session(db, session_id.strip(), user)
        studio_rubrics.regrade(db, session, user, int(version) if version.isdigit() else None)
    except ApiError as error:
        return _rubric_page(request, db, user, number, status_code=error.status_code, error=error.message)
    return _rubric_page(request, db, user, number, grades=studio_rubrics.grades_of(db, session))


@router.get("/studio/grilles/{bloc}/diff", response_class=HTMLResponse)
def rubric_diff(bloc: str, request: Request, db: SessionDep, user: TrainerPageUser, a: DbId = 0,
                b: DbId = 0) -> Response:
    number = _bloc(bloc)
    _, old_text = or_not_found("Version introuvable.", studio_rubrics.rubric_text, db, number, a)
    _, new_text = or_not_found("Version introuvable.", studio_rubrics.rubric_text, db, number, b)
    lines = unified_diff(old_text, new_text, f"bloc{number}.yaml (version {a})", f"bloc{number}.yaml (version {b})")
    return _studio(
        request,
        user,
        "studio_diff.html",
        title=f"grille du bloc {number} : version {a} → version {b}",
        lines=lines,
        back=f"/studio/grilles/{number}",
    )
