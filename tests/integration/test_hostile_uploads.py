"""Bad files through the photo upload and the customer's signature: a clear 4xx, never a 500, nothing stored."""

import base64
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from app.media.store import photo_store
from app.visits.models import CustomerSignature, VisitPhoto
from tests.helpers.clients import csrf
from tests.helpers.env import shared_photos
from tests.helpers.hostile_files import animated_png, cmyk_jpeg, grey_16_bit_png, png, refused
from tests.helpers.visits import job_on_the_way, jpeg, photo, sign_only

DAMAGED = "This photo is damaged or incomplete and cannot be read."


def media_files(settings) -> list[str]:
    return sorted(photo_store(settings).list_keys())


def as_png_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize("media_backend", ["local", "s3"])
async def test_it_refuses_every_bad_file_as_a_photo_and_stores_nothing(client, db, make_user, settings):
    job, _ = await job_on_the_way(client, db, make_user)
    for name, data in refused().items():
        response = await photo(client, job, "warranty", data)
        assert 400 <= response.status_code < 500 and response.json()["detail"], name
    assert (await db.exec(select(VisitPhoto))).first() is None
    assert media_files(settings) == []


async def test_it_normalises_cmyk_and_16_bit_photos(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    cmyk = await photo(client, job, "warranty", cmyk_jpeg())
    grey = await photo(client, job, "warranty", grey_16_bit_png())
    assert cmyk.status_code == grey.status_code == 201
    red = Image.open(io.BytesIO((await client.get(cmyk.json()["url"])).content))
    assert red.mode == "RGB" and red.getpixel((150, 100))[0] > 200 > 60 > red.getpixel((150, 100))[1]
    ramp = Image.open(io.BytesIO((await client.get(grey.json()["url"])).content)).convert("L")
    assert [ramp.getpixel((x, 8)) for x in (16, 128, 240)] == pytest.approx([16, 128, 240], abs=3)


@pytest.mark.parametrize("media_backend", ["local", "s3"])
async def test_a_refused_upload_leaves_no_file_behind(client, db, make_user, settings, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "warranty")
    before = media_files(settings)
    response = await photo(client, job, "warranty", jpeg(color=(10, 200, 10)))  # the step is done already
    assert response.status_code == 422 and "already done" in response.json()["detail"]
    assert media_files(settings) == before


async def test_it_refuses_every_bad_file_as_a_signature_and_stores_nothing(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    corpus = {
        **refused(),
        "cmyk-jpeg": cmyk_jpeg(),
        "animated-png": animated_png(),
        "png-9000x9000": png(9000, 9000, rows=1),
        "svg-fetching-urls": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x"/></svg>',
    }
    for name, data in corpus.items():
        response = await sign_only(client, job, "signature", image=as_png_url(data))
        assert response.status_code == 422 and 'data-testid="visit-error"' in response.text, name
    assert (await db.exec(select(CustomerSignature))).first() is None


async def test_it_stores_the_signature_as_a_png_it_encoded_itself(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    sent = grey_16_bit_png()
    response = await sign_only(client, job, "signature", image=as_png_url(sent))
    assert response.status_code == 303
    stored = (await db.exec(select(CustomerSignature))).one().image
    data = base64.b64decode(stored.removeprefix("data:image/png;base64,"))
    assert data != sent
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "LA" and image.size == (256, 16)


@pytest.fixture
def fixtures() -> Path:
    return shared_photos()


async def test_real_phone_photos_are_taken_and_their_damaged_or_cut_copies_refused(
    client, db, make_user, settings, fixtures
):
    job, _ = await job_on_the_way(client, db, make_user)
    heic = (fixtures / "iphone_13_pro_max.HEIC").read_bytes()
    for name, data in {
        "corrupted.jpg": (fixtures / "corrupted.jpg").read_bytes(),
        "half an iPhone HEIC": heic[: len(heic) // 2],
        "70 % of an iPhone HEIC": heic[: len(heic) * 7 // 10],
        "an iPhone HEIC without its last byte": heic[:-1],
    }.items():
        response = await photo(client, job, "warranty", data)
        assert response.status_code == 422 and DAMAGED in response.json()["detail"], name
    assert media_files(settings) == []
    for path in sorted(fixtures.glob("*")):
        if path.suffix.lower() in {".jpg", ".heic"} and path.name != "corrupted.jpg":
            assert (await photo(client, job, "warranty", path.read_bytes())).status_code == 201, path.name


async def test_real_phone_photos_are_refused_as_signatures(client, db, make_user, fixtures, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    for path in sorted(fixtures.glob("*")):
        if path.suffix.lower() in {".jpg", ".heic"}:
            response = await sign_only(client, job, "signature", image=as_png_url(path.read_bytes()))
            if response.status_code == 413:  # the form is larger than ONSITE_MAX_FORM_BYTES
                assert "What you sent is too large." in response.text, path.name
            else:
                assert response.status_code == 422 and 'data-testid="visit-error"' in response.text, path.name
    assert (await db.exec(select(CustomerSignature))).first() is None


async def test_the_carry_in_pickup_refuses_every_bad_file_as_a_signature(client, db, make_user, clock):
    from tests.helpers.after import ready_for_pickup
    from tests.helpers.jobs import post, reload

    job, order = await ready_for_pickup(client, db, make_user, clock)
    form = {"collected_by_name": "Wang Ming", "bench_verified": "on", "voucher_code": order.voucher_code}
    small = {name: data for name, data in refused().items() if len(data) < 100_000}
    for name, data in {**small, "png-9000x9000": png(9000, 9000, rows=1)}.items():
        response = await post(client, f"/carry-in/{job.id}/pickup", **form, pickup_signature=as_png_url(data))
        assert response.status_code == 422 and "sign again" in response.text, name
    assert (await reload(db, job.id)).state == "READY_FOR_PICKUP"
