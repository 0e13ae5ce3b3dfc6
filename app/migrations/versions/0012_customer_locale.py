"""The customer's language: the signing panel and the service report follow it ("" means the office's).

Revision ID: 0012_customer_locale
Revises: 0011_office_letterhead
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_customer_locale"
down_revision: str | None = "0011_office_letterhead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=10), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_column("locale")
