"""Offices, their holidays and the regional users who oversee several; user accounts, their sign-in sessions
and sign-in attempts."""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel


class Role(enum.StrEnum):
    ENGINEER = "engineer"
    CLERK = "clerk"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    FOLLOW_UP = "follow_up"
    RECEPTION = "reception"
    SPECIALIST = "specialist"
    REGIONAL = "regional"
    ADMINISTRATIVE = "administrative"  # 行政专员: takes the money collected for paid work (seed 000)


class Office(SQLModel, table=True):
    """A branch office: the unit that owns jobs, staff and stock (domain.md §1.2)."""

    __tablename__ = "office"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=120)
    address: str = Field(default="", max_length=300)  # the letterhead of customer documents
    phone: str = Field(default="", max_length=40)
    logo: str = Field(default="", sa_type=Text)  # a data: URL of the normalised logo (JPEG), or empty
    zones: str = Field(default="", max_length=2000)  # the districts the office serves, one a line
    time_zone: str = Field(default="", max_length=60)  # IANA name; "" is the server's ONSITE_TIMEZONE
    work_start: str = Field(default="", max_length=5)  # HH:MM; "" is the server's ONSITE_WORK_START
    work_end: str = Field(default="", max_length=5)  # HH:MM; "" is the server's ONSITE_WORK_END
    integration_lead_id: uuid.UUID | None = None  # a coordinator or manager, told of a major case at once (S31)


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    username: str = Field(max_length=40, unique=True)
    display_name: str = Field(max_length=120)
    phone: str = Field(default="", max_length=30)
    role: str = Field(max_length=20, index=True)
    locale: str = Field(default="", max_length=10)  # chosen by the user or the manager; "" follows the browser
    interface_locale: str = Field(default="", max_length=10)  # the language of the browser at the last sign-in
    certified: bool = Field(default=False)
    is_active: bool = Field(default=True)
    password_hash: str = Field(max_length=200)
    version: int = Field(default=1)
    created_at: datetime
    updated_at: datetime

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_at: datetime
    expires_at: datetime = Field(index=True)
    user_agent: str = Field(default="", max_length=200)
    csrf_hash: str = Field(default="", max_length=64)  # SHA-256 of the CSRF token issued with this sign-in


class LoginAttempt(SQLModel, table=True):
    """Failed sign-ins, counted to slow down password guessing."""

    __tablename__ = "login_attempt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=40, index=True)
    ip: str = Field(max_length=45, index=True)
    at: datetime = Field(index=True)


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # a day off
    WORKING = "working"  # a make-up working day (调休上班): a Saturday or Sunday the office works


class Holiday(SQLModel, table=True):
    """A day that breaks the office's week (domain.md §4): a holiday off, or a weekend day worked to make up for
    one. Working days are the make-up days, and Monday–Friday minus the holidays; one row a day, so a day is
    never both."""

    __tablename__ = "holiday"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    day: date = Field(primary_key=True)
    name: str = Field(max_length=120)
    kind: str = Field(default=DayKind.HOLIDAY, max_length=10)


class RegionalOffice(SQLModel, table=True):
    """An office a regional user oversees; the user's own ``office_id`` is the one they look at now."""

    __tablename__ = "regional_office"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
