"""The office's daily conduct card and the engineers' acknowledgements of it (F26)."""

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.accounts.daily import DailyRecord


class ConductCard(SQLModel, table=True):
    """The office's own wording of the card, in both languages; an office without one shows the manual's rules."""

    __tablename__ = "conduct_card"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    text_en: str = Field(sa_type=Text)
    text_zh: str = Field(sa_type=Text)
    version: int = Field(default=1)
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    updated_at: datetime


class ConductAcknowledgement(DailyRecord, table=True):
    """An engineer read the card on an office day: once per engineer and day."""

    __tablename__ = "conduct_acknowledgement"
