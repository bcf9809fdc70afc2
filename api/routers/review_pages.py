"""Jury web pages: the review queue (/jury) and the review of one session (/jury/sessions/{id}).

Server-rendered like the rest of the site, with the same rules as the JSON API (the same service
functions raise the same French errors); forms carry the CSRF token checked by the dependency.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.access import managed_cohort
from api.deps import OptionalUser, SessionDep
from api.errors import ApiError
from api.models import Role, RoleplaySession, User
from api.models.review import Decision, QueueStatus
from api.routers.pages import _login_redirect, _not_found, _render
from api.services import review
from api.services.charts import line_chart
from api.services.dialogue import turns_of
from api.services.review_access import juror_session, review_session

router = APIRouter(include_in_schema=False)


def _queue_filters(cohort: str, bloc: str, status: str) -> tuple[int | None, int | None, QueueStatus | None]:
    return (int(cohort) if cohort.isdigit() else None, int(bloc) if bloc.isdigit() else None,
            QueueStatus(status) if status in QueueStatus.__members__ else None)


@router.get("/jury")
def queue_page(request: Request, db: SessionDep, user: OptionalUser, cohort: str = "", bloc: str = "",
               status: str = "") -> Response:
    if user is None:
        return _login_redirect()
    if user.role != Role.juror:
        return _not_found(request, user)
    cohort_id, bloc_value, state = _queue_filters(cohort, bloc, status)
    data = review.queue(db, user, cohort_id, bloc_value, state)
    return _render(request, "review_queue.html", user, queue=data, labels=review.QUEUE_LABELS,
                   filters={"cohort": cohort_id, "bloc": bloc_value, "status": state.value if state else ""})


@router.post("/jury/reglages")
def preferences(db: SessionDep, user: OptionalUser, blind: str = Form("")) -> Response:
    if user is None:
        return _login_redirect()
    if user.role == Role.juror:
        review.set_blind(db, user, bool(blind))
    return RedirectResponse("/jury", status_code=303)


def _charts(points: list[dict[str, Any]]) -> list[Any]:
    if not points:
        return []
    labels = [f"tour {p['seq']}" for p in points]

    def percent(key: str) -> list[float | None]:
        return [round(100 * p[key]) if isinstance(p[key], int | float) else None for p in points]

    return [line_chart("Confiance du persona", labels, percent("trust"), 100, " %"),
            line_chart("Tension du persona", labels, percent("tension"), 100, " %")]


def _review_page(request: Request, db: SessionDep, user: User, session: RoleplaySession,
                 status_code: int = 200, error: str | None = None) -> Response:
    try:
        data = review.build_review(db, session, user)
    except ApiError as exc:
        return _render(request, "error.html", user, status_code=exc.status_code, message=exc.message)
    report = session.report or {}
    annotations = {str(a.get("id")): a for a in report.get("turns", [])}
    turns: list[Any] = turns_of(db, session.id)
    mask = review.blind_masker(db, session, user)
    if mask is not None:
        # Read-only copies: the name is hidden in the speaker and inside the text (escaped by the template).
        turns = [SimpleNamespace(seq=t.seq, speaker_role=t.speaker_role, text=mask(t.text),
                                 speaker_name="Candidat·e" if t.speaker_role == "candidate" else mask(t.speaker_name))
                 for t in turns]
        annotations = {key: review.mask_data(value, mask) for key, value in annotations.items()}
    return _render(request, "review_session.html", user, status_code=status_code, session=session, review=data,
                   turns=turns, annotations=annotations, charts=_charts(data["timeline"]), error=error,
                   level_labels=review.LEVEL_LABELS, action_labels=review.ACTION_LABELS,
                   audit=review.audit_of(db, session.id, None if user.role != Role.juror or review.all_signed(
                       db, session.id) else {data["grid"]["id"]} if data["grid"] and data["grid"]["id"] else set()))


@router.get("/jury/sessions/{session_id}")
def review_page(session_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    try:
        session = review_session(db, session_id, user)
    except ApiError:
        return _not_found(request, user, "Session introuvable.")
    return _review_page(request, db, user, session)


def _act(request: Request, db: SessionDep, user: OptionalUser, session_id: str, action: Any) -> Response:
    """Run a grid change for the assigned juror; on a refused change, show the page with the reason."""
    if user is None:
        return _login_redirect()
    try:
        session = juror_session(db, session_id, user)
    except ApiError:
        return _not_found(request, user, "Session introuvable.")
    try:
        action(session)
    except ApiError as exc:
        db.rollback()
        return _review_page(request, db, user, session, status_code=exc.status_code, error=exc.message)
    return RedirectResponse(f"/jury/sessions/{session_id}#grille", status_code=303)


@router.post("/jury/sessions/{session_id}/criteres/{criterion_id}")
def criterion_submit(session_id: str, criterion_id: str, request: Request, db: SessionDep, user: OptionalUser,
                     level: str = Form(""), comment: str = Form("")) -> Response:
    def change(session: RoleplaySession) -> None:
        if not level.isdigit() or int(level) not in review.LEVEL_LABELS:
            raise ApiError(422, "invalid_level", "Niveau invalide : choisissez un niveau de 0 à 3.")
        assert user is not None
        review.set_criterion(db, session, user, criterion_id, int(level), comment[:4000])

    return _act(request, db, user, session_id, change)


@router.post("/jury/sessions/{session_id}/decision")
def decision_submit(session_id: str, request: Request, db: SessionDep, user: OptionalUser,
                    decision: str = Form(""), comment: str = Form("")) -> Response:
    def change(session: RoleplaySession) -> None:
        if decision not in Decision.__members__:
            raise ApiError(422, "invalid_decision", "Décision invalide : acquis ou non acquis.")
        assert user is not None
        review.set_decision(db, session, user, Decision(decision), comment[:4000])

    return _act(request, db, user, session_id, change)


@router.post("/jury/sessions/{session_id}/signer")
def sign_submit(session_id: str, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    def change(session: RoleplaySession) -> None:
        assert user is not None
        review.sign(db, session, user)

    return _act(request, db, user, session_id, change)


@router.post("/jury/sessions/{session_id}/rouvrir")
def reopen_submit(session_id: str, request: Request, db: SessionDep, user: OptionalUser,
                  reason: str = Form("")) -> Response:
    def change(session: RoleplaySession) -> None:
        if not reason.strip():
            raise ApiError(422, "reason_required", "Indiquez le motif de la réouverture.")
        assert user is not None
        review.reopen(db, session, user, reason[:2000])

    return _act(request, db, user, session_id, change)


@router.get("/jury/promotions/{cohort_id}/accord")
def agreement_page(cohort_id: int, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return _login_redirect()
    try:
        cohort = managed_cohort(db, cohort_id, user)
    except ApiError:
        return _not_found(request, user, "Promotion introuvable.")
    return _render(request, "review_agreement.html", user, cohort=cohort,
                   agreement=review.cohort_agreement(db, cohort_id))
