"""Factories for the follow-up, carry-in and report tests: jobs brought to the state a test needs."""

from sqlmodel import select

from app.jobs.models import Job
from tests.conftest import sign_in
from tests.integration.jobs_helpers import post, reload, take_request
from tests.integration.visits_helpers import IMAGE


async def completed_job(client, db, coordinator, **overrides) -> Job:
    """An onsite job taken, visited and signed (set directly), then completed by the coordinator (T18)."""
    await sign_in(client, coordinator)
    job = await take_request(client, db, **overrides)
    job.state, job.report_signed_at = "PARTS_CONFIRMED", job.requested_at
    db.add(job)
    await db.commit()
    response = await post(client, f"/jobs/{job.id}/complete", version=str(job.version))
    assert response.status_code == 303, response.text[:1500]
    return await reload(db, job.id)


def carry_in_form(**overrides) -> dict[str, str]:
    return {
        "customer_name": "Wang Ming",
        "customer_phone": "13900139000",
        "site_address": "8 Huaihai Rd",
        "contact_name": "Wang Ming",
        "contact_phone": "13900139000",
        "device_model": "LX-15",
        "device_serial": "LX-0001",
        "warranty_status": "in_warranty",
        "warranty_basis": "invoice",
        "fault_description": "Screen flickers",
        "fault_judgement": "hardware",
        "channel": "walk_in",
        "priority": "normal",
        "zone": "IN_AREA",
        "configuration": "matches",
        "accessories_kept": "packaging",
        "accessories_returned": "power cord",
        "intake_signer_name": "Wang Ming",
        "intake_signature": IMAGE,  # a real PNG: the server decodes every signature
        **overrides,
    }


async def jobs_for_serial(db, serial: str) -> list[Job]:
    rows = await db.exec(select(Job).where(Job.device_serial == serial).execution_options(populate_existing=True))
    return list(rows.all())
