"""Photos on an escalation (F52): taken when it is raised or afterwards, through the visit photos' pipeline (same
checks and normalisation), shown on the escalation to those who may see the job, refused clearly when bad."""

import dataclasses
import io
import uuid

from PIL import Image
from sqlmodel import select

from app.jobs.models import Escalation, EscalationDocument, EscalationFile
from app.media.store import photo_store
from tests.helpers.clients import csrf, sign_in
from tests.helpers.hostile_files import refused as bad_files
from tests.helpers.offices import second_office, user_of
from tests.helpers.visits import job_on_the_way, jpeg

ESCALATION = {
    "level": "L2",
    "symptoms": "Burning smell from the power supply",
    "actions_taken": "Power cut, unit isolated",
    "customer_expectation": "Working by Friday",
}

# What the photo pipeline tells the user (app/media/images.py), in part.
REFUSALS = ("not a photo we can read", "damaged or incomplete", "too many pixels", "megapixels", "larger than")


async def escalate(client, job, photos: list[bytes], upload_id: str | None = None, **fields):
    files = [("photo", (f"p{index}.jpg", content, "image/jpeg")) for index, content in enumerate(photos)]
    data = {**ESCALATION, "upload_id": upload_id or str(uuid.uuid4()), **fields}
    return await client.post(
        f"/jobs/{job.id}/escalate", data=data, files=files or None, headers=csrf(client), follow_redirects=False
    )


async def attach(client, job, escalation, photos: list[bytes], upload_id: str | None = None):
    files = [("photo", (f"a{index}.jpg", content, "image/jpeg")) for index, content in enumerate(photos)]
    return await client.post(
        f"/jobs/{job.id}/escalations/{escalation.id}/photos",
        data={"upload_id": upload_id or str(uuid.uuid4())},
        files=files,
        headers=csrf(client),
        follow_redirects=False,
    )


def keys(settings) -> list[str]:
    return sorted(photo_store(settings).list_keys())


async def test_the_engineer_raises_an_escalation_with_photos_and_adds_one_later(client, db, make_user, settings):
    job, _engineer = await job_on_the_way(client, db, make_user)
    response = await escalate(client, job, [jpeg(color=(200, 30, 30)), jpeg(color=(30, 30, 200))])
    assert response.status_code == 303, response.text[:2000]
    escalation = (await db.exec(select(Escalation))).one()
    files = (await db.exec(select(EscalationFile))).all()
    assert len(files) == 2 and {f.escalation_id for f in files} == {escalation.id}
    upload_id = str(uuid.uuid4())
    assert (await attach(client, job, escalation, [jpeg(color=(30, 200, 30))], upload_id)).status_code == 303
    assert (await attach(client, job, escalation, [jpeg(color=(30, 200, 30))], upload_id)).status_code == 303
    files = (await db.exec(select(EscalationFile).order_by(EscalationFile.at))).all()
    assert len(files) == 3  # the same upload sent twice is stored once
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    page = (await client.get(f"/jobs/{job.id}")).text
    assert page.count(f"/escalations/{escalation.id}/photos/") == 6  # link and thumbnail of each
    served = await client.get(f"/escalations/{escalation.id}/photos/{files[0].id}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served.content))
    assert image.format == "JPEG" and not image.info.get("exif")
    thumb = await client.get(f"/escalations/{escalation.id}/photos/{files[0].id}/thumb")
    assert thumb.status_code == 200
    assert len(keys(settings)) == 6  # three photos and their thumbnails


async def test_only_those_who_may_see_the_job_see_or_add_its_escalation_photos(client, db, make_user, clock):
    job, _engineer = await job_on_the_way(client, db, make_user)
    assert (await escalate(client, job, [jpeg()])).status_code == 303
    escalation = (await db.exec(select(Escalation))).one()
    file = (await db.exec(select(EscalationFile))).one()
    url = f"/escalations/{escalation.id}/photos/{file.id}"
    await sign_in(client, await make_user("engineer"))  # an engineer of another job
    assert (await client.get(url)).status_code == 404
    assert (await attach(client, job, escalation, [jpeg()])).status_code in {403, 404}
    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "manager", clock))  # another office's manager
    assert (await client.get(url)).status_code == 404
    assert (await client.get(f"{url}/thumb")).status_code == 404
    response = await attach(client, job, escalation, [jpeg()])
    assert response.status_code == 404
    assert len((await db.exec(select(EscalationFile))).all()) == 1


