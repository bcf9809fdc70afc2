"""Database tables and API schemas, one module per resource (FastAPI template's model families)."""

from api.models.cohort import Assignment, Cohort, CohortMember, JurorAssignment, SessionMode
from api.models.roleplay import RoleplaySession, SessionStatus, Turn, TurnStatus
from api.models.token import AuthToken
from api.models.user import Role, User

__all__ = [
    "Assignment",
    "AuthToken",
    "Cohort",
    "CohortMember",
    "JurorAssignment",
    "Role",
    "RoleplaySession",
    "SessionMode",
    "SessionStatus",
    "Turn",
    "TurnStatus",
    "User",
]
