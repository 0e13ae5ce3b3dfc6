"""Addresses that cannot name a file answer 404, signed out or in, on every route that serves files."""

import uuid

import pytest

from tests.helpers.clients import sign_in

BAD_STATIC_PATHS = [
    "/static/js/app.js%00.png",
    "/static/%00",
    "/static/js/app.js/inside",  # a file used as a folder
    "/static/" + "a" * 300 + ".js",  # longer than a file name may be
    "/static/js/" + "b/" * 2000 + "c.js",  # longer than a path may be
    "/static/js/%ff%fe.js",
]


@pytest.mark.parametrize("path", BAD_STATIC_PATHS)
async def test_it_answers_404_for_a_static_path_that_cannot_name_a_file(client, path):
    response = await client.get(path)
    assert response.status_code == 404, response.text[:300]
    assert "embedded null byte" not in response.text


async def test_it_answers_404_for_nul_bytes_in_the_other_file_routes(client, make_user):
    signed_out = [await client.get(path) for path in ["/favicon.ico%00", "/sw.js%00", "/manifest.webmanifest%00"]]
    assert [r.status_code for r in signed_out] == [404, 404, 404]
    await sign_in(client, await make_user("engineer"))
    job = uuid.uuid4()
    for path in [f"/visits/{job}/photos/%00", f"/visits/{job}/photos/{uuid.uuid4()}%00/thumb", "/u/AAAA%00/qr.svg"]:
        assert (await client.get(path)).status_code == 404, path


async def test_it_still_serves_a_real_static_file(client):
    response = await client.get("/static/js/app.js")
    assert response.status_code == 200
