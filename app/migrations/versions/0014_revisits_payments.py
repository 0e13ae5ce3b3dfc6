"""A job's earlier visits are kept when a revisit is scheduled (T18a); payments received for paid work (F44);
approved period reports, frozen (F50).

Revision ID: 0014_revisits_payments
Revises: 0013_link_expiry_csrf
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_revisits_payments"
down_revision: str | None = "0013_link_expiry_csrf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "earlier_visit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("revisit_date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("report_content", sa.Text(), nullable=False),
        sa.Column("report_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seal_scheme", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("seal_key_id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("seal", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("signer_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("signature_image", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("archived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("archived_by_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["archived_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"]),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("earlier_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_earlier_visit_job_id"), ["job_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("receipt_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("paid_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("received_by_id", sa.Uuid(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("device_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"]),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.ForeignKeyConstraint(["received_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_job_id"), ["job_id"], unique=False)
    op.create_table(
        "report_approval",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("office_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("approved_by_id", sa.Uuid(), nullable=False),
        sa.Column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["approved_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_approval_office_period", "report_approval", ["office_id", "period"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_report_approval_office_period", table_name="report_approval")
    op.drop_table("report_approval")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_job_id"))
    op.drop_table("payment")
    with op.batch_alter_table("earlier_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_earlier_visit_job_id"))
    op.drop_table("earlier_visit")
