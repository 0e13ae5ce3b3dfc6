"""Flash messages, redirects and the one error handler that turns failures into clear pages."""

import json
import logging

from litestar import MediaType, Request, Response
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.core.errors import DeliveryInFlight, DomainError
from app.core.i18n import _, negotiate_locale, set_locale
from app.core.security import sign, unsign

log = logging.getLogger("onsite")
FLASH_COOKIE = "onsite_flash"


def redirect(url: str, message: str | None = None, kind: str = "success", request: Request | None = None):
    """A 303 to ``url``, carrying a one-time flash message for the next page."""
    response = Redirect(url, status_code=303)
    if message and request is not None:
        payload = json.dumps([{"kind": kind, "text": message}])
        response.cookies.append(
            Cookie(
                key=FLASH_COOKIE,
                value=sign(payload, request.app.state.settings.secret_key),
                httponly=True,
                samesite="lax",
                path="/",
                max_age=60,
            )
        )
    if request is not None and request.htmx:
        response.headers["HX-Redirect"] = url
    return response


def pop_flashes(request: Request) -> list[dict]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    request.scope["state"]["flash_consumed"] = True
    payload = unsign(raw, request.app.state.settings.secret_key)
    try:
        return json.loads(payload) if payload else []
    except ValueError:
        return []


async def clear_consumed_flash(message, scope) -> None:
    """``before_send``: a flash shown once is removed from the browser."""
    if message["type"] == "http.response.start" and scope.get("state", {}).get("flash_consumed"):
        MutableScopeHeaders.from_message(message).add(
            "set-cookie", f"{FLASH_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
        )


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or request.htmx or not accept or "*/*" in accept


_MESSAGES = {
    400: lambda: _("We could not read what was sent. Please check the form and try again."),
    404: lambda: _("This page does not exist. Check the address, or go back to your home page."),
    405: lambda: _("This page cannot be used that way."),
    413: lambda: _("What you sent is too large."),
    429: lambda: _("Too many attempts. Please wait a moment and try again."),
    500: lambda: _("Something went wrong on our side. It has been logged; please try again."),
}


def error_page(
    request: Request, status: int, message: str, title: str | None = None, code: str | None = None
) -> Response:
    if "user" not in request.scope:  # the router answered before our middleware ran (e.g. a 404)
        request.scope["user"] = None
        set_locale(negotiate_locale(request.headers.get("accept-language")))
    if not _wants_html(request):
        body = {"status_code": status, "detail": message} | ({"code": code} if code else {})
        return Response(body, status_code=status, media_type=MediaType.JSON)
    template = "errors/_message.html" if request.htmx else "errors/error.html"
    titles = {403: _("Not allowed"), 404: _("Page not found"), 500: _("Something went wrong")}
    context = {"status": status, "title": title or titles.get(status, _("Cannot do that")), "message": message}
    return Template(template_name=template, context=context, status_code=status)


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, NotAuthorizedException):
        if request.method == "GET" and not request.htmx and _wants_html(request):
            return Redirect(f"/login?next={request.url.path}", status_code=303)
        response = error_page(request, 401, _("Please sign in again."), _("Signed out"))
        response.headers["HX-Redirect"] = "/login"
        return response
    if isinstance(exc, PermissionDeniedException):
        if exc.detail == "cross-origin":
            return error_page(request, 403, _("This request did not come from an Onsite page."))
        if "CSRF" in str(exc.detail):
            response = error_page(
                request, 403, _("This form has expired. Reload the page and try again."), _("Form expired")
            )
            response.headers["X-Onsite-Refused"] = "csrf"  # the outbox fetches a fresh token and resends
            return response
        return error_page(request, 403, _("Your role does not allow you to open this page."))
    if isinstance(exc, NotFoundException):
        return error_page(request, 404, _MESSAGES[404]())
    status = exc.status_code
    message = _MESSAGES.get(status, _MESSAGES[400])()
    if status >= 500:
        log.error("http error", extra={"status": status, "path": request.url.path})
    return error_page(request, status, message)


def handle_domain_error(request: Request, exc: DomainError) -> Response:
    """Every refusal (a field check that escaped its handler included): its kind's status, code and sentence."""
    return error_page(request, exc.status_code, exc.message, code=exc.code)


def handle_delivery_in_flight(request: Request, exc: DeliveryInFlight) -> Response:
    response = error_page(request, exc.status_code, exc.message, code=exc.code)
    response.headers["Retry-After"] = "1"
    return response


def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR, _MESSAGES[500]())


EXCEPTION_HANDLERS = {
    HTTPException: handle_http_exception,
    DomainError: handle_domain_error,
    DeliveryInFlight: handle_delivery_in_flight,
    Exception: handle_unexpected,
}
