"""Login tokens, stored hashed so that a database leak does not leak sessions."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from api.models.base import utcnow


class AuthToken(SQLModel, table=True):
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LoginRequest(SQLModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class TokenPublic(SQLModel):
    access_token: str
    token_type: str = "bearer"
