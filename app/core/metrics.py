"""Prometheus metrics of this process, served on ``/metrics`` to loopback or to a holder of ``ONSITE_METRICS_TOKEN``.

They are per process: run one ``onsite serve`` per port (``deploy/onsite@.service``, ``ONSITE_WORKERS=1``) and let
Prometheus scrape each port; its queries sum over the instances."""

import hmac
import ipaddress
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

REQUESTS = Counter("onsite_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "onsite_http_request_duration_seconds",
    "Time to answer an HTTP request (to the end of its body; an event stream counts until it closes)",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OUTBOX_REPLAYS = Counter(
    "onsite_outbox_replays_total", "Phone actions sent again and answered from the stored answer (Idempotency-Key)"
)
BOARD_STREAMS = Gauge("onsite_board_streams_open", "Open live-board event streams (SSE)")
QUEUE_LENGTH = Gauge("onsite_queue_length", "Work waiting or running, by queue", ["queue"])
PHOTO_BYTES = Counter("onsite_photo_bytes_total", "Photo bytes written to or read from the photo store", ["direction"])

UNMATCHED = "(unmatched)"  # 404s: one label, not one per path a scanner tries


def metrics_middleware_factory(app: ASGIApp) -> ASGIApp:
    """Counts every HTTP request by method, route template (``/visits/{job_id}/photos``) and status."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            route = scope.get("path_template") or UNMATCHED
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)

    return middleware


def may_read_metrics(client_host: str, authorization: str | None, token: str) -> bool:
    """Loopback (a Prometheus on the same machine, scraping each process's own port), or the token's holder."""
    if token and authorization and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return ipaddress.ip_address(client_host).is_loopback
    except ValueError:
        return False


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, with the content type to serve them as."""
    return generate_latest(), CONTENT_TYPE_LATEST
