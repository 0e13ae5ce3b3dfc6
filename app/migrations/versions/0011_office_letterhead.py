"""The office's letterhead for customer documents: postal address, phone and logo.

Revision ID: 0011_office_letterhead
Revises: 0010_board_events
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_office_letterhead"
down_revision: str | None = "0010_board_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("logo", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("logo")
        batch_op.drop_column("phone")
        batch_op.drop_column("address")
