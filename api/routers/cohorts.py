"""Cohorts: a trainer's groups of candidates, their members and CSV imports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, UploadFile
from sqlmodel import SQLModel, col, select

from api.access import managed_cohort
from api.deps import SessionDep, SettingsDep, require_roles
from api.errors import ApiError
from api.models import Cohort, CohortMember, Role, User
from api.models.cohort import CohortCreate, CohortPublic, CohortUpdate
from api.models.user import UserPublic
from api.services.accounts import ImportReport, import_accounts
from api.validation import DbId

router = APIRouter(prefix="/api/cohorts", tags=["promotions"])
Manager = Depends(require_roles(Role.admin, Role.trainer))


class CohortDetail(CohortPublic):
    members: list[UserPublic]


class MemberAdd(SQLModel):
    user_id: DbId


def members_of(db: SessionDep, cohort_id: DbId) -> list[User]:
    ids = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    return list(db.exec(select(User).where(col(User.id).in_(ids)).order_by(col(User.username))))


@router.get("", response_model=list[CohortPublic], summary="Mes promotions")
def list_cohorts(db: SessionDep, user: User = Manager) -> list[Cohort]:
    query = select(Cohort).order_by(col(Cohort.name))
    if user.role != Role.admin:
        query = query.where(Cohort.trainer_id == user.id)
    return list(db.exec(query))


@router.post("", response_model=CohortPublic, status_code=201, summary="Créer une promotion")
def create_cohort(body: CohortCreate, db: SessionDep, user: User = Manager) -> Cohort:
    assert user.id is not None
    cohort = Cohort(name=body.name.strip(), description=body.description, trainer_id=user.id)
    db.add(cohort)
    db.commit()
    db.refresh(cohort)
    return cohort


@router.get("/{cohort_id}", response_model=CohortDetail, summary="Une promotion et ses membres")
def get_cohort(cohort_id: DbId, db: SessionDep, user: User = Manager) -> CohortDetail:
    cohort = managed_cohort(db, cohort_id, user)
    members = [UserPublic.model_validate(m, from_attributes=True) for m in members_of(db, cohort_id)]
    return CohortDetail(**CohortPublic.model_validate(cohort, from_attributes=True).model_dump(), members=members)


@router.patch("/{cohort_id}", response_model=CohortPublic, summary="Renommer ou décrire une promotion")
def update_cohort(cohort_id: DbId, body: CohortUpdate, db: SessionDep, user: User = Manager) -> Cohort:
    cohort = managed_cohort(db, cohort_id, user)
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(cohort, key, value)
    db.add(cohort)
    db.commit()
    db.refresh(cohort)
    return cohort


@router.post("/{cohort_id}/members", status_code=204, summary="Ajouter un candidat à la promotion")
def add_member(cohort_id: DbId, body: MemberAdd, db: SessionDep, user: User = Manager) -> None:
    managed_cohort(db, cohort_id, user)
    member = db.get(User, body.user_id)
    if member is None or member.role != Role.candidate:
        raise ApiError(404, "user_not_found", "Candidat introuvable.")
    if db.get(CohortMember, (cohort_id, body.user_id)) is None:
        db.add(CohortMember(cohort_id=cohort_id, user_id=body.user_id))
        db.commit()


@router.delete("/{cohort_id}/members/{user_id}", status_code=204, summary="Retirer un candidat de la promotion")
def remove_member(cohort_id: DbId, user_id: DbId, db: SessionDep, user: User = Manager) -> None:
    managed_cohort(db, cohort_id, user)
    member = db.get(CohortMember, (cohort_id, user_id))
    if member is None:
        raise ApiError(404, "member_not_found", "Ce compte n'est pas membre de la promotion.")
    db.delete(member)
    db.commit()


@router.post("/{cohort_id}/import", response_model=ImportReport, summary="Importer des comptes depuis un CSV")
def import_csv(cohort_id: DbId, db: SessionDep, settings: SettingsDep, file: UploadFile = File(...),
               user: User = Manager) -> ImportReport:
    managed_cohort(db, cohort_id, user)
    return import_accounts(db, user, file.file.read(settings.max_body_bytes + 1), cohort_id)
