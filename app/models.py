"""Every feature's tables, imported in one place so that Alembic and the tests see them all."""

from app.accounts.models import Holiday, LoginAttempt, Office, RegionalOffice, User, UserSession
from app.audit.models import AuditEntry
from app.callbacks.models import CallBack
from app.carryin.models import Appointment, CarryInOrder, CarryInSettings, Loan, LoanItem
from app.conduct.models import ConductAcknowledgement, ConductCard
from app.core.page_cache import OfficeNotes, OfficeVersion
from app.followups.models import Complaint, FollowUpCall
from app.jobs.board_log import BoardEvent
from app.jobs.models import (
    Customer,
    Device,
    Escalation,
    EscalationDocument,
    EscalationFile,
    InstallDay,
    InstallMilestone,
    InstallPlan,
    InstallTakeAway,
    Job,
    JobConflict,
    JobDeadline,
    JobEvent,
    JobNumberCounter,
    JobTeamMember,
)
from app.notify.models import ClockTick, Notification, NotificationAttempt
from app.parts.models import Part, PartMovement, PartUnit
from app.reports.models import ReportApproval
from app.shifts.models import DutyDay, ShiftCheckIn
from app.sync.models import IdempotencyRecord, PhoneStatus
from app.visits.models import (
    ChecklistTemplate,
    CustomerSignature,
    EarlierVisit,
    HandoverLine,
    Payment,
    PaymentHandover,
    PriceList,
    ReportAddendum,
    ServiceReport,
    StepResult,
    VisitChecklist,
    VisitPhoto,
)

__all__ = [
    "Appointment",
    "AuditEntry",
    "CallBack",
    "BoardEvent",
    "CarryInOrder",
    "CarryInSettings",
    "ChecklistTemplate",
    "ClockTick",
    "ConductAcknowledgement",
    "ConductCard",
    "Complaint",
    "Customer",
    "CustomerSignature",
    "EarlierVisit",
    "Device",
    "DutyDay",
    "Escalation",
    "EscalationDocument",
    "EscalationFile",
    "FollowUpCall",
    "HandoverLine",
    "Holiday",
    "IdempotencyRecord",
    "Job",
    "JobConflict",
    "JobDeadline",
    "JobEvent",
    "JobNumberCounter",
    "InstallDay",
    "InstallMilestone",
    "InstallPlan",
    "InstallTakeAway",
    "JobTeamMember",
    "Loan",
    "LoanItem",
    "LoginAttempt",
    "Notification",
    "NotificationAttempt",
    "Office",
    "OfficeNotes",
    "OfficeVersion",
    "Part",
    "PartMovement",
    "PartUnit",
    "Payment",
    "PaymentHandover",
    "PhoneStatus",
    "PriceList",
    "RegionalOffice",
    "ReportAddendum",
    "ReportApproval",
    "ServiceReport",
    "ShiftCheckIn",
    "StepResult",
    "User",
    "UserSession",
    "VisitChecklist",
    "VisitPhoto",
]
