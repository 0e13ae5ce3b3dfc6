"""Probes and metrics for operators: ``/healthz`` (for a load balancer) and ``/metrics`` (for Prometheus)."""

from litestar import MediaType, Request, Response, get

from app.core.metrics import exposition, may_read_metrics
from app.operations.health import health


@get("/healthz", media_type=MediaType.JSON, include_in_schema=False)
async def healthz(request: Request) -> Response:
    """Readiness: the database, the channels broker and the photo store, each ok or not; 503 unless all are."""
    healthy, report = await health(request.app)
    return Response(report, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})


@get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus' text format, for this machine (loopback) or a holder of ``ONSITE_METRICS_TOKEN``."""
    token = request.app.state.settings.metrics_token
    if not may_read_metrics(request.client.host if request.client else "", request.headers.get("authorization"), token):
        return Response(
            "Metrics are readable from this machine or with ONSITE_METRICS_TOKEN.\n",
            status_code=403,
            media_type=MediaType.TEXT,
        )
    body, content_type = exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})


ROUTES = [healthz, metrics]
