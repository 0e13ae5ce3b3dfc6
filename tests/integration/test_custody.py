"""Custody holes closed: the carry-in parts gate (INV-4), a checklist fit is a ledger movement, the intake
signature (INV-1)."""

from sqlmodel import select

from app.parts.models import MovementKind, PartMovement, PartUnit, UnitStatus
from tests.helpers.after import carry_in_form, jobs_for_serial
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.parts import add_units, lend, take_back
from tests.helpers.visits import job_on_the_way, walk_to


async def test_a_carry_in_device_is_not_repaired_while_its_borrowed_part_is_out(client, db, make_user, office, clock):
    reception, engineer, clerk = await make_user("reception"), await make_user("engineer"), await make_user("clerk")
    await sign_in(client, reception)
    assert (await post(client, "/carry-in/", **carry_in_form())).status_code == 303
    [job] = await jobs_for_serial(db, "LX-0001")
    assert (await post(client, f"/carry-in/{job.id}/steps/store")).status_code == 303
    await sign_in(client, engineer)
    assert (await post(client, f"/carry-in/{job.id}/steps/start_repair", serial="LX-0001")).status_code == 303
    [unit, *_] = await add_units(db, office, clock)
    await sign_in(client, clerk)
    assert (await lend(client, engineer, job, unit.code)).status_code == 303
    await sign_in(client, engineer)
    refused = await post(client, f"/carry-in/{job.id}/steps/repaired")
    assert refused.status_code == 422 and "still out or not yet confirmed" in refused.text
    assert (await reload(db, job.id)).state == "IN_REPAIR"
    await sign_in(client, clerk)
    assert (await take_back(client, unit.code, "unused", job_id=str(job.id), sealed="on")).status_code == 303
    await sign_in(client, engineer)
    assert (await post(client, f"/carry-in/{job.id}/steps/repaired")).status_code == 422  # back, not confirmed
    await sign_in(client, clerk)
    assert (await post(client, f"/parts/jobs/{job.id}/confirm")).status_code == 303
    await sign_in(client, engineer)
    assert (await post(client, f"/carry-in/{job.id}/steps/repaired")).status_code == 303
    assert (await reload(db, job.id)).state == "REPAIRED"


async def test_a_part_fitted_on_the_checklist_is_in_the_device_and_never_comes_back_unused(client, db, make_user):
    job, engineer = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "repair")
    unit = (await db.exec(select(PartUnit).where(PartUnit.job_id == job.id))).one()
    await db.refresh(unit)
    assert unit.status == UnitStatus.FITTED
    fit = (await db.exec(select(PartMovement).where(PartMovement.unit_id == unit.id))).one()
    assert fit.kind == MovementKind.FIT and fit.to_place == job.device_serial and fit.actor_id == engineer.id
    await sign_in(client, await make_user("clerk"))
    unused = await take_back(client, unit.code, "unused", job_id=str(job.id), sealed="on")
    assert unused.status_code == 422 and "was fitted" in unused.text
    fault = {
        "job_id": str(job.id),
        "fault": "No output",
        "device_serial": job.device_serial,
        "removed_serial": "PSU-00001",
    }
    assert (await take_back(client, unit.code, "faulty", **fault)).status_code == 303
    await db.refresh(unit)
    assert unit.status == UnitStatus.AT_CUSTOMER


async def test_the_same_repair_step_sent_again_fits_the_part_once(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "authenticity")
    fields = {
        "id": "6f1f8f9e-4a0e-4c5a-9a51-2f5d1f3b7c11",
        "work_done": "Replaced the PSU",
        "fitted_serial": "psu-77812",
    }
    for _ in range(2):
        response = await client.post(f"/visits/{job.id}/steps/repair", data=fields, headers=csrf(client))
        assert response.status_code in {200, 303}
    fits = (await db.exec(select(PartMovement).where(PartMovement.kind == MovementKind.FIT))).all()
    assert len(fits) == 1


async def test_a_carry_in_intake_needs_the_customers_signature(client, db, make_user):
    await sign_in(client, await make_user("reception"))
    response = await post(client, "/carry-in/", **carry_in_form(intake_signature=""))
    assert response.status_code == 422 and "signature is required" in response.text
    assert await jobs_for_serial(db, "LX-0001") == []
