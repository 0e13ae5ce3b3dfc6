"""Demo visits for ``make run``: one visit under way on the checklist, one signed report, and fresh ones."""

import base64
import io
import json
import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Office, User
from app.core.calendar import WorkingCalendar
from app.core.settings import Settings
from app.demo.zh import local
from app.jobs import intake
from app.parts import flows, ledger, returns
from app.parts.idempotency import MovementKey
from app.visits import photos, service, signing

CUSTOMERS = {
    "in_progress": ("Beijing Union Lab", "BUL-5501"),
    "signed": ("Haidian Clinic", "HC-7702"),
    "fresh": ("Chaoyang Print Shop", "CPS-3303"),
    "fresh_2": ("Xicheng School", "XS-4404"),
}
DEMO_UNIT, DEMO_UNIT_SERIAL = "U2PSUAAA", "PSU450-A0001"  # a unit of the demo catalogue (app/demo/parts.py)
DEMO_STROKES = json.dumps([{"points": [{"x": 10, "y": 40}, {"x": 80, "y": 10}, {"x": 150, "y": 60}]}])
REPAIR_STEPS = [
    ("arrive", {"badge_shown": "on"}),
    ("enter", {"consent_to_enter": "on", "admitted_by": "Dr. Sun", "shoe_covers": "on"}),
    ("warranty", {"card_checked": "on"}),
    (
        "repair_order",
        {
            "fault_in_words": "Beeps three times and stops",
            "when_occurs": "At start-up",
            "environment": "Air-conditioned lab",
        },
    ),
    ("reproduce", {"outcome": "reproduced"}),
    ("classify", {"fault_class": "hardware", "cause": "Power supply unit failed"}),
    ("explain", {"explained": "on"}),
    ("consent_open", {"consent": "on", "consenting_person": "Dr. Sun"}),
    ("data_risk", {"at_risk": "no"}),
    ("authenticity", {"barcodes_checked": "on"}),
    (
        "repair",
        {
            "work_done": "Replaced the power supply unit",
            "fitted_serial": DEMO_UNIT_SERIAL,
            "removed_serial": "PSU-10007",
        },
    ),
    ("new_problem", {"found": "no"}),
    (
        "verify",
        {
            "fault_gone": "on",
            "parts_working": "on",
            "cables_sound": "on",
            "starts_runs": "on",
            "customer_present": "on",
        },
    ),
    ("evaluation", {"rating": "satisfied", "comments": "Quick and tidy"}),
]
PHOTO_STEPS = {"warranty": 1, "reproduce": 1, "verify": 2}  # four photos, as on a typical repair


def _signature_image() -> str:
    """A PNG of the demo strokes, as signature_pad would send it."""
    image = Image.new("RGB", (340, 180), "white")
    points = [(p["x"] * 2, p["y"] * 2) for p in json.loads(DEMO_STROKES)[0]["points"]]
    ImageDraw.Draw(image).line(points, fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _photo(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buffer, "JPEG")
    return buffer.getvalue()


async def load_demo_visits(db: AsyncSession, now: datetime) -> None:
    """Creates the demo jobs for the engineer ``engineer`` and walks two of them."""
    users = {u.username: u for u in (await db.exec(select(User))).all()}
    office = (await db.exec(select(Office))).first()
    calendar = WorkingCalendar(holidays=frozenset(), tz=ZoneInfo("Asia/Shanghai"), start=time(8, 30), end=time(17, 30))
    coordinator = Context(actor=users["coordinator"], now=now, calendar=calendar, device="demo")
    engineer = Context(actor=users["engineer"], now=now, calendar=calendar, device="demo")
    jobs = {}
    for key, (name, serial) in CUSTOMERS.items():
        form = intake.parse_intake_form(
            local(
                {
                    "job_type": "ONSITE",
                    "channel": "phone",
                    "priority": "normal",
                    "customer_name": name,
                    "customer_phone": "+86 10 6552 0000",
                    "site_address": f"{name}, Beijing",
                    "zone": "IN_AREA",
                    "contact_name": "Dr. Sun",
                    "contact_phone": "13800138000",
                    "device_model": "XR-200",
                    "device_serial": serial,
                    "warranty_status": "in_warranty",
                    "warranty_basis": "card",
                    "fault_description": "Does not start",
                    "fault_judgement": "hardware",
                }
            ),
            calendar.tz,
        )
        job = await intake.create_job(db, form, coordinator, office_code=office.code)
        job.engineer_id, job.state = users["engineer"].id, "EN_ROUTE"
        db.add(job)
        await db.commit()
        jobs[key] = job
    for step_key, values in local(REPAIR_STEPS[:2]):
        await service.complete_step(db, jobs["in_progress"].id, step_key, values, engineer)
    settings = Settings.from_env()
    signed = jobs["signed"].id
    clerk = Context(actor=users["clerk"], now=now, calendar=calendar, device="demo")
    await ledger.check_out(
        db,
        clerk,
        MovementKey(uuid.uuid4(), "check_out", {}),
        engineer_id=users["engineer"].id,
        job_id=signed,
        codes=[DEMO_UNIT],
        sealed=True,
    )
    for index, (step_key, values) in enumerate(local(REPAIR_STEPS)):
        for shot in range(PHOTO_STEPS.get(step_key, 0)):
            color = (40 * index % 255, 120 + 60 * shot, 160)
            await photos.upload_photo(db, settings, signed, step_key, None, _photo(color), engineer)
        await service.complete_step(db, signed, step_key, values, engineer)
    await signing.start_handover(db, signed, "signature", engineer)
    await signing.record_customer_signature(
        db,
        signed,
        "signature",
        {"signer_name": local("Dr. Sun Li"), "strokes": DEMO_STROKES, "image": _signature_image()},
        engineer,
    )
    # Back at the office: the faulty power supply comes back with its fault tag and the clerk confirms it.
    await returns.return_unit(
        db,
        clerk,
        MovementKey(uuid.uuid4(), "return", {}),
        code=DEMO_UNIT,
        job_id=str(signed),
        outcome="faulty",
        sealed=False,
        fault=local("No output on the 12 V rail"),
        device_serial="HC-7702",
        removed_serial="PSU-10007",
    )
    await flows.confirm_returns(db, clerk, MovementKey(uuid.uuid4(), "confirm", {}), signed)
