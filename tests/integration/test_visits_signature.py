"""The customer signs, never staff (INV-1, F23): hand-over first, a printed name that is not a staff name."""

import uuid

from sqlmodel import select

from app.visits.models import CustomerSignature
from tests.helpers.clients import csrf
from tests.helpers.jobs import reload
from tests.helpers.visits import customer_signs, job_on_the_way, photo, sign_only


async def test_it_refuses_a_signature_drawn_without_handing_the_phone_over(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    response = await sign_only(client, job, "signature")
    assert response.status_code == 422
    assert "The customer signs only after you choose “Hand the phone to the customer”." in response.text
    assert (await reload(db, job.id)).report_signed_at is None


async def test_it_refuses_a_staff_members_name_whatever_its_case_or_spacing(client, db, make_user, world):
    job, engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    for name in ["  test   ENGINEER ", engineer.username.upper()]:
        response = await customer_signs(client, job, "signature", name=name)
        assert response.status_code == 422 and "Staff never sign for the customer" in response.text
    assert (await db.exec(select(CustomerSignature))).first() is None


async def test_it_refuses_a_signature_without_a_printed_name_or_strokes(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    response = await customer_signs(client, job, "signature", name="")
    assert "The customer&#39;s printed name is required." in response.text
    response = await sign_only(client, job, "signature", strokes="[]")
    assert "The signature is empty." in response.text


async def test_it_records_the_signers_name_times_and_strokes(client, db, make_user, clock, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    page = await client.get(f"/visits/{job.id}/sign/signature")
    assert "What you are signing" in page.text and "XR-200" in page.text
    assert "Replaced the power supply" in page.text and "Shoe covers on" not in page.text  # plain words
    response = await sign_only(client, job, "signature", device_time=clock.now.isoformat())
    assert response.status_code == 303
    signature = (await db.exec(select(CustomerSignature))).one()
    assert signature.signer_name == "Mrs. Zhao Lan" and len(signature.strokes[0]["points"]) == 3
    assert signature.device_at is not None and len(signature.report_sha256) == 64
    assert (await reload(db, job.id)).state == "SIGNED_OFF"


async def test_the_customers_official_stamp_can_replace_the_signature(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    stamp = {"id": str(uuid.uuid4()), "method": "stamp", "signer_name": "Acme Hospital Office"}
    response = await client.post(f"/visits/{job.id}/sign/signature", data=stamp, headers=csrf(client))
    assert response.status_code == 422 and "Take a photo of the customer&#39;s official stamp first." in response.text
    assert (await photo(client, job, "signature")).status_code == 201
    assert "Confirm with your official stamp" in (await client.get(f"/visits/{job.id}/sign/signature")).text
    response = await client.post(
        f"/visits/{job.id}/sign/signature", data=stamp, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    assert (await reload(db, job.id)).state == "SIGNED_OFF"
    page = await client.get(f"/visits/{job.id}/report")
    assert "Signature valid" in page.text and "official stamp" in page.text


async def test_only_customer_signed_steps_have_a_signing_view(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "arrive")
    assert (await client.get(f"/visits/{job.id}/sign/arrive")).status_code == 404
    assert (await client.get(f"/visits/{job.id}/sign/no-such-step")).status_code == 404


async def test_it_stores_the_printed_name_without_bidi_controls(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    response = await customer_signs(client, job, "signature", name="\u202eMrs. Zhao\u2069 Lan\u200f")
    assert response.status_code == 303
    assert (await db.exec(select(CustomerSignature.signer_name))).one() == "Mrs. Zhao Lan"
