"""The signed report is frozen and hashed (F60): tampering shows, addenda sit beside it, the customer gets a copy."""

import base64
import importlib.util
import uuid
from pathlib import Path

from sqlalchemy import update
from sqlmodel import select

from app.jobs.models import JobEvent
from app.visits.models import CustomerSignature, ServiceReport
from app.visits.report import sha256_of
from app.visits.seal import keyring_for
from tests.helpers.clients import csrf, sign_in
from tests.helpers.visits import IMAGE, job_on_the_way, sign_only

INVALID = "Signature invalid: the stored report was altered after it was signed."


async def _signed(client, world):
    db, make_user = world.db, world.make_user
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "signature")
    return job


async def _stored(db, job) -> ServiceReport:
    query = select(ServiceReport).where(ServiceReport.job_id == job.id).execution_options(populate_existing=True)
    return (await db.exec(query)).one()


async def test_it_detects_content_edited_in_the_database(client, db, make_user, world):
    job = await _signed(client, world)
    assert "Signature valid" in (await client.get(f"/visits/{job.id}/report")).text
    report = await _stored(db, job)
    altered = report.content.replace("Mrs. Zhao Lan", "Mr. Nobody")
    await db.exec(update(ServiceReport).where(ServiceReport.job_id == job.id).values(content=altered))
    await db.commit()
    page = await client.get(f"/visits/{job.id}/report")
    assert "Signature invalid: the stored report was altered after it was signed." in page.text


async def test_it_detects_a_rehashed_report_whose_signature_hash_differs(client, db, make_user, world):
    job = await _signed(client, world)
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


async def test_it_keeps_addenda_beside_the_unchanged_signed_content(client, db, make_user, world):
    job = await _signed(client, world)
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


async def test_it_refuses_visit_changes_after_signing(client, db, make_user, world):
    job = await _signed(client, world)
    response = await client.post(f"/visits/{job.id}/steps/verify", data={"fault_gone": "on"}, headers=csrf(client))
    assert response.status_code == 422 and "already done" in response.text


async def test_the_customer_copy_opens_by_its_link_without_signing_in(client, db, make_user, world):
    job = await _signed(client, world)
    page = await client.get(f"/visits/{job.id}/report")
    link = page.text.split('data-testid="customer-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    await client.post("/logout", headers=csrf(client))
    copy = await client.get(link)
    assert copy.status_code == 200 and "Signature valid" in copy.text and "Mrs. Zhao Lan" in copy.text
    assert (await client.get("/r/forged.token")).status_code == 404


async def test_it_renders_the_report_as_pdf(client, db, make_user, world):
    job = await _signed(client, world)
    response = await client.get(f"/visits/{job.id}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.content.count(b"/Subtype /Image") >= 3  # the visit's photos and the signature


async def test_a_job_whose_signed_report_was_altered_cannot_be_completed(client, db, make_user, world):
    job = await _signed(client, world)
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


async def test_a_retried_signature_is_stored_once(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    same = str(uuid.uuid4())
    first = await sign_only(client, job, "signature", id=same)
    again = await sign_only(client, job, "signature", id=same)
    assert first.status_code == again.status_code == 303
    assert len((await db.exec(select(CustomerSignature))).all()) == 1


async def _page(client, job) -> str:
    return (await client.get(f"/visits/{job.id}/report")).text


async def test_it_detects_a_replaced_signature_image_or_strokes(client, db, make_user, world):
    job = await _signed(client, world)
    original = (await db.exec(select(CustomerSignature))).one()
    image, strokes = original.image, original.strokes
    other = IMAGE.replace("AChwGA60e6", "AChwGA60e7")  # another picture
    await db.exec(update(CustomerSignature).values(image=other))
    await db.commit()
    assert INVALID in await _page(client, job)
    await db.exec(update(CustomerSignature).values(image=image, strokes=[{"points": [{"x": 0, "y": 0}] * 2}]))
    await db.commit()
    assert INVALID in await _page(client, job)
    await db.exec(update(CustomerSignature).values(strokes=strokes))
    await db.commit()
    assert "Signature valid: the report is unchanged" in await _page(client, job)


async def test_it_detects_content_rewritten_with_every_stored_hash(client, db, make_user, world):
    job = await _signed(client, world)
    report = await _stored(db, job)
    altered = report.content.replace("Replaced the power supply", "Nothing done")
    digest = sha256_of(altered)
    await db.exec(update(ServiceReport).values(content=altered, sha256=digest))
    await db.exec(update(CustomerSignature).values(report_sha256=digest))
    event = (await db.exec(select(JobEvent).where(JobEvent.kind == "report_signed"))).one()
    await db.exec(update(JobEvent).where(JobEvent.id == event.id).values(details={**event.details, "sha256": digest}))
    await db.commit()
    assert INVALID in await _page(client, job)  # only the server's key could seal the new content


async def test_a_report_signed_before_seals_is_shown_as_sealed_under_the_earlier_scheme(
    client, db, engine, make_user, settings, monkeypatch, tmp_path, world
):
    job = await _signed(client, world)
    await db.exec(update(ServiceReport).values(seal_scheme="", seal_key_id="", seal=""))  # as before 0009
    await db.commit()
    assert INVALID in await _page(client, job)
    monkeypatch.setenv("ONSITE_REPORT_SEAL_KEY", keyring_for(settings).current.decode())
    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    path = Path(__file__).parents[2] / "app/migrations/versions/0009_report_seal.py"
    spec = importlib.util.spec_from_file_location("report_seal_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    async with engine.begin() as connection:
        await connection.run_sync(migration._seal_legacy_reports)
    assert "Signature valid under the earlier scheme" in await _page(client, job)
    report = await _stored(db, job)
    await db.exec(update(ServiceReport).values(content=report.content.replace("Mrs. Zhao Lan", "Mr. Nobody")))
    await db.commit()
    assert INVALID in await _page(client, job)


async def test_the_pdf_embeds_no_file_a_stored_signature_points_to(client, db, make_user, settings, world):
    job = await _signed(client, world)
    await db.exec(update(CustomerSignature).values(image=""))
    await db.commit()
    without_signature = (await client.get(f"/visits/{job.id}/report.pdf")).content.count(b"/Subtype /Image")
    photo = next(Path(settings.media_dir).rglob("*.thumb.jpg"))
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="file://{photo}" width="99" height="99"/></svg>'
    forged = "data:image/png;base64," + base64.b64encode(svg.encode()).decode()  # stored before signatures were decoded
    await db.exec(update(CustomerSignature).values(image=forged))
    await db.commit()
    pdf = (await client.get(f"/visits/{job.id}/report.pdf")).content
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Subtype /Image") == without_signature
