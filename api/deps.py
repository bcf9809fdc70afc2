"""Request dependencies: database session, settings, the current user and role checks.

Authentication accepts a bearer token (JSON API clients) or the session cookie (web pages). A
cookie-authenticated request that changes something must carry the CSRF token, as a header
(`X-CSRF-Token`, sent by the page's JavaScript) or a form field (`csrf_token`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from api.config import Settings
from api.errors import ApiError
from api.models import AuthToken, Role, User
from api.security import csrf_matches, token_digest
from api.services.rasa_client import RasaClient

SESSION_COOKIE = "rp_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def get_rasa(request: Request) -> RasaClient:
    client: RasaClient = request.app.state.rasa
    return client


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_db)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def _form_csrf(request: Request) -> str | None:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


def user_for_token(db: Session, token: str) -> User | None:
    """The active user a token belongs to, or None when unknown or expired."""
    record = db.get(AuthToken, token_digest(token))
    if record is None:
        return None
    expires = record.expires_at if record.expires_at.tzinfo else record.expires_at.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        db.delete(record)
        db.commit()
        return None
    user = db.get(User, record.user_id)
    return user if user is not None and user.is_active else None


async def get_optional_user(request: Request, db: SessionDep, settings: SettingsDep) -> User | None:
    """The caller, if authenticated; enforces CSRF on cookie-authenticated writes."""
    token = _bearer(request)
    via_cookie = False
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        via_cookie = token is not None
    if not token:
        return None
    # In a worker thread, never on the event loop: this dependency is async, and a database call here
    # blocked the loop. With 50 candidates at once (bench/load_bench.py) the pool was empty, the
    # lookup waited the pool's 30 s on the loop, so no finished request could hand its connection
    # back: the app stalled for minutes. Off the loop it only waits for a connection.
    user = await run_in_threadpool(user_for_token, db, token)
    if user is None:
        return None
    if via_cookie and request.method not in SAFE_METHODS:
        submitted = request.headers.get("x-csrf-token") or await _form_csrf(request)
        if not csrf_matches(settings.secret_key, token, submitted):
            raise ApiError(403, "csrf_failed", "Jeton CSRF absent ou invalide : rechargez la page.")
    request.state.session_token = token
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise ApiError(401, "not_authenticated", "Authentification requise.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """Dependency factory: the caller must hold one of these roles (404 otherwise, to hide routes)."""

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ApiError(404, "not_found", "Ressource introuvable.")
        return user

    return check
