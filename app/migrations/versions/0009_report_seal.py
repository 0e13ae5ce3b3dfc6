"""Signed reports carry an HMAC seal under a server-held key; reports signed before are sealed as legacy.

Revision ID: 0009_report_seal
Revises: 0008_pending_by_job

A report signed before this revision is sealed now under the scheme ``legacy`` (shown as such on the
report page) if it still matches its three stored SHA-256 values; one that no longer matches gets no seal
and stays "Signature invalid". The key is the server's (ONSITE_REPORT_SEAL_KEY, else var/report_seal_key),
so run the migration with the server's settings.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_report_seal"
down_revision: str | None = "0008_pending_by_job"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal_scheme", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("seal_key_id", sa.String(length=16), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("seal", sa.String(length=64), nullable=False, server_default=""))
    _seal_legacy_reports(op.get_bind())


def _seal_legacy_reports(connection) -> None:
    rows = connection.execute(
        sa.text(
            "SELECT r.job_id, r.content, r.sha256, s.report_sha256 FROM service_report r "
            "LEFT JOIN customer_signature s ON s.id = r.signature_id"
        )
    ).all()
    if not rows:
        return  # no key is read (or generated) for a database without reports
    from app.core.settings import Settings
    from app.visits import seal
    from app.visits.report import verify

    keys = seal.keyring_for(Settings.from_env())
    for job_id, content, sha256, signature_sha256 in rows:
        audited = connection.execute(
            sa.text("SELECT details FROM job_event WHERE job_id = :job AND kind = 'report_signed' ORDER BY at DESC"),
            {"job": job_id},
        ).first()
        details = audited[0] if audited else None
        details = json.loads(details) if isinstance(details, str) else details or {}
        intact = verify(content, sha256, signature_sha256 or "") and details.get("sha256") == sha256
        key_id, sealed = keys.seal(content, seal.LEGACY) if intact else ("", "")
        connection.execute(
            sa.text("UPDATE service_report SET seal_scheme = :scheme, seal_key_id = :key, seal = :seal WHERE job_id = :job"),
            {"scheme": seal.LEGACY, "key": key_id, "seal": sealed, "job": job_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("service_report", schema=None) as batch_op:
        batch_op.drop_column("seal")
        batch_op.drop_column("seal_key_id")
        batch_op.drop_column("seal_scheme")
