"""Edits from two places: different fields merge, the same field becomes a visible conflict."""

from litestar.testing import AsyncTestClient
from sqlmodel import select

from app.jobs.models import JobConflict
from app.main import create_app
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload, take_request


def details(job, **changes) -> dict[str, str]:
    base = {f"base_{f}": getattr(job, f) for f in ["contact_name", "contact_phone", "site_address"]}
    return {**base, **{f: getattr(job, f) for f in ["contact_name", "contact_phone", "site_address"]}, **changes}


async def test_it_merges_different_fields_and_keeps_both_values_of_the_same_field(
    client, make_user, db, settings, clock
):
    engineer = await make_user("engineer")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id))
    job = await reload(db, job.id)
    phone_form = details(job, contact_phone="13900000001", site_address="2 New Rd, Beijing")  # made offline
    office = await post(
        client, f"/jobs/{job.id}/details", **details(job, contact_phone="13700000002", contact_name="Dr. Wu Lan")
    )
    assert office.status_code == 303
    async with AsyncTestClient(app=create_app(settings, clock)) as phone:
        await phone.get("/login")
        await sign_in(phone, engineer)
        synced = await phone.post(
            f"/jobs/{job.id}/details", data=phone_form, headers=csrf(phone), follow_redirects=False
        )
        assert synced.status_code == 303
    job = await reload(db, job.id)
    assert job.contact_name == "Dr. Wu Lan"  # only the office changed it
    assert job.site_address == "2 New Rd, Beijing"  # only the phone changed it
    assert job.contact_phone == "13700000002"  # both changed it: the current value stays...
    conflict = (await db.exec(select(JobConflict).where(JobConflict.job_id == job.id))).one()
    assert (conflict.kept_value, conflict.other_value) == ("13700000002", "13900000001")  # ...and both survive
    page = await client.get(f"/jobs/{job.id}")
    assert "Two different changes need a decision" in page.text and "13900000001" in page.text
    settled = await post(client, f"/jobs/{job.id}/conflicts/{conflict.id}", choice="other")
    assert settled.status_code == 303
    assert (await reload(db, job.id)).contact_phone == "13900000001"
    again = await post(client, f"/jobs/{job.id}/conflicts/{conflict.id}", choice="kept")
    assert again.status_code == 422 and "already settled" in again.text


async def test_it_refuses_invalid_details(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    response = await post(client, f"/jobs/{job.id}/details", **details(job, contact_phone="call me"))
    assert response.status_code == 422 and "not a valid phone number" in response.text
    assert (await reload(db, job.id)).contact_phone == job.contact_phone
