"""Login and logout for API clients (bearer tokens)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from sqlmodel import Session, select

from api.config import Settings
from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import ApiError
from api.formatting import count
from api.models import AuthToken, User
from api.models.token import LoginRequest, TokenPublic
from api.models.user import UserPublic
from api.proxies import request_client_address
from api.security import dummy_password_hash, new_token, token_digest, verify_password
from api.services.throttle import LoginThrottle

router = APIRouter(prefix="/api/auth", tags=["authentification"])

BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."


def authenticate(db: Session, username: str, password: str) -> User | None:
    """The active account with this password, or None. Every attempt verifies one Argon2 hash, a
    dummy one for an unknown or inactive account, so that the answer's timing does not tell which
    accounts exist."""
    user = db.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.is_active:
        verify_password(password, dummy_password_hash())
        return None
    if not verify_password(password, user.password_hash):
        return None
    return user


def client_address(request: Request) -> str:
    """The address login throttling counts failures for (X-Forwarded-For only from trusted proxies)."""
    return request_client_address(request)


def checked_login(request: Request, db: Session, username: str, password: str) -> User:
    """Authenticate, with throttling: 429 after too many failures for this account and address."""
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request)
    wait = throttle.blocked_for(username, address)
    if wait:
        minutes = max(1, round(wait / 60))
        raise ApiError(429, "too_many_attempts",
                       f"Trop de tentatives de connexion échouées. Réessayez dans {count(minutes, 'minute')}.",
                       headers={"Retry-After": str(wait)})
    user = authenticate(db, username, password)
    if user is None:
        throttle.failed(username, address)
        raise ApiError(401, "invalid_credentials", BAD_CREDENTIALS)
    throttle.succeeded(username, address)
    return user


def issue_token(db: Session, user: User, settings: Settings) -> str:
    """Create and store (hashed) a new login token."""
    assert user.id is not None
    token = new_token()
    db.add(AuthToken(token_hash=token_digest(token), user_id=user.id,
                     expires_at=datetime.now(UTC) + timedelta(hours=settings.token_ttl_hours)))
    db.commit()
    return token


def revoke_token(db: Session, token: str) -> None:
    record = db.get(AuthToken, token_digest(token))
    if record is not None:
        db.delete(record)
        db.commit()


@router.post("/login", response_model=TokenPublic, summary="Obtenir un jeton d'accès")
def login(body: LoginRequest, request: Request, db: SessionDep, settings: SettingsDep) -> TokenPublic:
    user = checked_login(request, db, body.username, body.password)
    return TokenPublic(access_token=issue_token(db, user, settings))


@router.post("/logout", status_code=204, summary="Révoquer le jeton courant")
def logout(request: Request, user: CurrentUser, db: SessionDep) -> None:
    revoke_token(db, request.state.session_token)


@router.get("/me", response_model=UserPublic, summary="Le compte connecté")
def me(user: CurrentUser) -> User:
    return user
