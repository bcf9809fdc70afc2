"""Passwords, login tokens and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Argon2id hash (argon2-cffi defaults follow the RFC 9106 recommendations)."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches; never raises on a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_password_hash() -> str:
    """A hash of a random password no one knows, verified for unknown accounts (same cost as a real one)."""
    return hash_password(secrets.token_urlsafe(32))


def new_token() -> str:
    """A random bearer token (shown once, stored hashed)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(secret_key: str, session_token: str) -> str:
    """CSRF token bound to the login session: a form from another site cannot know it."""
    return hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def csrf_matches(secret_key: str, session_token: str, candidate: str | None) -> bool:
    """Constant-time comparison of a submitted CSRF token."""
    if not candidate:
        return False
    return hmac.compare_digest(csrf_token_for(secret_key, session_token), candidate)
