"""clocks: return-to-factory repair on the carry-in order (S29), the office's system-integration lead and the
lead's acknowledgement of a major case (S31)

Revision ID: 0024_clocks
Revises: 0023_install_more
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0024_clocks'
down_revision: str | None = '0023_install_more'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('carry_in_order') as batch:
        batch.add_column(sa.Column('factory_sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('factory_responsible_id', sa.Uuid(), nullable=True))
        batch.add_column(sa.Column('factory_due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('factory_note', sa.String(length=500), server_default='', nullable=False))
        batch.add_column(sa.Column('factory_reason', sa.String(length=500), server_default='', nullable=False))
        batch.add_column(sa.Column('factory_back_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.create_foreign_key(
            'fk_carry_in_order_factory_responsible', 'user_account', ['factory_responsible_id'], ['id']
        )
    with op.batch_alter_table('office') as batch:
        batch.add_column(sa.Column('integration_lead_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('escalation') as batch:
        batch.add_column(sa.Column('lead_acknowledged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('escalation') as batch:
        batch.drop_column('lead_acknowledged_at')
    with op.batch_alter_table('office') as batch:
        batch.drop_column('integration_lead_id')
    with op.batch_alter_table('carry_in_order') as batch:
        batch.drop_constraint('fk_carry_in_order_factory_responsible', type_='foreignkey')
        for column in ('factory_back_at', 'factory_reason', 'factory_note', 'factory_due_at'):
            batch.drop_column(column)
        batch.drop_column('factory_responsible_id')
        batch.drop_column('factory_sent_at')
