"""Server-rendered web pages (Jinja2, autoescaped) with a light touch of JavaScript for the chat.

Every page checks the same rules as the JSON API (api/access.py); a page the caller may not see
answers 404. Forms carry a CSRF token, checked by the authentication dependency.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from api.access import feedback_visible, managed_cohort, trainer_cohort_ids, visible_session, visible_sessions
from api.deps import SESSION_COOKIE, OptionalUser, SessionDep, SettingsDep
from api.errors import ApiError
from api.formatting import from_local_input
from api.models import Assignment, Cohort, Role, RoleplaySession, User
from api.models.cohort import SessionMode
from api.routers.auth import checked_login, issue_token, revoke_token
from api.routers.cohorts import members_of
from api.routers.web import (
    PageNotFound,
    PageUser,
    TrainerPageUser,
    login_redirect,
    or_not_found,
    persona_library,
    render,
)
from api.security import hash_password, verify_password
from api.services import dialogue, review
from api.services.accounts import create_account, import_accounts
from api.services.assignments import aware, candidate_assignments, status_of
from api.services.charts import line_chart
from api.services.cohort_admin import done_message, search_candidates
from api.services.feedback import tips_for
from api.services.personas import public_view
from api.services.practice_visibility import hidden_from_practice, practice_allowed
from api.services.progress import progress_of
from api.services.transcript_import import import_session, parse_upload
from api.validation import SESSION_SEED_MAX, DbId
from personas.schema import Persona

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "rp_login_csrf"


# --- login -------------------------------------------------------------------------------------

@router.get("/", response_model=None)
def home(user: OptionalUser) -> RedirectResponse:
    return RedirectResponse("/tableau" if user else "/connexion", status_code=303)


@router.get("/connexion", response_class=HTMLResponse)
def login_page(request: Request, user: OptionalUser, settings: SettingsDep) -> Response:
    if user is not None:
        return RedirectResponse("/tableau", status_code=303)
    login_csrf = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=login_csrf, error=None)
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
        return render(request, "login.html", None, status_code=error.status_code, login_csrf=expected,
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
    response = login_redirect()
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- candidate journey -------------------------------------------------------------------------

@router.get("/tableau", response_class=HTMLResponse)
def dashboard(request: Request, db: SessionDep, user: PageUser) -> Response:
    library = persona_library(request)
    assignments = []
    if user.role == Role.candidate:
        for assignment in candidate_assignments(db, user):
            persona = library.get(assignment.persona_id)
            if persona is not None:
                assignments.append(status_of(db, assignment, user, persona.title, int(persona.bloc)))
    sessions = [s for s in visible_sessions(db, user) if s.mode != SessionMode.trial][:50]
    hidden = hidden_from_practice(db) if user.role == Role.candidate else set()
    return render(request, "dashboard.html", user, assignments=assignments,
                  personas=[public_view(p) for p in library.all() if p.id not in hidden], sessions=sessions)


def _persona(request: Request, db: SessionDep, user: User, persona_id: str) -> Persona:
    """A persona for free practice: missing, or hidden from candidates by an open exam, is the 404 page."""
    persona = persona_library(request).get(persona_id)
    if persona is None or not practice_allowed(db, user, persona_id):
        raise PageNotFound("Persona introuvable.")
    return persona


@router.get("/personas/{persona_id}", response_class=HTMLResponse)
def brief(persona_id: str, request: Request, db: SessionDep, user: PageUser) -> Response:
    persona = _persona(request, db, user, persona_id)
    return render(request, "brief.html", user, persona=public_view(persona), assignment=None,
                  start_url=f"/personas/{persona.id}/demarrer")


@router.post("/personas/{persona_id}/demarrer")
def start(persona_id: str, request: Request, db: SessionDep, user: PageUser) -> Response:
    session = dialogue.start_session(db, user, _persona(request, db, user, persona_id))
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


def _own_assignment(request: Request, db: SessionDep, user: User, assignment_id: DbId) -> Any:
    assignment = db.get(Assignment, assignment_id)
    persona = None
    if assignment is not None and assignment in candidate_assignments(db, user):
        persona = persona_library(request).get(assignment.persona_id)
    if assignment is None or persona is None:
        raise PageNotFound("Scénario introuvable.")
    return assignment, persona, status_of(db, assignment, user, persona.title, int(persona.bloc))


@router.get("/scenarios/{assignment_id}", response_class=HTMLResponse)
def assignment_brief(assignment_id: DbId, request: Request, db: SessionDep, user: PageUser) -> Response:
    _assignment, persona, status = _own_assignment(request, db, user, assignment_id)
    return render(request, "brief.html", user, persona=public_view(persona), assignment=status,
                  start_url=f"/scenarios/{assignment_id}/demarrer")


@router.post("/scenarios/{assignment_id}/demarrer")
def assignment_start(assignment_id: DbId, request: Request, db: SessionDep, user: PageUser) -> Response:
    assignment, persona, _status = _own_assignment(request, db, user, assignment_id)
    try:
        session = dialogue.start_or_resume_assignment(db, user, assignment, persona)
    except ApiError as error:
        return render(request, "error.html", user, status_code=error.status_code, message=error.message)
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def chat(session_id: str, request: Request, db: SessionDep, user: PageUser) -> Response:
    session = dialogue.view_of(db, or_not_found("Session introuvable.", visible_session, db, session_id, user))
    persona = persona_library(request).get(session.persona_id)
    mask = review.blind_masker(db, session, user)  # a juror marking blind reads no name
    return render(request, "chat.html", user, session=session,
                  persona=public_view(persona) if persona else None,
                  turns=review.masked_turns(dialogue.turns_of(db, session.id), mask),
                  can_talk=session.candidate_id == user.id, deadline=aware(session.deadline_at))


@router.get("/sessions/{session_id}/rapport", response_class=HTMLResponse)
def report(session_id: str, request: Request, db: SessionDep, user: PageUser) -> Response:
    session = dialogue.view_of(db, or_not_found("Session introuvable.", visible_session, db, session_id, user))
    visible = feedback_visible(session, user)
    mask = review.blind_masker(db, session, user)  # a juror marking blind reads no name
    data = session.report or {}
    if mask is not None:
        data = review.mask_data(data, mask)
    annotations = {str(a.get("id")): a for a in data.get("turns", [])} if visible else {}
    jury = review.released_feedback(db, session) if visible and session.feedback_released_at else None
    return render(request, "report.html", user, session=session, report=data if visible else {},
                  feedback_visible=visible, annotations=annotations, jury=jury,
                  tips=tips_for(data) if visible and data and not data.get("empty") else [],
                  turns=review.masked_turns(dialogue.turns_of(db, session.id), mask))


@router.get("/progression", response_class=HTMLResponse)
def progress(request: Request, db: SessionDep, user: PageUser) -> Response:
    points = progress_of(db, user)
    labels = [f"{i + 1}. {p.persona_title[:30]}" for i, p in enumerate(points)]
    charts = [
        line_chart("Part de questions ouvertes", labels,
                   [round(100 * p.open_question_share) if p.open_question_share is not None else None
                    for p in points], 100, " %"),
        line_chart("Reformulations par question", labels, [p.reformulations_per_question for p in points], 2),
        line_chart("Niveau moyen de la grille (0 à 3)", labels, [p.grid_average for p in points], 3),
    ]
    return render(request, "progress.html", user, points=points, charts=charts)


# --- own account -------------------------------------------------------------------------------

@router.get("/compte", response_class=HTMLResponse)
def account(request: Request, user: PageUser) -> Response:
    return render(request, "account.html", user, message=None, error=None)


@router.post("/compte/affichage", response_class=HTMLResponse)
def account_display(request: Request, db: SessionDep, user: PageUser, large_text: str = Form(""),
                    high_contrast: str = Form(""), reduced_motion: str = Form("")) -> Response:
    user.large_text, user.high_contrast, user.reduced_motion = bool(large_text), bool(high_contrast), \
        bool(reduced_motion)
    db.add(user)
    db.commit()
    return render(request, "account.html", user, message="Réglages d'affichage enregistrés.", error=None)


@router.post("/compte/mot-de-passe", response_class=HTMLResponse)
def account_password(request: Request, db: SessionDep, user: PageUser, current_password: str = Form(""),
                     new_password: str = Form("")) -> Response:
    if not verify_password(current_password, user.password_hash):
        return render(request, "account.html", user, status_code=422, message=None,
                      error="Le mot de passe actuel est incorrect.")
    if len(new_password) < 8:
        return render(request, "account.html", user, status_code=422, message=None,
                      error="Le nouveau mot de passe doit faire au moins 8 caractères.")
    user.password_hash = hash_password(new_password)
    db.add(user)
    db.commit()
    return render(request, "account.html", user, message="Mot de passe modifié.", error=None)


# --- trainer: cohorts ----------------------------------------------------------------------------

@router.get("/promotions", response_class=HTMLResponse)
def cohorts_page(request: Request, db: SessionDep, user: TrainerPageUser) -> Response:
    ids = trainer_cohort_ids(db, user)
    cohorts = list(db.exec(select(Cohort).where(col(Cohort.id).in_(ids)).order_by(col(Cohort.name))))
    return render(request, "cohorts.html", user, cohorts=cohorts)


@router.post("/promotions")
def cohort_create(request: Request, db: SessionDep, user: TrainerPageUser, name: str = Form(""),
                  description: str = Form("")) -> Response:
    if not name.strip():
        return render(request, "error.html", user, status_code=422, message="Le nom de la promotion est vide.")
    assert user.id is not None
    cohort = Cohort(name=name.strip()[:120], description=description[:2000], trainer_id=user.id)
    db.add(cohort)
    db.commit()
    return RedirectResponse(f"/promotions/{cohort.id}", status_code=303)


def _managed_cohort(db: SessionDep, cohort_id: DbId, user: User) -> Cohort:
    return or_not_found("Promotion introuvable.", managed_cohort, db, cohort_id, user)


def render_cohort_page(request: Request, db: SessionDep, user: User, cohort: Cohort, **extra: Any) -> HTMLResponse:
    members = members_of(db, cohort.id or 0)
    member_ids = {m.id for m in members}
    sessions = [s for s in visible_sessions(db, user) if s.candidate_id in member_ids]
    assignments = list(db.exec(select(Assignment).where(Assignment.cohort_id == cohort.id)))
    library = persona_library(request)
    titles = {a.persona_id: (p.title if (p := library.get(a.persona_id)) else a.persona_id) for a in assignments}
    played = set(db.exec(select(RoleplaySession.assignment_id).where(
        col(RoleplaySession.assignment_id).in_([a.id for a in assignments])))) if assignments else set()
    return render(request, "cohort.html", user, status_code=extra.get("status_code", 200), cohort=cohort,
                  members=members, sessions=sessions, assignments=assignments, titles=titles, played=played,
                  personas=[public_view(p) for p in library.all()],
                  report=extra.get("report"), error=extra.get("error"), message=extra.get("message"),
                  query=extra.get("query", ""), found=extra.get("found"))


@router.get("/promotions/{cohort_id}", response_class=HTMLResponse)
def cohort_page(cohort_id: DbId, request: Request, db: SessionDep, user: PageUser, q: str = "",
                fait: str = "", qui: str = "") -> Response:
    cohort = _managed_cohort(db, cohort_id, user)
    found = search_candidates(db, q, cohort_id) if q.strip() else None
    return render_cohort_page(request, db, user, cohort, query=q, found=found, message=done_message(fait, qui))


@router.post("/promotions/{cohort_id}/import", response_class=HTMLResponse)
def cohort_import(cohort_id: DbId, request: Request, db: SessionDep, user: PageUser,
                  settings: SettingsDep, file: UploadFile = File(...)) -> Response:
    cohort = _managed_cohort(db, cohort_id, user)
    try:
        result = import_accounts(db, user, file.file.read(settings.max_body_bytes + 1), cohort_id)
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message)
    return render_cohort_page(request, db, user, cohort, report=result)


@router.post("/promotions/{cohort_id}/scenarios")
def cohort_assign(cohort_id: DbId, request: Request, db: SessionDep, user: PageUser,
                  persona_id: str = Form(""), mode: str = Form("practice"), duration_minutes: int = Form(20),
                  closes_at: str = Form(""), max_attempts: str = Form(""),
                  hide_from_practice: str = Form(""), seed: str = Form("")) -> Response:
    cohort = _managed_cohort(db, cohort_id, user)
    if persona_library(request).get(persona_id) is None or mode not in ("practice", "exam") or \
            not 5 <= duration_minutes <= 180:
        return render_cohort_page(request, db, user, cohort, error="Scénario invalide : vérifiez le persona, le mode "
                                                              "et la durée (5 à 180 minutes).")
    try:
        closes = from_local_input(closes_at)  # typed in the display zone (Europe/Paris), stored in UTC
    except ValueError:
        return render_cohort_page(request, db, user, cohort, error="Date de fermeture invalide.")
    form_seed = int(seed) if seed.strip().isdigit() and 1 <= int(seed) <= SESSION_SEED_MAX else None
    if seed.strip() and form_seed is None:
        return render_cohort_page(request, db, user, cohort,
                                  error=f"Forme d'examen invalide : un nombre entier de 1 à {SESSION_SEED_MAX}.")
    attempts = int(max_attempts) if max_attempts.isdigit() and int(max_attempts) > 0 else None
    if mode == "exam" and attempts is None:
        attempts = 1
    assert user.id is not None
    db.add(Assignment(cohort_id=cohort_id, persona_id=persona_id, mode=SessionMode(mode),
                      duration_minutes=duration_minutes, closes_at=closes, max_attempts=attempts,
                      hide_from_practice=mode == "exam" and bool(hide_from_practice), seed=form_seed,
                      created_by=user.id))
    db.commit()
    return RedirectResponse(f"/promotions/{cohort_id}?fait=scenario#confirmation", status_code=303)


@router.post("/promotions/{cohort_id}/comptes", response_class=HTMLResponse)
def cohort_account(cohort_id: DbId, request: Request, db: SessionDep, user: PageUser,
                   username: str = Form(""), full_name: str = Form(""), role: str = Form("candidate"),
                   password: str = Form(""), extra_time_percent: int = Form(0)) -> Response:
    """Create one account (a candidate joins the cohort) from the cohort page."""
    cohort = _managed_cohort(db, cohort_id, user)
    try:
        account_role = Role(role)
        if not 0 <= extra_time_percent <= 200:
            raise ApiError(422, "invalid_extra_time", "Temps supplémentaire invalide (0 à 200 %).")
        created = create_account(db, user, username.strip().lower(), full_name.strip()[:120], account_role,
                                 password, extra_time_percent, cohort_id)
        db.commit()
    except (ApiError, ValueError) as error:
        message = error.message if isinstance(error, ApiError) else "Rôle invalide."
        if isinstance(error, ApiError) and "déjà utilisé" in message:
            message += " S'il s'agit d'un compte existant, ajoutez-le avec « Ajouter un compte existant »."
        return render_cohort_page(request, db, user, cohort, error=message)
    done = "compte-candidat" if created.role == Role.candidate else "compte-jure"
    return RedirectResponse(f"/promotions/{cohort_id}?{urlencode({'fait': done, 'qui': created.username})}"
                            "#confirmation", status_code=303)


@router.post("/promotions/{cohort_id}/transcriptions", response_class=HTMLResponse)
def cohort_transcript_import(cohort_id: DbId, request: Request, db: SessionDep, user: PageUser,
                             settings: SettingsDep, file: UploadFile = File(...), bloc: int = Form(2),
                             candidate_id: DbId = Form(0), candidate_name: str = Form(""),
                             title: str = Form("")) -> Response:
    """Score a live role-play's transcript (JSON, CSV or « Nom : texte ») as a session of a member."""
    cohort = _managed_cohort(db, cohort_id, user)
    candidate = next((m for m in members_of(db, cohort_id) if m.id == candidate_id), None)
    if candidate is None or bloc not in (2, 4, 5):
        return render_cohort_page(request, db, user, cohort, error="Choisissez un membre de la promotion et un bloc.")
    try:
        transcript = parse_upload(file.file.read(settings.max_body_bytes + 1), file.filename or "", bloc,
                                  candidate_name.strip() or None)
        session = import_session(db, user, candidate, transcript, title.strip()[:200])
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message)
    return RedirectResponse(f"/sessions/{session.id}/rapport", status_code=303)
