"""Customer-copy links can be revoked; a sign-in session keeps the hash of its CSRF token.

Revision ID: 0013_link_expiry_csrf
Revises: 0012_customer_locale
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_link_expiry_csrf"
down_revision: str | None = "0012_customer_locale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("links_revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("csrf_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=""))
    op.create_index("ix_user_session_expires_at", "user_session", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_user_session_expires_at", table_name="user_session")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_column("csrf_hash")
    with op.batch_alter_table("service_report", schema=None) as batch_op:
        batch_op.drop_column("links_revoked_at")
