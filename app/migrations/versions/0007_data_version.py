"""data version: the counter that keyed page parts (the board) follow

Revision ID: 0007_data_version
Revises: 0006_sync
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_data_version'
down_revision: str | None = '0006_sync'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('data_version')
