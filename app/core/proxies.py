"""Who really connected: ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed only from trusted proxies.

``ONSITE_TRUSTED_PROXIES`` lists the proxies' addresses or networks (default: none). From anyone else the
headers are ignored, so a client cannot pick the address that sign-in throttling counts, or claim HTTPS.
"""

import ipaddress

from litestar.types import ASGIApp, Receive, Scope, Send


def _matches(host: str, entries: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host in entries  # a named peer (a Unix socket, the test client) only by exact name
    for entry in entries:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def forwarded_client(scope: Scope, trusted: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The client address and scheme a trusted proxy reports, or ``(None, None)``."""
    peer = (scope.get("client") or ("", 0))[0]
    if not trusted or not _matches(peer, trusted):
        return None, None
    headers = {}
    for name, value in scope.get("headers", []):
        headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    hops = [hop.strip() for line in headers.get("x-forwarded-for", []) for hop in line.split(",") if hop.strip()]
    client = None
    for hop in reversed(hops):  # the nearest hop not itself a trusted proxy is the client
        client = hop
        if not _matches(hop, trusted):
            break
    proto = (headers.get("x-forwarded-proto") or [""])[0].split(",")[0].strip().lower()
    return client, proto if proto in {"http", "https"} else None


def trusted_proxy_middleware_factory(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            trusted = scope["litestar_app"].state.settings.trusted_proxies
            client, proto = forwarded_client(scope, trusted)
            if client:
                scope["client"] = (client, 0)
            if proto:
                scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await app(scope, receive, send)

    return middleware
