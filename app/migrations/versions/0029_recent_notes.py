"""what an office's newest change notes name, kept in its row of ``board_sequence`` beside their number: a request
reads them with its user, and a kept board or My jobs is checked against them without a query of the log.

Revision ID: 0029_recent_notes
Revises: 0028_makeup_days
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0029_recent_notes'
down_revision: str | None = '0028_makeup_days'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('board_sequence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recent', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recent_upto', sa.BigInteger(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('board_sequence', schema=None) as batch_op:
        batch_op.drop_column('recent_upto')
        batch_op.drop_column('recent')
