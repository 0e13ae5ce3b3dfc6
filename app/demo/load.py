"""Demo data for ``make run``: loaded once, into a database with no users yet."""

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts import service as accounts
from app.accounts.acting import Context, load_calendar
from app.accounts.models import User
from app.callbacks import service as callbacks
from app.carryin import appointments, loans
from app.core.settings import Settings
from app.demo.jobs import load_demo_cases, load_demo_installation, load_demo_jobs
from app.demo.offices import REGIONAL_USER, SECOND_OFFICE, SECOND_OFFICE_USERS, load_second_office
from app.demo.parts import load_demo_parts
from app.demo.shifts import load_demo_shifts
from app.demo.visits import load_demo_visits
from app.demo.zh import local, use_chinese
from app.visits import pricing, quotes

DEMO_PASSWORD = "onsite-demo"
DEMO_LETTERHEAD = (
    "Onsite Service, Beijing branch",
    "18 Jianguo Road, Chaoyang District, Beijing 100022",
    "+86 10 6552 8800",
)
DEMO_USERS = [
    ("engineer", "Li Wei", "engineer"),
    ("engineer2", "Zhang Min", "engineer"),
    ("clerk", "Wang Fang", "clerk"),
    ("coordinator", "Chen Jing", "coordinator"),
    ("manager", "Liu Yang", "manager"),
    ("followup", "Zhao Li", "follow_up"),
    ("reception", "Sun Hui", "reception"),
    ("specialist", "Zhou Qiang", "specialist"),
    ("admin", "Qian Yue", "administrative"),
]
# Every demo login with its office, as ``make run`` prints them.
DEMO_LOGINS = [
    *((username, name, role, "MAIN") for username, name, role in DEMO_USERS),
    *((username, name, role, SECOND_OFFICE["code"]) for username, name, role in SECOND_OFFICE_USERS),
    (*REGIONAL_USER, "MAIN+" + SECOND_OFFICE["code"]),
]


# The office's loan equipment (备用机, F40): code, serial, description, condition.
DEMO_LOAN_ITEMS = [
    ("BJ-LOAN-01", "LN14-88001", "Loan laptop, 14-inch", "Good, small scratch on the lid"),
    ("BJ-LOAN-02", "LP-A4-5520", "Loan printer, A4 laser", "Good"),
    ("BJ-LOAN-03", "MN24-3010", "Loan monitor, 24-inch", "Good"),
]


async def load_demo_loan_equipment(db: AsyncSession, reception: Context) -> None:
    for code, serial, description, condition in DEMO_LOAN_ITEMS:
        form = {"code": code, "serial": serial, "description": local(description), "condition": local(condition)}
        await loans.add_item(db, {**form, "item_id": str(uuid.uuid5(uuid.NAMESPACE_URL, code))}, reception)


async def load_demo_appointment(db: AsyncSession, reception: Context) -> None:
    """A carry-in appointment (F41) on the next working day."""
    day = reception.calendar.add_working_days(reception.calendar.local_date(reception.now), 1)
    form = {
        "appointment_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "demo-appointment")),
        "day": day.isoformat(),
        "customer_name": local("Mr. Qian Bo"),
        "customer_phone": "13700137011",
        "device_model": "LX-15",
        "device_serial": "",
        "fault_description": local("Laptop does not charge"),
    }
    await appointments.book(db, form, reception)


async def load_demo_call_back(db: AsyncSession, coordinator: Context) -> None:
    """A caller the hotline could not answer within the minute on hold, waiting for the call back (S2)."""
    form = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "demo-call-back")),
        "customer_name": local("Ms. Guo Hong"),
        "phone": "13900139022",
        "subject": local("Asks whether the XR-200 firmware update can be rolled back"),
        "job_number": "",
    }
    await callbacks.record(db, form, coordinator)


async def load_demo_data(db: AsyncSession, now: datetime, settings=None) -> bool:
    """Returns False, changing nothing, when the database already has users (a second ``make run``)."""
    if await db.scalar(select(func.count()).select_from(User)):
        return False
    office = await accounts.default_office(db)
    office.name, office.address, office.phone = DEMO_LETTERHEAD
    db.add(office)
    settings = settings or Settings.from_env()
    use_chinese(settings.default_locale == "zh_Hans")
    users = {}
    for username, name, role in DEMO_USERS:
        form = accounts.parse_user_form(
            {
                "username": username,
                "display_name": local(name),
                "role": role,
                "locale": "",
                "password": DEMO_PASSWORD,
                "certified": "on" if role == "engineer" else "",
            },
            creating=True,
        )
        users[username] = await accounts.create_user(db, form, office_id=office.id, now=now)
    office.integration_lead_id = users["manager"].id  # told of every major case (S31)
    db.add(office)
    await load_demo_jobs(db, office, users, now, settings)
    calendar = await load_calendar(db, office.id, settings)
    reception = Context(actor=users["reception"], now=now, calendar=calendar)
    await load_demo_loan_equipment(db, reception)
    await load_demo_appointment(db, reception)
    await load_demo_parts(db, now, settings)
    await load_demo_visits(db, now)
    await load_demo_installation(db, office, users["coordinator"], now, settings)
    await load_demo_cases(db, office, users["coordinator"], now, settings)
    await load_demo_shifts(db, office, users, now, settings)
    await load_demo_call_back(db, Context(actor=users["coordinator"], now=now, calendar=calendar))
    if settings.default_locale == "zh_Hans":
        manager = Context(actor=users["manager"], now=now, calendar=None)
        await quotes.publish_price_list(db, office.id, local(pricing.DEFAULT_LINES), manager)
    await load_second_office(db, office, now, settings, DEMO_PASSWORD)
    use_chinese(False)
    return True
