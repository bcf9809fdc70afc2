"""Database tables and API schemas, one module per resource (FastAPI template's model families)."""

from api.models.cohort import Assignment, Cohort, CohortMember, JurorAssignment, SessionMode
from api.models.review import ReviewAudit, ReviewCriterion, ReviewGrid, ReviewPreference
from api.models.roleplay import RoleplaySession, SessionStatus, Turn, TurnStatus
from api.models.studio import Regrade, RubricVersion, StudioPersona, StudioPersonaVersion, StudioStatus
from api.models.token import AuthToken
from api.models.user import Role, User

__all__ = [
    "Assignment",
    "AuthToken",
    "Cohort",
    "CohortMember",
    "JurorAssignment",
    "Regrade",
    "ReviewAudit",
    "ReviewCriterion",
    "ReviewGrid",
    "ReviewPreference",
    "Role",
    "RoleplaySession",
    "RubricVersion",
    "SessionMode",
    "SessionStatus",
    "StudioPersona",
    "StudioPersonaVersion",
    "StudioStatus",
    "Turn",
    "TurnStatus",
    "User",
]
