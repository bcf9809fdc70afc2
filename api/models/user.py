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


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class UserPublic(UserBase):
    id: int
