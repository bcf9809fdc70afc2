"""Cohorts of candidates, the scenarios assigned to them, and jurors assigned to sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, false
from sqlmodel import Field, SQLModel

from api.models.base import utcnow
from api.validation import SESSION_SEED_MAX, DbId


class SessionMode(StrEnum):
    """Practice: unlimited attempts, feedback at once. Exam: limited attempts, feedback once released.
    Trial: a trainer trying a persona (never among candidates' results)."""

    practice = "practice"
    exam = "exam"
    trial = "trial"


class CohortBase(SQLModel):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)


class CohortCreate(CohortBase):
    pass


class CohortUpdate(SQLModel):
    """Partial update: a field left out keeps its value; an explicit null is refused (422), since
    the columns are not nullable (the default None only marks the field as absent)."""

    name: str = Field(default=None, min_length=1, max_length=120)
    description: str = Field(default=None, max_length=2000)


class Cohort(CohortBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    trainer_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class CohortPublic(CohortBase):
    id: int
    trainer_id: int
    created_at: datetime


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_member"

    cohort_id: int = Field(foreign_key="cohort.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)
    added_at: datetime = Field(default_factory=utcnow)


class AssignmentBase(SQLModel):
    persona_id: str = Field(max_length=100)
    mode: SessionMode = Field(default=SessionMode.practice, sa_type=String(20))
    duration_minutes: int = Field(default=20, ge=5, le=180)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_attempts: int | None = Field(default=None, ge=1, le=20)
    # An exam's persona hidden from every candidate's free practice until the exam closes, so that
    # nobody rehearses the exam with full feedback (issue 13).
    hide_from_practice: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Every session of the assignment uses this seed (the same thresholds and choices: equivalent
    # forms of an exam); none: each session draws its own.
    seed: int | None = Field(default=None, ge=1, le=SESSION_SEED_MAX)


class AssignmentCreate(AssignmentBase):
    cohort_id: DbId


class Assignment(AssignmentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class AssignmentPublic(AssignmentBase):
    id: int
    cohort_id: int
    created_at: datetime


class JurorAssignment(SQLModel, table=True):
    """A juror may see (and later mark) a session only when assigned to it."""

    __tablename__ = "juror_assignment"

    session_id: str = Field(foreign_key="roleplay_session.id", primary_key=True, max_length=32)
    juror_id: int = Field(foreign_key="user.id", primary_key=True, index=True)
    assigned_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
