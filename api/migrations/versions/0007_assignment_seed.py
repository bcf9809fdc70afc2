"""assignment.seed: every session of an exam plays the same form (thresholds and choices drawn from
one seed) when the trainer sets it (issue 12)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seed", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_column("seed")
