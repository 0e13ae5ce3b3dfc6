"""open summary: an index of the open jobs' columns the board adds up at every drawing (counts per state, overdue,
each engineer's load), so that it reads the index alone (issue #18, the board under writes)

Revision ID: 0027_open_summary
Revises: 0026_callbacks
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0027_open_summary'
down_revision: str | None = '0026_callbacks'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text('is_open')
COLUMNS = ['office_id', 'state', 'engineer_id', 'appointment_start', 'next_due_at', 'unfinished_after']


def upgrade() -> None:
    op.create_index('ix_job_open_summary', 'job', COLUMNS, sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_job_open_summary', table_name='job')
