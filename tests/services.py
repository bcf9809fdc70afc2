"""Real services the tests talk to, and the rule for when they are missing.

On a newcomer's laptop a missing PostgreSQL, Redis or Chromium skips the tests that need it, with
the reason. In CI (CI=true) the same absence fails the test: CI must exercise the real thing.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str) -> None:
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"CI=true : service requis absent : {reason}", pytrace=False)
    pytest.skip(reason)


def tcp_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database, empty or copied from `template`, dropped afterwards."""
    import psycopg

    if not tcp_open("127.0.0.1", 5432):
        missing("PostgreSQL ne répond pas sur 127.0.0.1:5432")
    name = f"rp_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True)
    except psycopg.OperationalError as error:
        missing(f"connexion PostgreSQL impossible ({POSTGRES_ADMIN_URL}) : {error}")
        raise
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url() -> str:
    """URL of a reachable Redis (database 15, flushed by the tests that use it)."""
    if not tcp_open("127.0.0.1", 6379):
        missing("Redis ne répond pas sur 127.0.0.1:6379")
    return REDIS_URL


def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing(f"Chromium introuvable ({CHROMIUM}) : apt-get install chromium")
    return CHROMIUM
