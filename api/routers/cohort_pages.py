"""Cohort page actions for trainers and administrators: add an existing account (after a search),
remove a member, change a member's extra time, edit or remove an assigned scenario.

Each action redirects to the cohort page with a confirmation (?fait=…), or shows the page again with
the French reason when refused. The cohort itself is checked by `managed_cohort` (404 otherwise).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.access import managed_cohort
from api.deps import SessionDep
from api.errors import ApiError
from api.formatting import from_local_input
from api.models import Cohort, User
from api.routers.pages import render_cohort_page
from api.routers.web import TrainerPageUser, or_not_found
from api.services import cohort_admin
from api.validation import DbId

router = APIRouter(include_in_schema=False)


def _cohort(db: SessionDep, cohort_id: int, user: User) -> Cohort:
    return or_not_found("Promotion introuvable.", managed_cohort, db, cohort_id, user)


def _done(cohort_id: int, code: str, who: str = "") -> RedirectResponse:
    query = urlencode({"fait": code, "qui": who} if who else {"fait": code})
    return RedirectResponse(f"/promotions/{cohort_id}?{query}#confirmation", status_code=303)


@router.post("/promotions/{cohort_id}/membres")
def member_add(cohort_id: DbId, request: Request, db: SessionDep, user: TrainerPageUser,
               user_id: DbId = Form(0)) -> Response:
    cohort = _cohort(db, cohort_id, user)
    try:
        member = cohort_admin.add_member(db, cohort_id, user_id)
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message, status_code=error.status_code)
    return _done(cohort_id, "membre-ajoute", member.full_name or member.username)


@router.post("/promotions/{cohort_id}/membres/{user_id}/retirer")
def member_remove(cohort_id: DbId, user_id: DbId, request: Request, db: SessionDep,
                  user: TrainerPageUser) -> Response:
    cohort = _cohort(db, cohort_id, user)
    try:
        member = cohort_admin.remove_member(db, cohort_id, user_id)
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message, status_code=error.status_code)
    return _done(cohort_id, "membre-retire", member.full_name or member.username)


@router.post("/promotions/{cohort_id}/membres/{user_id}/temps")
def member_extra_time(cohort_id: DbId, user_id: DbId, request: Request, db: SessionDep, user: TrainerPageUser,
                      extra_time_percent: str = Form("")) -> Response:
    cohort = _cohort(db, cohort_id, user)
    try:
        member = cohort_admin.member_of(db, cohort_id, user_id)
        if not extra_time_percent.strip().isdigit():
            raise ApiError(422, "invalid_extra_time", "Temps supplémentaire invalide (0 à 200 %).")
        cohort_admin.set_extra_time(db, member, int(extra_time_percent))
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message, status_code=error.status_code)
    return _done(cohort_id, "temps", member.full_name or member.username)


@router.post("/promotions/{cohort_id}/scenarios/{assignment_id}")
def assignment_edit(cohort_id: DbId, assignment_id: DbId, request: Request, db: SessionDep, user: TrainerPageUser,
                    duration_minutes: str = Form(""), closes_at: str = Form(""),
                    max_attempts: str = Form(""), hide_from_practice: str = Form("")) -> Response:
    cohort = _cohort(db, cohort_id, user)
    try:
        assignment = cohort_admin.cohort_assignment(db, cohort_id, assignment_id)
        if not duration_minutes.strip().isdigit():
            raise ApiError(422, "invalid_duration", "Durée invalide : de 5 à 180 minutes.")
        try:
            closes = from_local_input(closes_at)
        except ValueError as error:
            raise ApiError(422, "invalid_date", "Date de fermeture invalide.") from error
        attempts = int(max_attempts) if max_attempts.strip().isdigit() else None
        cohort_admin.update_assignment(db, assignment, int(duration_minutes), closes, attempts,
                                       bool(hide_from_practice))
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message, status_code=error.status_code)
    return _done(cohort_id, "scenario-modifie")


@router.post("/promotions/{cohort_id}/scenarios/{assignment_id}/supprimer")
def assignment_delete(cohort_id: DbId, assignment_id: DbId, request: Request, db: SessionDep,
                      user: TrainerPageUser) -> Response:
    cohort = _cohort(db, cohort_id, user)
    try:
        cohort_admin.delete_assignment(db, cohort_admin.cohort_assignment(db, cohort_id, assignment_id))
    except ApiError as error:
        return render_cohort_page(request, db, user, cohort, error=error.message, status_code=error.status_code)
    return _done(cohort_id, "scenario-supprime")
