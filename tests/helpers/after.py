"""Factories for the follow-up, carry-in and report tests: jobs brought to the state a test needs."""

from sqlmodel import select

from app.jobs.models import Job
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.visits import job_on_the_way
from tests.helpers.world import World


async def completed_job(client, world: World, coordinator, **overrides) -> Job:
    """An onsite job taken, visited and signed for (the world's rows), its parts back, then completed by the
    coordinator through the page (T18)."""
    job, engineer = await job_on_the_way(client, world.db, world.make_user, **overrides)
    job = await world.visit(job, "cleanup")
    job = await world.parts_back(job, await world.make_user("clerk"))
    await sign_in(client, coordinator)
    response = await post(client, f"/jobs/{job.id}/complete", version=str(job.version))
    assert response.status_code == 303, response.text[:1500]
    return await reload(world.db, job.id)


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
        **overrides,
    }


async def jobs_for_serial(db, serial: str) -> list[Job]:
    rows = await db.exec(select(Job).where(Job.device_serial == serial).execution_options(populate_existing=True))
    return list(rows.all())
