"""Factories for the follow-up, carry-in and report tests: jobs brought to the state a test needs."""

from sqlmodel import select

from app.carryin.models import CarryInOrder
from app.jobs.models import Job
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.visits import IMAGE, job_on_the_way
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
        "intake_signature": IMAGE,  # a real PNG: the server decodes every signature
        **overrides,
    }


async def jobs_for_serial(db, serial: str) -> list[Job]:
    rows = await db.exec(select(Job).where(Job.device_serial == serial).execution_options(populate_existing=True))
    return list(rows.all())


async def ready_for_pickup(client, db, make_user, clock):
    reception = await make_user("reception")
    await sign_in(client, reception)
    job, order = await take_in(client, db)
    assert (await post(client, f"/carry-in/{job.id}/steps/store")).status_code == 303
    await sign_in(client, await make_user("engineer"))
    assert (await post(client, f"/carry-in/{job.id}/steps/start_repair", serial="lx-0001")).status_code == 303
    assert (await post(client, f"/carry-in/{job.id}/steps/repaired")).status_code == 303
    await sign_in(client, reception)
    assert (await post(client, f"/carry-in/{job.id}/steps/ready")).status_code == 303
    return await reload(db, job.id), order


async def take_in(client, db, **overrides):
    response = await client.post(
        "/carry-in/", data=carry_in_form(**overrides), headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303, response.text[:2000]
    [job] = await jobs_for_serial(db, overrides.get("device_serial", "LX-0001"))
    order = (await db.exec(select(CarryInOrder).where(CarryInOrder.job_id == job.id))).one()
    return job, order
