"""offices: each office's zones, time zone and working hours; the offices a regional user oversees; a
notification's names (worded again in the reader's language); the browser language at the last sign-in

Revision ID: 0018_offices
Revises: 0017_office_version
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018_offices'
down_revision: str | None = '0017_office_version'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('office') as batch:
        batch.add_column(sa.Column('zones', sa.String(length=2000), nullable=False, server_default=''))
        batch.add_column(sa.Column('time_zone', sa.String(length=60), nullable=False, server_default=''))
        batch.add_column(sa.Column('work_start', sa.String(length=5), nullable=False, server_default=''))
        batch.add_column(sa.Column('work_end', sa.String(length=5), nullable=False, server_default=''))
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('interface_locale', sa.String(length=10), nullable=False, server_default=''))
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('names', sa.Text(), nullable=False, server_default=''))
    op.create_table('regional_office',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'office_id')
    )


def downgrade() -> None:
    op.drop_table('regional_office')
    with op.batch_alter_table('notification') as batch:
        batch.drop_column('names')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('interface_locale')
    with op.batch_alter_table('office') as batch:
        for column in ('work_end', 'work_start', 'time_zone', 'zones'):
            batch.drop_column(column)
