"""Role-play sessions and their turns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.base import new_id, utcnow
from api.validation import ClientKey, DbId, SessionSeed


class SessionStatus(StrEnum):
    active = "active"
    ended = "ended"


class TurnStatus(StrEnum):
    """Delivery of a candidate turn to the persona: stored first, then answered."""

    pending = "pending"
    answered = "answered"
    persona = "persona"


class RoleplaySessionBase(SQLModel):
    persona_id: str = Field(index=True, max_length=100)


class RoleplaySessionCreate(SQLModel):
    """Either a persona (free practice) or an assignment of the candidate's cohort."""

    persona_id: str | None = Field(default=None, max_length=100)
    assignment_id: DbId | None = None
    # Trainers only (equivalent forms, replaying a try-it); a candidate's seed is ignored, with a notice.
    seed: SessionSeed | None = None


class RoleplaySession(RoleplaySessionBase, table=True):
    __tablename__ = "roleplay_session"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    candidate_id: int = Field(foreign_key="user.id", index=True)
    persona_version: str = Field(max_length=40)
    persona_title: str = Field(default="", max_length=200)
    bloc: int = 2
    # The persona as played, so that an old transcript stays explainable after edits.
    persona_snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    seed: int = 0
    status: SessionStatus = Field(default=SessionStatus.active, sa_type=String(20))
    state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    outcome: str | None = Field(default=None, max_length=40)
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    mode: str = Field(default="practice", max_length=20)  # SessionMode
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    # When the time allowed (duration x accommodation) runs out; None = untimed practice.
    deadline_at: datetime | None = None
    ended_reason: str | None = Field(default=None, max_length=20)  # candidate | time_up | persona
    feedback_released_at: datetime | None = None


class Turn(SQLModel, table=True):
    # One position per turn in a session: two concurrent writers cannot both take the same seq.
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_turn_session_seq"),
        # A re-sent message carries the same key as the first post: it resolves to the stored turn.
        UniqueConstraint("session_id", "client_key", name="uq_turn_session_client_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="roleplay_session.id", index=True, max_length=32)
    seq: int
    speaker_role: str = Field(max_length=20)  # candidate | persona
    speaker_id: str = Field(max_length=60)
    speaker_name: str = Field(max_length=120)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: TurnStatus = Field(default=TurnStatus.persona, sa_type=String(20))
    nlu: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The one reading of a candidate turn (scoring.reading.TurnReading as JSON), made by the action
    # server when the persona answered; the engine, the live panel and the report all use it.
    reading: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    reader_version: str | None = Field(default=None, max_length=20)
    client_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class MessageCreate(SQLModel):
    """A candidate message; `client_key` (or the Idempotency-Key header) names this message so that
    sending it again after a lost answer resolves to the stored turn instead of adding one."""

    text: str
    client_key: ClientKey | None = None


class PersonaLine(SQLModel):
    speaker: str
    text: str


class TurnPublic(SQLModel):
    id: int
    seq: int
    speaker_role: str
    speaker_id: str
    speaker_name: str
    text: str
    status: TurnStatus
    created_at: datetime


class RoleplaySessionPublic(SQLModel):
    id: str
    persona_id: str
    persona_version: str
    persona_title: str
    bloc: int
    status: SessionStatus
    outcome: str | None
    mode: str
    assignment_id: int | None
    candidate_id: int
    created_at: datetime
    ended_at: datetime | None
    deadline_at: datetime | None
    ended_reason: str | None
    feedback_released_at: datetime | None


class RoleplaySessionDetail(RoleplaySessionPublic):
    turns: list[TurnPublic]
    notices: list[str] = []  # what the server ignored in the request, in French
