"""Small factories for the jobs tests."""

import uuid

from sqlmodel import select

from app.jobs.models import Job
from tests.helpers.clients import csrf, sign_in


def intake_form(**overrides) -> dict[str, str]:
    return {
        "job_type": "ONSITE",
        "channel": "phone",
        "priority": "normal",
        "customer_name": "Acme Hospital",
        "organisation": "Acme",
        "customer_phone": "+86 10 6552 1234",
        "site_address": "1 Chang'an Ave, Beijing",
        "zone": "IN_AREA",
        "contact_name": "Dr. Wu",
        "contact_phone": "13800138000",
        "device_model": "XR-200",
        "device_serial": "SN-1001",
        "warranty_status": "in_warranty",
        "warranty_basis": "card",
        "fault_description": "Does not power on",
        "fault_judgement": "hardware",
        **overrides,
    }


async def take_request(client, db, **overrides) -> Job:
    response = await client.post("/jobs/", data=intake_form(**overrides), headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    job_id = response.headers["location"].rsplit("/", 1)[-1]
    return await reload(db, uuid.UUID(job_id))


async def reload(db, job_id) -> Job:
    """The job as stored now (the app wrote it through its own session)."""
    return (await db.exec(select(Job).where(Job.id == job_id).execution_options(populate_existing=True))).one()


async def post(client, url: str, **data):
    return await client.post(url, data=data, headers=csrf(client), follow_redirects=False)


# An agreed visit window within the demo zone's limits, for the contact form.
VISIT = {"appointment_date": "2026-11-24", "appointment_from": "10:00", "appointment_to": "12:00"}


async def dispatched_job(client, db, make_user, **overrides):
    coordinator = await make_user("coordinator")
    engineer = await make_user("engineer")
    await sign_in(client, coordinator)
    job = await take_request(client, db, **overrides)
    response = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id), version=str(job.version))
    assert response.status_code == 303, response.text[-3000:]
    return await reload(db, job.id), engineer
