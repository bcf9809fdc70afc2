"""A candidate's key figures across their ended sessions, for the progress page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from api.formatting import grid_average
from api.models import RoleplaySession, SessionStatus, User
from api.models.cohort import SessionMode


class ProgressPoint(SQLModel):
    session_id: str
    persona_title: str
    bloc: int
    ended_at: datetime | None
    questions: int
    open_question_share: float | None
    reformulations_per_question: float | None
    closing_summary: bool
    grid_average: float | None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def point_of(session: RoleplaySession) -> ProgressPoint:
    report = session.report or {}
    conversation = report.get("conversation") or {}
    questions = int(conversation.get("questions") or 0)
    open_questions = int(conversation.get("open_questions") or 0)
    reformulations = _number(conversation.get("reformulations"))
    summary = conversation.get("closing_summary")
    return ProgressPoint(
        session_id=session.id, persona_title=session.persona_title, bloc=session.bloc, ended_at=session.ended_at,
        questions=questions,
        open_question_share=round(open_questions / questions, 3) if questions else None,
        reformulations_per_question=round(reformulations / questions, 3)
        if questions and reformulations is not None else None,
        closing_summary=bool(summary.get("present") if isinstance(summary, dict) else summary),
        grid_average=grid_average(report),  # the same figure as the report's « niveau moyen »
    )


def progress_of(db: Session, candidate: User) -> list[ProgressPoint]:
    """Ended sessions whose feedback the candidate may see, oldest first."""
    sessions = db.exec(select(RoleplaySession).where(
        RoleplaySession.candidate_id == candidate.id, RoleplaySession.status == SessionStatus.ended,
        RoleplaySession.mode != SessionMode.trial,
    ).order_by(col(RoleplaySession.ended_at)))
    return [point_of(s) for s in sessions
            if s.report and (s.mode != SessionMode.exam or s.feedback_released_at is not None)]
