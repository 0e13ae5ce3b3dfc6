"""Who is asking: the session cookie is resolved to an active user on every request; guards check roles."""

from datetime import datetime

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import bindparam
from sqlmodel import select

from app.accounts.models import Office, Role, User, UserSession
from app.core.clock import system_clock
from app.core.database import RowReader
from app.core.formats import use_time_zone
from app.core.i18n import negotiate_locale, set_locale
from app.core.page_cache import OfficeNotes, OfficeVersion, Seen
from app.core.security import token_digest

SESSION_COOKIE = "onsite_session"
LANGUAGE_COOKIE = "onsite_lang"  # the language chosen on the sign-in page, before anyone signs in
# Paths that never need the user: skip the database round-trip for them.
_ANONYMOUS_PREFIXES = ("/static/", "/sw.js", "/manifest.webmanifest", "/favicon.ico", "/healthz", "/livez")


# Built once: a request pays only for running it. Every column of the user but the password's hash.
_USER_COLUMNS = [column for column in User.__table__.columns if column.name != "password_hash"]
_SESSION_USER = (
    select(
        *_USER_COLUMNS,
        OfficeVersion.value.label("office_version"),
        OfficeNotes.value.label("office_events"),
        OfficeNotes.recent.label("office_recent"),
        OfficeNotes.recent_upto.label("office_recent_upto"),
        UserSession.csrf_hash,
        Office.time_zone,
    )
    .join(UserSession, UserSession.user_id == User.id)
    .join(Office, Office.id == User.office_id)
    .outerjoin(OfficeVersion, OfficeVersion.office_id == User.office_id)
    .outerjoin(OfficeNotes, OfficeNotes.office_id == User.office_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
    .where(UserSession.expires_at > bindparam("now"))
    .where(User.is_active)
)


async def load_user(reader: RowReader, token: str | None, now: datetime) -> tuple[User | None, Seen | None, str, str]:
    """The session's active user (without the password's hash), their office's data version, newest change note
    and what its newest notes name, read in the same round trip (the page cache needs them on every board and My
    jobs request: no second query), the hash of the
    CSRF token issued with the sign-in, and the office's time zone ("" for the server's)."""
    if not token:
        return None, None, "", ""
    row = await reader.first(_SESSION_USER, {"token_hash": token_digest(token), "now": now})
    if row is None:
        return None, None, "", ""
    user = User.model_construct(**{column.name: row[column.name] for column in _USER_COLUMNS}, password_hash="")
    recent = row["office_recent"] or "", row["office_recent_upto"] or 0
    seen = Seen(row["office_version"] or 0, row["office_events"] or 0, *recent)
    return user, seen, row["csrf_hash"], row["time_zone"]


def auth_middleware_factory(app: ASGIApp) -> ASGIApp:
    """Sets ``request.user`` (a ``User`` or ``None``) and the request's locale."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        connection = ASGIConnection(scope)
        user, time_zone = None, ""
        if not scope["path"].startswith(_ANONYMOUS_PREFIXES):
            state = scope["litestar_app"].state
            clock = state.get("clock", system_clock)
            user, seen, csrf_hash, time_zone = await load_user(
                state.row_reader, connection.cookies.get(SESSION_COOKIE), clock()
            )
            if seen is not None:
                scope.setdefault("state", {})["office_seen"] = seen
            scope.setdefault("state", {})["session_csrf_hash"] = csrf_hash
        scope["user"] = user
        use_time_zone(time_zone)  # times on the page in the zone of the office the user looks at
        preferred = (user.locale if user else "") or connection.cookies.get(LANGUAGE_COOKIE, "")
        set_locale(negotiate_locale(connection.headers.get("accept-language"), preferred))
        await app(scope, receive, send)

    return middleware


# Guards are coroutines: Litestar runs a plain function guard in a worker thread, a hop on every request.
async def signed_in(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    if connection.user is None:
        raise NotAuthorizedException()


# Every guard says whom it admits, so the access policy is read back from what the server runs (app/accounts/policy.py).
signed_in.admits = frozenset(role.value for role in Role)


def roles_allowed(*roles: Role):
    """A guard admitting the given roles; a manager is admitted everywhere (domain.md §12.3)."""
    allowed = frozenset({role.value for role in roles} | {Role.MANAGER.value})

    async def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        if connection.user is None:
            raise NotAuthorizedException()
        if connection.user.role not in allowed:
            raise PermissionDeniedException("role")

    guard.admits = allowed
    return guard


async def regional_only(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    """The regional user's own pages (the offices they oversee): not even a manager, who has one office."""
    if connection.user is None:
        raise NotAuthorizedException()
    if connection.user.role != Role.REGIONAL:
        raise PermissionDeniedException("role")


regional_only.admits = frozenset({Role.REGIONAL.value})
