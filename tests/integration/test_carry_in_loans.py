"""Loan equipment at the carry-in counter (F40): the register, lending against the customer's signed equipment
receipt, the printable receipt, taking it back, the pickup that waits for it, overdue loans, who may lend."""

import uuid

from sqlalchemy import func
from sqlmodel import select

from app.audit.models import AuditEntry
from app.carryin.models import Loan, LoanItem
from app.jobs.models import JobEvent
from tests.helpers.after import ready_for_pickup, take_in
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.offices import second_office, user_of
from tests.helpers.visits import IMAGE


async def add_item(client, code: str = "LN-01", **fields) -> LoanItem:
    form = {"item_id": str(uuid.uuid4()), "code": code, "serial": "SN-L1", "description": "Loan laptop"}
    response = await post(client, "/loan-equipment", **{**form, "condition": "Good", **fields})
    assert response.status_code == 303, response.text[:1500]
    return form["item_id"]


def lend_form(item_id, **overrides) -> dict[str, str]:
    return {
        "loan_id": str(uuid.uuid4()),
        "item_id": str(item_id),
        "due_back": "2026-11-26",
        "condition_out": "Good, scratch on the lid",
        "signer_name": "Wang Ming",
        "loan_signature": IMAGE,
        **overrides,
    }


async def loans_of(db, job_id) -> list[Loan]:
    rows = await db.exec(select(Loan).where(Loan.job_id == job_id).execution_options(populate_existing=True))
    return list(rows.all())


async def test_it_lends_an_item_against_a_signed_receipt_tracks_it_and_takes_it_back(client, db, make_user):
    reception = await make_user("reception")
    await sign_in(client, reception)
    item_id = await add_item(client)
    job, _order = await take_in(client, db)
    page = (await client.get(f"/carry-in/{job.id}")).text
    assert "Lend loan equipment to the customer" in page and "LN-01 · Loan laptop" in page

    form = lend_form(item_id)
    lent = await post(client, f"/carry-in/{job.id}/loan", **form)
    again = await post(client, f"/carry-in/{job.id}/loan", **form)  # the same form sent twice lends once
    assert lent.status_code == again.status_code == 303
    assert lent.headers["location"] == again.headers["location"] == f"/loan-equipment/loans/{form['loan_id']}/receipt"
    [loan] = await loans_of(db, job.id)
    assert loan.signer_name == "Wang Ming" and loan.signature.startswith("data:image/png;base64,")
    assert loan.lent_by_id == reception.id and loan.returned_at is None

    receipt = (await client.get(lent.headers["location"])).text
    assert receipt.count('class="card order-copy"') == 2 and "Wang Ming" in receipt and job.number in receipt
    register = (await client.get("/loan-equipment")).text
    out = register.split('data-testid="loans-out"')[1].split('data-testid="loans-shelf"')[0]
    assert "LN-01" in out and job.number in out and "Wang Ming" in out and "loan-overdue" not in out
    page = (await client.get(f"/carry-in/{job.id}")).text
    assert 'data-testid="loan-out"' in page and "Take back the loan equipment" in page
    assert "Loan equipment out: LN-01" in (await client.get("/carry-in/")).text

    back = await post(client, f"/loan-equipment/loans/{loan.id}/return", condition_back="Good, screen cleaned")
    twice = await post(client, f"/loan-equipment/loans/{loan.id}/return", condition_back="Good, screen cleaned")
    assert back.status_code == twice.status_code == 303 and back.headers["location"] == f"/carry-in/{job.id}"
    [loan] = await loans_of(db, job.id)
    assert loan.returned_by_id == reception.id and loan.condition_back == "Good, screen cleaned"
    item = (await db.exec(select(LoanItem).execution_options(populate_existing=True))).one()
    assert item.condition == "Good, screen cleaned"
    kinds = (await db.exec(select(JobEvent.kind).where(JobEvent.job_id == job.id))).all()
    assert kinds.count("loan_issued") == 1 and kinds.count("loan_returned") == 1
    actions = set((await db.exec(select(AuditEntry.action))).all())
    assert {"loan_item_added", "loan_issued", "loan_returned"} <= actions
    assert "LN-01" in (await client.get("/loan-equipment")).text.split('data-testid="loans-shelf"')[1]
    assert 'data-flag="loan-out"' not in (await client.get("/carry-in/")).text


