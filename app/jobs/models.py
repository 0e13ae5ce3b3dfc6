"""Customers, devices, jobs and everything that happens to them (domain.md §3, §4, §9, §13)."""

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text, text
from sqlmodel import Field, SQLModel

from app.core.change_scope import detail_rows


class JobType(enum.StrEnum):
    ONSITE = "ONSITE"
    CARRY_IN = "CARRY_IN"
    INSTALL = "INSTALL"
    CASE = "CASE"


class Zone(enum.StrEnum):
    """Service zones for the arrival rules S5–S7."""

    IN_AREA = "IN_AREA"
    WITHIN_80KM = "WITHIN_80KM"
    BEYOND_80KM = "BEYOND_80KM"


class Channel(enum.StrEnum):
    PHONE = "phone"
    FAX = "fax"
    EMAIL = "email"
    CHAT = "chat"
    WEB = "web"
    MESSAGING = "messaging"
    WALK_IN = "walk_in"


class Priority(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class WarrantyStatus(enum.StrEnum):
    IN_WARRANTY = "in_warranty"
    OUT_OF_WARRANTY = "out_of_warranty"
    UNKNOWN = "unknown"


class WarrantyBasis(enum.StrEnum):
    CARD = "card"
    INVOICE = "invoice"
    SERIAL_LOOKUP = "serial_lookup"
    NONE = "none"


class OnsitePeriod(enum.StrEnum):
    """Whether the device is still inside its product's onsite-service period (F02, Appendix A #16)."""

    IN_PERIOD = "in_period"
    OUT_OF_PERIOD = "out_of_period"
    UNKNOWN = "unknown"


class FaultJudgement(enum.StrEnum):
    """The hotline's hardware/software judgement (T1)."""

    HARDWARE = "hardware"
    SOFTWARE = "software"
    UNCLEAR = "unclear"


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (Index("ix_customer_office_name", "office_id", "name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    name: str = Field(max_length=120)
    organisation: str = Field(default="", max_length=160)
    phone: str = Field(default="", max_length=30, index=True)
    email: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})
    address: str = Field(default="", max_length=300)
    zone: str = Field(default=Zone.IN_AREA, max_length=20)
    key_account: bool = Field(default=False)
    locale: str = Field(default="", max_length=10)  # the customer's language; "" for the office's
    created_at: datetime


class Device(SQLModel, table=True):
    __tablename__ = "device"
    __table_args__ = (Index("ix_device_office_serial", "office_id", "serial", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    customer_id: uuid.UUID = Field(foreign_key="customer.id", index=True)
    model: str = Field(max_length=120)
    serial: str = Field(max_length=80)
    purchase_date: date | None = None


OPEN_JOBS = text("is_open")
OPEN_SUMMARY_COLUMNS = ("office_id", "state", "engineer_id", "appointment_start", "next_due_at", "unfinished_after")


class Job(SQLModel, table=True):
    """One repair request through its lifecycle: the dispatch order and repair order of the spec."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_board", "office_id", "is_open", "next_due_at"),
        Index("ix_job_engineer_open", "engineer_id", "is_open", "appointment_start"),
        Index("ix_job_office_state", "office_id", "state"),
        Index("ix_job_office_created", "office_id", "created_at"),
        Index("ix_job_office_completed", "office_id", "completed_at"),
        # The open jobs' columns the board adds up at every drawing (counts per state, overdue, each engineer's
        # load): read from the index alone, not from the job rows.
        Index(
            "ix_job_open_summary",
            *OPEN_SUMMARY_COLUMNS,
            sqlite_where=OPEN_JOBS,
            postgresql_where=OPEN_JOBS,
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    job_type: str = Field(max_length=12)
    state: str = Field(max_length=32)
    is_open: bool = Field(default=True)
    priority: str = Field(default=Priority.NORMAL, max_length=10)
    channel: str = Field(max_length=12)
    customer_id: uuid.UUID = Field(foreign_key="customer.id", index=True)
    device_id: uuid.UUID = Field(foreign_key="device.id", index=True)
    device_serial: str = Field(max_length=80, index=True)
    site_address: str = Field(max_length=300)
    zone: str = Field(max_length=20)
    contact_name: str = Field(max_length=120)
    contact_phone: str = Field(max_length=30)
    warranty_status: str = Field(max_length=20)
    warranty_basis: str = Field(max_length=20)  # the basis of both the warranty and the onsite-period status
    onsite_period: str = Field(
        default=OnsitePeriod.UNKNOWN, max_length=20, sa_column_kwargs={"server_default": "unknown"}
    )
    fault_description: str = Field(max_length=2000)
    fault_judgement: str = Field(max_length=12)
    fault_level: str = Field(default="", max_length=2)
    paid: bool = Field(default=False)
    requested_at: datetime
    created_at: datetime
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    engineer_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None
    negotiated_reason: str = Field(default="", max_length=500)
    first_contact_at: datetime | None = None
    late_change: bool = Field(default=False)
    unfinished_after: datetime | None = Field(default=None, index=True)
    next_due_at: datetime | None = None
    next_warn_at: datetime | None = None
    next_due_rule: str = Field(default="", max_length=20)
    report_signed_at: datetime | None = None
    outcome: str = Field(default="", max_length=20)
    completed_at: datetime | None = None
    parent_job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id", index=True)
    repeat_repair: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    version: int = Field(default=1)
    updated_at: datetime


class JobTeamMember(SQLModel, table=True):
    """Extra engineers of an installation team; the lead is the job's ``engineer_id``."""

    __tablename__ = "job_team_member"

    job_id: uuid.UUID = Field(foreign_key="job.id", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)


class InstallPlan(SQLModel, table=True):
    """An installation's planning record (domain.md §10 B–C): the site conditions, a postponement, the plan."""

    __tablename__ = "install_plan"

    job_id: uuid.UUID = Field(foreign_key="job.id", primary_key=True)
    conditions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    conditions_note: str = Field(default="", max_length=1000)
    conditions_at: datetime | None = None
    postponed_until: date | None = None
    postpone_reason: str = Field(default="", max_length=500)
    project_manager_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    first_day: date | None = None
    last_day: date | None = None
    milestones: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    plan: str = Field(default="", max_length=2000)


class InstallDay(SQLModel, table=True):
    """One engineer's service day on an installation: check-in, check-out and the daily log (F55)."""

    __tablename__ = "install_day"
    __table_args__ = (Index("ix_install_day_job_user_day", "job_id", "user_id", "day", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    user_id: uuid.UUID = Field(foreign_key="user_account.id")
    day: date
    checked_in_at: datetime
    location: str = Field(default="", max_length=300)
    checked_out_at: datetime | None = None
    log: str = Field(default="", max_length=2000)


class InstallMilestone(SQLModel, table=True):
    """One planned milestone of an installation, witnessed on the service day it happened (F56): its photo, the
    customer witness's printed name and signature. ``position`` is the milestone's place in the plan's list."""

    __tablename__ = "install_milestone"
    __table_args__ = (Index("ix_install_milestone_job_position", "job_id", "position", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    position: int
    name: str = Field(max_length=200)
    day: date
    photo_id: uuid.UUID
    witness_name: str = Field(max_length=120)
    signature: str = Field(sa_column=Column(Text, nullable=False))  # PNG data URL, drawn again by the server
    recorded_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
    device_at: datetime | None = None


class InstallTakeAway(SQLModel, table=True):
    """Equipment taken away from an installation (domain.md §10 G, S28): what and why, the receipt left with the
    customer, and the status report that stops its 3-working-day clock."""

    __tablename__ = "install_take_away"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    items: str = Field(max_length=500)
    reason: str = Field(max_length=500)
    receipt_number: str = Field(max_length=60)
    receipt_to: str = Field(max_length=120)  # the customer's person who kept the receipt
    taken_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    taken_at: datetime
    deadline_id: uuid.UUID | None = Field(default=None, foreign_key="job_deadline.id")
    status: str = Field(default="", max_length=1000)
    status_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    status_at: datetime | None = None


class JobDeadline(SQLModel, table=True):
    """A promise with a clock (domain.md §4): due time, warning time, and when it was met."""

    __tablename__ = "job_deadline"
    __table_args__ = (Index("ix_job_deadline_open", "job_id", "met_at"), Index("ix_job_deadline_due", "due_at"))

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    rule: str = Field(max_length=20)
    due_at: datetime
    warn_at: datetime | None = None
    met_at: datetime | None = None


class JobEvent(SQLModel, table=True):
    """The audit trail: who did what to a job, when (server and device time), from which device."""

    __tablename__ = "job_event"
    __table_args__ = (Index("ix_job_event_job_at", "job_id", "at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id")
    at: datetime
    device_at: datetime | None = None
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    actor_role: str = Field(default="", max_length=20)
    kind: str = Field(max_length=40)
    from_state: str = Field(default="", max_length=32)
    to_state: str = Field(default="", max_length=32)
    reason: str = Field(default="", max_length=1000)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    device: str = Field(default="", max_length=200)
    version: int = Field(default=1)  # the job's version after this event


class Escalation(SQLModel, table=True):
    """A case raised on a job with a fault level (domain.md §9, F52)."""

    __tablename__ = "escalation"
    __table_args__ = (Index("ix_escalation_office_open", "office_id", "resolved_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    level: str = Field(max_length=2)
    tier: str = Field(max_length=30)
    symptoms: str = Field(max_length=2000)
    actions_taken: str = Field(max_length=2000)
    customer_expectation: str = Field(default="", max_length=1000)
    raised_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    raised_at: datetime
    notified: str = Field(default="", max_length=300)
    acknowledged_at: datetime | None = None
    lead_acknowledged_at: datetime | None = None  # the system-integration lead saw a major case (S31)
    resolved_at: datetime | None = None


class EscalationFile(SQLModel, table=True):
    """A photo attached to an escalation (F52), kept in the photo store under its SHA-256 like a visit's photos.

    ``id`` comes from the form, so an upload sent twice is stored once."""

    __tablename__ = "escalation_file"

    id: uuid.UUID = Field(primary_key=True)
    escalation_id: uuid.UUID = Field(foreign_key="escalation.id", index=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    sha256: str = Field(max_length=64)
    width: int
    height: int
    uploaded_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime


class EscalationDocument(SQLModel, table=True):
    """A PDF attached to an escalation (F52): a log export, a test report. Kept in the database (PDFs are few and
    small), checked to be a whole PDF, and only ever served as a download."""

    __tablename__ = "escalation_document"

    id: uuid.UUID = Field(primary_key=True)
    escalation_id: uuid.UUID = Field(foreign_key="escalation.id", index=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    name: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    uploaded_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime


class JobNumberCounter(SQLModel, table=True):
    """Sequential job numbers per office and month (domain.md §12.2: order numbers sequential)."""

    __tablename__ = "job_number_counter"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    period: str = Field(max_length=4, primary_key=True)
    last: int = Field(default=0)


class JobConflict(SQLModel, table=True):
    """Two people changed the same field of a job from the same starting value: both values are kept here
    until a person chooses (architecture.md: "a real clash becomes a visible conflict")."""

    __tablename__ = "job_conflict"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    field: str = Field(max_length=40)
    kept_value: str = Field(max_length=300)
    other_value: str = Field(max_length=300)
    other_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    other_at: datetime
    resolved_at: datetime | None = None
    resolved_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")


# A new version of a job (every change is one) and its history line change only that job's details: what else a
# change writes to the job (its state, engineer, times) or elsewhere changes its office (app.core.change_scope).
detail_rows(Job, updated={"version", "updated_at"})
detail_rows(JobEvent)
