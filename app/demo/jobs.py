"""Demo jobs for ``make run``: a realistic day on the board, through the same services users call."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, load_calendar
from app.accounts.models import Office, User
from app.demo.zh import local
from app.jobs import dispatch, escalations, intake

REQUESTS = [
    (
        "Beijing Union Hospital",
        "Dr. Wu Lan",
        "13801000001",
        "1 Shuaifuyuan, Dongcheng, Beijing",
        "IN_AREA",
        "Ultrasound XR-200",
        "XR200-0001",
        "Screen stays black after power-on",
        "hardware",
    ),
    (
        "Haidian Middle School",
        "Mr. Zhao Gang",
        "13801000002",
        "15 Zhongguancun St, Haidian, Beijing",
        "IN_AREA",
        "Projector PJ-5",
        "PJ5-7781",
        "Fan noise and shutdown after ten minutes",
        "hardware",
    ),
    (
        "Tongzhou Water Works",
        "Ms. Sun Li",
        "13801000003",
        "88 Xinhua Rd, Tongzhou, Beijing",
        "WITHIN_80KM",
        "Controller PLC-9",
        "PLC9-3310",
        "Alarm log shows intermittent sensor faults",
        "unclear",
    ),
    (
        "Chen Family",
        "Chen Hua",
        "13801000004",
        "Building 3, Wangjing, Chaoyang, Beijing",
        "IN_AREA",
        "Printer LP-40",
        "LP40-0042",
        "Paper jam error with an empty tray",
        "hardware",
    ),
    (
        "Yanqing Power Station",
        "Eng. Ma Jun",
        "13801000005",
        "Power station road, Yanqing, Beijing",
        "BEYOND_80KM",
        "Relay RX-3",
        "RX3-9001",
        "Relay trips under normal load",
        "hardware",
    ),
]


# Hard questions for the technical specialist's queue: one just asked, one past its working day; customers of
# their own, so that each other demo customer has one job.
CASES = [
    (
        "Shunyi Water Works",
        "Mr. Ma Jun",
        "13801000008",
        "3 Fuqian St, Shunyi, Beijing",
        "IN_AREA",
        "Analyser AN-7",
        "AN7-1204",
        "How to recalibrate the analyser after moving it to another room?",
        "unclear",
    ),
    (
        "Chaoyang Art Centre",
        "Ms. Qian Yu",
        "13801000007",
        "9 Jiuxianqiao Rd, Chaoyang, Beijing",
        "IN_AREA",
        "Projector PJ-5",
        "PJ5-7790",
        "The projector shows a lamp warning after the lamp was changed",
        "unclear",
    ),
]


# An installation for the coordinator to plan and the engineers to walk (domain.md §10).
INSTALLATION = (
    "Fengtai Substation",
    "Eng. Gao Feng",
    "13801000006",
    "6 Nanyuan Rd, Fengtai, Beijing",
    "IN_AREA",
    "Relay cabinet RC-12",
    "RC12-0601",
    "Install and commission two relay cabinets",
    "unclear",
)


def request_form(request, tz, requested_at: datetime, job_type: str = "ONSITE"):
    """The intake form of one of the demo's requests."""
    customer, contact, phone, address, zone, model, serial, fault, judgement = request
    return intake.parse_intake_form(
        {
            "job_type": job_type,
            "channel": "phone",
            "priority": "normal",
            "customer_name": customer,
            "customer_phone": phone,
            "site_address": address,
            "zone": zone,
            "contact_name": contact,
            "contact_phone": phone,
            "device_model": model,
            "device_serial": serial,
            "warranty_status": "in_warranty",
            "warranty_basis": "card",
            "fault_description": fault,
            "fault_judgement": judgement,
            "requested_at": requested_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
        },
        tz,
    )


async def load_demo_jobs(db: AsyncSession, office: Office, users: dict[str, User], now: datetime, settings) -> None:
    calendar = await load_calendar(db, office.id, settings)
    coordinator, engineer, engineer2 = users["coordinator"], users["engineer"], users["engineer2"]

    def ctx(actor: User) -> Context:
        return Context(actor, now, calendar)

    jobs = []
    for index, request in enumerate(REQUESTS):
        requested_at = now - timedelta(hours=1 + index) if index != 3 else now - timedelta(days=3)
        jobs.append(
            await intake.create_job(
                db, request_form(local(request), calendar.tz, requested_at), ctx(coordinator), office_code=office.code
            )
        )
    visit_day = calendar.local_date(calendar.next_working_start(now + timedelta(hours=16)))
    window = {"appointment_date": visit_day.isoformat(), "appointment_from": "14:00", "appointment_to": "16:00"}
    await dispatch.assign(db, jobs[0].id, {"engineer_id": str(engineer.id)}, ctx(coordinator), version=None)
    await dispatch.record_contact(
        db,
        jobs[0].id,
        {"outcome": "reached", "contact_person": local("Dr. Wu Lan"), **window},
        ctx(coordinator),
        version=None,
    )
    await dispatch.assign(db, jobs[1].id, {"engineer_id": str(engineer.id)}, ctx(coordinator), version=None)
    await dispatch.assign(db, jobs[2].id, {"engineer_id": str(engineer2.id)}, ctx(coordinator), version=None)
    await escalations.escalate(
        db,
        jobs[2].id,
        local(
            {
                "level": "L2",
                "symptoms": "Sensor faults reproduce every 20 minutes; plant running on manual control.",
                "actions_taken": "Remote log review; sensor cable replacement planned.",
                "customer_expectation": "Automatic control back within one working day.",
            }
        ),
        ctx(coordinator),
    )
    await dispatch.assign(db, jobs[4].id, {"engineer_id": str(engineer2.id)}, ctx(coordinator), version=None)
    await dispatch.cancel(
        db,
        jobs[4].id,
        local({"reason": "Customer's own electrician fixed the wiring.", "customer_informed": "on"}),
        ctx(coordinator),
        version=None,
    )


async def load_demo_cases(db: AsyncSession, office: Office, coordinator: User, now: datetime, settings) -> None:
    """The consultation cases, taken after the other demo jobs so that those keep their numbers."""
    calendar = await load_calendar(db, office.id, settings)
    for request, asked in zip(CASES, (timedelta(minutes=20), timedelta(days=2)), strict=True):
        form = request_form(local(request), calendar.tz, now - asked, job_type="CASE")
        await intake.create_job(db, form, Context(coordinator, now, calendar), office_code=office.code)


async def load_demo_installation(db: AsyncSession, office: Office, coordinator: User, now: datetime, settings) -> None:
    """The installation request, taken last so that the other demo jobs keep their numbers."""
    calendar = await load_calendar(db, office.id, settings)
    install = request_form(local(INSTALLATION), calendar.tz, now - timedelta(minutes=20), job_type="INSTALL")
    await intake.create_job(db, install, Context(coordinator, now, calendar), office_code=office.code)
