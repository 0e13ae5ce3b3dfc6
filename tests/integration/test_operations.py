"""``/healthz`` reports each part the app needs on its own; ``/metrics`` speaks Prometheus to whom may read it."""

import asyncio
import uuid
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from app.main import create_app
from tests.helpers.clients import csrf
from tests.helpers.servers import RedisServer
from tests.helpers.visits import job_on_the_way, jpeg


async def test_healthz_reports_the_database_the_broker_and_the_photo_store(client):
    response = await client.get("/healthz")

    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["database"]["status"] == body["channels"]["status"] == body["media"]["status"] == "ok"
    assert body["channels"]["backend"] == "memory" and body["media"]["backend"] == "local"


async def until_healthy(client) -> None:
    deadline = asyncio.get_running_loop().time() + 15
    while (await client.get("/healthz")).status_code != 200:
        assert asyncio.get_running_loop().time() < deadline, "the app never became healthy"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_healthz_answers_503_and_names_the_part_that_is_down(settings, clock, engine, tmp_path):
    redis = RedisServer(tmp_path).start()
    settings = replace(settings, channels_backend="redis", redis_url=redis.url)
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        await until_healthy(client)  # the process starts listening in the background
        redis.stop()

        response = await client.get("/healthz")

    body = response.json()
    assert response.status_code == 503 and body["status"] == "error"
    assert body["channels"]["status"] != "ok" and body["database"]["status"] == "ok"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_healthz_answers_503_when_the_bucket_is_gone(settings, clock, engine, s3_server):
    settings = replace(settings, media_backend="s3", s3=replace(s3_server.new_bucket(), bucket="no-such-bucket"))
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        response = await client.get("/healthz")

    assert response.status_code == 503 and response.json()["media"]["status"] == "ClientError"


async def test_metrics_are_refused_to_a_remote_address_without_the_token(client):
    response = await client.get("/metrics")

    assert response.status_code == 403 and "ONSITE_METRICS_TOKEN" in response.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_metrics_count_requests_by_route_replays_and_photo_bytes(client, db, make_user, settings, clock):
    job, _ = await job_on_the_way(client, db, make_user)
    photo_posts = {"method": "POST", "route": "/visits/{job_id}/photos", "status": "201"}
    before = REGISTRY.get_sample_value("onsite_http_requests_total", photo_posts) or 0  # the process's earlier tests
    upload = {
        "data": {"step": "warranty", "id": str(uuid.uuid4())},
        "files": {"photo": ("p.jpg", jpeg(), "image/jpeg")},
        "headers": {**csrf(client), "idempotency-key": "photo-upload-1", "accept": "application/json"},
    }
    stored = (await client.post(f"/visits/{job.id}/photos", **upload)).json()
    assert (await client.post(f"/visits/{job.id}/photos", **upload)).headers["idempotent-replayed"] == "true"
    await client.get(stored["thumbnail"])

    text = await metrics_from_loopback(settings, clock)

    assert REGISTRY.get_sample_value("onsite_http_requests_total", photo_posts) - before == 2
    assert 'onsite_http_requests_total{method="POST",route="/visits/{job_id}/photos",status="201"}' in text
    assert 'onsite_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/login"}' in text
    assert "onsite_outbox_replays_total " in text and "onsite_board_streams_open " in text
    assert 'onsite_photo_bytes_total{direction="read"}' in text
    assert 'onsite_photo_bytes_total{direction="written"}' in text
    assert 'onsite_queue_length{queue="photo_decode"} 0.0' in text


async def metrics_from_loopback(settings, clock) -> str:
    """/metrics as a Prometheus on the same machine reads it (the test client reached through a trusted proxy)."""
    settings = replace(settings, trusted_proxies=("testclient",))
    async with AsyncTestClient(app=create_app(settings, clock)) as local:
        response = await local.get("/metrics", headers={"x-forwarded-for": "127.0.0.1"})
    assert response.status_code == 200
    return response.text


async def test_metrics_are_served_to_a_holder_of_the_token(settings, clock, engine):
    settings = replace(settings, metrics_token="s3cret-token-for-prometheus")
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        wrong = await client.get("/metrics", headers={"authorization": "Bearer nope"})
        right = await client.get("/metrics", headers={"authorization": "Bearer s3cret-token-for-prometheus"})

    assert wrong.status_code == 403
    assert right.status_code == 200 and right.headers["content-type"].startswith("text/plain; version=")
    assert "# TYPE onsite_http_requests_total counter" in right.text
