"""The carry-in repair order's intake and pickup details (domain.md §7, §13; F36–F39), the loan equipment (F40)
and the appointments (F41)."""

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text, text
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


class LoanItem(SQLModel, table=True):
    """A piece of the office's loan equipment (备用机), lent to carry-in customers while their device is in (F40)."""

    __tablename__ = "loan_item"
    __table_args__ = (Index("ix_loan_item_office_code", "office_id", "code", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    code: str = Field(max_length=40)
    serial: str = Field(default="", max_length=80)
    description: str = Field(max_length=200)
    condition: str = Field(default="", max_length=500)  # as last checked: on entry, then at every return
    created_at: datetime


OPEN = text("returned_at IS NULL")


class Loan(SQLModel, table=True):
    """One lending of a loan item for a carry-in job, against the customer's signed equipment receipt
    (直接客户设备接收单, seed 002), until it comes back."""

    __tablename__ = "loan"
    __table_args__ = (
        # at most one open loan per item and per job, whatever two counters do at once
        Index("ix_loan_open_item", "item_id", unique=True, sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_loan_open_job", "job_id", unique=True, sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_loan_office_returned", "office_id", "returned_at"),
    )

    id: uuid.UUID = Field(primary_key=True)  # chosen by the form: a repeated submission is the same loan
    office_id: uuid.UUID = Field(foreign_key="office.id")
    item_id: uuid.UUID = Field(foreign_key="loan_item.id")
    job_id: uuid.UUID = Field(foreign_key="job.id")
    lent_at: datetime
    lent_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    due_back: date
    condition_out: str = Field(max_length=500)
    signer_name: str = Field(max_length=120)
    signature: str = Field(sa_type=Text)
    returned_at: datetime | None = None
    returned_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    condition_back: str = Field(default="", max_length=500)


class CarryInSettings(SQLModel, table=True):
    """The office's carry-in capacity: devices the workshop takes in a day (F41)."""

    __tablename__ = "carry_in_settings"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    daily_capacity: int = Field(default=10)


class Appointment(SQLModel, table=True):
    """A carry-in appointment (预约): a customer expected at the counter on a working day (F41)."""

    __tablename__ = "carry_in_appointment"
    __table_args__ = (Index("ix_carry_in_appointment_office_day", "office_id", "day"),)

    id: uuid.UUID = Field(primary_key=True)  # chosen by the form: a repeated submission is the same booking
    office_id: uuid.UUID = Field(foreign_key="office.id")
    day: date
    customer_name: str = Field(max_length=120)
    customer_phone: str = Field(max_length=30)
    device_model: str = Field(max_length=120)
    device_serial: str = Field(default="", max_length=80)
    fault_description: str = Field(max_length=2000)
    state: str = Field(default="booked", max_length=20)  # booked, arrived, no_show, cancelled
    booked_at: datetime
    booked_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    closed_at: datetime | None = None
    closed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    close_reason: str = Field(default="", max_length=300)
    job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")
