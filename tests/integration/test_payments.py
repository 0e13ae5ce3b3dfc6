"""Payments for paid work (F44, T18): amount, method, receipt number and who handed it over; completion waits."""

import uuid

from sqlmodel import select

from app.parts.models import PartUnit
from app.visits.models import Payment
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.parts import take_back
from tests.helpers.visits import customer_signs, job_on_the_way, walk_to


async def _paid_job_back_at_the_office(client, db, make_user):
    """An out-of-warranty repair: quote of 570.00 signed, repaired, signed off, its part back and confirmed."""
    job, engineer = await job_on_the_way(
        client, db, make_user, warranty_status="out_of_warranty", policy_explained="on"
    )
    await walk_to(client, job, "classify")
    quote = {"qty_LAB-DIAG": "1", "qty_PART-PSU": "1"}
    assert (await client.post(f"/visits/{job.id}/quote", data=quote, headers=csrf(client))).status_code in {200, 303}
    assert (await customer_signs(client, job, "quote", decision="accepted")).status_code == 303
    await walk_to(client, job, "cleanup", first="explain")
    clerk = await make_user("clerk")
    await sign_in(client, clerk)
    unit = (await db.exec(select(PartUnit).where(PartUnit.job_id == job.id))).one()
    fault = {
        "job_id": str(job.id),
        "fault": "No output",
        "device_serial": job.device_serial,
        "removed_serial": "PSU-00001",
    }
    assert (await take_back(client, unit.code, "faulty", **fault)).status_code == 303
    assert (await post(client, f"/parts/jobs/{job.id}/confirm")).status_code == 303
    return await reload(db, job.id), engineer, clerk


def payment(**overrides) -> dict[str, str]:
    return {
        "payment_id": str(uuid.uuid4()),
        "amount": "570.00",
        "method": "mobile",
        "receipt_number": "FP-2026-0042",
        "paid_by": "Mr. Zhao",
        **overrides,
    }


async def test_it_refuses_completion_until_the_consented_price_is_received(client, db, make_user):
    job, _engineer, _clerk = await _paid_job_back_at_the_office(client, db, make_user)
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    page = (await client.get(f"/jobs/{job.id}")).text
    assert 'data-gate="payment"' in page and 'data-testid="payment"' in page
    response = await post(client, f"/jobs/{job.id}/complete", version=str(job.version))
    assert response.status_code == 422 and "Waiting for the payment" in response.text
    assert (await post(client, f"/jobs/{job.id}/payment", **payment(amount="500.00"))).status_code == 303
    job = await reload(db, job.id)
    response = await post(client, f"/jobs/{job.id}/complete", version=str(job.version))
    assert response.status_code == 422 and "Waiting for the payment" in response.text  # 500 of 570
    assert (
        await post(client, f"/jobs/{job.id}/payment", **payment(amount="70", receipt_number="FP-43"))
    ).status_code == 303
    job = await reload(db, job.id)
    assert (await post(client, f"/jobs/{job.id}/complete", version=str(job.version))).status_code == 303
    rows = (await db.exec(select(Payment).where(Payment.job_id == job.id))).all()
    assert sorted(r.amount_cents for r in rows) == [7000, 50000] and {r.received_by_id for r in rows} == {
        coordinator.id
    }


async def test_the_engineer_records_the_payment_from_the_phone_once_however_often_it_is_sent(client, db, make_user):
    job, engineer, _clerk = await _paid_job_back_at_the_office(client, db, make_user)
    await sign_in(client, engineer)
    form = payment(method="cash")
    headers = {**csrf(client), "Idempotency-Key": str(uuid.uuid4()), "X-Device-Time": "2026-11-23T09:05:00Z"}
    first = await client.post(f"/jobs/{job.id}/payment", data=form, headers=headers, follow_redirects=False)
    again = await client.post(f"/jobs/{job.id}/payment", data=form, headers=csrf(client), follow_redirects=False)
    assert first.status_code == again.status_code == 303
    changed = await client.post(
        f"/jobs/{job.id}/payment", data={**form, "amount": "1.00"}, headers=csrf(client), follow_redirects=False
    )
    assert changed.status_code == 422 and "different content" in changed.text
    row = (await db.exec(select(Payment).where(Payment.job_id == job.id))).one()
    assert (row.amount_cents, row.method, row.paid_by, row.received_by_id) == (57000, "cash", "Mr. Zhao", engineer.id)
    job = await reload(db, job.id)
    await sign_in(client, await make_user("coordinator"))
    assert (await post(client, f"/jobs/{job.id}/complete", version=str(job.version))).status_code == 303


async def test_it_refuses_a_bad_payment_and_stores_nothing(client, db, make_user):
    job, _engineer, clerk = await _paid_job_back_at_the_office(client, db, make_user)
    await sign_in(client, clerk)
    for bad, text in [
        ({"amount": "-5"}, "Give the amount received in yuan"),
        ({"amount": "abc"}, "Give the amount received in yuan"),
        ({"method": "gold"}, "Payment method"),
        ({"receipt_number": ""}, "Receipt or invoice number"),
        ({"paid_by": ""}, "Handed over by"),
    ]:
        response = await post(client, f"/jobs/{job.id}/payment", **payment(**bad))
        assert response.status_code == 422 and text in response.text, bad
    assert (await db.exec(select(Payment))).all() == []


async def test_it_offers_no_payment_on_unpaid_work_and_refuses_one(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    await sign_in(client, await make_user("coordinator"))
    assert 'data-testid="payment"' not in (await client.get(f"/jobs/{job.id}")).text
    response = await post(client, f"/jobs/{job.id}/payment", **payment())
    assert response.status_code == 422 and "paid work" in response.text
