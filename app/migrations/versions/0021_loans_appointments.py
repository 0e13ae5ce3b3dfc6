"""loans_appointments: the loan-equipment register and its loans (F40), carry-in capacity and appointments (F41)

Revision ID: 0021_loans_appointments
Revises: 0020_consultation
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0021_loans_appointments'
down_revision: str | None = '0020_consultation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text('returned_at IS NULL')


def upgrade() -> None:
    op.create_table('loan_item',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('condition', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_loan_item_office_code', 'loan_item', ['office_id', 'code'], unique=True)
    op.create_table('loan',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('lent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('lent_by_id', sa.Uuid(), nullable=False),
    sa.Column('due_back', sa.Date(), nullable=False),
    sa.Column('condition_out', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('signer_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('returned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('returned_by_id', sa.Uuid(), nullable=True),
    sa.Column('condition_back', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['loan_item.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], ),
    sa.ForeignKeyConstraint(['lent_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_loan_open_item', 'loan', ['item_id'], unique=True, sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_loan_open_job', 'loan', ['job_id'], unique=True, sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_loan_office_returned', 'loan', ['office_id', 'returned_at'], unique=False)
    op.create_table('carry_in_settings',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('daily_capacity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('office_id')
    )
    op.create_table('carry_in_appointment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('customer_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('customer_phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('device_model', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('device_serial', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('fault_description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('booked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('booked_by_id', sa.Uuid(), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Uuid(), nullable=True),
    sa.Column('close_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['booked_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_carry_in_appointment_office_day', 'carry_in_appointment', ['office_id', 'day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_carry_in_appointment_office_day', table_name='carry_in_appointment')
    op.drop_table('carry_in_appointment')
    op.drop_table('carry_in_settings')
    op.drop_index('ix_loan_office_returned', table_name='loan')
    op.drop_index('ix_loan_open_job', table_name='loan')
    op.drop_index('ix_loan_open_item', table_name='loan')
    op.drop_table('loan')
    op.drop_index('ix_loan_item_office_code', table_name='loan_item')
    op.drop_table('loan_item')
