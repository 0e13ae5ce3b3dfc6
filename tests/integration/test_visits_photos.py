"""Photos for checklist steps: uploaded through the media pipeline, served only to people who may see the job."""

import io
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from app.visits.models import VisitPhoto
from tests.helpers.clients import csrf, sign_in
from tests.helpers.env import shared_photos
from tests.helpers.visits import job_on_the_way, jpeg, photo, step


@pytest.fixture(params=["local", "s3"])
def media_backend(request) -> str:
    """Every test here runs with photos on disk and in an S3 bucket."""
    return request.param


async def test_it_stores_a_photo_and_serves_it_and_its_thumbnail_to_the_engineer(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "enter")
    response = await photo(client, job, "warranty", jpeg(3000, 2000))
    assert response.status_code == 201
    body = response.json()
    image = await client.get(body["url"])
    thumbnail = await client.get(body["thumbnail"])
    assert image.status_code == thumbnail.status_code == 200
    assert image.headers["content-type"] == "image/jpeg" and len(thumbnail.content) < len(image.content)
    row = (await db.exec(select(VisitPhoto))).one()
    assert row.sha256 == body["sha256"] and row.width == 2048 and row.step_key == "warranty"


async def test_it_refuses_a_file_that_is_not_a_photo_with_a_message(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    response = await photo(client, job, "warranty", b"%PDF-1.4 not a photo")
    assert response.status_code == 422 and response.json()["detail"]
    assert (await db.exec(select(VisitPhoto))).first() is None


async def test_it_stores_a_replayed_upload_once(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    photo_id = str(uuid.uuid4())
    first = await photo(client, job, "warranty", photo_id=photo_id)
    again = await photo(client, job, "warranty", photo_id=photo_id)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert len((await db.exec(select(VisitPhoto))).all()) == 1


async def test_it_deletes_a_photo_before_the_step_is_done_but_not_after(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "enter")
    first = (await photo(client, job, "warranty")).json()
    response = await client.post(
        f"/visits/{job.id}/photos/{first['id']}/delete", headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    assert "needs at least 1 photo" in (await step(client, job, "warranty")).text
    second = (await photo(client, job, "warranty", jpeg(color=(0, 90, 0)))).json()
    assert (await step(client, job, "warranty")).status_code == 303
    response = await client.post(f"/visits/{job.id}/photos/{second['id']}/delete", headers=csrf(client))
    assert response.status_code == 422 and "can no longer be deleted" in response.text


async def test_it_serves_photos_only_to_users_who_may_see_the_job(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    url = (await photo(client, job, "warranty")).json()["url"]
    await client.post("/logout", headers=csrf(client))
    assert (await client.get(url, follow_redirects=False)).status_code in {303, 401}
    await sign_in(client, await make_user("engineer"))
    assert (await client.get(url)).status_code == 404
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("coordinator"))
    assert (await client.get(url)).status_code == 200


@pytest.fixture
def fixtures() -> Path:
    return shared_photos()


async def test_fixture_photos_are_served_upright_without_metadata_and_corrupt_ones_refused(
    client, db, make_user, fixtures
):
    job, _ = await job_on_the_way(client, db, make_user)
    corrupt = await photo(client, job, "warranty", (fixtures / "corrupted.jpg").read_bytes())
    assert corrupt.status_code == 422 and corrupt.json()["detail"]
    for name in ["DSCN0010.jpg", "iphone_13_pro_max.HEIC"]:
        response = await photo(client, job, "warranty", (fixtures / name).read_bytes())
        assert response.status_code == 201, name
        served = Image.open(io.BytesIO((await client.get(response.json()["url"])).content))
        assert served.format == "JPEG" and not served.getexif() and max(served.size) <= 2048


async def test_another_engineer_cannot_upload_to_the_job(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("engineer"))
    assert (await photo(client, job, "warranty")).status_code == 404
    assert (await client.get(f"/visits/{job.id}/sign/arrive")).status_code == 404


async def test_it_answers_404_for_a_deleted_photo_except_in_the_managers_audit_view(client, db, make_user, world):
    job, engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "enter")
    body = (await photo(client, job, "warranty")).json()
    await client.post(f"/visits/{job.id}/photos/{body['id']}/delete", headers=csrf(client))
    audit_url = f"/visits/{job.id}/photos/{body['id']}/deleted"
    assert (await client.get(body["url"])).status_code == 404
    assert (await client.get(body["thumbnail"])).status_code == 404
    assert (await client.get(audit_url)).status_code == 403
    for role in ("coordinator", "manager"):
        await client.post("/logout", headers=csrf(client))
        await sign_in(client, await make_user(role))
        assert (await client.get(body["url"])).status_code == 404
        assert (await client.get(body["thumbnail"])).status_code == 404
    page = await client.get(f"/visits/{job.id}/photos/deleted")
    row = page.text.split(f'data-photo="{body["id"]}"')[1].split("</tr>")[0]
    assert engineer.display_name in row and "Not recorded" not in row
    image = await client.get(audit_url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert "See deleted photos" in (await client.get(f"/jobs/{job.id}")).text
    assert 'data-action="deleted_photos_view"' in (await client.get("/reports/audit")).text
