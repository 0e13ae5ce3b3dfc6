"""Notifications: the outbox of messages, each delivery attempt, the scheduler's handled clocks, customers' e-mail.

Revision ID: 0015_notifications
Revises: 0014_revisits_payments
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_notifications"
down_revision: str | None = "0014_revisits_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", String(length=254), nullable=False, server_default=""))
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("dedupe_key", String(length=200), nullable=False),
        sa.Column("trigger", String(length=40), nullable=False),
        sa.Column("channel", String(length=10), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("address", String(length=254), nullable=False),
        sa.Column("locale", String(length=10), nullable=False),
        sa.Column("subject", String(length=200), nullable=False),
        sa.Column("body", String(length=2000), nullable=False),
        sa.Column("status", String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", When(), nullable=True),
        sa.Column("last_error", String(length=500), nullable=False),
        sa.Column("created_at", When(), nullable=False),
        sa.Column("sent_at", When(), nullable=True),
        sa.Column("read_at", When(), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"]),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_notification_due", "notification", ["status", "next_attempt_at"])
    op.create_index("ix_notification_inbox", "notification", ["user_id", "channel", "read_at"])
    op.create_index("ix_notification_job", "notification", ["job_id", "created_at"])
    op.create_table(
        "notification_attempt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("at", When(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notification.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_attempt_notification_id", "notification_attempt", ["notification_id"])
    op.create_table(
        "clock_tick",
        sa.Column("kind", String(length=20), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("due_at", When(), nullable=False),
        sa.Column("done_at", When(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject_id", "due_at"),
    )


def downgrade() -> None:
    op.drop_table("clock_tick")
    op.drop_index("ix_notification_attempt_notification_id", table_name="notification_attempt")
    op.drop_table("notification_attempt")
    op.drop_index("ix_notification_job", table_name="notification")
    op.drop_index("ix_notification_inbox", table_name="notification")
    op.drop_index("ix_notification_due", table_name="notification")
    op.drop_table("notification")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_column("email")
