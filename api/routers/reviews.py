"""Juror review API: queue, review of a scored session, grid changes, signature, audit trail,
double-marking agreement, PDF grid, exports and import of live role-play transcripts.

Access rules are in api/access.py (`juror_session`, `review_session`): a juror only reaches
sessions assigned to them, trainers and administrators read the reviews of their cohorts.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from sqlmodel import SQLModel

from api.access import juror_session, managed_cohort, review_session, trainer_candidate_ids, visible_session
from api.deps import CurrentUser, SessionDep, SettingsDep, require_roles
from api.errors import ApiError
from api.models import Role, SessionStatus, User
from api.models.review import (
    CriterionUpdate,
    DecisionUpdate,
    PreferenceUpdate,
    QueueStatus,
    ReopenRequest,
    ReviewAuditPublic,
)
from api.services import review
from api.services.exports import cohort_csv, session_export
from api.services.grid_pdf import grid_pdf
from api.services.transcript_import import import_session, parse_upload
from api.validation import DbId, SessionId

router = APIRouter(tags=["correction par le jury"])
Juror = Depends(require_roles(Role.juror))
Manager = Depends(require_roles(Role.admin, Role.trainer))
Reader = Depends(require_roles(Role.admin, Role.trainer, Role.juror))

SESSION_404: dict[int | str, dict[str, Any]] = {404: {"description": "Session introuvable ou non assignée à ce juré"}}
LOCKED_409: dict[int | str, dict[str, Any]] = {
    409: {"description": "Grille signée (verrouillée) ou session non terminée"}}


class Preferences(SQLModel):
    blind: bool


class ImportResult(SQLModel):
    session_id: str
    candidate_id: DbId
    bloc: int
    turns: int
    criteria: int


@router.get("/api/reviews/queue", summary="File de correction du juré",
            description="Sessions terminées assignées au juré, avec leur état (à corriger, en cours, signée) "
                        "et ce qui reste à faire. Filtres : promotion, bloc, état.")
def get_queue(db: SessionDep, cohort_id: DbId | None = None, bloc: DbId | None = None,
              status: QueueStatus | None = None, user: User = Juror) -> dict[str, Any]:
    return review.queue(db, user, cohort_id, bloc, status)


@router.get("/api/reviews/preferences", response_model=Preferences, summary="Mes réglages de correction")
def get_preferences(db: SessionDep, user: User = Juror) -> Preferences:
    return Preferences(blind=review.is_blind(db, user))


@router.put("/api/reviews/preferences", response_model=Preferences,
            summary="Activer ou désactiver la correction à l'aveugle (nom du candidat masqué)")
def put_preferences(body: PreferenceUpdate, db: SessionDep, user: User = Juror) -> Preferences:
    return Preferences(blind=review.set_blind(db, user, body.blind))


@router.get("/api/sessions/{session_id}/review", summary="Correction d'une session",
            description="Grille du juré (niveau automatique, preuves, niveau final, commentaire), ce qui reste à "
                        "faire, chiffres face à la médiane de la promotion, état caché du persona. Les grilles des "
                        "autres jurés ne sont visibles qu'une fois toutes signées.",
            responses={**SESSION_404, **LOCKED_409})
def get_review(session_id: SessionId, db: SessionDep, user: User = Reader) -> dict[str, Any]:
    return review.build_review(db, review_session(db, session_id, user), user)


@router.put("/api/sessions/{session_id}/review/criteria/{criterion_id}", summary="Fixer le niveau d'un critère",
            description="Un commentaire est obligatoire quand le niveau diffère du niveau automatique (422).",
            responses={**SESSION_404, **LOCKED_409})
def put_criterion(session_id: SessionId, criterion_id: str, body: CriterionUpdate, db: SessionDep,
                  user: User = Juror) -> dict[str, Any]:
    session = juror_session(db, session_id, user)
    review.set_criterion(db, session, user, criterion_id, body.level, body.comment)
    return review.build_review(db, session, user)


@router.put("/api/sessions/{session_id}/review/decision", summary="Décision finale (acquis / non acquis)",
            responses={**SESSION_404, **LOCKED_409})
def put_decision(session_id: SessionId, body: DecisionUpdate, db: SessionDep, user: User = Juror) -> dict[str, Any]:
    session = juror_session(db, session_id, user)
    review.set_decision(db, session, user, body.decision, body.comment)
    return review.build_review(db, session, user)


@router.post("/api/sessions/{session_id}/review/sign", summary="Signer la grille (elle est alors verrouillée)",
             responses={**SESSION_404, **LOCKED_409, 422: {"description": "Grille incomplète"}})
def post_sign(session_id: SessionId, db: SessionDep, user: User = Juror) -> dict[str, Any]:
    session = juror_session(db, session_id, user)
    review.sign(db, session, user)
    return review.build_review(db, session, user)


@router.post("/api/sessions/{session_id}/review/reopen", summary="Rouvrir une grille signée (motif enregistré)",
             responses={**SESSION_404, 409: {"description": "La grille n'est pas signée"}})
def post_reopen(session_id: SessionId, body: ReopenRequest, db: SessionDep, user: User = Juror) -> dict[str, Any]:
    session = juror_session(db, session_id, user)
    review.reopen(db, session, user, body.reason)
    return review.build_review(db, session, user)


@router.get("/api/sessions/{session_id}/review/audit", response_model=list[ReviewAuditPublic],
            summary="Journal des modifications (lecture seule, jamais modifié ni effacé)", responses=SESSION_404)
def get_audit(session_id: SessionId, db: SessionDep, user: User = Reader) -> list[ReviewAuditPublic]:
    session = review_session(db, session_id, user)
    grid_ids: set[int] | None = None
    if user.role == Role.juror and not review.all_signed(db, session.id):
        own = review.grid_of(db, session.id, user.id)
        grid_ids = {own.id} if own is not None and own.id is not None else set()
    return review.audit_of(db, session.id, grid_ids)


@router.get("/api/sessions/{session_id}/review/grid.pdf", summary="Grille d'évaluation en PDF",
            response_class=Response, responses={**SESSION_404, 200: {"content": {"application/pdf": {}}}})
def get_grid_pdf(session_id: SessionId, db: SessionDep, user: User = Reader) -> Response:
    session = review_session(db, session_id, user)
    view = review.build_review(db, session, user)
    grids = ([view["grid"]] if view["grid"] else []) + view["other_grids"]
    content = grid_pdf(view["session"], grids)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="grille-{session.id[:8]}.pdf"'})


@router.get("/api/sessions/{session_id}/review/export.json",
            summary="Export JSON : transcription, annotations, grilles, journal", responses=SESSION_404)
def get_session_export(session_id: SessionId, db: SessionDep, user: User = Reader) -> Response:
    data = session_export(db, review_session(db, session_id, user), user)
    return Response(json.dumps(data, ensure_ascii=False, default=str, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="session-{session_id[:8]}.json"'})


@router.get("/api/sessions/{session_id}/review/feedback", summary="Retour du jury publié (grilles signées)",
            description="Niveaux finaux, commentaires et décision des grilles signées. Le candidat n'y accède "
                        "qu'après publication du retour (403 avant) ; les jurés restent anonymes.",
            responses={**SESSION_404, 403: {"description": "Retour pas encore publié"}})
def get_feedback(session_id: SessionId, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    session = visible_session(db, session_id, user)
    if session.status != SessionStatus.ended:
        raise ApiError(409, "session_active", "La session n'est pas terminée.")
    if user.id == session.candidate_id and session.feedback_released_at is None:
        raise ApiError(403, "feedback_not_released", "Le retour du jury n'est pas encore publié.")
    return review.released_feedback(db, session)


@router.get("/api/reviews/cohorts/{cohort_id}/agreement", summary="Accord entre jurés (kappa de Cohen) d'une promotion",
            description="Accord brut et kappa de Cohen (simple et pondéré quadratique) entre les deux premières "
                        "grilles signées de chaque session doublement corrigée, par critère et au total ; accord "
                        "entre jurés et notation automatique ; désaccords à concilier.")
def get_agreement(cohort_id: DbId, db: SessionDep, user: User = Manager) -> dict[str, Any]:
    managed_cohort(db, cohort_id, user)
    return review.cohort_agreement(db, cohort_id)


@router.get("/api/reviews/cohorts/{cohort_id}/export.csv", summary="Export CSV des grilles d'une promotion",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def get_cohort_csv(cohort_id: DbId, db: SessionDep, user: User = Manager) -> Response:
    managed_cohort(db, cohort_id, user)
    return Response(cohort_csv(db, cohort_id), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="promotion-{cohort_id}-grilles.csv"'})


@router.post("/api/reviews/imports", response_model=ImportResult, status_code=201,
             summary="Importer la transcription d'un jeu de rôle en présentiel",
             description="Fichier JSON (format de scoring.transcript), CSV (colonnes speaker/text) ou texte "
                         "« Nom : texte » ; le bloc est obligatoire. La session est notée puis corrigée comme une "
                         "session de chat ; elle appartient au candidat indiqué (de vos promotions) ou à vous.")
def post_import(db: SessionDep, settings: SettingsDep, file: UploadFile = File(...), bloc: DbId = Form(...),
                candidate_id: DbId | None = Form(None), candidate_name: str = Form(""), title: str = Form(""),
                user: User = Manager) -> ImportResult:
    if bloc not in (2, 4, 5):
        raise ApiError(422, "invalid_bloc", "Bloc invalide : 2, 4 ou 5.")
    candidate = user
    if candidate_id is not None:
        found = db.get(User, candidate_id)
        allowed = found is not None and found.role == Role.candidate and (
            user.role == Role.admin or candidate_id in trainer_candidate_ids(db, user))
        if not allowed or found is None:
            raise ApiError(404, "candidate_not_found", "Candidat introuvable dans vos promotions.")
        candidate = found
    raw = file.file.read(settings.max_body_bytes + 1)
    transcript = parse_upload(raw, file.filename or "", bloc, candidate_name.strip() or None)
    session = import_session(db, user, candidate, transcript, title.strip()[:200])
    return ImportResult(session_id=session.id, candidate_id=session.candidate_id, bloc=session.bloc,
                        turns=len(transcript.turns), criteria=len(review.report_items(session)))
