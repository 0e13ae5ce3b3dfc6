"""installation: the planning record (conditions, postponement, plan) and the service days of an installation

Revision ID: 0019_installation
Revises: 0018_offices
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0019_installation'
down_revision: str | None = '0018_offices'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('install_plan',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('conditions_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('conditions_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('postponed_until', sa.Date(), nullable=True),
    sa.Column('postpone_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('project_manager_id', sa.Uuid(), nullable=True),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('milestones', sa.JSON(), nullable=False),
    sa.Column('plan', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], ),
    sa.ForeignKeyConstraint(['project_manager_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('job_id')
    )
    op.create_table('install_day',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('checked_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('checked_out_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('log', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_install_day_job_user_day', 'install_day', ['job_id', 'user_id', 'day'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_install_day_job_user_day', table_name='install_day')
    op.drop_table('install_day')
    op.drop_table('install_plan')
