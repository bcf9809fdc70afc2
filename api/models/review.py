"""Juror review of a scored session: one grid per (session, juror), its criteria, an audit trail.

A jury's marking must be explainable years later: every change to a grid is appended to
`review_audit` (who, when, before, after) and nothing ever updates or deletes an audit row. Grids
start as a copy of the automatic levels; the juror confirms or overrides them (a comment is then
required), decides « acquis / non acquis » and signs, which locks the grid until it is reopened.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.base import utcnow


class GridStatus(StrEnum):
    draft = "draft"
    signed = "signed"


class Decision(StrEnum):
    acquis = "acquis"
    non_acquis = "non_acquis"


class QueueStatus(StrEnum):
    """What is left to do on a session, from the juror's point of view."""

    a_corriger = "a_corriger"
    en_cours = "en_cours"
    signee = "signee"


class ReviewGrid(SQLModel, table=True):
    __tablename__ = "review_grid"
    __table_args__ = (UniqueConstraint("session_id", "juror_id", name="uq_review_grid_session_juror"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="roleplay_session.id", index=True, max_length=32)
    juror_id: int = Field(foreign_key="user.id", index=True)
    status: GridStatus = Field(default=GridStatus.draft, sa_type=String(20))
    decision: str | None = Field(default=None, max_length=20)  # Decision
    decision_comment: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    rubric_version: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    signed_at: datetime | None = None


class ReviewCriterion(SQLModel, table=True):
    __tablename__ = "review_criterion"
    __table_args__ = (UniqueConstraint("grid_id", "criterion_id", name="uq_review_criterion_grid_criterion"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="review_grid.id", index=True)
    criterion_id: str = Field(max_length=60)
    position: int = 0
    label: str = Field(default="", max_length=300)
    auto_level: int | None = None
    final_level: int | None = None
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    updated_at: datetime = Field(default_factory=utcnow)


class ReviewAudit(SQLModel, table=True):
    """Append-only: the API has no route that updates or deletes these rows."""

    __tablename__ = "review_audit"

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="review_grid.id", index=True)
    session_id: str = Field(foreign_key="roleplay_session.id", index=True, max_length=32)
    actor_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    action: str = Field(max_length=20)  # criterion | decision | sign | reopen | release
    target: str = Field(default="", max_length=60)  # criterion id, or "decision" / "grille" / "retour"
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ReviewPreference(SQLModel, table=True):
    """A juror's own settings, kept across logins (blind marking hides candidates' names)."""

    __tablename__ = "review_preference"

    juror_id: int = Field(foreign_key="user.id", primary_key=True)
    blind: bool = False


# --- request and response schemas --------------------------------------------------------------

class CriterionUpdate(SQLModel):
    level: int = Field(ge=0, le=3)
    comment: str = Field(default="", max_length=4000)


class DecisionUpdate(SQLModel):
    decision: Decision
    comment: str = Field(default="", max_length=4000)


class ReopenRequest(SQLModel):
    reason: str = Field(min_length=1, max_length=2000)


class PreferenceUpdate(SQLModel):
    blind: bool


class ReviewAuditPublic(SQLModel):
    id: int
    at: datetime
    actor_id: int
    actor_name: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
