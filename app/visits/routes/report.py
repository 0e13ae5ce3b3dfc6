"""The signed service report: page (mobile and print), PDF, addenda and the customer's copy by link."""

import base64
import uuid
from collections.abc import Awaitable, Callable

import anyio
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed, signed_in
from app.accounts.models import Role
from app.core import qr
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, single_values
from app.core.i18n import _, customer_language, set_locale
from app.core.pdf import html_to_pdf
from app.core.web import error_page, redirect
from app.jobs.access import get_job_for
from app.jobs.models import Customer, Job
from app.media.store import photo_key, photo_store, read_all
from app.visits import links, signing
from app.visits.pages import service_report_context

DB = NamedDependency[AsyncSession]
JobId = FromPath[uuid.UUID]


@get("/visits/{job_id:uuid}/report", guards=[signed_in])
async def service_report_page(request: Request, db_session: DB, job_id: JobId) -> Template:
    job = await get_job_for(db_session, job_id, request.user)
    return Template("visits/report.html", context=await service_report_context(request, db_session, job))


@post("/visits/{job_id:uuid}/report/addenda", guards=[roles_allowed(Role.ENGINEER, Role.COORDINATOR)])
async def add_addendum(request: Request, db_session: DB, ctx: Ctx, job_id: JobId, data: Form) -> Response:
    async def redraw(error: DomainError) -> Template:
        job = await get_job_for(db_session, job_id, request.user)
        context = {**await service_report_context(request, db_session, job), "error": error}
        return Template("visits/report.html", context=context, status_code=422)

    return await act(
        signing.add_addendum(db_session, job_id, single_values(data), ctx),
        done=redirect(f"/visits/{job_id}/report", _("Addendum added beside the signed report."), request=request),
        refused=redraw,
    )


@get("/visits/{job_id:uuid}/report.pdf", guards=[signed_in])
async def service_report_pdf(request: Request, db_session: DB, job_id: JobId) -> Response:
    job = await get_job_for(db_session, job_id, request.user)
    await _speak_customers_language(db_session, job)  # the report is the customer's document
    context = await service_report_context(request, db_session, job)
    if context["signed"] is None:
        raise NotFoundException()
    return await _pdf(request, job, context)


async def _pdf(request: Request, job: Job, context: dict) -> Response:
    """The report as an A4 PDF: photos embedded, the footer's QR code naming the customer copy's address."""
    context["photo_urls"] = await _embedded(request, context)
    context["qr_url"] = qr.png_data_uri(context["verify_url"], error="M", px_per_module=4)
    context["pdf"] = True
    template = request.app.template_engine.get_template("visits/report_pdf.html")
    html = template.render(**context, request=request)
    pdf = await anyio.to_thread.run_sync(html_to_pdf, html, str(request.base_url))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{job.number}-report.pdf"'},
    )


async def _embedded(request: Request, context: dict) -> dict[str, str]:
    photos = context["signed"]["content"].get("photos", [])
    return await anyio.to_thread.run_sync(_embedded_thumbnails, request.app.state.settings, photos)


def _embedded_thumbnails(settings, photos: list[dict]) -> dict[str, str]:
    """The report's photo thumbnails as data URLs, so the PDF carries them without a signed-in fetch."""
    store, urls = photo_store(settings), {}
    for photo in photos:
        thumbnail = read_all(store, photo_key(photo["sha256"], thumbnail=True))
        if thumbnail is not None:
            urls[photo["sha256"]] = "data:image/jpeg;base64," + base64.b64encode(thumbnail).decode()
    return urls


@get("/r/{token:str}")
async def customer_copy(request: Request, db_session: DB, token: FromPath[str]) -> Response:
    """The customer's copy, reachable by its signed link only, until it expires or is revoked."""

    async def page(job: Job, context: dict) -> Response:
        context["photo_urls"] = await _embedded(request, context)  # the photos, without a signed-in fetch
        return Template("visits/report.html", context=context)

    return await _serve_customer_copy(request, db_session, token, page)


@get("/r/{token:str}/pdf")
async def customer_copy_pdf(request: Request, db_session: DB, token: FromPath[str]) -> Response:
    """The customer's copy as the same PDF the office prints."""
    return await _serve_customer_copy(request, db_session, token, lambda job, context: _pdf(request, job, context))


async def _serve_customer_copy(
    request: Request, db_session: AsyncSession, token: str, render: Callable[[Job, dict], Awaitable[Response]]
) -> Response:
    """Renders the copy a customer link opens, or the page saying the link no longer works."""
    try:
        job, context = await _customer_copy(request, db_session, token)
    except links.LinkUnavailable as gone:
        return error_page(request, gone.status_code, gone.message, _("Link no longer valid"))
    return await render(job, context)


async def _customer_copy(request: Request, db_session: AsyncSession, token: str) -> tuple[Job, dict]:
    settings = request.app.state.settings
    now = request.app.state.clock()
    job = await links.open_link(
        db_session, token, secret=settings.secret_key, now=now, days=settings.customer_link_days
    )
    if job is None:
        raise NotFoundException()
    await _speak_customers_language(db_session, job)
    context = await service_report_context(request, db_session, job, customer_copy=True)
    if context["signed"] is None:
        raise NotFoundException()
    return job, context


async def _speak_customers_language(db: AsyncSession, job: Job) -> None:
    """The customer's copy and the report PDF are in the customer's language, whoever opens them."""
    set_locale(customer_language(await db.get(Customer, job.customer_id)))


@post("/visits/{job_id:uuid}/report/links/revoke", guards=[roles_allowed(Role.ENGINEER, Role.COORDINATOR)])
async def revoke_customer_links(request: Request, db_session: DB, ctx: Ctx, job_id: JobId) -> Redirect:
    await links.revoke_links(db_session, job_id, ctx)
    message = _("The customer-copy links given so far no longer open. The link on this page is a new one.")
    return redirect(f"/jobs/{job_id}", message, request=request)


ROUTES = [
    service_report_page,
    add_addendum,
    service_report_pdf,
    customer_copy,
    customer_copy_pdf,
    revoke_customer_links,
]