async def test_it_refuses_bad_files_on_an_escalation_and_stores_nothing(client, db, make_user, settings):
    job, _engineer = await job_on_the_way(client, db, make_user)
    for name, data in bad_files().items():
        if not data:
            continue  # an empty file input is no photo: the escalation goes without
        response = await escalate(client, job, [data])
        assert response.status_code == 422, name
        assert any(reason in response.text for reason in REFUSALS) and 'role="alert"' in response.text, name
    assert (await db.exec(select(Escalation))).all() == []
    assert (await db.exec(select(EscalationFile))).all() == []
    assert keys(settings) == []
    # one good photo and one fake: nothing of either is kept, and no escalation raised
    assert (await escalate(client, job, [jpeg(), b"<html><script>alert(1)</script>"])).status_code == 422
    assert (await db.exec(select(Escalation))).all() == [] and keys(settings) == []


async def test_it_refuses_an_oversized_photo_and_an_attachment_without_one(client, db, make_user, settings):
    job, _engineer = await job_on_the_way(client, db, make_user)
    assert (await escalate(client, job, [])).status_code == 303  # photos are optional
    escalation = (await db.exec(select(Escalation))).one()
    client.app.state.settings = dataclasses.replace(settings, photo_max_bytes=20_000)
    noise = Image.effect_noise((800, 600), 60).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    response = await attach(client, job, escalation, [buffer.getvalue()])
    assert response.status_code == 422 and "This photo is larger than 0.02 MB" in response.text
    nothing = await client.post(
        f"/jobs/{job.id}/escalations/{escalation.id}/photos",
        data={"upload_id": str(uuid.uuid4())},
        files=[("photo", ("empty.jpg", b"", "image/jpeg"))],
        headers=csrf(client),
        follow_redirects=False,
    )
    assert nothing.status_code == 422 and "Choose a photo or a PDF to attach." in nothing.text
    assert (await db.exec(select(EscalationFile))).all() == [] and keys(settings) == []


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


async def send_documents(client, job, documents: list[tuple[str, bytes]], escalation=None):
    files = [("document", (name, content, "application/pdf")) for name, content in documents]
    if escalation is None:
        data = {**ESCALATION, "upload_id": str(uuid.uuid4())}
        url = f"/jobs/{job.id}/escalate"
    else:
        data, url = {"upload_id": str(uuid.uuid4())}, f"/jobs/{job.id}/escalations/{escalation.id}/photos"
    return await client.post(url, data=data, files=files, headers=csrf(client), follow_redirects=False)


async def test_a_pdf_goes_with_the_escalation_and_is_only_ever_downloaded(client, db, make_user, clock):
    job, _engineer = await job_on_the_way(client, db, make_user)
    assert (await send_documents(client, job, [("pump log ⚠.pdf", PDF)])).status_code == 303
    escalation = (await db.exec(select(Escalation))).one()
    assert (await send_documents(client, job, [("report.pdf", PDF)], escalation)).status_code == 303
    documents = (await db.exec(select(EscalationDocument).order_by(EscalationDocument.at))).all()
    assert [d.name for d in documents] == ["pump log ⚠.pdf", "report.pdf"] and documents[0].content == PDF
    await sign_in(client, await make_user("coordinator"))
    page = (await client.get(f"/jobs/{job.id}")).text
    assert "pump log ⚠.pdf" in page and f"/escalations/{escalation.id}/documents/{documents[0].id}" in page
    served = await client.get(f"/escalations/{escalation.id}/documents/{documents[0].id}")
    assert served.status_code == 200 and served.content == PDF
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment;")
    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "manager", clock))
    assert (await client.get(f"/escalations/{escalation.id}/documents/{documents[0].id}")).status_code == 404


async def test_it_refuses_a_fake_a_cut_and_an_oversized_pdf(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    for name, content, message in [
        ("fake.pdf", b"<!doctype html><script>alert(1)</script>", "not a whole PDF"),
        ("cut.pdf", PDF[:40], "not a whole PDF"),
        ("photo.pdf", jpeg(), "not a whole PDF"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * 10_000_001 + b"\n%%EOF\n", "larger than 10 MB"),
    ]:
        response = await send_documents(client, job, [(name, content)])
        assert response.status_code == 422 and message in response.text, name
    assert (await db.exec(select(Escalation))).all() == []
    assert (await db.exec(select(EscalationDocument))).all() == []
