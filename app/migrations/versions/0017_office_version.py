"""office version: the page cache counts changes per office instead of in one row for everyone

Revision ID: 0017_office_version
Revises: 0015_notifications
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_office_version'
down_revision: str | None = '0015_notifications'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('office_version',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('office_id')
    )
    op.drop_table('data_version')


def downgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.drop_table('office_version')
