"""The carry-in counter: intake, voucher, workshop steps and pickup (F36–F39)."""

import uuid

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Office, Role, User
from app.carryin import appointments, factory, loan_panel, service, voucher
from app.core import qr
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, form_version, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.jobs.access import customer_viewed, get_job_for
from app.jobs.intake import DuplicateJob
from app.jobs.models import Customer, Device

CHECKBOXES = ("accessories_kept",)  # checkboxes: one value per ticked box

DB = NamedDependency[AsyncSession]
COUNTER = roles_allowed(Role.RECEPTION, Role.COORDINATOR)
WORKSHOP = roles_allowed(Role.RECEPTION, Role.COORDINATOR, Role.ENGINEER)
NEW_DEFAULTS = {
    "channel": "walk_in",
    "priority": "normal",
    "zone": "IN_AREA",
    "warranty_status": "unknown",
    "warranty_basis": "none",
    "fault_judgement": "unclear",
    "configuration": "matches",
}


class CarryInController(Controller):
    path = "/carry-in"

    @get("/", guards=[COUNTER])
    async def counter(self, request: Request, db_session: DB) -> Template:
        rows = await service.counter(db_session, request.user.office_id)
        return Template("carryin/counter.html", context={"rows": rows, "now": request.app.state.clock()})

    @get("/new", guards=[COUNTER])
    async def new(self, request: Request, db_session: DB, appointment: FromQuery[str] = "") -> Template:
        """The drop-off form; from an appointment (F41), filled in with what the booking says."""
        booked = await appointments.for_intake(db_session, appointment, request.user.office_id)
        return _intake_page({**NEW_DEFAULTS, **(appointments.intake_values(booked) if booked else {})})

    @post("/", guards=[COUNTER])
    async def take_in(self, request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
        values = single_values(data, CHECKBOXES)
        office = await db_session.get(Office, ctx.actor.office_id)
        return await act(
            service.take_in(db_session, values, ctx, office_code=office.code),
            done=lambda job: redirect(
                f"/carry-in/{job.id}/voucher", _("Device taken in: %(number)s.", number=job.number), request=request
            ),
            refused=lambda error: _intake_page(values, error, error.jobs if isinstance(error, DuplicateJob) else None),
        )

    @get("/{job_id:uuid}/intake", guards=[COUNTER])
    async def intake_page(self, request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
        job = await get_job_for(db_session, job_id, request.user)
        return _attach_page(job, dict(NEW_DEFAULTS))

    @post("/{job_id:uuid}/intake", guards=[COUNTER])
    async def attach(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        values = single_values(data, CHECKBOXES)

        async def redraw(error: DomainError) -> Template:
            return _attach_page(await get_job_for(db_session, job_id, request.user), values, error)

        return await act(
            service.attach_order(db_session, job_id, values, ctx),
            done=redirect(f"/carry-in/{job_id}/voucher", _("Repair order signed."), request=request),
            refused=redraw,
        )

    @get("/lookup", guards=[COUNTER])
    async def lookup(self, request: Request, db_session: DB, code: FromQuery[str] = "") -> Redirect:
        order = await service.find_by_voucher(db_session, request.user.office_id, code)
        return redirect(f"/carry-in/{order.job_id}")

    @get("/v/{code:str}", guards=[COUNTER])
    async def scanned(self, request: Request, db_session: DB, code: FromPath[str]) -> Redirect:
        """What the voucher's QR code opens."""
        order = await service.find_by_voucher(db_session, request.user.office_id, code)
        return redirect(f"/carry-in/{order.job_id}?code={order.voucher_code}")

    @get("/{job_id:uuid}/voucher", guards=[COUNTER])
    async def voucher_page(self, request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
        context = await _job_context(request, db_session, job_id, "voucher")
        url = f"{request.base_url}".rstrip("/") + voucher.voucher_path(context["order"].voucher_code)
        context["qr"] = qr.svg(url, _("Pickup QR code"))
        return Template("carryin/voucher.html", context=context)

    @get("/{job_id:uuid}", guards=[WORKSHOP])
    async def job_page(
        self, request: Request, db_session: DB, job_id: FromPath[uuid.UUID], code: FromQuery[str] = ""
    ) -> Template:
        return Template(
            "carryin/job.html",
            context={**await _job_context(request, db_session, job_id, "carry_in"), "values": {"voucher_code": code}},
        )

    @post("/{job_id:uuid}/steps/{step:str}", guards=[WORKSHOP])
    async def step(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: FromPath[uuid.UUID], step: FromPath[str], data: Form
    ) -> Response:
        values = single_values(data, CHECKBOXES)
        return await act(
            service.advance(db_session, job_id, step, values, ctx, version=form_version(values)),
            done=redirect(f"/carry-in/{job_id}", _("Saved."), request=request),
            refused=lambda error: refused_on_job_page(request, db_session, job_id, error, step, values),
        )

    @post("/{job_id:uuid}/factory/{action:str}", guards=[WORKSHOP])
    async def factory_step(
        self,
        request: Request,
        db_session: DB,
        ctx: Ctx,
        job_id: FromPath[uuid.UUID],
        action: FromPath[str],
        data: Form,
    ) -> Response:
        """S29: sent to the factory with a named person, a new date agreed with a reason, back from the factory."""
        values = single_values(data, CHECKBOXES)
        return await act(
            factory.advance(db_session, job_id, action, values, ctx, version=form_version(values)),
            done=redirect(f"/carry-in/{job_id}", _("Saved."), request=request),
            refused=lambda error: refused_on_job_page(request, db_session, job_id, error, f"factory-{action}", values),
        )

    @post("/{job_id:uuid}/pickup", guards=[COUNTER])
    async def pickup(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        values = single_values(data, CHECKBOXES)
        return await act(
            service.hand_over(db_session, job_id, values, ctx, version=form_version(values)),
            done=redirect(
                f"/carry-in/{job_id}", _("Collected. Give the customer the collected receipt."), request=request
            ),
            refused=lambda error: refused_on_job_page(request, db_session, job_id, error, "pickup", values),
        )


async def refused_on_job_page(
    request: Request, db: AsyncSession, job_id: uuid.UUID, error, failed_form: str, values: dict
) -> Template:
    """The job page again, ``failed_form`` (a step or "pickup") showing its refusal and what was sent."""
    context = await _job_context(request, db, job_id, "carry_in")
    context.update(error_context(error), failed_form=failed_form, values=values)
    return Template("carryin/job.html", context=context, status_code=422)


async def _job_context(request: Request, db: AsyncSession, job_id: uuid.UUID, page: str) -> dict:
    job = await get_job_for(db, job_id, request.user)
    order = await service.order_for(db, job.id)
    if order is None:
        raise DomainError(_("This job has no carry-in repair order."))
    await customer_viewed(db, request, job, page)
    return {
        "job": job,
        "order": order,
        "customer": await db.get(Customer, job.customer_id),
        "device": await db.get(Device, job.device_id),
        "now": request.app.state.clock(),
        "accessories": service.KEPT_ACCESSORIES,
        "failed_form": "",
        "factory_people": await factory.people(db, job.office_id),
        "factory_responsible": await db.get(User, order.factory_responsible_id)
        if order.factory_responsible_id
        else None,
        "may_send": factory.may_send(job, order),
        **error_context(None),
        **await loan_panel.context(db, request, job, order),
    }


def _intake_page(values: dict, error=None, duplicates=None) -> Template:
    context = {
        "values": values,
        **error_context(error),
        "duplicates": duplicates or [],
        "accessories": service.KEPT_ACCESSORIES,
    }
    return Template("carryin/new.html", context=context, status_code=422 if error else 200)


def _attach_page(job, values: dict, error=None) -> Template:
    context = {
        "job": job,
        "values": values,
        **error_context(error),
        "accessories": service.KEPT_ACCESSORIES,
    }
    return Template("carryin/intake.html", context=context, status_code=422 if error else 200)
