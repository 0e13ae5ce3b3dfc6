"""The Idempotency-Key fingerprint is what a request means, not its bytes: photos resend safely."""

import asyncio
import uuid
from urllib.parse import urlencode

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.core.database import transaction
from app.core.errors import DeliveryInFlight, DomainError
from app.jobs.models import Escalation, Job
from app.sync.idempotency import Claim
from app.sync.models import IdempotencyRecord
from app.visits.models import StepResult, VisitPhoto
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import intake_form
from tests.helpers.visits import job_on_the_way, jpeg


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


async def test_it_answers_concurrent_deliveries_of_a_checklist_step_with_409_and_retry_after(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    data = {"id": str(uuid.uuid4()), "badge_shown": "on"}
    headers = {**csrf(client), "idempotency-key": "key-step-0001"}
    responses = await asyncio.gather(
        *[
            client.post(f"/visits/{job.id}/steps/arrive", data=data, headers=headers, follow_redirects=False)
            for _ in range(4)
        ]
    )
    assert {r.status_code for r in responses} <= {303, 409}, [r.text[-400:] for r in responses]
    assert all(r.headers["retry-after"] == "1" for r in responses if r.status_code == 409)
    assert len((await db.exec(select(StepResult).where(StepResult.job_id == job.id))).all()) == 1


async def test_it_turns_a_refusal_caused_by_the_same_key_committed_meanwhile_into_409(db, make_user):
    user = await make_user("engineer")
    db.add(IdempotencyRecord(user_id=user.id, key="key-race-0001", fingerprint="f" * 64, created_at=user.created_at))
    await db.commit()
    db.info["idempotency"] = Claim(user.id, "key-race-0001", "f" * 64)
    db.info["clock"] = lambda: user.created_at
    with pytest.raises(DeliveryInFlight):
        async with transaction(db):
            raise DomainError("This step is already done.")
    db.info["idempotency"] = Claim(user.id, "key-race-0002", "f" * 64)
    with pytest.raises(DomainError):  # no delivery of this key was stored: a real refusal
        async with transaction(db):
            raise DomainError("This step is already done.")


async def test_it_escalates_with_long_symptoms_and_keeps_them_whole(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    symptoms = "Intermittent fault. " * 90  # 1,800 characters: more than an audit event's reason holds
    data = {"level": "L3", "symptoms": symptoms, "actions_taken": "checked"}
    response = await client.post(f"/jobs/{job.id}/escalate", data=data, headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    assert (await db.exec(select(Escalation.symptoms))).one() == symptoms.strip()
