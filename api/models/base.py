"""Shared column helpers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the app writes."""
    return datetime.now(UTC)


def new_id() -> str:
    """Opaque, unguessable identifiers: ids appear in URLs and must not be enumerable."""
    return uuid.uuid4().hex
