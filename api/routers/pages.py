"""Server-rendered web pages (Jinja2, autoescaped) with a light touch of JavaScript for the chat.

Every page checks the same rules as the JSON API (api/access.py); a page the caller may not see
answers 404. Forms carry a CSRF token, checked by the authentication dependency.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import col, select

from api.access import feedback_visible, managed_cohort, trainer_cohort_ids, visible_session, visible_sessions
from api.config import ROOT
from api.deps import SESSION_COOKIE, OptionalUser, SessionDep, SettingsDep
from api.errors import ApiError
from api.models import Assignment, Cohort, Role, RoleplaySession, User
from api.models.cohort import SessionMode
from api.routers.auth import checked_login, issue_token, revoke_token
from api.routers.cohorts import members_of
from api.security import csrf_token_for, hash_password, verify_password
from api.services import dialogue
from api.services.accounts import create_account, import_accounts
from api.services.assignments import aware, candidate_assignments, status_of
from api.services.charts import line_chart
from api.services.feedback import tips_for
from api.services.personas import PersonaLibrary, public_view
from api.services.progress import progress_of
from api.services.review import released_feedback
from api.services.transcript_import import import_session, parse_upload

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=ROOT / "web" / "templates")
LOGIN_CSRF_COOKIE = "rp_login_csrf"

ROLE_LABELS = {Role.admin: "administrateur·rice", Role.trainer: "formateur·rice",
               Role.juror: "juré·e", Role.candidate: "candidat·e"}
MODE_LABELS = {"practice": "entraînement", "exam": "examen", "trial": "essai"}
STATE_LABELS = {"open": "ouvert", "upcoming": "à venir", "closed": "fermé", "exhausted": "tentatives épuisées"}
ENDED_LABELS = {"candidate": "terminée par le candidat", "time_up": "temps écoulé",
                "persona": "terminée par le persona"}


def _format_date(value: datetime | None) -> str:
    moment = aware(value)
    return moment.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC") if moment else "—"


templates.env.filters["date_fr"] = _format_date


def _render(request: Request, name: str, user: User | None, status_code: int = 200,
            **context: Any) -> HTMLResponse:
    token = getattr(request.state, "session_token", None) or request.cookies.get(SESSION_COOKIE)
    settings = request.app.state.settings
    csrf = csrf_token_for(settings.secret_key, token) if user is not None and token else ""
    return templates.TemplateResponse(
        request, name,
        {"user": user, "csrf_token": csrf, "role_labels": ROLE_LABELS, "mode_labels": MODE_LABELS,
         "state_labels": STATE_LABELS, "ended_labels": ENDED_LABELS, **context},
        status_code=status_code,
    )


def _login_redirect() -> RedirectResponse:
    return RedirectResponse("/connexion", status_code=303)


def _not_found(request: Request, user: User | None, message: str = "Page introuvable.") -> HTMLResponse:
    return _render(request, "error.html", user, status_code=404, message=message)


def _library(request: Request) -> PersonaLibrary:
    library: PersonaLibrary = request.app.state.personas
    return library


def _is_manager(user: User) -> bool:
    return user.role in (Role.admin, Role.trainer)


# --- login -------------------------------------------------------------------------------------

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


# --- candidate journey -------------------------------------------------------------------------

@router.get("/tableau", response_class=HTMLResponse)
def dashboard(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    library = _library(request)
    assignments = []
    if user.role == Role.candidate:
        for assignment in candidate_assignments(db, user):
            persona = library.get(assignment.persona_id)
            if persona is not None:
                assignments.append(status_of(db, assignment, user, persona.title, int(persona.bloc)))
    sessions = [s for s in visible_sessions(db, user) if s.mode != SessionMode.trial][:50]
    return _render(request, "dashboard.html", user, assignments=assignments,
                   personas=[public_view(p) for p in library.all()], sessions=sessions)


@router.get("/personas/{persona_id}", response_class=HTMLResponse)
def brief(persona_id: str, request: Request, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    persona = _library(request).get(persona_id)
    if persona is None:
        return _not_found(request, user, "Persona introuvable.")
    return _render(request, "brief.html", user, persona=public_view(persona), assignment=None,
                   start_url=f"/personas/{persona.id}/demarrer")


@router.post("/personas/{persona_id}/demarrer")
def start(persona_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    persona = _library(request).get(persona_id)
    if persona is None:
        return _not_found(request, user, "Persona introuvable.")
    session = dialogue.start_session(db, user, persona)
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


def _own_assignment(request: Request, db: SessionDep, user: User, assignment_id: int) -> Any:
    assignment = db.get(Assignment, assignment_id)
    if assignment is None or assignment not in candidate_assignments(db, user):
        return None, None, None
    persona = _library(request).get(assignment.persona_id)
    if persona is None:
        return None, None, None
    return assignment, persona, status_of(db, assignment, user, persona.title, int(persona.bloc))


@router.get("/scenarios/{assignment_id}", response_class=HTMLResponse)
def assignment_brief(assignment_id: int, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    assignment, persona, status = _own_assignment(request, db, user, assignment_id)
    if assignment is None:
        return _not_found(request, user, "Scénario introuvable.")
    return _render(request, "brief.html", user, persona=public_view(persona), assignment=status,
                   start_url=f"/scenarios/{assignment_id}/demarrer")


@router.post("/scenarios/{assignment_id}/demarrer")
def assignment_start(assignment_id: int, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    assignment, persona, _status = _own_assignment(request, db, user, assignment_id)
    if assignment is None:
        return _not_found(request, user, "Scénario introuvable.")
    try:
        session = dialogue.start_or_resume_assignment(db, user, assignment, persona)
    except ApiError as error:
        return _render(request, "error.html", user, status_code=error.status_code, message=error.message)
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


def _session_or_none(db: SessionDep, session_id: str, user: User) -> RoleplaySession | None:
    try:
        return visible_session(db, session_id, user)
    except ApiError:
        return None


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def chat(session_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    session = _session_or_none(db, session_id, user)
    if session is None:
        return _not_found(request, user, "Session introuvable.")
    dialogue.expire_if_due(db, session)
    persona = _library(request).get(session.persona_id)
    return _render(request, "chat.html", user, session=session,
                   persona=public_view(persona) if persona else None,
                   turns=dialogue.turns_of(db, session.id), can_talk=session.candidate_id == user.id,
                   deadline=aware(session.deadline_at))


@router.get("/sessions/{session_id}/rapport", response_class=HTMLResponse)
def report(session_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    session = _session_or_none(db, session_id, user)
    if session is None:
        return _not_found(request, user, "Session introuvable.")
    dialogue.expire_if_due(db, session)
    visible = feedback_visible(session, user)
    data = session.report or {}
    annotations = {str(a.get("id")): a for a in data.get("turns", [])} if visible else {}
    jury = released_feedback(db, session) if visible and session.feedback_released_at else None
    return _render(request, "report.html", user, session=session, report=data if visible else {},
                   feedback_visible=visible, annotations=annotations, jury=jury,
                   tips=tips_for(data) if visible and data and not data.get("empty") else [],
                   turns=dialogue.turns_of(db, session.id))


@router.get("/progression", response_class=HTMLResponse)
def progress(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    points = progress_of(db, user)
    labels = [f"{i + 1}. {p.persona_title[:30]}" for i, p in enumerate(points)]
    charts = [
        line_chart("Part de questions ouvertes", labels,
                   [round(100 * p.open_question_share) if p.open_question_share is not None else None
                    for p in points], 100, " %"),
        line_chart("Reformulations par question", labels, [p.reformulations_per_question for p in points], 2),
        line_chart("Niveau moyen de la grille (0 à 3)", labels, [p.grid_average for p in points], 3),
    ]
    return _render(request, "progress.html", user, points=points, charts=charts)


# --- own account -------------------------------------------------------------------------------

@router.get("/compte", response_class=HTMLResponse)
def account(request: Request, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    return _render(request, "account.html", user, message=None, error=None)


@router.post("/compte/affichage", response_class=HTMLResponse)
def account_display(request: Request, db: SessionDep, user: OptionalUser, large_text: str = Form(""),
                    high_contrast: str = Form(""), reduced_motion: str = Form("")) -> Response:
    if user is None:
        return _login_redirect()
    user.large_text, user.high_contrast, user.reduced_motion = bool(large_text), bool(high_contrast), \
        bool(reduced_motion)
    db.add(user)
    db.commit()
    return _render(request, "account.html", user, message="Réglages d'affichage enregistrés.", error=None)


@router.post("/compte/mot-de-passe", response_class=HTMLResponse)
def account_password(request: Request, db: SessionDep, user: OptionalUser, current_password: str = Form(""),
                     new_password: str = Form("")) -> Response:
    if user is None:
        return _login_redirect()
    if not verify_password(current_password, user.password_hash):
        return _render(request, "account.html", user, status_code=422, message=None,
                       error="Le mot de passe actuel est incorrect.")
    if len(new_password) < 8:
        return _render(request, "account.html", user, status_code=422, message=None,
                       error="Le nouveau mot de passe doit faire au moins 8 caractères.")
    user.password_hash = hash_password(new_password)
    db.add(user)
    db.commit()
    return _render(request, "account.html", user, message="Mot de passe modifié.", error=None)


# --- trainer: cohorts ----------------------------------------------------------------------------

@router.get("/promotions", response_class=HTMLResponse)
def cohorts_page(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    if not _is_manager(user):
        return _not_found(request, user)
    ids = trainer_cohort_ids(db, user)
    cohorts = list(db.exec(select(Cohort).where(col(Cohort.id).in_(ids)).order_by(col(Cohort.name))))
    return _render(request, "cohorts.html", user, cohorts=cohorts)


@router.post("/promotions")
def cohort_create(request: Request, db: SessionDep, user: OptionalUser, name: str = Form(""),
                  description: str = Form("")) -> Response:
    if user is None:
        return _login_redirect()
    if not _is_manager(user):
        return _not_found(request, user)
    if not name.strip():
        return _render(request, "error.html", user, status_code=422, message="Le nom de la promotion est vide.")
    assert user.id is not None
    cohort = Cohort(name=name.strip()[:120], description=description[:2000], trainer_id=user.id)
    db.add(cohort)
    db.commit()
    return RedirectResponse(f"/promotions/{cohort.id}", status_code=303)


def _cohort_page(request: Request, db: SessionDep, user: User, cohort: Cohort, **extra: Any) -> HTMLResponse:
    members = members_of(db, cohort.id or 0)
    member_ids = {m.id for m in members}
    sessions = [s for s in visible_sessions(db, user) if s.candidate_id in member_ids]
    assignments = list(db.exec(select(Assignment).where(Assignment.cohort_id == cohort.id)))
    return _render(request, "cohort.html", user, cohort=cohort, members=members, sessions=sessions,
                   assignments=assignments, personas=[public_view(p) for p in _library(request).all()],
                   jurors=list(db.exec(select(User).where(User.role == Role.juror))),
                   report=extra.get("report"), error=extra.get("error"))


@router.get("/promotions/{cohort_id}", response_class=HTMLResponse)
def cohort_page(cohort_id: int, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    try:
        cohort = managed_cohort(db, cohort_id, user)
    except ApiError:
        return _not_found(request, user, "Promotion introuvable.")
    return _cohort_page(request, db, user, cohort)


@router.post("/promotions/{cohort_id}/import", response_class=HTMLResponse)
def cohort_import(cohort_id: int, request: Request, db: SessionDep, user: OptionalUser,
                  settings: SettingsDep, file: UploadFile = File(...)) -> Response:
    if user is None:
        return _login_redirect()
    try:
        cohort = managed_cohort(db, cohort_id, user)
        result = import_accounts(db, user, file.file.read(settings.max_body_bytes + 1), cohort_id)
    except ApiError as error:
        if error.code == "cohort_not_found":
            return _not_found(request, user, "Promotion introuvable.")
        return _cohort_page(request, db, user, managed_cohort(db, cohort_id, user), error=error.message)
    return _cohort_page(request, db, user, cohort, report=result)


@router.post("/promotions/{cohort_id}/scenarios")
def cohort_assign(cohort_id: int, request: Request, db: SessionDep, user: OptionalUser,
                  persona_id: str = Form(""), mode: str = Form("practice"), duration_minutes: int = Form(20),
                  closes_at: str = Form(""), max_attempts: str = Form("")) -> Response:
    if user is None:
        return _login_redirect()
    try:
        cohort = managed_cohort(db, cohort_id, user)
    except ApiError:
        return _not_found(request, user, "Promotion introuvable.")
    if _library(request).get(persona_id) is None or mode not in ("practice", "exam") or \
            not 5 <= duration_minutes <= 180:
        return _cohort_page(request, db, user, cohort, error="Scénario invalide : vérifiez le persona, le mode "
                                                              "et la durée (5 à 180 minutes).")
    try:
        closes = datetime.fromisoformat(closes_at).replace(tzinfo=UTC) if closes_at else None
    except ValueError:
        return _cohort_page(request, db, user, cohort, error="Date de fermeture invalide.")
    attempts = int(max_attempts) if max_attempts.isdigit() and int(max_attempts) > 0 else None
    if mode == "exam" and attempts is None:
        attempts = 1
    assert user.id is not None
    db.add(Assignment(cohort_id=cohort_id, persona_id=persona_id, mode=SessionMode(mode),
                      duration_minutes=duration_minutes, closes_at=closes, max_attempts=attempts,
                      created_by=user.id))
    db.commit()
    return RedirectResponse(f"/promotions/{cohort_id}", status_code=303)


@router.post("/promotions/{cohort_id}/comptes", response_class=HTMLResponse)
def cohort_account(cohort_id: int, request: Request, db: SessionDep, user: OptionalUser,
                   username: str = Form(""), full_name: str = Form(""), role: str = Form("candidate"),
                   password: str = Form(""), extra_time_percent: int = Form(0)) -> Response:
    """Create one account (a candidate joins the cohort) from the cohort page."""
    if user is None:
        return _login_redirect()
    try:
        cohort = managed_cohort(db, cohort_id, user)
    except ApiError:
        return _not_found(request, user, "Promotion introuvable.")
    try:
        account_role = Role(role)
        if not 0 <= extra_time_percent <= 200:
            raise ApiError(422, "invalid_extra_time", "Temps supplémentaire invalide (0 à 200 %).")
        create_account(db, user, username.strip().lower(), full_name.strip()[:120], account_role, password,
                       extra_time_percent, cohort_id)
        db.commit()
    except (ApiError, ValueError) as error:
        message = error.message if isinstance(error, ApiError) else "Rôle invalide."
        return _cohort_page(request, db, user, cohort, error=message)
    return RedirectResponse(f"/promotions/{cohort_id}", status_code=303)


@router.post("/promotions/{cohort_id}/transcriptions", response_class=HTMLResponse)
def cohort_transcript_import(cohort_id: int, request: Request, db: SessionDep, user: OptionalUser,
                             settings: SettingsDep, file: UploadFile = File(...), bloc: int = Form(2),
                             candidate_id: int = Form(0), candidate_name: str = Form(""),
                             title: str = Form("")) -> Response:
    """Score a live role-play's transcript (JSON, CSV or « Nom : texte ») as a session of a member."""
    if user is None:
        return _login_redirect()
    try:
        cohort = managed_cohort(db, cohort_id, user)
    except ApiError:
        return _not_found(request, user, "Promotion introuvable.")
    candidate = next((m for m in members_of(db, cohort_id) if m.id == candidate_id), None)
    if candidate is None or bloc not in (2, 4, 5):
        return _cohort_page(request, db, user, cohort, error="Choisissez un membre de la promotion et un bloc.")
    try:
        transcript = parse_upload(file.file.read(settings.max_body_bytes + 1), file.filename or "", bloc,
                                  candidate_name.strip() or None)
        session = import_session(db, user, candidate, transcript, title.strip()[:200])
    except ApiError as error:
        return _cohort_page(request, db, user, cohort, error=error.message)
    return RedirectResponse(f"/sessions/{session.id}/rapport", status_code=303)
