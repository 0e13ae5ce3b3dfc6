"""The daily hand-over of collected money (F44): the engineer hands what they took to the administrative specialist,
who confirms it payment by payment; differences are kept with a note; the manager sees what is not reconciled."""

import uuid

from sqlmodel import select

from app.audit.models import AuditEntry
from app.visits.models import HandoverLine, Payment, PaymentHandover
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post
from tests.helpers.offices import second_office, user_of
from tests.integration.test_payments import _paid_job_back_at_the_office, payment


async def _engineer_took_two_payments(client, db, make_user):
    """The engineer took 500.00 in cash and 70.00 by mobile payment on a paid job."""
    job, engineer, _clerk = await _paid_job_back_at_the_office(client, db, make_user)
    await sign_in(client, engineer)
    cash = payment(amount="500.00", method="cash", receipt_number="FP-1")
    mobile = payment(amount="70.00", method="mobile", receipt_number="FP-2")
    assert (await post(client, f"/jobs/{job.id}/payment", **cash)).status_code == 303
    assert (await post(client, f"/jobs/{job.id}/payment", **mobile)).status_code == 303
    return job, engineer


async def _hand_over(client, receiver, handover_id=None, expected="57000"):
    return await post(
        client,
        "/payments/handover",
        handover_id=handover_id or str(uuid.uuid4()),
        receiver_id=str(receiver.id),
        expected=expected,
    )


async def _lines(db):
    rows = (await db.exec(select(Payment).order_by(Payment.amount_cents))).all()
    return {row.method: row for row in rows}


async def test_the_engineer_hands_over_cash_and_other_payments_once_and_the_specialist_confirms(client, db, make_user):
    job, engineer = await _engineer_took_two_payments(client, db, make_user)
    admin = await make_user("administrative", display_name="Qian Yue")
    page = (await client.get("/payments/handover")).text
    assert "Cash: CN¥500.00" in page and "Other methods: CN¥70.00" in page and job.number in page
    assert "Qian Yue" in page
    handover_id = str(uuid.uuid4())
    assert (await _hand_over(client, admin, handover_id)).status_code == 303
    assert (await _hand_over(client, admin, handover_id)).status_code == 303  # sent again: once
    handover = (await db.exec(select(PaymentHandover))).one()
    assert (handover.expected_cents, handover.handed_by_id, handover.receiver_id) == (57000, engineer.id, admin.id)
    assert len((await db.exec(select(HandoverLine))).all()) == 2
    assert "You hold no payments" in (await client.get("/payments/handover")).text
    assert (await post(client, f"/payments/handovers/{handover.id}")).status_code == 403  # not an engineer's

    await sign_in(client, admin)
    waiting = (await client.get("/payments/handovers")).text
    assert f"/payments/handovers/{handover.id}" in waiting
    lines = await _lines(db)
    counted = {f"received_{lines['cash'].id}": "500.00", f"received_{lines['mobile'].id}": "70.00"}
    assert (await post(client, f"/payments/handovers/{handover.id}", **counted)).status_code == 303
    assert (await post(client, f"/payments/handovers/{handover.id}", **counted)).status_code == 303  # again: same
    await db.refresh(handover)
    assert (handover.received_cents, handover.confirmed_by_id) == (57000, admin.id)
    assert "Nothing is waiting to be confirmed." in (await client.get("/payments/handovers")).text
    changed = await post(
        client,
        f"/payments/handovers/{handover.id}",
        **{**counted, "note": "x"} | {f"received_{lines['cash'].id}": "1.00"},
    )
    assert changed.status_code == 422 and "already confirmed" in changed.text
    actions = (await db.exec(select(AuditEntry.action).where(AuditEntry.record_type == "payment_handover"))).all()
    assert sorted(actions) == ["payments_handed_over", "payments_reconciled"]


