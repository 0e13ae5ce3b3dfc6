"""records: the daily money hand-over and its reconciliation (F44), photos and PDFs on escalations (F52), the conduct
card and its daily acknowledgements (F26)

Revision ID: 0022_records
Revises: 0021_loans_appointments
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0022_records'
down_revision: str | None = '0021_loans_appointments'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('payment_handover',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('handed_by_id', sa.Uuid(), nullable=False),
    sa.Column('receiver_id', sa.Uuid(), nullable=False),
    sa.Column('handed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expected_cents', sa.Integer(), nullable=False),
    sa.Column('received_cents', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_id', sa.Uuid(), nullable=True),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['handed_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['receiver_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_payment_handover_office_open', 'payment_handover', ['office_id', 'confirmed_at'], unique=False)
    op.create_index(op.f('ix_payment_handover_handed_by_id'), 'payment_handover', ['handed_by_id'], unique=False)
    op.create_table('payment_handover_line',
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('handover_id', sa.Uuid(), nullable=False),
    sa.Column('received_cents', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], ),
    sa.ForeignKeyConstraint(['handover_id'], ['payment_handover.id'], ),
    sa.PrimaryKeyConstraint('payment_id')
    )
    op.create_index(op.f('ix_payment_handover_line_handover_id'), 'payment_handover_line', ['handover_id'], unique=False)
    op.create_table('escalation_file',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('escalation_id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_escalation_file_escalation_id'), 'escalation_file', ['escalation_id'], unique=False)
    op.create_table('escalation_document',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('escalation_id', sa.Uuid(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_escalation_document_escalation_id'), 'escalation_document', ['escalation_id'], unique=False)
    op.create_table('conduct_card',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('text_zh', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('office_id')
    )
    op.create_table('conduct_acknowledgement',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('device_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'day')
    )
    op.create_index(op.f('ix_conduct_acknowledgement_office_id'), 'conduct_acknowledgement', ['office_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_conduct_acknowledgement_office_id'), table_name='conduct_acknowledgement')
    op.drop_table('conduct_acknowledgement')
    op.drop_table('conduct_card')
    op.drop_index(op.f('ix_escalation_document_escalation_id'), table_name='escalation_document')
    op.drop_table('escalation_document')
    op.drop_index(op.f('ix_escalation_file_escalation_id'), table_name='escalation_file')
    op.drop_table('escalation_file')
    op.drop_index(op.f('ix_payment_handover_line_handover_id'), table_name='payment_handover_line')
    op.drop_table('payment_handover_line')
    op.drop_index(op.f('ix_payment_handover_handed_by_id'), table_name='payment_handover')
    op.drop_index('ix_payment_handover_office_open', table_name='payment_handover')
    op.drop_table('payment_handover')
