"""Exports of reviews: one session as JSON (for archiving or an appeal), a cohort as CSV (for the
certification body's spreadsheet). Both are built from the same views as the pages, so an export
never shows what its reader could not see on screen.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlmodel import Session, col, select

from api import formatting
from api.models import CohortMember, RoleplaySession, SessionStatus, User
from api.models.cohort import SessionMode
from api.services import review
from api.services.dialogue import turns_of


def session_export(db: Session, session: RoleplaySession, viewer: User) -> dict[str, Any]:
    """Transcript, automatic annotations, grids (as the viewer may see them) and the audit trail."""
    view = review.build_review(db, session, viewer)
    grids = ([view["grid"]] if view["grid"] else []) + view["other_grids"]
    visible_grid_ids = {g["id"] for g in grids if g.get("id") is not None}
    report = session.report or {}
    # A juror marking blind gets the candidate's name hidden in the text and quotes too.
    mask = review.blind_masker(db, session, viewer)

    def text(value: str) -> str:
        return mask(value) if mask else value

    def data(value: Any) -> Any:
        return review.mask_data(value, mask) if mask else value

    return {
        "format": "roleplay-review-export/1",
        "session": view["session"],
        "transcript": [{"id": f"t{t.seq}", "speaker_role": t.speaker_role,
                        "speaker_name": "Candidat·e" if view["blind"] and t.speaker_role == "candidate"
                        else text(t.speaker_name), "text": text(t.text), "timestamp": t.created_at.isoformat()}
                       for t in turns_of(db, session.id)],
        "annotations": data(report.get("turns") or []),
        "conversation": data(report.get("conversation") or {}),
        "automatic_grid": data(report.get("grid") or {}),
        "negotiation_record": view["negotiation_record"],
        "grids": grids,
        "agreement": view["agreement"],
        "audit": [a.model_dump(mode="json") for a in review.audit_of(db, session.id, visible_grid_ids)],
    }


CSV_COLUMNS = ["session", "candidat", "persona", "bloc", "mode", "terminée le", "juré·e", "statut", "décision",
               "signée le", "critère", "niveau automatique", "niveau final", "commentaire",
               "à confirmer par le jury", "fiabilité du niveau automatique"]


def cohort_csv(db: Session, cohort_id: int) -> str:
    """One line per (session, juror grid, criterion) of the cohort's candidates; `;`-separated for
    French spreadsheets, with a UTF-8 BOM so that accents open correctly; dates as « 04/12/2026 05:04 »
    in the display zone and French words for codes (api/formatting.py), like the pages."""
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    sessions = db.exec(select(RoleplaySession).where(
        col(RoleplaySession.candidate_id).in_(members), RoleplaySession.status == SessionStatus.ended,
        RoleplaySession.mode != SessionMode.trial).order_by(col(RoleplaySession.ended_at)))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for session in sessions:
        if not review.report_items(session):
            continue
        candidate = db.get(User, session.candidate_id)
        name = review.candidate_label(session, candidate, blind=False)
        for grid in review.grids_of(db, session.id):
            juror = db.get(User, grid.juror_id)
            view = review.grid_view(db, grid, session, (juror.full_name or juror.username) if juror else "")
            for criterion in view["criteria"]:
                writer.writerow([session.id, name, session.persona_title, session.bloc,
                                 formatting.label(formatting.MODE_LABELS, str(session.mode)),
                                 formatting.csv_date_time(session.ended_at), view["juror_name"],
                                 view["status_label"], view["decision_label"] or "",
                                 formatting.csv_date_time(view["signed_at"]), criterion["label"],
                                 "" if criterion["auto_level"] is None else criterion["auto_level"],
                                 "" if criterion["final_level"] is None else criterion["final_level"],
                                 criterion["comment"], criterion["uncertainty_fr"], criterion["reliability_fr"]])
    return out.getvalue()
