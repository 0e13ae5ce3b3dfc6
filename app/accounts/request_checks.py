"""Checks on every request before its handler: cross-site requests (added to Litestar's double-submit CSRF
cookie), and paths with a NUL byte, which name nothing (404).

- **Same origin**: an unsafe request (POST, PUT, PATCH, DELETE) whose ``Origin`` — or, without it, ``Referer`` —
  names another origin (or ``null``) is refused. Browsers send ``Origin`` on every such request, forms, fetch and
  the outbox's replays included; a request with neither header is not a browser's cross-site request (scripts,
  the tests) and is left to the token check.
- **Bound to the sign-in**: signing in issues a new CSRF token and keeps its SHA-256 on the session row, so a
  token planted in the cookie by someone else (a valid one of their own) is refused for this session. A safe
  request of a signed-in user whose cookie is not the bound token (it expired, was planted, or the session
  predates binding) gets a new random token, bound at once: the page it loads can post again.
"""

import hashlib

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.middleware.csrf import generate_csrf_token
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.empty import Empty
from litestar.utils.scope.state import ScopeState
from sqlalchemy import update

from app.accounts.models import UserSession
from app.core.security import token_digest

CSRF_COOKIE = "csrftoken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_bound_token(secret: str) -> tuple[str, Cookie]:
    """A fresh token for a new sign-in, and the cookie that carries it (Max-Age and Secure are added on send)."""
    token = generate_csrf_token(secret)
    return token, Cookie(key=CSRF_COOKIE, value=token, path="/", samesite="lax", httponly=False)


def own_origins(connection: ASGIConnection, settings) -> set[str]:
    """This request's own origin; also ``ONSITE_PUBLIC_URL``, and HTTPS on this host when the operator says the
    app is served over HTTPS (``ONSITE_SECURE_COOKIES=1``) behind a proxy that is not listed as trusted."""
    host = connection.headers.get("host", "")
    origins = {f"{connection.scope['scheme']}://{host}"}
    if settings.public_url:
        origins.add(settings.public_url)
    if settings.secure_cookies:
        origins.add(f"https://{host}")
    return origins


def from_another_origin(connection: ASGIConnection, settings) -> bool:
    origin = connection.headers.get("origin")
    if origin is None:
        referer = connection.headers.get("referer")
        if not referer:
            return False
        origin = "/".join(referer.split("/", 3)[:3])
    return origin not in own_origins(connection, settings)


def request_checks_middleware_factory(app: ASGIApp) -> ASGIApp:
    """Runs after the auth middleware, which leaves the session's token hash in ``scope["state"]``."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if "\x00" in scope["path"]:  # names no page or file; PostgreSQL would refuse it as a parameter (a 500)
            raise NotFoundException()
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            connection = ASGIConnection(scope)
            if from_another_origin(connection, scope["litestar_app"].state.settings):
                raise PermissionDeniedException("cross-origin")
            bound = scope.get("state", {}).get("session_csrf_hash")
            cookie = connection.cookies.get(CSRF_COOKIE, "")
            if bound and token_hash(cookie) != bound:
                raise PermissionDeniedException("CSRF token of another sign-in")
        elif scope["type"] == "http" and scope.get("user") is not None:
            connection = ASGIConnection(scope)
            if token_hash(connection.cookies.get(CSRF_COOKIE, "")) != scope["state"].get("session_csrf_hash"):
                send = await _rebind(scope, connection, send)
        await app(scope, receive, send)

    return middleware


async def _rebind(scope: Scope, connection: ASGIConnection, send: Send) -> Send:
    """Binds a new token to the session; the request continues as if the browser had sent it, and the
    response sets it."""
    state = scope["litestar_app"].state
    token, cookie = new_bound_token(state.settings.secret_key)
    session = token_digest(connection.cookies.get("onsite_session", ""))
    async with state.sessionmaker() as db:
        await db.exec(update(UserSession).where(UserSession.token_hash == session).values(csrf_hash=token_hash(token)))
        await db.commit()
    cookies = {**connection.cookies, CSRF_COOKIE: token}
    header = "; ".join(f"{name}={value}" for name, value in cookies.items()).encode("latin-1")
    scope["headers"] = [(name, value) for name, value in scope["headers"] if name != b"cookie"] + [(b"cookie", header)]
    parsed = ScopeState.from_scope(scope)
    parsed.cookies = parsed.headers = Empty  # read again from the headers just changed
    set_cookie = cookie.to_header(header="").encode("latin-1")

    async def send_with_cookie(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            message["headers"] = [*message["headers"], (b"set-cookie", set_cookie)]
        await send(message)

    return send_with_cookie
