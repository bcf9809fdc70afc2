"""turn reading and idempotency key: the stored reading of each candidate turn, the version of the
reader that made it, and the key the page sends so a re-sent message resolves to the stored turn

Revision ID: 0005
Revises: 0003, 0004
Create Date: 2026-12-04 05:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = ("0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reading", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("reader_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("client_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_turn_session_client_key", ["session_id", "client_key"])


def downgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_constraint("uq_turn_session_client_key", type_="unique")
        batch_op.drop_column("client_key")
        batch_op.drop_column("reader_version")
        batch_op.drop_column("reading")
