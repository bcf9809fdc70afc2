"""Server-rendered web pages (Jinja2, autoescaped) with a light touch of JavaScript for the chat."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import col, select

from api.access import visible_session
from api.config import ROOT
from api.deps import SESSION_COOKIE, OptionalUser, SessionDep, SettingsDep
from api.errors import ApiError
from api.models import Role, RoleplaySession, User
from api.routers.auth import checked_login, issue_token, revoke_token
from api.security import csrf_token_for
from api.services import dialogue
from api.services.personas import PersonaLibrary, public_view

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=ROOT / "web" / "templates")
LOGIN_CSRF_COOKIE = "rp_login_csrf"

ROLE_LABELS = {Role.admin: "administrateur·rice", Role.trainer: "formateur·rice",
               Role.juror: "juré·e", Role.candidate: "candidat·e"}


def _render(request: Request, name: str, user: User | None, status_code: int = 200,
            **context: Any) -> HTMLResponse:
    token = getattr(request.state, "session_token", None) or request.cookies.get(SESSION_COOKIE)
    settings = request.app.state.settings
    csrf = csrf_token_for(settings.secret_key, token) if user is not None and token else ""
    return templates.TemplateResponse(
        request, name, {"user": user, "csrf_token": csrf, "role_labels": ROLE_LABELS, **context},
        status_code=status_code,
    )


def _login_redirect() -> RedirectResponse:
    return RedirectResponse("/connexion", status_code=303)


@router.get("/", response_model=None)
def home(user: OptionalUser) -> RedirectResponse:
    return RedirectResponse("/tableau" if user else "/connexion", status_code=303)


@router.get("/connexion", response_class=HTMLResponse)
def login_page(request: Request, user: OptionalUser, settings: SettingsDep) -> Response:
    if user is not None:
        return RedirectResponse("/tableau", status_code=303)
    login_csrf = secrets.token_urlsafe(24)
    response = _render(request, "login.html", None, login_csrf=login_csrf, error=None)
    response.set_cookie(LOGIN_CSRF_COOKIE, login_csrf, httponly=True, samesite="strict",
                        secure=settings.secure_cookies, max_age=3600)
    return response


@router.post("/connexion", response_class=HTMLResponse)
def login_submit(request: Request, db: SessionDep, settings: SettingsDep,
                 username: str = Form(""), password: str = Form(""),
                 csrf_token: str = Form("")) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf_token):
        raise ApiError(403, "csrf_failed", "Jeton CSRF absent ou invalide : rechargez la page.")
    try:
        user = checked_login(request, db, username, password)
    except ApiError as error:
        return _render(request, "login.html", None, status_code=error.status_code, login_csrf=expected,
                       error=error.message, username=username)
    token = issue_token(db, user, settings)
    response = RedirectResponse("/tableau", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.secure_cookies, max_age=settings.token_ttl_hours * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/deconnexion")
def logout(request: Request, db: SessionDep, user: OptionalUser) -> RedirectResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if user is not None and token:
        revoke_token(db, token)
    response = _login_redirect()
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/tableau", response_class=HTMLResponse)
def dashboard(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    library: PersonaLibrary = request.app.state.personas
    query = select(RoleplaySession).order_by(col(RoleplaySession.created_at).desc())
    if user.role == Role.candidate:
        query = query.where(RoleplaySession.candidate_id == user.id)
    return _render(request, "dashboard.html", user,
                   personas=[public_view(p) for p in library.all()],
                   sessions=list(db.exec(query.limit(50))))


@router.get("/personas/{persona_id}", response_class=HTMLResponse)
def brief(persona_id: str, request: Request, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    library: PersonaLibrary = request.app.state.personas
    persona = library.get(persona_id)
    if persona is None:
        return _render(request, "error.html", user, status_code=404, message="Persona introuvable.")
    return _render(request, "brief.html", user, persona=public_view(persona))


@router.post("/personas/{persona_id}/demarrer")
def start(persona_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    library: PersonaLibrary = request.app.state.personas
    persona = library.get(persona_id)
    if persona is None:
        return _render(request, "error.html", user, status_code=404, message="Persona introuvable.")
    session = dialogue.start_session(db, user, persona)
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def chat(session_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    try:
        session = visible_session(db, session_id, user)
    except ApiError:
        return _render(request, "error.html", user, status_code=404, message="Session introuvable.")
    library: PersonaLibrary = request.app.state.personas
    persona = library.get(session.persona_id)
    return _render(request, "chat.html", user, session=session,
                   persona=public_view(persona) if persona else None,
                   turns=dialogue.turns_of(db, session.id),
                   can_talk=session.candidate_id == user.id)


@router.get("/sessions/{session_id}/rapport", response_class=HTMLResponse)
def report(session_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    try:
        session = visible_session(db, session_id, user)
    except ApiError:
        return _render(request, "error.html", user, status_code=404, message="Session introuvable.")
    return _render(request, "report.html", user, session=session, report=session.report or {},
                   turns=dialogue.turns_of(db, session.id))
