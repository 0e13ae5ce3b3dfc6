"""The signed report is frozen and hashed (F60): tampering shows, addenda sit beside it, the customer gets a copy."""

import uuid

from sqlalchemy import update
from sqlmodel import select

from app.visits.models import CustomerSignature, ServiceReport
from app.visits.report import sha256_of
from tests.conftest import csrf, sign_in
from tests.integration.visits_helpers import job_on_the_way, sign_only, walk_to


async def _signed(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "signature")
    return job


async def _stored(db, job) -> ServiceReport:
    query = select(ServiceReport).where(ServiceReport.job_id == job.id).execution_options(populate_existing=True)
    return (await db.exec(query)).one()


async def test_it_detects_content_edited_in_the_database(client, db, make_user):
    job = await _signed(client, db, make_user)
    assert "Signature valid" in (await client.get(f"/visits/{job.id}/report")).text
    report = await _stored(db, job)
    altered = report.content.replace("Mrs. Zhao Lan", "Mr. Nobody")
    await db.exec(update(ServiceReport).where(ServiceReport.job_id == job.id).values(content=altered))
    await db.commit()
    page = await client.get(f"/visits/{job.id}/report")
    assert "Signature invalid: the stored report was altered after it was signed." in page.text


async def test_it_detects_a_rehashed_report_whose_signature_hash_differs(client, db, make_user):
    job = await _signed(client, db, make_user)
    report = await _stored(db, job)
    altered = report.content.replace("Replaced the power supply", "Nothing done")
    await db.exec(
        update(ServiceReport).where(ServiceReport.job_id == job.id).values(content=altered, sha256=sha256_of(altered))
    )
    await db.commit()
    assert "Signature invalid" in (await client.get(f"/visits/{job.id}/report")).text
    await db.exec(
        update(CustomerSignature).where(CustomerSignature.job_id == job.id).values(report_sha256=sha256_of(altered))
    )
    await db.commit()
    # The audit trail still holds the hash the customer signed.
    assert "Signature invalid" in (await client.get(f"/visits/{job.id}/report")).text


async def test_it_keeps_addenda_beside_the_unchanged_signed_content(client, db, make_user):
    job = await _signed(client, db, make_user)
    before = (await _stored(db, job)).sha256
    response = await client.post(
        f"/visits/{job.id}/report/addenda",
        data={"text": "Removed serial is PSU-00002."},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = await client.get(f"/visits/{job.id}/report")
    assert "Removed serial is PSU-00002." in page.text and "Signature valid" in page.text
    assert (await _stored(db, job)).sha256 == before


async def test_it_refuses_visit_changes_after_signing(client, db, make_user):
    job = await _signed(client, db, make_user)
    response = await client.post(f"/visits/{job.id}/steps/verify", data={"fault_gone": "on"}, headers=csrf(client))
    assert response.status_code == 422 and "already done" in response.text


async def test_the_customer_copy_opens_by_its_link_without_signing_in(client, db, make_user):
    job = await _signed(client, db, make_user)
    page = await client.get(f"/visits/{job.id}/report")
    link = page.text.split('data-testid="customer-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    await client.post("/logout", headers=csrf(client))
    copy = await client.get(link)
    assert copy.status_code == 200 and "Signature valid" in copy.text and "Mrs. Zhao Lan" in copy.text
    assert (await client.get("/r/forged.token")).status_code == 404


async def test_it_renders_the_report_as_pdf(client, db, make_user):
    job = await _signed(client, db, make_user)
    response = await client.get(f"/visits/{job.id}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.content.count(b"/Subtype /Image") >= 3  # the visit's photos and the signature


async def test_a_job_whose_signed_report_was_altered_cannot_be_completed(client, db, make_user):
    job = await _signed(client, db, make_user)
    assert (
        await client.post(
            f"/visits/{job.id}/steps/cleanup",
            data={"site_clean": "on", "tools_collected": "on"},
            headers=csrf(client),
            follow_redirects=False,
        )
    ).status_code == 303
    report = await _stored(db, job)
    await db.exec(
        update(ServiceReport)
        .where(ServiceReport.job_id == job.id)
        .values(content=report.content.replace("satisfied", "dissatisfied"))
    )
    await db.commit()
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("manager"))
    response = await client.post(
        f"/jobs/{job.id}/complete",
        data={"reason": "Parts confirmed by phone"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 422 and "does not verify: it was altered after signing" in response.text


async def test_a_retried_signature_is_stored_once(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    same = str(uuid.uuid4())
    first = await sign_only(client, job, "signature", id=same)
    again = await sign_only(client, job, "signature", id=same)
    assert first.status_code == again.status_code == 303
    assert len((await db.exec(select(CustomerSignature))).all()) == 1
