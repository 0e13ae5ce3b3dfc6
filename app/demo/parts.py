"""Demo parts for ``make run``: a small catalogue with units in stock, and one job the engineer can borrow for."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, load_calendar
from app.accounts.models import Office, User
from app.demo.zh import local
from app.jobs import dispatch, intake
from app.parts.catalogue import _stock_in
from app.parts.models import Part, PartUnit

# Fixed label IDs, so that the browser tests and the README can refer to them.
DEMO_PARTS = [
    (
        "PSU-450",
        "Power supply 450 W",
        "XR-200, XR-300",
        38000,
        "P2PSU45A",
        [
            ("U2PSUAAA", "PSU450-A0001", "Station 1"),
            ("U2PSUAAB", "PSU450-A0002", "Station 1"),
            ("U2PSUAAC", "PSU450-A0003", "Station 2"),
        ],
    ),
    (
        "MB-XR200",
        "Main board XR-200",
        "XR-200",
        125000,
        "P2MBXR2A",
        [("U2MBXRAA", "MBXR-77001", "Station 1"), ("U2MBXRAB", "MBXR-77002", "Station 1")],
    ),
    (
        "FAN-80",
        "Cooling fan 80 mm",
        "XR-200, XR-300, XS-10",
        4500,
        "P2FAN8AA",
        [
            ("U2FANAAA", "FAN80-3001", "Station 1"),
            ("U2FANAAB", "FAN80-3002", "Station 2"),
            ("U2FANAAC", "4006381333931", "Station 2"),
        ],
    ),  # an EAN-13 serial, as some makers print
]


async def load_demo_parts(db: AsyncSession, now: datetime, settings) -> None:
    office = (await db.exec(select(Office))).first()
    users = {u.username: u for u in (await db.exec(select(User))).all()}
    clerk, coordinator = users["clerk"], users["coordinator"]
    calendar = await load_calendar(db, office.id, settings)
    ctx = Context(actor=clerk, now=now, calendar=calendar)
    for number, name, models, price, code, units in local(DEMO_PARTS):
        part = Part(
            office_id=office.id,
            code=code,
            number=number,
            name=name,
            compatible_models=models,
            unit_price_cents=price,
            created_at=now,
        )
        db.add(part)
        await db.flush()
        for unit_code, serial, location in units:
            unit = PartUnit(
                office_id=office.id, part_id=part.id, code=unit_code, serial=serial, location=location, created_at=now
            )
            db.add(unit)
            await db.flush()
            db.add(_stock_in(ctx, part, unit, "demo"))
    await db.commit()
    ctx = Context(actor=coordinator, now=now, calendar=calendar)
    form = intake.parse_intake_form(
        local(
            {
                "job_type": "ONSITE",
                "channel": "phone",
                "priority": "normal",
                "customer_name": "Beijing Union Clinic",
                "organisation": "Union Clinic",
                "customer_phone": "+86 10 6552 1234",
                "site_address": "1 Chang'an Ave",
                "zone": "IN_AREA",
                "contact_name": "Dr. Wu",
                "contact_phone": "13800138000",
                "device_model": "XR-200",
                "device_serial": "XR200-DEMO-01",
                "warranty_status": "in_warranty",
                "warranty_basis": "card",
                "fault_description": "Does not power on",
                "fault_judgement": "hardware",
            }
        ),
        calendar.tz,
    )
    for serial in ["XR200-DEMO-01", "XR300-DEMO-02"]:
        form.device_serial = serial
        job = await intake.create_job(db, form, ctx, office_code=office.code)
        await dispatch.assign(db, job.id, {"engineer_id": str(users["engineer"].id)}, ctx, version=None)
