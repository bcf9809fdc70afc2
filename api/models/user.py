"""Accounts and roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from api.models.base import utcnow


class Role(StrEnum):
    """What an account may do; checked on the server for every route."""

    admin = "admin"
    trainer = "trainer"
    juror = "juror"
    candidate = "candidate"


class UserBase(SQLModel):
    username: str = Field(index=True, unique=True, min_length=3, max_length=64)
    full_name: str = Field(default="", max_length=120)
    role: Role = Field(default=Role.candidate, sa_type=String(20))  # string, not a DB enum: roles evolve


class UserCreate(UserBase):
    password: str = Field(min_length=8, max_length=128)


class Accommodations(SQLModel):
    """Settings the framework provides for candidates with a disability, kept on the account."""

    extra_time_percent: int = Field(default=0, ge=0, le=200)
    large_text: bool = False
    high_contrast: bool = False
    reduced_motion: bool = False


class User(UserBase, Accommodations, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class UserPublic(UserBase, Accommodations):
    id: int
    is_active: bool


class UserUpdate(SQLModel):
    """Partial update: a field left out keeps its value; an explicit null is refused (422), since
    the columns are not nullable (the default None only marks the field as absent)."""

    full_name: str = Field(default=None, max_length=120)
    is_active: bool = Field(default=None)
    extra_time_percent: int = Field(default=None, ge=0, le=200)


class DisplaySettings(SQLModel):
    """What a user may change on their own account."""

    large_text: bool = False
    high_contrast: bool = False
    reduced_motion: bool = False


class PasswordChange(SQLModel):
    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=8, max_length=128)
