"""Alembic environment: runs on the engine the app (or a test) hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import api.models  # noqa: F401  (registers the tables)
from api.db import make_engine

target_metadata = SQLModel.metadata
config = context.config


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("Alembic : pas de moteur ni d'URL de base de données")
        engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild SQLite tables (copy, drop, rename): with foreign keys enforced,
            # dropping a referenced table fails. The pragma is ignored inside a transaction, so it is
            # set on the raw connection before SQLAlchemy begins one (see api/db.py), and restored after.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


run_migrations()
