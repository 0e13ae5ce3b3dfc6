"""A visit's checklist, its step results, photos, signatures and the signed service report (domain.md §5, §13)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from app.core.change_scope import detail_rows


class ChecklistTemplate(SQLModel, table=True):
    """A manager's edited version of a checklist template; the newest version per key is used."""

    __tablename__ = "checklist_template"
    __table_args__ = (Index("ix_checklist_template_key", "office_id", "key", "version", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    key: str = Field(max_length=40)
    version: int
    body: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")


class VisitChecklist(SQLModel, table=True):
    """One job's checklist: a snapshot of its template, the visit's path and its timers."""

    __tablename__ = "visit_checklist"

    job_id: uuid.UUID = Field(foreign_key="job.id", primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    template: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    outcome: str = Field(default="fixed", max_length=12)
    timers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    quote: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    handover_step: str = Field(default="", max_length=40)
    handover_at: datetime | None = None
    handover_device_at: datetime | None = None
    created_at: datetime


class StepResult(SQLModel, table=True):
    """A finished (or not-applicable) step with its evidence; ``id`` comes from the phone for safe replays."""

    __tablename__ = "visit_step_result"
    __table_args__ = (Index("ix_visit_step_result_job_step", "job_id", "step_key", unique=True),)

    id: uuid.UUID = Field(primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    step_key: str = Field(max_length=40)
    status: str = Field(max_length=8)  # done / na
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    na_reason: str = Field(default="", max_length=500)
    payload_hash: str = Field(max_length=64)
    done_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
    device_at: datetime | None = None


class VisitPhoto(SQLModel, table=True):
    """A photo taken for a step; the image itself lives in the photo store under its SHA-256."""

    __tablename__ = "visit_photo"
    __table_args__ = (Index("ix_visit_photo_job_step", "job_id", "step_key"),)

    id: uuid.UUID = Field(primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    step_key: str = Field(max_length=40)
    sha256: str = Field(max_length=64)
    width: int
    height: int
    uploaded_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
    device_at: datetime | None = None
    deleted: bool = Field(default=False)


class CustomerSignature(SQLModel, table=True):
    """A customer's signature: strokes, image, printed name and times (INV-1)."""

    __tablename__ = "customer_signature"
    __table_args__ = (Index("ix_customer_signature_job_step", "job_id", "step_key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    step_key: str = Field(max_length=40)
    purpose: str = Field(max_length=20)
    decision: str = Field(default="", max_length=12)  # quote: accepted / declined
    signer_name: str = Field(max_length=120)
    strokes: list[Any] = Field(sa_column=Column(JSON, nullable=False))
    image: str = Field(sa_column=Column(Text, nullable=False))  # a PNG data URL
    handover_at: datetime
    signed_at: datetime
    device_at: datetime | None = None
    collected_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    report_sha256: str = Field(default="", max_length=64)


class ServiceReport(SQLModel, table=True):
    """The signed report, frozen as canonical JSON text with its SHA-256 (F60, INV-7)."""

    __tablename__ = "service_report"

    job_id: uuid.UUID = Field(foreign_key="job.id", primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64)
    signature_id: uuid.UUID = Field(foreign_key="customer_signature.id")
    signed_at: datetime
    # The HMAC seal under a server-held key (app/visits/seal.py): scheme, key id and value.
    seal_scheme: str = Field(default="", max_length=20)
    seal_key_id: str = Field(default="", max_length=16)
    seal: str = Field(default="", max_length=64)
    links_revoked_at: datetime | None = None  # customer-copy links issued before this no longer open


class ReportAddendum(SQLModel, table=True):
    """A correction to a signed report, kept beside it; the signed content never changes."""

    __tablename__ = "report_addendum"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    text: str = Field(max_length=2000)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime


class PriceList(SQLModel, table=True):
    """A version of the office's price list (§8); quotes cite the version they were built from."""

    __tablename__ = "price_list"
    __table_args__ = (Index("ix_price_list_office_version", "office_id", "version", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    version: int
    lines: list[Any] = Field(sa_column=Column(JSON, nullable=False))  # [{"code", "label", "kind", "price"}]
    created_at: datetime


class EarlierVisit(SQLModel, table=True):
    """A finished visit of a job that needed another (T18a): its signed report, seal, signature and photos, kept
    as they were when the revisit was scheduled, so the next visit starts a fresh checklist on the same job."""

    __tablename__ = "earlier_visit"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    number: int
    outcome: str = Field(max_length=20)
    revisit_date: str = Field(default="", max_length=10)
    report_content: str = Field(sa_column=Column(Text, nullable=False))
    report_sha256: str = Field(max_length=64)
    seal_scheme: str = Field(default="", max_length=20)
    seal_key_id: str = Field(default="", max_length=16)
    seal: str = Field(default="", max_length=64)
    signed_at: datetime
    signer_name: str = Field(max_length=120)
    signature_image: str = Field(sa_column=Column(Text, nullable=False))
    photos: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    archived_at: datetime
    archived_by_id: uuid.UUID = Field(foreign_key="user_account.id")


class Payment(SQLModel, table=True):
    """Money received for paid work (F44, T18): amount, method, receipt or invoice number, who paid, who took it.

    ``id`` comes from the form (the phone's outbox or the page), so a form sent twice records one payment."""

    __tablename__ = "payment"

    id: uuid.UUID = Field(primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    amount_cents: int
    method: str = Field(max_length=20)
    receipt_number: str = Field(max_length=40)
    paid_by: str = Field(max_length=120)
    received_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
    device_at: datetime | None = None


class PaymentHandover(SQLModel, table=True):
    """The money one person collected, handed over to the office's administrative specialist (F44; seed 000:
    交款给行政专员); the receiver confirms what arrived, payment by payment, and a difference carries a note.

    ``id`` comes from the form, so a hand-over sent twice is recorded once."""

    __tablename__ = "payment_handover"
    __table_args__ = (Index("ix_payment_handover_office_open", "office_id", "confirmed_at"),)

    id: uuid.UUID = Field(primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    handed_by_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    receiver_id: uuid.UUID = Field(foreign_key="user_account.id")
    handed_at: datetime
    expected_cents: int
    received_cents: int | None = None
    confirmed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    confirmed_at: datetime | None = None
    note: str = Field(default="", max_length=500)


class HandoverLine(SQLModel, table=True):
    """One payment in a hand-over (a payment is handed over once) and the amount the receiver counted."""

    __tablename__ = "payment_handover_line"

    payment_id: uuid.UUID = Field(foreign_key="payment.id", primary_key=True)
    handover_id: uuid.UUID = Field(foreign_key="payment_handover.id", index=True)
    received_cents: int | None = None


# A visit's checklist, its steps and photos show only with their job (its row on the board, its own pages).
detail_rows(VisitChecklist)
detail_rows(StepResult)
detail_rows(VisitPhoto)
