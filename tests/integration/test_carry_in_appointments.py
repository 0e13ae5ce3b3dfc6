"""Carry-in appointments (F41): a daily capacity with a fifth held back for carry-overs and walk-ins, the office's
working days only, the next day with room named on a refusal, the drop-off that keeps the appointment, no-shows and
cancellations, who may book and set the capacity."""

import asyncio
import uuid
from datetime import date

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import Holiday
from app.audit.models import AuditEntry
from app.carryin.appointments import bookable
from app.carryin.models import Appointment
from tests.helpers.after import carry_in_form, jobs_for_serial
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post
from tests.helpers.offices import second_office, user_of

TUESDAY = "2026-11-24"  # the clock's day is Monday 23 November 2026


def booking(day: str = TUESDAY, **overrides) -> dict[str, str]:
    return {
        "appointment_id": str(uuid.uuid4()),
        "day": day,
        "customer_name": "Wang Ming",
        "customer_phone": "13900139000",
        "device_model": "LX-15",
        "device_serial": "lx-0001",
        "fault_description": "Screen flickers",
        **overrides,
    }


async def appointments(db, **where) -> list[Appointment]:
    query = select(Appointment).execution_options(populate_existing=True)
    for name, value in where.items():
        query = query.where(getattr(Appointment, name) == value)
    return list((await db.exec(query.order_by(Appointment.booked_at))).all())


def test_a_fifth_of_the_capacity_is_held_back_rounded_in_its_favour():
    assert [bookable(n) for n in (1, 2, 5, 10, 12, 80)] == [0, 1, 4, 8, 9, 64]


async def test_it_books_up_to_the_capacity_less_the_fifth_and_names_the_next_day_with_room(client, db, make_user):
    await sign_in(client, await make_user("manager"))
    assert (await post(client, "/appointments/capacity", daily_capacity="5")).status_code == 303
    await sign_in(client, await make_user("coordinator"))
    for number in range(4):
        response = await post(client, "/appointments", **booking(customer_name=f"Customer {number}"))
        assert response.status_code == 303 and response.headers["location"] == f"/appointments?day={TUESDAY}"
    full = await post(client, "/appointments", **booking(customer_name="One too many"))
    assert full.status_code == 422
    assert "24 Nov 2026 is full: 4 of 4 places are booked" in full.text
    assert "The next day with room is 25 Nov 2026." in full.text
    page = (await client.get(f"/appointments?day={TUESDAY}")).text
    assert 'data-testid="plan-booked">4<' in page and 'data-testid="plan-left">0<' in page
    assert "Customer 3" in page and "One too many" not in page
    assert len(await appointments(db)) == 4


async def test_weekends_holidays_past_and_far_days_cannot_be_booked(client, db, make_user, office):
    db.add(Holiday(office_id=office.id, day=date(2026, 11, 30), name="Office day off"))
    await db.commit()
    await sign_in(client, await make_user("reception"))
    cases = [
        ("2026-11-28", "28 Nov 2026 is not a working day of the office. The next day with room is 1 Dec 2026."),
        ("2026-11-30", "30 Nov 2026 is not a working day of the office. The next day with room is 1 Dec 2026."),
        ("2026-11-20", "Choose today or a later day."),
        ("2027-06-01", "at most 90 days ahead"),
        ("2026-13-45", "Day is not a valid date."),
        ("", "Day is required."),
    ]
    for day, message in cases:
        response = await post(client, "/appointments", **booking(day))
        assert response.status_code == 422 and message in response.text, (day, response.text[:500])
    assert await appointments(db) == []
    page = (await client.get("/appointments?day=2026-11-28")).text
    assert 'data-testid="not-working"' in page and "Book an appointment" not in page


