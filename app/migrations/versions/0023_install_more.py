"""install_more: every planned milestone witnessed on its service day, and equipment taken from an installation
with its receipt and status report (S28)

Revision ID: 0023_install_more
Revises: 0022_records
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023_install_more"
down_revision: str | None = "0022_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "install_milestone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("photo_id", sa.Uuid(), nullable=False),
        sa.Column("witness_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("device_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_install_milestone_job_position", "install_milestone", ["job_id", "position"], unique=True)
    op.create_table(
        "install_take_away",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("items", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("receipt_number", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("receipt_to", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("taken_by_id", sa.Uuid(), nullable=False),
        sa.Column("taken_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deadline_id", sa.Uuid(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("status_by_id", sa.Uuid(), nullable=True),
        sa.Column("status_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["job_deadline.id"],
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
        ),
        sa.ForeignKeyConstraint(
            ["status_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_install_take_away_job_id"), "install_take_away", ["job_id"], unique=False)
    # The postponed installation's take-up clock was filed under S27, which is now the delay message's clock.
    op.execute("UPDATE job_deadline SET rule = 'TAKE_UP' WHERE rule = 'S27'")
    op.execute("UPDATE job SET next_due_rule = 'TAKE_UP' WHERE next_due_rule = 'S27'")


def downgrade() -> None:
    op.execute("UPDATE job SET next_due_rule = 'S27' WHERE next_due_rule = 'TAKE_UP'")
    op.execute("UPDATE job_deadline SET rule = 'S27' WHERE rule = 'TAKE_UP'")
    op.drop_index(op.f("ix_install_take_away_job_id"), table_name="install_take_away")
    op.drop_table("install_take_away")
    op.drop_index("ix_install_milestone_job_position", table_name="install_milestone")
    op.drop_table("install_milestone")
