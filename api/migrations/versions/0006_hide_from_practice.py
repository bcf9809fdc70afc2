"""assignment.hide_from_practice: a trainer hides an exam's persona from free practice while the
exam is open (issue 13)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 06:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hide_from_practice", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_column("hide_from_practice")
