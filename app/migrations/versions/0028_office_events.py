"""office events: the board log's numbers move to the office's version row, so that a request reads its office's
data version and its newest change note in the one query that finds the user (issue #18, the board under writes)

Revision ID: 0028_office_events
Revises: 0027_open_summary
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0028_office_events'
down_revision: str | None = '0027_open_summary'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('office_version') as batch_op:
        batch_op.add_column(sa.Column('events', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(
        'INSERT INTO office_version (office_id, value, events) SELECT office_id, 0, 0 FROM board_sequence '
        'WHERE office_id NOT IN (SELECT office_id FROM office_version)'
    )
    op.execute(
        'UPDATE office_version SET events = (SELECT value FROM board_sequence '
        'WHERE board_sequence.office_id = office_version.office_id) '
        'WHERE office_id IN (SELECT office_id FROM board_sequence)'
    )
    op.drop_table('board_sequence')


def downgrade() -> None:
    op.create_table(
        'board_sequence',
        sa.Column('office_id', sa.Uuid(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['office.id']),
        sa.PrimaryKeyConstraint('office_id'),
    )
    op.execute('INSERT INTO board_sequence (office_id, value) SELECT office_id, events FROM office_version WHERE events > 0')
    with op.batch_alter_table('office_version') as batch_op:
        batch_op.drop_column('events')
