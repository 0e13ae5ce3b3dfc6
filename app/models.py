"""Every feature's tables, imported in one place so that Alembic and the tests see them all."""

from app.accounts.models import LoginAttempt, Office, User, UserSession
from app.carryin.models import CarryInOrder
from app.core.page_cache import DataVersion
from app.followups.models import Complaint, FollowUpCall
from app.jobs.board_log import BoardEvent, BoardSequence
from app.jobs.models import (
    Customer,
    Device,
    DeviceStatus,
    Escalation,
    Holiday,
    Job,
    JobDeadline,
    JobEvent,
    JobNumberCounter,
    JobTeamMember,
)
from app.parts.models import Part, PartMovement, PartUnit
from app.reports.models import AuditEntry, ReportApproval
from app.sync.models import IdempotencyRecord, JobConflict
from app.visits.models import (
    ChecklistTemplate,
    CustomerSignature,
    EarlierVisit,
    Payment,
    PriceList,
    ReportAddendum,
    ServiceReport,
    StepResult,
    VisitChecklist,
    VisitPhoto,
)

__all__ = [
    "AuditEntry",
    "BoardEvent",
    "BoardSequence",
    "CarryInOrder",
    "ChecklistTemplate",
    "Complaint",
    "Customer",
    "CustomerSignature",
    "EarlierVisit",
    "DataVersion",
    "Device",
    "DeviceStatus",
    "Escalation",
    "FollowUpCall",
    "Holiday",
    "IdempotencyRecord",
    "Job",
    "JobConflict",
    "JobDeadline",
    "JobEvent",
    "JobNumberCounter",
    "JobTeamMember",
    "LoginAttempt",
    "Office",
    "Part",
    "PartMovement",
    "PartUnit",
    "Payment",
    "PriceList",
    "ReportAddendum",
    "ReportApproval",
    "ServiceReport",
    "StepResult",
    "User",
    "UserSession",
    "VisitChecklist",
    "VisitPhoto",
]
