"""Phones report their waiting changes per job, for the board and the job page.

Revision ID: 0008_pending_by_job
Revises: 0007_data_version
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_pending_by_job"
down_revision: str | None = "0007_data_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device_status", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_by_job", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("device_status", schema=None) as batch_op:
        batch_op.drop_column("pending_by_job")
