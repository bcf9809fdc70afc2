"""Persona studio: trainer-made personas, their immutable versions, rubric versions and re-grades.

Each version keeps the exact YAML text it was saved or imported with (so an export gives back the
same bytes) next to the validated data (so a session or a grade can use it without re-parsing).
Versions are never updated: every save adds a row.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.base import utcnow
from api.validation import DbId, SessionSeed


class StudioStatus(StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"


class StudioPersonaBase(SQLModel):
    bloc: int = 2
    role: str = Field(default="", max_length=100)
    title: str = Field(default="", max_length=300)


class StudioPersona(StudioPersonaBase, table=True):
    """A persona designed in the studio. Its id is the YAML `id`, unique among built-ins too."""

    __tablename__ = "studio_persona"

    id: str = Field(primary_key=True, max_length=64)
    status: StudioStatus = Field(default=StudioStatus.draft, sa_type=String(20))
    based_on: str | None = Field(default=None, max_length=64)
    author_id: int = Field(foreign_key="user.id", index=True)
    latest_version: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class StudioPersonaVersion(SQLModel, table=True):
    __tablename__ = "studio_persona_version"
    __table_args__ = (UniqueConstraint("persona_id", "number", name="uq_studio_persona_version"),)

    id: int | None = Field(default=None, primary_key=True)
    persona_id: str = Field(foreign_key="studio_persona.id", index=True, max_length=64)
    number: int
    yaml_text: str = Field(sa_column=Column(Text, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    comment: str = Field(default="", max_length=500)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class RubricVersion(SQLModel, table=True):
    """A trainer's edit of a bloc's rubric; the packaged file scoring/rubrics/bloc<N>.yaml is version 0."""

    __tablename__ = "rubric_version"
    __table_args__ = (UniqueConstraint("bloc", "number", name="uq_rubric_version"),)

    id: int | None = Field(default=None, primary_key=True)
    bloc: int = Field(index=True)
    number: int
    yaml_text: str = Field(sa_column=Column(Text, nullable=False))
    comment: str = Field(default="", max_length=500)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Regrade(SQLModel, table=True):
    """A session scored again with another rubric version; the original report is never touched."""

    __tablename__ = "regrade"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="roleplay_session.id", index=True, max_length=32)
    bloc: int
    rubric_version: int
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


# --- API schemas -------------------------------------------------------------------------------


class StudioVersionPublic(SQLModel):
    number: int
    comment: str
    author: str
    created_at: datetime | None


class StudioPersonaPublic(StudioPersonaBase):
    id: str
    status: str
    builtin: bool
    author: str
    based_on: str | None
    latest_version: int
    updated_at: datetime | None


class StudioPersonaDetail(StudioPersonaPublic):
    versions: list[StudioVersionPublic]
    yaml: str


class StudioPersonaCreate(SQLModel):
    """Start from a built-in or studio persona (a bloc's template, or a duplicate)."""

    source_id: str = Field(max_length=64)
    id: str | None = Field(default=None, max_length=64)
    title: str | None = Field(default=None, max_length=300)


class YamlSave(SQLModel):
    yaml: str = Field(max_length=60000)
    comment: str = Field(default="", max_length=500)


class YamlCheck(SQLModel):
    yaml: str = Field(max_length=60000)
    persona_id: str | None = Field(default=None, max_length=64)


class StatusChange(SQLModel):
    status: StudioStatus


class TrialCreate(SQLModel):
    version: DbId | None = None
    seed: SessionSeed | None = None  # replay a trial, or try the form an exam will use


class RegradeCreate(SQLModel):
    version: int | None = None
