"""The carry-in repair order's intake and pickup details (domain.md §7, §13; F36–F39)."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class CarryInOrder(SQLModel, table=True):
    """What reception records at the counter, the pickup voucher's code, and who collected the device."""

    __tablename__ = "carry_in_order"
    __table_args__ = (Index("ix_carry_in_order_office_collected", "office_id", "collected_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    job_id: uuid.UUID = Field(foreign_key="job.id", unique=True)
    voucher_code: str = Field(max_length=16, unique=True)
    accessories_kept: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    accessories_returned: str = Field(default="", max_length=500)
    customer_items: str = Field(default="", max_length=500)
    configuration_matches: bool = Field(default=True)
    configuration_note: str = Field(default="", max_length=1000)
    intake_signer_name: str = Field(max_length=120)
    intake_signature: str = Field(default="")
    promised_pickup_at: datetime
    collected_at: datetime | None = None
    collected_by_name: str = Field(default="", max_length=120)
    identity_check: str = Field(default="", max_length=200)
    bench_verified: bool = Field(default=False)
    pickup_signature: str = Field(default="")
    handed_over_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    # Return-to-factory repair (S29): sent by a named person, due back in 10 working days or a negotiated date.
    factory_sent_at: datetime | None = None
    factory_responsible_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    factory_due_at: datetime | None = None
    factory_note: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    factory_reason: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    factory_back_at: datetime | None = None

    @property
    def at_factory(self) -> bool:
        return bool(self.factory_sent_at and not self.factory_back_at)

    def factory_overdue(self, now: datetime) -> bool:
        return bool(self.at_factory and self.factory_due_at and self.factory_due_at < now)
