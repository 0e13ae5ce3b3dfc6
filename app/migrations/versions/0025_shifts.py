"""shifts: staff check-ins against the readiness limit before opening (S19) and the office's duty rota (S23)

Revision ID: 0025_shifts
Revises: 0024_clocks
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0025_shifts'
down_revision: str | None = '0024_clocks'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('shift_check_in',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('device_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'day')
    )
    op.create_index(op.f('ix_shift_check_in_office_id'), 'shift_check_in', ['office_id'], unique=False)
    op.create_table('duty_day',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('office_id', 'day')
    )


def downgrade() -> None:
    op.drop_table('duty_day')
    op.drop_index(op.f('ix_shift_check_in_office_id'), table_name='shift_check_in')
    op.drop_table('shift_check_in')
