"""Database engine and migrations.

The schema is owned by Alembic from the first table on: the app upgrades the database at start, and
tests build theirs the same way, so a missing migration fails a test instead of a user's upgrade.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, *, transactional_ddl: bool = False) -> Engine:
    """An engine for SQLite (file or memory) or PostgreSQL.

    `transactional_ddl` (SQLite, migrations only) lets SQLAlchemy rather than pysqlite open
    transactions, so that a migration failing half-way leaves the database as it was. The app
    itself keeps pysqlite's default, which starts a transaction at the first write: with explicit
    deferred transactions, concurrent requests that read then write fail with "database is locked".
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
        else:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            # As many connections as the threadpool has workers (40): a turn waits on Rasa, not on the pool.
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                                   pool_size=20, max_overflow=25)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            if transactional_ddl:
                dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        if transactional_ddl:

            @event.listens_for(engine, "begin")
            def _sqlite_begin(connection):  # type: ignore[no-untyped-def]
                connection.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=25)


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration bound to an existing engine (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the latest migration (every head)."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database not in (None, "", ":memory:"):
        migration_engine = make_engine(engine.url.render_as_string(hide_password=False), transactional_ddl=True)
        try:
            command.upgrade(alembic_config(migration_engine), "heads")
        finally:
            migration_engine.dispose()
        return
    command.upgrade(alembic_config(engine), "heads")


def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per request."""
    with Session(engine) as session:
        yield session
