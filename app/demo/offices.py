"""The demo's second office and its regional manager: a Tianjin branch with its own staff, calendar and a few
jobs, and a regional login that oversees both offices (and looks at Beijing first)."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts import service as accounts
from app.accounts.acting import Context, load_calendar
from app.accounts.models import Office, RegionalOffice, User
from app.core.database import transaction
from app.demo.jobs import request_form
from app.demo.zh import local
from app.jobs import dispatch, intake

SECOND_OFFICE = {
    "code": "TJ",
    "name": "Onsite Service, Tianjin branch",
    "address": "6 Nanjing Road, Heping District, Tianjin 300041",
    "phone": "+86 22 2330 6600",
    "zones": "Heping\nHexi\nNankai\nBinhai",
    "time_zone": "Asia/Shanghai",
    "work_start": "09:00",
    "work_end": "18:00",
}
SECOND_OFFICE_USERS = [
    ("tj.manager", "Huang Lei", "manager"),
    ("tj.coordinator", "Xu Ting", "coordinator"),
    ("tj.engineer", "Guo Peng", "engineer"),
]
REGIONAL_USER = ("regional", "Lin Hua", "regional")
SECOND_OFFICE_REQUESTS = [
    (
        "Tianjin Harbour Clinic",
        "Dr. He Yun",
        "13802000001",
        "21 Binhai Ave, Binhai, Tianjin",
        "IN_AREA",
        "Ultrasound XR-200",
        "XR200-5501",
        "Probe image shows vertical stripes",
        "hardware",
    ),
    (
        "Nankai Library",
        "Ms. Feng Xue",
        "13802000002",
        "94 Weijin Rd, Nankai, Tianjin",
        "IN_AREA",
        "Printer LP-40",
        "LP40-7710",
        "Prints pages blank on one side",
        "unclear",
    ),
]


async def _user(db: AsyncSession, office: Office, username: str, name: str, role: str, now: datetime, password: str):
    form = accounts.parse_user_form(
        {
            "username": username,
            "display_name": local(name),
            "role": role,
            "locale": "",
            "password": password,
            "certified": "on" if role == "engineer" else "",
        },
        creating=True,
    )
    return await accounts.create_user(db, form, office_id=office.id, now=now)


async def load_second_office(db: AsyncSession, home: Office, now: datetime, settings, password: str) -> None:
    async with transaction(db):
        office = Office(**local(SECOND_OFFICE))
        db.add(office)
    users = {
        username: await _user(db, office, username, name, role, now, password)
        for username, name, role in SECOND_OFFICE_USERS
    }
    regional: User = await _user(db, home, *REGIONAL_USER, now, password)
    async with transaction(db):
        db.add_all([RegionalOffice(user_id=regional.id, office_id=each.id) for each in (home, office)])
    calendar = await load_calendar(db, office.id, settings)
    coordinator = Context(users["tj.coordinator"], now, calendar)
    jobs = []
    for index, request in enumerate(SECOND_OFFICE_REQUESTS):
        form = request_form(local(request), calendar.tz, now - timedelta(hours=2 + index))
        jobs.append(await intake.create_job(db, form, coordinator, office_code=office.code))
    engineer = {"engineer_id": str(users["tj.engineer"].id)}
    await dispatch.assign(db, jobs[0].id, engineer, coordinator, version=None)
