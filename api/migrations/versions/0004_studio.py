"""persona studio: studio personas and their versions, rubric versions, re-grades

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-29 02:43:54.156216
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rubric_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bloc", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bloc", "number", name="uq_rubric_version"),
    )
    with op.batch_alter_table("rubric_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rubric_version_bloc"), ["bloc"], unique=False)

    op.create_table(
        "studio_persona",
        sa.Column("bloc", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("based_on", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("studio_persona", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_studio_persona_author_id"), ["author_id"], unique=False)

    op.create_table(
        "studio_persona_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["studio_persona.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("persona_id", "number", name="uq_studio_persona_version"),
    )
    with op.batch_alter_table("studio_persona_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_studio_persona_version_persona_id"), ["persona_id"], unique=False)

    op.create_table(
        "regrade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("bloc", sa.Integer(), nullable=False),
        sa.Column("rubric_version", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["roleplay_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("regrade", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regrade_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("regrade", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regrade_session_id"))

    op.drop_table("regrade")
    with op.batch_alter_table("studio_persona_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_studio_persona_version_persona_id"))

    op.drop_table("studio_persona_version")
    with op.batch_alter_table("studio_persona", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_studio_persona_author_id"))

    op.drop_table("studio_persona")
    with op.batch_alter_table("rubric_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_version_bloc"))

    op.drop_table("rubric_version")
