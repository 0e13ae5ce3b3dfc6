"""Small factories for the visit tests: a job on its way to the customer, photos, a drawn signature."""

import io
import json
import uuid

from PIL import Image

from app.jobs.models import Job
from app.parts.models import Part, PartUnit, UnitStatus
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload, take_request

STROKES = json.dumps(
    [
        {
            "penColor": "black",
            "points": [
                {"x": 10, "y": 10, "time": 1, "pressure": 0.5},
                {"x": 60, "y": 40, "time": 2, "pressure": 0.5},
                {"x": 120, "y": 20, "time": 3, "pressure": 0.5},
            ],
        }
    ]
)
SIGNER = "Mrs. Zhao Lan"
IMAGE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6"
    "kgAAAABJRU5ErkJggg=="
)


def jpeg(width: int = 640, height: int = 480, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


async def job_on_the_way(client, db, make_user, **overrides) -> tuple[Job, object]:
    """A job assigned to a new engineer who is on the way (EN_ROUTE); the engineer is signed in."""
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    job = await take_request(client, db, **overrides)
    engineer = await make_user("engineer")
    job.engineer_id = engineer.id
    job.state = "EN_ROUTE"
    db.add(job)
    await lend_unit(db, job, engineer, "PSU-77812")
    await db.commit()
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, engineer)
    return await reload(db, job.id), engineer


async def lend_unit(db, job, engineer, serial: str) -> None:
    """A unit already checked out to ``engineer`` for ``job`` (the counter's own flow is tested with parts)."""
    now = job.created_at
    part = Part(
        office_id=job.office_id,
        code=f"P{uuid.uuid4().hex[:7].upper()}",
        number=f"PSU-{uuid.uuid4().hex[:6]}",
        name="Power supply",
        created_at=now,
    )
    db.add(part)
    await db.flush()
    db.add(
        PartUnit(
            office_id=job.office_id,
            part_id=part.id,
            code=f"U{uuid.uuid4().hex[:7].upper()}",
            serial=serial,
            status=UnitStatus.OUT,
            holder_id=engineer.id,
            job_id=job.id,
            out_since=now,
            created_at=now,
        )
    )


async def step(client, job, key: str, **fields):
    data = {"id": str(uuid.uuid4()), **fields}
    return await client.post(f"/visits/{job.id}/steps/{key}", data=data, headers=csrf(client), follow_redirects=False)


async def photo(client, job, key: str, content: bytes | None = None, photo_id: str | None = None):
    files = {"photo": ("p.jpg", jpeg() if content is None else content, "image/jpeg")}
    data = {"step": key, "id": photo_id or str(uuid.uuid4())}
    return await client.post(
        f"/visits/{job.id}/photos", data=data, files=files, headers={**csrf(client), "accept": "application/json"}
    )


async def customer_signs(client, job, key: str, name: str = SIGNER, **extra):
    handover = await client.post(f"/visits/{job.id}/steps/{key}/handover", headers=csrf(client), follow_redirects=False)
    assert handover.status_code == 303, handover.text[:3000]
    return await sign_only(client, job, key, name, **extra)


async def sign_only(client, job, key: str, name: str = SIGNER, **extra):
    data = {"id": str(uuid.uuid4()), "signer_name": name, "strokes": STROKES, "image": IMAGE, **extra}
    return await client.post(f"/visits/{job.id}/sign/{key}", data=data, headers=csrf(client), follow_redirects=False)


async def walk_to(client, job, last: str, first: str = "arrive") -> None:
    """Walks the repair visit's in-warranty, reproduced path from ``first`` to ``last`` (both included)."""
    keys = [key for key, _fields, _photos in PLAN]
    for key, fields, photos in PLAN[keys.index(first) :]:
        for _ in range(photos):
            assert (await photo(client, job, key)).status_code == 201
        if key in {"signature"}:
            response = await customer_signs(client, job, key)
        else:
            response = await step(client, job, key, **fields)
        alert = response.text[response.text.find('role="alert"') :][:300]
        assert response.status_code == 303, f"{key}: {alert}"
        if key == last:
            return


PLAN = [
    ("arrive", {"badge_shown": "on"}, 0),
    ("enter", {"consent_to_enter": "on", "admitted_by": "Mr. Zhao", "shoe_covers": "on"}, 0),
    ("warranty", {"card_checked": "on"}, 1),
    (
        "repair_order",
        {"fault_in_words": "It beeps and stops", "when_occurs": "Every morning", "environment": "Dusty lab"},
        0,
    ),
    ("reproduce", {"outcome": "reproduced"}, 1),
    ("classify", {"fault_class": "hardware", "cause": "Power supply"}, 0),
    ("explain", {"explained": "on"}, 0),
    ("consent_open", {"consent": "on", "consenting_person": "Mr. Zhao"}, 0),
    ("data_risk", {"at_risk": "no"}, 0),
    ("authenticity", {"barcodes_checked": "on"}, 0),
    (
        "repair",
        {"work_done": "Replaced the power supply", "fitted_serial": "psu-77812", "removed_serial": "PSU-00001"},
        0,
    ),
    ("new_problem", {"found": "no"}, 0),
    (
        "verify",
        {
            "fault_gone": "on",
            "parts_working": "on",
            "cables_sound": "on",
            "starts_runs": "on",
            "customer_present": "on",
        },
        1,
    ),
    ("evaluation", {"rating": "satisfied"}, 0),
    ("signature", {}, 0),
    ("cleanup", {"site_clean": "on", "tools_collected": "on"}, 0),
]
