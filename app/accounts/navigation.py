"""Role-aware navigation and each role's home page."""

from dataclasses import dataclass

from app.accounts.models import Role, User
from app.core.i18n import N_, gettext


@dataclass(frozen=True)
class NavItem:
    label: str  # translated where it is shown
    url: str
    icon: str


MY_JOBS = NavItem(N_("My jobs"), "/jobs/mine", "jobs")
PARTS_COUNTER = NavItem(N_("Parts counter"), "/parts/counter", "parts")
MY_PARTS = NavItem(N_("My parts"), "/parts/mine", "parts")
CATALOGUE = NavItem(N_("Catalogue"), "/parts/catalogue", "catalogue")
PARTS_STATS = NavItem(N_("Parts statistics"), "/parts/stats", "stats")
BOARD = NavItem(N_("Job board"), "/board", "board")
USERS = NavItem(N_("Users"), "/users", "users")
CALENDAR = NavItem(N_("Calendar"), "/calendar", "calendar")
NEW_JOB = NavItem(N_("New request"), "/jobs/new", "new")
FOLLOW_UPS = NavItem(N_("Follow-up calls"), "/follow-ups", "follow-ups")
CARRY_IN = NavItem(N_("Carry-in counter"), "/carry-in", "carry-in")
APPOINTMENTS = NavItem(N_("Appointments"), "/appointments", "appointments")
LOAN_EQUIPMENT = NavItem(N_("Loan equipment"), "/loan-equipment", "loan-equipment")
REPORTS = NavItem(N_("Reports"), "/reports", "reports")
CHECKLISTS = NavItem(N_("Checklists"), "/checklists/repair", "checklists")
OFFICE = NavItem(N_("Office settings"), "/office", "office")
CASES = NavItem(N_("Consultation cases"), "/jobs/cases", "cases")
OFFICES = NavItem(N_("Offices"), "/offices", "offices")
HAND_OVER = NavItem(N_("Hand over payments"), "/payments/handover", "payments")
HANDOVERS = NavItem(N_("Payments received"), "/payments/handovers", "payments")
CONDUCT = NavItem(N_("Conduct card"), "/conduct", "conduct")
ROTA = NavItem(N_("Duty rota"), "/rota", "rota")

_NAV = {
    Role.ENGINEER: [MY_JOBS, MY_PARTS, HAND_OVER],
    Role.CLERK: [PARTS_COUNTER, CATALOGUE, PARTS_STATS],
    Role.COORDINATOR: [BOARD, NEW_JOB, CASES, FOLLOW_UPS, APPOINTMENTS, ROTA],
    Role.MANAGER: [
        BOARD,
        NEW_JOB,
        MY_JOBS,
        PARTS_COUNTER,
        CATALOGUE,
        PARTS_STATS,
        CARRY_IN,
        APPOINTMENTS,
        LOAN_EQUIPMENT,
        CASES,
        FOLLOW_UPS,
        REPORTS,
        USERS,
        CALENDAR,
        CHECKLISTS,
        OFFICE,
        HANDOVERS,
        CONDUCT,
        ROTA,
    ],
    Role.FOLLOW_UP: [FOLLOW_UPS],
    Role.RECEPTION: [CARRY_IN, APPOINTMENTS, LOAN_EQUIPMENT, HAND_OVER],
    Role.SPECIALIST: [CASES],
    Role.REGIONAL: [BOARD, OFFICES, REPORTS, USERS, CALENDAR, OFFICE],
    Role.ADMINISTRATIVE: [HANDOVERS],
}


def navigation_for(user: User | None) -> list[NavItem]:
    return _NAV[user.role_enum] if user else []


def home_url(user: User) -> str:
    return _NAV[user.role_enum][0].url


ROLE_LABELS = {
    Role.ENGINEER: N_("Onsite engineer"),
    Role.CLERK: N_("Parts clerk"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.MANAGER: N_("Branch manager"),
    Role.FOLLOW_UP: N_("Follow-up caller"),
    Role.RECEPTION: N_("Reception engineer"),
    Role.SPECIALIST: N_("Technical specialist"),
    Role.REGIONAL: N_("Regional manager"),
    Role.ADMINISTRATIVE: N_("Administrative specialist"),
}


def role_label(role: str) -> str:
    return gettext(ROLE_LABELS[Role(role)])


def shows_check_in(user: User | None, path: str) -> bool:
    """The home page of a user who checks in for the day (S19) loads the check-in panel; an engineer's My jobs
    draws its own, so that it works offline."""
    return user is not None and user.role not in {Role.ENGINEER, Role.REGIONAL} and path == home_url(user)


TEMPLATE_GLOBALS = {"navigation_for": navigation_for, "role_label": role_label, "shows_check_in": shows_check_in}
