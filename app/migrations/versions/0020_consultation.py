"""consultation: the onsite-period status recorded at intake, beside the warranty status

Revision ID: 0020_consultation
Revises: 0019_installation
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020_consultation'
down_revision: str | None = '0019_installation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.add_column(sa.Column('onsite_period', sa.String(length=20), server_default='unknown', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.drop_column('onsite_period')