async def test_a_difference_needs_a_note_and_is_kept(client, db, make_user):
    _job, engineer = await _engineer_took_two_payments(client, db, make_user)
    admin = await make_user("administrative")
    assert (await _hand_over(client, admin)).status_code == 303
    handover = (await db.exec(select(PaymentHandover))).one()
    lines = await _lines(db)
    short = {f"received_{lines['cash'].id}": "450.00", f"received_{lines['mobile'].id}": "70.00"}
    await sign_in(client, admin)
    refused = await post(client, f"/payments/handovers/{handover.id}", **short)
    assert refused.status_code == 422 and "say what happened in the note" in refused.text
    bad = await post(client, f"/payments/handovers/{handover.id}", **{**short, f"received_{lines['cash'].id}": "-1"})
    assert bad.status_code == 422 and "Give the amount received in yuan" in bad.text
    await db.refresh(handover)
    assert handover.confirmed_at is None
    note = "50 yuan short: the customer paid 450 in cash and will pay the rest by transfer"
    assert (await post(client, f"/payments/handovers/{handover.id}", **short, note=note)).status_code == 303
    await db.refresh(handover)
    assert (handover.received_cents, handover.note) == (52000, note)
    line = await db.get(HandoverLine, lines["cash"].id)
    assert line.received_cents == 45000
    page = (await client.get("/payments/handovers")).text
    assert "50 yuan short" in page and "expected CN¥570.00, received CN¥520.00" in page
    await sign_in(client, engineer)
    assert "Received CN¥520.00" in (await client.get("/payments/handover")).text


async def test_the_manager_sees_payments_not_reconciled_after_a_day(client, db, make_user, clock):
    job, engineer = await _engineer_took_two_payments(client, db, make_user)
    manager = await make_user("manager")
    await sign_in(client, manager)
    assert "Every payment older than a day is reconciled." in (await client.get("/payments/handovers")).text
    clock.advance(hours=25)
    page = (await client.get("/payments/handovers")).text
    assert page.count(job.number) == 2 and "Not handed over" in page
    await sign_in(client, engineer)
    assert (await _hand_over(client, manager)).status_code == 303  # no specialist: the manager takes it
    await sign_in(client, manager)
    page = (await client.get("/payments/handovers")).text
    assert "Handed over, not confirmed" in page
    handover = (await db.exec(select(PaymentHandover))).one()
    lines = await _lines(db)
    counted = {f"received_{row.id}": f"{row.amount_cents / 100:.2f}" for row in lines.values()}
    assert (await post(client, f"/payments/handovers/{handover.id}", **counted)).status_code == 303
    assert "Every payment older than a day is reconciled." in (await client.get("/payments/handovers")).text


async def test_it_refuses_a_stale_page_a_stranger_receiver_and_another_offices_handover(client, db, make_user, clock):
    _job, engineer = await _engineer_took_two_payments(client, db, make_user)
    admin = await make_user("administrative")
    stale = await _hand_over(client, admin, expected="50000")
    assert stale.status_code == 409 and "Payments changed since this page was shown" in stale.text
    east = await second_office(db)
    stranger = await user_of(db, east, "administrative", clock)
    foreign = await _hand_over(client, stranger)
    assert foreign.status_code == 422 and "Choose a valid receiver" in foreign.text
    assert (await db.exec(select(PaymentHandover))).all() == []
    assert (await _hand_over(client, admin)).status_code == 303
    handover = (await db.exec(select(PaymentHandover))).one()
    await sign_in(client, stranger)  # another office's specialist
    assert (await client.get(f"/payments/handovers/{handover.id}")).status_code == 404
    assert (await post(client, f"/payments/handovers/{handover.id}")).status_code == 404
    other_admin = await make_user("administrative")  # same office, but the money went to someone else
    await sign_in(client, other_admin)
    lines = await _lines(db)
    counted = {f"received_{row.id}": f"{row.amount_cents / 100:.2f}" for row in lines.values()}
    refused = await post(client, f"/payments/handovers/{handover.id}", **counted)
    assert refused.status_code == 403 and "handed to someone else" in refused.text
    await db.refresh(handover)
    assert handover.confirmed_at is None
