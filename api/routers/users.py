"""Accounts: administrators and trainers create and manage them; everyone manages their own."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlmodel import Field, col, select

from api.access import managed_cohort, trainer_candidate_ids
from api.deps import SessionDep, require_roles
from api.errors import ApiError
from api.models import Role, User
from api.models.user import UserCreate, UserPublic, UserUpdate
from api.services.accounts import create_account
from api.validation import DbId

router = APIRouter(prefix="/api/users", tags=["comptes"])
Manager = Depends(require_roles(Role.admin, Role.trainer))


class AccountCreate(UserCreate):
    cohort_id: DbId | None = None
    extra_time_percent: int = Field(default=0, ge=0, le=200)


def managed_user(db: SessionDep, user_id: DbId, manager: User) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise ApiError(404, "user_not_found", "Compte introuvable.")
    if manager.role != Role.admin and user.id not in trainer_candidate_ids(db, manager):
        raise ApiError(404, "user_not_found", "Compte introuvable.")
    return user


@router.get("", response_model=list[UserPublic], summary="Comptes visibles (candidats de mes promotions, jurés)")
def list_users(db: SessionDep, user: User = Manager) -> list[User]:
    query = select(User).order_by(col(User.username))
    if user.role != Role.admin:
        candidates = trainer_candidate_ids(db, user)
        query = query.where(col(User.id).in_(candidates) | (User.role == Role.juror))
    return list(db.exec(query))


@router.post("", response_model=UserPublic, status_code=201, summary="Créer un compte")
def create_user(body: AccountCreate, db: SessionDep, user: User = Manager) -> User:
    if body.cohort_id is not None:
        managed_cohort(db, body.cohort_id, user)
    created = create_account(db, user, body.username.strip().lower(), body.full_name, body.role, body.password,
                             body.extra_time_percent, body.cohort_id)
    db.commit()
    db.refresh(created)
    return created


@router.patch("/{user_id}", response_model=UserPublic, summary="Modifier un compte (nom, actif, temps supplémentaire)")
def update_user(user_id: DbId, body: UserUpdate, db: SessionDep, user: User = Manager) -> User:
    target = managed_user(db, user_id, user)
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(target, key, value)
    db.add(target)
    db.commit()
    db.refresh(target)
    return target
