"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 02:03:01.023334
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "user",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_username"), ["username"], unique=True)

    op.create_table(
        "authtoken",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("authtoken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_authtoken_user_id"), ["user_id"], unique=False)

    op.create_table(
        "roleplay_session",
        sa.Column("persona_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("persona_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("persona_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("bloc", sa.Integer(), nullable=False),
        sa.Column("persona_snapshot", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("state", sa.JSON(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("roleplay_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roleplay_session_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_roleplay_session_persona_id"), ["persona_id"], unique=False)

    op.create_table(
        "turn",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("speaker_role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("speaker_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("speaker_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nlu", sa.JSON(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["roleplay_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "seq", name="uq_turn_session_seq"),
    )
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_turn_session_id"), ["session_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_turn_session_id"))

    op.drop_table("turn")
    with op.batch_alter_table("roleplay_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roleplay_session_persona_id"))
        batch_op.drop_index(batch_op.f("ix_roleplay_session_candidate_id"))

    op.drop_table("roleplay_session")
    with op.batch_alter_table("authtoken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authtoken_user_id"))

    op.drop_table("authtoken")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_username"))

    op.drop_table("user")