async def test_the_device_goes_home_only_once_the_loan_item_is_back(client, db, make_user, clock):
    job, order = await ready_for_pickup(client, db, make_user, clock)  # signed in as reception
    item_id = await add_item(client)
    assert (await post(client, f"/carry-in/{job.id}/loan", **lend_form(item_id))).status_code == 303
    assert 'data-testid="loan-before-pickup"' in (await client.get(f"/carry-in/{job.id}")).text
    job = await reload(db, job.id)
    pickup = {
        "version": str(job.version),
        "voucher_code": order.voucher_code,
        "collected_by_name": "Wang Ming",
        "bench_verified": "on",
        "pickup_signature": IMAGE,
    }
    refused = await post(client, f"/carry-in/{job.id}/pickup", **pickup)
    assert refused.status_code == 422 and "still out" in refused.text
    assert (await reload(db, job.id)).state == "READY_FOR_PICKUP"
    [loan] = await loans_of(db, job.id)
    await post(client, f"/loan-equipment/loans/{loan.id}/return", condition_back="Good")
    pickup["version"] = str((await reload(db, job.id)).version)
    assert (await post(client, f"/carry-in/{job.id}/pickup", **pickup)).status_code == 303
    assert (await reload(db, job.id)).state == "COLLECTED"
    page = (await client.get(f"/carry-in/{job.id}")).text
    assert "Lend loan equipment" not in page and "LN-01 back" in page


async def test_it_refuses_a_second_item_a_lent_item_a_staff_signer_no_signature_and_a_past_return_day(
    client, db, make_user
):
    reception = await make_user("reception", display_name="Sun Hui")
    await sign_in(client, reception)
    first, second = await add_item(client, "LN-01"), await add_item(client, "LN-02")
    job, _ = await take_in(client, db)
    other, _ = await take_in(client, db, device_serial="LX-0002")
    assert (await post(client, f"/carry-in/{job.id}/loan", **lend_form(first))).status_code == 303
    cases = [
        (other.id, lend_form(first), "already lent out"),
        (job.id, lend_form(second), "already out for this job"),
        (other.id, lend_form(second, signer_name="sun hui"), "staff account"),
        (other.id, lend_form(second, loan_signature=""), "signature is required"),
        (other.id, lend_form(second, loan_signature="data:image/svg+xml;base64,PHN2Zz4="), "could not be read"),
        (other.id, lend_form(second, due_back="2026-11-20"), "from today to 90 days ahead"),
        (other.id, lend_form(second, due_back="2026-02-30"), "not a valid date"),
        (other.id, {**lend_form(second), "item_id": "not-an-id"}, "Choose a loan item"),
        (other.id, lend_form(second, loan_id=""), "out of date"),
        (other.id, lend_form(second, condition_out=""), "Condition when lent is required"),
    ]
    for job_id, form, message in cases:
        response = await post(client, f"/carry-in/{job_id}/loan", **form)
        assert response.status_code == 422 and message in response.text, (message, response.text[:300])
    assert len(await loans_of(db, other.id)) == 0 and len(await loans_of(db, job.id)) == 1
    duplicate = await post(
        client, "/loan-equipment", item_id=str(uuid.uuid4()), code="ln-01", description="x", condition="ok"
    )
    assert duplicate.status_code == 422 and "already in the register" in duplicate.text
    assert await db.scalar(select(func.count()).select_from(LoanItem)) == 2


async def test_it_flags_a_loan_past_its_return_day(client, db, make_user, clock):
    await sign_in(client, await make_user("reception"))
    item_id = await add_item(client)
    job, _ = await take_in(client, db)
    await post(client, f"/carry-in/{job.id}/loan", **lend_form(item_id, due_back="2026-11-24"))
    assert 'data-flag="loan-overdue"' not in (await client.get("/loan-equipment")).text
    clock.advance(days=2)
    assert 'data-flag="loan-overdue"' in (await client.get("/loan-equipment")).text
    assert 'data-flag="loan-overdue"' in (await client.get(f"/carry-in/{job.id}")).text


async def test_engineers_neither_lend_nor_see_the_register_and_other_offices_see_nothing(client, db, make_user, clock):
    await sign_in(client, await make_user("reception"))
    item_id = await add_item(client)
    job, _ = await take_in(client, db)
    lent = await post(client, f"/carry-in/{job.id}/loan", **lend_form(item_id))
    receipt = lent.headers["location"]
    loan_id = receipt.split("/")[3]
    await sign_in(client, await make_user("engineer"))
    assert (await client.get("/loan-equipment")).status_code == 403
    assert (await post(client, f"/carry-in/{job.id}/loan", **lend_form(item_id))).status_code == 403
    assert (await post(client, f"/loan-equipment/loans/{loan_id}/return", condition_back="x")).status_code == 403
    assert (await client.get(receipt)).status_code == 403

    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "reception", clock))
    assert "LN-01" not in (await client.get("/loan-equipment")).text
    assert (await client.get(receipt)).status_code == 404
    assert (await post(client, f"/loan-equipment/loans/{loan_id}/return", condition_back="x")).status_code == 404
    [loan] = await loans_of(db, job.id)
    assert loan.returned_at is None
