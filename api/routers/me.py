"""The caller's own account: password, display settings, progress."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import CurrentUser, SessionDep
from api.errors import ApiError
from api.models import AuthToken
from api.models.user import DisplaySettings, PasswordChange, UserPublic
from api.security import hash_password, token_digest, verify_password
from api.services.progress import ProgressPoint, progress_of

router = APIRouter(prefix="/api/me", tags=["mon compte"])


@router.post("/password", status_code=204, summary="Changer mon mot de passe (déconnecte mes autres sessions)")
def change_password(body: PasswordChange, request: Request, db: SessionDep, user: CurrentUser) -> None:
    if not verify_password(body.current_password, user.password_hash):
        raise ApiError(422, "wrong_password", "Le mot de passe actuel est incorrect.")
    if body.new_password == body.current_password:
        raise ApiError(422, "same_password", "Le nouveau mot de passe doit être différent de l'actuel.")
    user.password_hash = hash_password(body.new_password)
    db.add(user)
    current = token_digest(request.state.session_token)
    for token in db.exec(select(AuthToken).where(AuthToken.user_id == user.id)):
        if token.token_hash != current:
            db.delete(token)
    db.commit()


@router.put("/settings", response_model=UserPublic, summary="Mes réglages d'affichage")
def update_settings(body: DisplaySettings, db: SessionDep, user: CurrentUser) -> UserPublic:
    for key, value in body.model_dump().items():
        setattr(user, key, value)
    db.add(user)
    db.commit()
    db.refresh(user)
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/progress", response_model=list[ProgressPoint], summary="Mes chiffres clés, session après session")
def my_progress(db: SessionDep, user: CurrentUser) -> list[ProgressPoint]:
    return progress_of(db, user)
