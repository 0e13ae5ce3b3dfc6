"""Parts, their serialised units and the append-only ledger of movements (domain.md §6)."""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class Condition(enum.StrEnum):
    NEW = "new"
    GOOD = "good"
    FAULTY = "faulty"


class UnitStatus(enum.StrEnum):
    """Where a unit is now: derived from the ledger and cached on the unit row."""

    IN_STOCK = "IN_STOCK"
    OUT = "OUT"  # lent to an engineer for one job
    FITTED = "FITTED"  # fitted at the site; the engineer still owes the removed faulty part
    AT_CUSTOMER = "AT_CUSTOMER"  # fitted in the customer's device; the faulty part it replaced came back
    DEFECTIVE = "DEFECTIVE"  # back as a faulty part with a fault tag: the defective bin
    QUARANTINE = "QUARANTINE"  # back unsealed: waits for inspection
    SHIPPED = "SHIPPED"  # sent to the parts centre in a defective batch


class MovementKind(enum.StrEnum):
    STOCK_IN = "STOCK_IN"
    RESERVE = "RESERVE"
    CHECK_OUT = "CHECK_OUT"
    FIT = "FIT"
    RETURN_UNUSED = "RETURN_UNUSED"
    RETURN_FAULTY = "RETURN_FAULTY"  # a lent unit comes back faulty without having been fitted
    RETURN_REMOVED = "RETURN_REMOVED"  # the faulty part removed on site, booked in as a unit of its own
    QUARANTINE = "QUARANTINE"
    CONFIRM_RETURN = "CONFIRM_RETURN"
    BORROW_FAILURE = "BORROW_FAILURE"
    REQUEST_FROM_CENTRE = "REQUEST_FROM_CENTRE"
    SHIP_DEFECTIVE = "SHIP_DEFECTIVE"


class Part(SQLModel, table=True):
    """A part number in the catalogue; ``code`` is the opaque ID on its bulk label."""

    __tablename__ = "part"
    __table_args__ = (Index("ix_part_office_number", "office_id", "number", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    code: str = Field(max_length=12, unique=True)
    number: str = Field(max_length=40)
    name: str = Field(max_length=120)
    compatible_models: str = Field(default="", max_length=300)
    unit_price_cents: int = Field(default=0)
    created_at: datetime


class PartUnit(SQLModel, table=True):
    """One physical unit with its serial and QR code; holder, status and job are the ledger's cache."""

    __tablename__ = "part_unit"
    __table_args__ = (
        Index("ix_part_unit_holder", "holder_id", "status"),
        Index("ix_part_unit_job", "job_id"),
        Index("ix_part_unit_office_part", "office_id", "part_id", "status"),
        Index("ix_part_unit_office_serial", "office_id", "serial"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    part_id: uuid.UUID = Field(foreign_key="part.id")
    code: str = Field(max_length=12, unique=True)
    serial: str = Field(max_length=80)
    condition: str = Field(default=Condition.NEW, max_length=10)
    location: str = Field(default="", max_length=60)
    status: str = Field(default=UnitStatus.IN_STOCK, max_length=12)
    holder_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")
    out_since: datetime | None = None
    awaiting_confirmation: bool = Field(default=False)
    reserved_job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")  # F33: kept for this job
    version: int = Field(default=1)
    created_at: datetime


class PartMovement(SQLModel, table=True):
    """One row per movement, never updated. ``id`` is the client's idempotency key."""

    __tablename__ = "part_movement"
    __table_args__ = (
        Index("ix_part_movement_engineer_at", "engineer_id", "at"),
        Index("ix_part_movement_job", "job_id", "at"),
        Index("ix_part_movement_unit", "unit_id", "at"),
        Index("ix_part_movement_office_kind_at", "office_id", "kind", "at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    kind: str = Field(max_length=20)
    part_id: uuid.UUID = Field(foreign_key="part.id")
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="part_unit.id")
    job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")
    engineer_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    actor_id: uuid.UUID = Field(foreign_key="user_account.id")
    from_place: str = Field(default="", max_length=80)
    to_place: str = Field(default="", max_length=80)
    condition: str = Field(default="", max_length=10)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    request_hash: str = Field(default="", max_length=64)
    at: datetime
    device_at: datetime | None = None
