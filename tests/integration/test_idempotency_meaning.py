"""The Idempotency-Key fingerprint is what a request means, not its bytes: photos resend safely."""

import asyncio
import uuid
from urllib.parse import urlencode

from sqlalchemy import func
from sqlmodel import select

from app.jobs.models import Job
from app.visits.models import VisitPhoto
from tests.conftest import csrf, sign_in
from tests.integration.jobs_helpers import intake_form
from tests.integration.visits_helpers import job_on_the_way, jpeg


async def upload(client, job, key: str, body: bytes, *, token_in_form: bool, photo_id: str, name="p.jpg"):
    fields = {"step": "warranty", "id": photo_id}
    headers = {"idempotency-key": key, "accept": "application/json"}
    if token_in_form:
        fields["_csrf_token"] = client.cookies["csrftoken"]
    else:
        headers.update(csrf(client))
    return await asyncio.wait_for(
        client.post(
            f"/visits/{job.id}/photos", data=fields, files={"photo": (name, body, "image/jpeg")}, headers=headers
        ),
        timeout=20,
    )


async def test_it_answers_a_multipart_post_with_the_token_in_a_form_field_and_a_key(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    response = await upload(client, job, "key-hang-0001", jpeg(), token_in_form=True, photo_id=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    assert len((await db.exec(select(VisitPhoto))).all()) == 1


async def test_it_replays_a_photo_resent_with_a_new_boundary_and_a_new_token(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    photo_id = str(uuid.uuid4())
    first = await upload(client, job, "key-photo-0001", jpeg(), token_in_form=False, photo_id=photo_id)
    again = await upload(client, job, "key-photo-0001", jpeg(), token_in_form=True, photo_id=photo_id)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len((await db.exec(select(VisitPhoto))).all()) == 1


async def test_it_refuses_the_same_key_with_another_photo_or_file_name(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    photo_id = str(uuid.uuid4())
    await upload(client, job, "key-photo-0002", jpeg(), token_in_form=False, photo_id=photo_id)
    other_pixels = await upload(
        client, job, "key-photo-0002", jpeg(color=(0, 0, 200)), token_in_form=False, photo_id=photo_id
    )
    other_name = await upload(
        client, job, "key-photo-0002", jpeg(), token_in_form=False, photo_id=photo_id, name="x.jpg"
    )
    assert other_pixels.status_code == other_name.status_code == 422
    assert "already sent with different content" in other_pixels.json()["detail"]
    assert len((await db.exec(select(VisitPhoto))).all()) == 1


async def test_it_replays_a_form_whose_fields_come_in_another_order(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    fields = list(intake_form().items())
    headers = {**csrf(client), "idempotency-key": "key-order-0001", "content-type": "application/x-www-form-urlencoded"}
    first = await client.post("/jobs/", content=urlencode(fields), headers=headers, follow_redirects=False)
    again = await client.post("/jobs/", content=urlencode(fields[::-1]), headers=headers, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.scalar(select(func.count()).select_from(Job)) == 1
