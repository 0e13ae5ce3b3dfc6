"""make-up working days: a row of the holiday table may be a weekend day the office works (调休上班), not only a
day off; ``kind`` tells which, and every existing row is a holiday.

Revision ID: 0028_makeup_days
Revises: 0027_open_summary
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0028_makeup_days'
down_revision: str | None = '0027_open_summary'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('holiday', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='holiday'))


def downgrade() -> None:
    op.execute("DELETE FROM holiday WHERE kind = 'working'")
    with op.batch_alter_table('holiday', schema=None) as batch_op:
        batch_op.drop_column('kind')
