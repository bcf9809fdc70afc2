"""juror reviews: grids, criteria, append-only audit trail, juror preferences

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_grid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("rubric_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["juror_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["roleplay_session.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "juror_id", name="uq_review_grid_session_juror"),
    )
    with op.batch_alter_table("review_grid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_grid_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_grid_juror_id"), ["juror_id"], unique=False)

    op.create_table(
        "review_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("auto_level", sa.Integer(), nullable=True),
        sa.Column("final_level", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["review_grid.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("grid_id", "criterion_id", name="uq_review_criterion_grid_criterion"),
    )
    with op.batch_alter_table("review_criterion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_criterion_grid_id"), ["grid_id"], unique=False)

    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["grid_id"], ["review_grid.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["roleplay_session.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_audit_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_audit_session_id"), ["session_id"], unique=False)

    op.create_table(
        "review_preference",
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["juror_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("juror_id"),
    )


def downgrade() -> None:
    op.drop_table("review_preference")
    with op.batch_alter_table("review_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_audit_session_id"))
        batch_op.drop_index(batch_op.f("ix_review_audit_grid_id"))
    op.drop_table("review_audit")
    with op.batch_alter_table("review_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_criterion_grid_id"))
    op.drop_table("review_criterion")
    with op.batch_alter_table("review_grid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_grid_juror_id"))
        batch_op.drop_index(batch_op.f("ix_review_grid_session_id"))
    op.drop_table("review_grid")
