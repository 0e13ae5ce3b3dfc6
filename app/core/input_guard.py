"""Checks every request before any handler reads it: a NUL character is never a legitimate value.

PostgreSQL refuses NUL in text (the query fails: a 500), SQLite stores it silently and later readers trip on it,
so one refusal here covers every field of every form, present and future, on both databases."""

from collections.abc import Awaitable, Callable

from litestar import Request, Response

from app.core.errors import DomainError
from app.core.i18n import _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
Hook = Callable[[Request], Awaitable[Response | None]]


async def refuse_nul_characters(request: Request) -> None:
    """No NUL in the query or a form field (422 with a message); a path with one is a 404 before this
    (``app.accounts.request_checks``)."""
    if any("\x00" in name + value for name, value in request.query_params.multi_items()):
        raise DomainError(_("The address contains a character that is not allowed (NUL)."))
    if request.method in {"GET", "HEAD", "OPTIONS"} or request.content_type[0] not in FORM_TYPES:
        return
    form = await request.form()  # parsed once: the handler reuses it
    for name, value in form.multi_items():
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):
            raise DomainError(_("The form contains a character that is not allowed (NUL). Remove it and try again."))


def in_order(*hooks: Hook) -> Hook:
    """Runs ``before_request`` hooks one after the other; the first that answers ends the request."""

    async def run(request: Request) -> Response | None:
        for hook in hooks:
            if (answer := await hook(request)) is not None:
                return answer
        return None

    return run
