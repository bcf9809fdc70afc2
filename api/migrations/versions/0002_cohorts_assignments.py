"""cohorts, assignments, accommodations, juror assignments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 02:19:07.819507
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "cohort",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_trainer_id"), ["trainer_id"], unique=False)

    op.create_table(
        "assignment",
        sa.Column("persona_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("opens_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closes_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("max_attempts", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "cohort_member",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("cohort_id", "user_id"),
    )
    with op.batch_alter_table("cohort_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "juror_assignment",
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["juror_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["roleplay_session.id"],
        ),
        sa.PrimaryKeyConstraint("session_id", "juror_id"),
    )
    with op.batch_alter_table("juror_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_juror_assignment_juror_id"), ["juror_id"], unique=False)

    with op.batch_alter_table("roleplay_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default="practice")
        )
        batch_op.add_column(sa.Column("assignment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deadline_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("ended_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("feedback_released_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_roleplay_session_assignment_id"), ["assignment_id"], unique=False)
        batch_op.create_foreign_key("fk_roleplay_session_assignment_id", "assignment", ["assignment_id"], ["id"])

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra_time_percent", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("large_text", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("high_contrast", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("reduced_motion", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("reduced_motion")
        batch_op.drop_column("high_contrast")
        batch_op.drop_column("large_text")
        batch_op.drop_column("extra_time_percent")

    with op.batch_alter_table("roleplay_session", schema=None) as batch_op:
        # WARNING: constraint name is None; this directive will fail as
        # rendered.  Add a name, or use a naming convention; see
        # https://alembic.sqlalchemy.org/en/latest/naming.html
        batch_op.drop_constraint("fk_roleplay_session_assignment_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_roleplay_session_assignment_id"))
        batch_op.drop_column("feedback_released_at")
        batch_op.drop_column("ended_reason")
        batch_op.drop_column("deadline_at")
        batch_op.drop_column("assignment_id")
        batch_op.drop_column("mode")

    with op.batch_alter_table("juror_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_juror_assignment_juror_id"))

    op.drop_table("juror_assignment")
    with op.batch_alter_table("cohort_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_member_user_id"))

    op.drop_table("cohort_member")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_cohort_id"))

    op.drop_table("assignment")
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_trainer_id"))

    op.drop_table("cohort")
