"""Jury web pages: the review queue (/jury) and the review of one session (/jury/sessions/{id}).

Server-rendered like the rest of the site, with the same rules as the JSON API (the same service
functions raise the same French errors); forms carry the CSRF token checked by the dependency.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select

from api.access import is_manager, juror_session, managed_cohort, review_session
from api.deps import SessionDep
from api.errors import ApiError
from api.models import JurorAssignment, Role, RoleplaySession, User
from api.models.cohort import SessionMode
from api.models.review import Decision, QueueStatus
from api.routers.web import JurorPageUser, PageNotFound, PageUser, or_not_found, render
from api.services import review
from api.services.charts import line_chart
from api.services.dialogue import turns_of
from api.validation import DbId

router = APIRouter(include_in_schema=False)


def _queue_filters(cohort: str, bloc: str, status: str) -> tuple[int | None, int | None, QueueStatus | None]:
    return (int(cohort) if cohort.isdigit() else None, int(bloc) if bloc.isdigit() else None,
            QueueStatus(status) if status in QueueStatus.__members__ else None)


@router.get("/jury")
def queue_page(request: Request, db: SessionDep, user: JurorPageUser, cohort: str = "", bloc: str = "",
               status: str = "") -> Response:
    cohort_id, bloc_value, state = _queue_filters(cohort, bloc, status)
    data = review.queue(db, user, cohort_id, bloc_value, state)
    return render(request, "review_queue.html", user, queue=data, labels=review.QUEUE_LABELS,
                  filters={"cohort": cohort_id, "bloc": bloc_value, "status": state.value if state else ""})


@router.post("/jury/reglages")
def preferences(db: SessionDep, user: PageUser, blind: str = Form("")) -> Response:
    if user.role == Role.juror:
        review.set_blind(db, user, bool(blind))
    return RedirectResponse("/jury", status_code=303)


def _charts(points: list[dict[str, Any]]) -> list[Any]:
    if not points:
        return []
    labels = [f"tour {p['seq']}" for p in points]

    def percent(key: str) -> list[float | None]:
        return [round(100 * p[key]) if isinstance(p[key], int | float) else None for p in points]

    # Each chart comes with the visible legend the page prints above it (colour + words).
    return [{"title": "Confiance du persona (0 à 100 %)", "kind": "trust",
             "svg": line_chart("Confiance du persona", labels, percent("trust"), 100, " %", css_class="trust")},
            {"title": "Tension du persona (0 à 100 %)", "kind": "tension",
             "svg": line_chart("Tension du persona", labels, percent("tension"), 100, " %", css_class="tension")}]


def _review_page(request: Request, db: SessionDep, user: User, session: RoleplaySession,
                 status_code: int = 200, error: str | None = None, attempt: dict[str, Any] | None = None,
                 message: str | None = None) -> Response:
    try:
        data = review.build_review(db, session, user)
    except ApiError as exc:
        return render(request, "error.html", user, status_code=exc.status_code, message=exc.message)
    report = session.report or {}
    annotations = {str(a.get("id")): a for a in report.get("turns", [])}
    mask = review.blind_masker(db, session, user)
    turns = review.masked_turns(turns_of(db, session.id), mask)  # the name hidden, still escaped by the template
    if mask is not None:
        annotations = {key: review.mask_data(value, mask) for key, value in annotations.items()}
    return render(request, "review_session.html", user, status_code=status_code, session=session, review=data,
                  turns=turns, annotations=annotations, charts=_charts(data["timeline"]), error=error,
                  attempt=attempt or {}, message=message, **_manager_context(db, user, session, data),
                  level_labels=review.LEVEL_LABELS, action_labels=review.ACTION_LABELS,
                  audit=review.audit_of(db, session.id, None if user.role != Role.juror or review.all_signed(
                       db, session.id) else {data["grid"]["id"]} if data["grid"] and data["grid"]["id"] else set()))


def _manager_context(db: SessionDep, user: User, session: RoleplaySession, data: dict[str, Any]) -> dict[str, Any]:
    """What the page needs for the steps around marking: who is assigned (and, for a trainer or an
    administrator, the jurors they may add), and whether this reader may publish the feedback."""
    assigned_ids = set(db.exec(select(JurorAssignment.juror_id).where(JurorAssignment.session_id == session.id)))
    manager = is_manager(user)
    jurors = list(db.exec(select(User).where(User.role == Role.juror).order_by(col(User.full_name),
                                                                              col(User.username)))) if manager else []
    assigned = [j for j in jurors if j.id in assigned_ids] if manager else []
    return {
        "is_manager": manager,
        "assigned_jurors": assigned,
        "available_jurors": [j for j in jurors if j.id not in assigned_ids and j.is_active],
        "can_release": session.mode == SessionMode.exam and (manager or user.id in assigned_ids),
    }


@router.get("/jury/sessions/{session_id}")
def review_page(session_id: str, request: Request, db: SessionDep, user: PageUser, assigne: str = "",
                publie: str = "") -> Response:
    session = or_not_found("Session introuvable.", review_session, db, session_id, user)
    message = None
    if assigne.isdigit() and (juror := db.get(User, int(assigne))) is not None and juror.role == Role.juror:
        message = f"{juror.full_name or juror.username} est assigné·e à cette session."
    elif publie:
        message = "Le retour est publié : le candidat·e peut le lire."
    return _review_page(request, db, user, session, message=message)


def _act(request: Request, db: SessionDep, user: User, session_id: str, action: Any,
         attempt: dict[str, Any] | None = None) -> Response:
    """Run a grid change for the assigned juror; on a refused change, show the page with the reason and
    what the juror had chosen (`attempt`), so that nothing they typed or picked is lost."""
    session = or_not_found("Session introuvable.", juror_session, db, session_id, user)
    try:
        action(session)
    except ApiError as exc:
        db.rollback()
        message = exc.message
        if attempt and attempt.get("label"):
            message = f"« {attempt['label']} » : {message}"
        return _review_page(request, db, user, session, status_code=exc.status_code, error=message,
                            attempt=attempt)
    return RedirectResponse(f"/jury/sessions/{session_id}#grille", status_code=303)


@router.post("/jury/sessions/{session_id}/criteres/{criterion_id}")
def criterion_submit(session_id: str, criterion_id: str, request: Request, db: SessionDep, user: PageUser,
                     level: str = Form(""), comment: str = Form("")) -> Response:
    def change(session: RoleplaySession) -> None:
        if not level.isdigit() or int(level) not in review.LEVEL_LABELS:
            raise ApiError(422, "invalid_level", "Niveau invalide : choisissez un niveau de 0 à 3.")
        review.set_criterion(db, session, user, criterion_id, int(level), comment[:4000])

    label = next((str(item.get("label") or criterion_id) for item in review.report_items(
        or_not_found("Session introuvable.", juror_session, db, session_id, user)) if item.get("id") == criterion_id),
        criterion_id)
    return _act(request, db, user, session_id, change,
                {"criterion": criterion_id, "label": label, "level": level, "comment": comment})


@router.post("/jury/sessions/{session_id}/decision")
def decision_submit(session_id: str, request: Request, db: SessionDep, user: PageUser,
                    decision: str = Form(""), comment: str = Form("")) -> Response:
    def change(session: RoleplaySession) -> None:
        if decision not in Decision.__members__:
            raise ApiError(422, "invalid_decision", "Décision invalide : acquis ou non acquis.")
        review.set_decision(db, session, user, Decision(decision), comment[:4000])

    return _act(request, db, user, session_id, change,
                {"criterion": "decision", "label": "Décision finale", "decision": decision, "comment": comment})


@router.post("/jury/sessions/{session_id}/signer")
def sign_submit(session_id: str, request: Request, db: SessionDep, user: PageUser) -> Response:
    def change(session: RoleplaySession) -> None:
        review.sign(db, session, user)

    return _act(request, db, user, session_id, change)


@router.post("/jury/sessions/{session_id}/rouvrir")
def reopen_submit(session_id: str, request: Request, db: SessionDep, user: PageUser,
                  reason: str = Form("")) -> Response:
    def change(session: RoleplaySession) -> None:
        if not reason.strip():
            raise ApiError(422, "reason_required", "Indiquez le motif de la réouverture.")
        review.reopen(db, session, user, reason[:2000])

    return _act(request, db, user, session_id, change)


def _manager_session(db: SessionDep, session_id: str, user: User) -> RoleplaySession:
    if not is_manager(user):
        raise PageNotFound()
    return or_not_found("Session introuvable.", review_session, db, session_id, user)


def find_juror(db: SessionDep, text: str) -> User | None:
    """The juror a trainer picked in the searchable list: « Nom (identifiant) », the username or the
    full name, ignoring case."""
    text = text.strip()
    if text.endswith(")") and "(" in text:
        text = text[text.rindex("(") + 1:-1]
    needle = text.lower()
    if not needle:
        return None
    for juror in db.exec(select(User).where(User.role == Role.juror)):
        if juror.username.lower() == needle or (juror.full_name or "").strip().lower() == needle:
            return juror
    return None


@router.post("/jury/sessions/{session_id}/jures")
def juror_assign(session_id: str, request: Request, db: SessionDep, user: PageUser,
                 juror: str = Form("")) -> Response:
    """Assign a juror from the review page (a second one makes it double marking)."""
    session = _manager_session(db, session_id, user)
    found = find_juror(db, juror)
    if found is None or not found.is_active:
        return _review_page(request, db, user, session, status_code=422,
                            error=f"Juré·e introuvable : « {juror.strip()} ». Choisissez un nom dans la liste.")
    assert user.id is not None and found.id is not None
    if db.get(JurorAssignment, (session.id, found.id)) is None:
        db.add(JurorAssignment(session_id=session.id, juror_id=found.id, assigned_by=user.id))
        db.commit()
    return RedirectResponse(f"/jury/sessions/{session_id}?assigne={found.id}#jures", status_code=303)


@router.post("/jury/sessions/{session_id}/publier")
def release_submit(session_id: str, request: Request, db: SessionDep, user: PageUser) -> Response:
    """Publish the exam feedback; refused with the reason (grids not all signed) shown on the page."""
    session = or_not_found("Session introuvable.", review_session, db, session_id, user)
    try:
        review.release_feedback(db, session, user)
    except ApiError as exc:
        db.rollback()
        return _review_page(request, db, user, session, status_code=exc.status_code,
                            error=f"Publication refusée : {exc.message}")
    return RedirectResponse(f"/jury/sessions/{session_id}?publie=1#publication", status_code=303)


@router.get("/jury/promotions/{cohort_id}/accord")
def agreement_page(cohort_id: DbId, request: Request, db: SessionDep, user: PageUser) -> Response:
    cohort = or_not_found("Promotion introuvable.", managed_cohort, db, cohort_id, user)
    return render(request, "review_agreement.html", user, cohort=cohort,
                  agreement=review.cohort_agreement(db, cohort_id))