async def test_an_appointment_turns_into_the_drop_off_and_keeps_the_link(client, db, make_user):
    await sign_in(client, await make_user("reception"))
    form = booking("2026-11-23")
    await post(client, "/appointments", **form)
    [appointment] = await appointments(db)
    day_page = (await client.get("/appointments")).text
    assert f"/carry-in/new?appointment={appointment.id}" in day_page
    intake = (await client.get(f"/carry-in/new?appointment={appointment.id}")).text
    assert 'value="Wang Ming"' in intake and 'value="LX-0001"' in intake and str(appointment.id) in intake
    response = await client.post(
        "/carry-in/",
        data=carry_in_form(appointment_id=str(appointment.id)),
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:1500]
    [job] = await jobs_for_serial(db, "LX-0001")
    [appointment] = await appointments(db)
    assert appointment.state == "arrived" and appointment.job_id == job.id
    assert "Taken in from the appointment of 23 Nov 2026" in (await client.get(f"/carry-in/{job.id}")).text
    assert f"/carry-in/{job.id}" in (await client.get("/appointments")).text
    again = await client.post(
        "/carry-in/",
        data=carry_in_form(appointment_id=str(appointment.id), device_serial="LX-0002"),
        headers=csrf(client),
    )
    assert again.status_code == 422 and "no longer open" in again.text
    assert await jobs_for_serial(db, "LX-0002") == []


async def test_a_cancellation_gives_the_place_back_and_a_no_show_waits_for_the_day(client, db, make_user, clock):
    await sign_in(client, await make_user("manager"))
    await post(client, "/appointments/capacity", daily_capacity="2")  # one place to book
    await sign_in(client, await make_user("reception"))
    form = booking()
    assert (await post(client, "/appointments", **form)).status_code == 303
    twice = await post(client, "/appointments", **form)  # the same form sent twice books once
    assert twice.status_code == 303 and len(await appointments(db)) == 1
    assert (await post(client, "/appointments", **booking(customer_name="Late"))).status_code == 422
    [first] = await appointments(db)
    early = await post(client, f"/appointments/{first.id}/no-show")
    assert early.status_code == 422 and "from the day of the appointment" in early.text
    no_reason = await post(client, f"/appointments/{first.id}/cancel")
    assert no_reason.status_code == 422 and "Reason is required" in no_reason.text
    assert (await post(client, f"/appointments/{first.id}/cancel", reason="Customer fixed it")).status_code == 303
    assert (await post(client, "/appointments", **booking(customer_name="Second"))).status_code == 303
    second = (await appointments(db, customer_name="Second"))[0]
    clock.advance(days=1)
    assert (await post(client, f"/appointments/{second.id}/no-show")).status_code == 303
    assert (await post(client, f"/appointments/{second.id}/no-show")).status_code == 303  # once
    refused = await post(client, f"/appointments/{second.id}/cancel", reason="late")
    assert refused.status_code == 422 and "no longer open" in refused.text
    states = {a.customer_name: a.state for a in await appointments(db)}
    assert states == {"Wang Ming": "cancelled", "Second": "no_show"}
    actions = (await db.exec(select(AuditEntry.action))).all()
    assert actions.count("appointment_no_show") == 1 and "appointment_cancelled" in actions


async def test_two_desks_booking_the_last_place_at_once_book_it_once(client, db, make_user):
    await sign_in(client, await make_user("manager"))
    await post(client, "/appointments/capacity", daily_capacity="2")
    await sign_in(client, await make_user("reception"))
    answers = await asyncio.gather(
        *[post(client, "/appointments", **booking(customer_name=f"Desk {n}")) for n in range(3)]
    )
    assert sorted(answer.status_code for answer in answers) == [303, 422, 422]
    assert await db.scalar(select(func.count()).select_from(Appointment)) == 1


async def test_engineers_do_not_book_only_the_manager_sets_the_capacity_and_offices_stay_apart(
    client, db, make_user, clock
):
    await sign_in(client, await make_user("engineer"))
    assert (await client.get("/appointments")).status_code == 403
    assert (await post(client, "/appointments", **booking())).status_code == 403
    for role in ("reception", "coordinator"):
        await sign_in(client, await make_user(role))
        assert (await client.get("/appointments")).status_code == 200
        assert (await post(client, "/appointments/capacity", daily_capacity="50")).status_code == 403
    await post(client, "/appointments", **booking())
    [appointment] = await appointments(db)
    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "reception", clock))
    assert "Wang Ming" not in (await client.get(f"/appointments?day={TUESDAY}")).text
    assert (await post(client, f"/appointments/{appointment.id}/cancel", reason="x")).status_code == 404
    assert (await client.get(f"/carry-in/new?appointment={appointment.id}")).status_code == 422
    await sign_in(client, await make_user("manager"))
    for bad in ("0", "-3", "501", "1e3", "ten", ""):
        response = await post(client, "/appointments/capacity", daily_capacity=bad)
        assert response.status_code == 422 and 'class="field-error"' in response.text, bad
    assert (await appointments(db))[0].state == "booked"
