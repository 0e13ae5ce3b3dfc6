"""The board's event log: numbered per office, so that a board that reconnects gets what it missed.

Revision ID: 0010_board_events
Revises: 0009_report_seal
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_board_events"
down_revision: str | None = "0009_report_seal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_sequence",
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("office_id"),
    )
    op.create_table(
        "board_event",
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("office_id", "seq"),
    )
    op.create_index("ix_board_event_office_created", "board_event", ["office_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_board_event_office_created", table_name="board_event")
    op.drop_table("board_event")
    op.drop_table("board_sequence")
