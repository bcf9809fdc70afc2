"""Database tables and API schemas, one module per resource (FastAPI template's model families)."""

from api.models.roleplay import RoleplaySession, SessionStatus, Turn, TurnStatus
from api.models.token import AuthToken
from api.models.user import Role, User

__all__ = ["AuthToken", "Role", "RoleplaySession", "SessionStatus", "Turn", "TurnStatus", "User"]
