"""One validation layer for what clients send: ids the database can hold, text it can store.

Why here and not in each router: a value the database cannot represent (an id past its integer
range, a NUL byte on PostgreSQL, a lone UTF-16 surrogate) used to reach the driver and end as a
plain-text 500. These types and helpers refuse such values before any query, in French.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# PostgreSQL's INTEGER (the ids' column type) ends here; SQLite's goes to 2**63 - 1. One bound for
# both keeps the API the same whichever database runs it.
MAX_DB_ID = 2**31 - 1

ID_OUT_OF_RANGE = "id_out_of_range"
"""Validation error type that the error handler answers as 404: no row can have such an id."""

_SESSION_ID_LENGTH = 32


def _db_id(value: int) -> int:
    if not 0 <= value <= MAX_DB_ID:
        raise PydanticCustomError(ID_OUT_OF_RANGE, "identifiant hors des bornes de la base")
    return value


def _session_id(value: str) -> str:
    # Session ids are uuid4 hex (api.models.base.new_id); anything else names no session.
    if len(value) != _SESSION_ID_LENGTH or any(c not in "0123456789abcdef" for c in value):
        raise PydanticCustomError(ID_OUT_OF_RANGE, "identifiant de session invalide")
    return value


DbId = Annotated[int, AfterValidator(_db_id)]
"""An integer primary or foreign key, in the range every supported database stores."""

SessionId = Annotated[str, AfterValidator(_session_id)]
"""A role-play session id (32 lowercase hex digits)."""

CLIENT_KEY_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
ClientKey = Annotated[str, StringConstraints(pattern=CLIENT_KEY_PATTERN)]
# A session's seed: the engine's choices and a Bloc 4 buyer's thresholds derive from it.
SESSION_SEED_MAX = 2**31 - 1
SessionSeed = Annotated[int, Field(ge=1, le=SESSION_SEED_MAX)]
"""An idempotency key chosen by the client (a UUID from the chat page), 1 to 64 plain characters."""


class TextRefused(ValueError):
    """A text the database cannot store; `message` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


FORBIDDEN_CHARACTERS = "Le texte contient un caractère interdit (caractère nul ou caractère Unicode isolé)."


def forbidden_character(value: str) -> bool:
    """True for a NUL byte or a lone surrogate: neither can be stored (PostgreSQL, UTF-8)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def contains_forbidden(data: Any) -> bool:
    """True when any string inside decoded JSON (keys included) holds a forbidden character."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if forbidden_character(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _invisible(char: str) -> bool:
    # Whitespace, format characters (zero-width space/joiners, BOM, word joiner), every Unicode
    # space separator (non-breaking, narrow, figure…) and control characters carry no words.
    return char.isspace() or unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Cc")


def strip_invisible(text: str) -> str:
    """The text without leading and trailing invisible characters."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def clean_message(text: str) -> str:
    """A candidate message as stored: NFC, trimmed of invisible characters ('' when nothing is left).

    NFC so that « é » typed as one or two code points is the same text for scoring and search.
    """
    if forbidden_character(text):
        raise TextRefused(FORBIDDEN_CHARACTERS)
    return strip_invisible(unicodedata.normalize("NFC", text))
