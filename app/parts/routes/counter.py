"""The parts counter (clerk): lend, take back, confirm, borrow-failure slips; the engineer's "My parts"."""

import logging
import uuid
from collections.abc import Awaitable

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Role, User
from app.core import validation as v
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, single_values
from app.core.i18n import _, ngettext
from app.core.validation import error_context
from app.core.web import redirect
from app.jobs import queries as job_queries
from app.parts import flows, ledger, queries, returns
from app.parts.idempotency import MovementKey
from app.parts.models import MovementKind
from app.parts.texts import UNIT_STATUS_LABELS

DB = NamedDependency[AsyncSession]
log = logging.getLogger("onsite.parts")
CLERK = roles_allowed(Role.CLERK)


@get("/parts/counter", guards=[CLERK], opt={"wasm": True})
async def counter(
    request: Request,
    db_session: DB,
    engineer: FromQuery[str] = "",
    badge: FromQuery[str] = "",
    job: FromQuery[str] = "",
) -> Template:
    """``?job=`` (the link on a job's page) opens the counter for that job's engineer with the job chosen."""
    if badge.strip():
        found = await queries.engineer_by_badge(db_session, request.user.office_id, badge)
        if found is None:
            error = DomainError(_("No engineer of this office has the badge %(badge)s.", badge=badge.strip()[:40]))
            return await counter_page(request, db_session, "", error, "badge")
        engineer = str(found.id)
    preset = await queries.office_job(db_session, request.user.office_id, job)
    if preset and not engineer and preset.engineer_id:
        engineer = str(preset.engineer_id)
    return await counter_page(request, db_session, engineer, preset_job=str(preset.id) if preset else "")


@post("/parts/check-out", guards=[CLERK])
async def check_out(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    key = MovementKey.from_request(request, MovementKind.CHECK_OUT, values)

    async def lent(rows) -> Redirect:
        message = await _lent_message(db_session, ctx.actor.office_id, rows)
        return redirect(f"/parts/counter?engineer={values.get('engineer_id')}", message, request=request)

    async def check_out() -> list:
        exception_reason = v.text(values, "exception_reason", max_length=500, required=False)
        codes = str(values.get("codes", "")).replace(",", " ").split()
        return await ledger.check_out(
            db_session,
            ctx,
            key,
            engineer_id=values.get("engineer_id", ""),
            job_id=values.get("job_id", ""),
            codes=codes,
            sealed=v.checkbox(values, "sealed"),
            exception_reason=exception_reason,
        )

    return await act(
        check_out(),
        done=lent,
        refused=lambda error: counter_page(
            request, db_session, values.get("engineer_id", ""), error, "check-out", values
        ),
    )


async def _lent_message(db: AsyncSession, office_id: uuid.UUID, rows) -> str:
    """Names what went out and for which job: "Lent for job J-…: PSU-450 Power supply (serial …)"."""
    lent = await queries.units_by_id(db, [row.unit_id for row in rows])
    job = await queries.office_job(db, office_id, str(rows[0].job_id))
    units = "; ".join(
        _("%(number)s %(name)s (serial %(serial)s)", number=part.number, name=part.name, serial=unit.serial)
        for unit, part in lent
    )
    return _("Lent for job %(job)s: %(units)s.", job=job.number if job else "?", units=units)


@get("/parts/counter/codes", guards=[CLERK])
async def codes_preview(request: Request, db_session: DB, codes: FromQuery[str] = "") -> Template:
    """What the typed or scanned codes are, beside the field, while the clerk types (htmx)."""
    lines = [line for line in codes.replace(",", " ").split() if line.strip()][:50]
    found = await queries.units_by_codes(db_session, request.user.office_id, lines)
    return Template(
        "parts/_codes_preview.html",
        context={"lines": lines, "found": found, "UNIT_STATUS_LABELS": UNIT_STATUS_LABELS},
    )


@post("/parts/return", guards=[CLERK])
async def return_unit(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    key = MovementKey.from_request(request, "RETURN", values)

    async def taken_back(row) -> Redirect:
        message = await _returned_message(db_session, row)
        return redirect(f"/parts/counter?engineer={row.engineer_id or ''}", message, request=request)

    return await act(
        returns.return_unit(
            db_session,
            ctx,
            key,
            code=values.get("code", ""),
            job_id=values.get("job_id", ""),
            outcome=values.get("outcome", ""),
            sealed=v.checkbox(values, "sealed"),
            fault=values.get("fault", ""),
            device_serial=values.get("device_serial", ""),
            removed_serial=values.get("removed_serial", ""),
        ),
        done=taken_back,
        refused=lambda error: counter_page(request, db_session, values.get("engineer_id", ""), error, "return", values),
    )


async def _returned_message(db: AsyncSession, row) -> str:
    if fitted := row.details.get("replaced_by"):
        ((faulty, _part),) = await queries.units_by_id(db, [row.unit_id])
        return _(
            "Faulty part %(serial)s booked in as %(code)s with its fault tag (print its label from the unit page); "
            "%(fitted)s stays fitted at the customer.",
            serial=faulty.serial,
            code=faulty.code,
            fitted=fitted,
        )
    return {
        MovementKind.RETURN_UNUSED: _("Unit back in stock; confirm the return on the job."),
        MovementKind.QUARANTINE: _("Packaging opened: unit sent to quarantine for inspection."),
        MovementKind.RETURN_FAULTY: _("Faulty part taken back with its fault tag."),
    }[row.kind]


@post("/parts/jobs/{job_id:uuid}/confirm", guards=[CLERK])
async def confirm(request: Request, db_session: DB, ctx: Ctx, job_id: FromPath[uuid.UUID], data: Form) -> Response:
    values = single_values(data)
    key = MovementKey.from_request(request, MovementKind.CONFIRM_RETURN, {**values, "job": str(job_id)})
    return await act(
        flows.confirm_returns(db_session, ctx, key, job_id),
        done=lambda rows: redirect(
            "/parts/counter",
            ngettext("%(num)s return confirmed.", "%(num)s returns confirmed.", len(rows)),
            request=request,
        ),
        refused=lambda error: counter_page(request, db_session, "", error, "confirm", values),
    )


@post("/parts/borrow-failures", guards=[roles_allowed(Role.CLERK, Role.ENGINEER)])
async def borrow_failure(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    key = MovementKey.from_request(request, MovementKind.BORROW_FAILURE, values)
    engineer = request.user.role == Role.ENGINEER

    def redraw(error: DomainError) -> Awaitable[Template]:
        if engineer:
            return mine_page(request, db_session, error, "failure", values)
        return counter_page(request, db_session, values.get("engineer_id", ""), error, "failure", values)

    return await act(
        flows.record_borrow_failure(db_session, ctx, key, values),
        done=redirect(
            "/parts/mine" if engineer else "/parts/counter",
            _("Borrow failure recorded; the job waits for the part."),
            request=request,
        ),
        refused=redraw,
    )


@get("/parts/mine", guards=[roles_allowed(Role.ENGINEER)], opt={"wasm": True})
async def my_parts(request: Request, db_session: DB) -> Template:
    return await mine_page(request, db_session)


@post("/parts/fit", guards=[roles_allowed(Role.ENGINEER)])
async def fit(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    key = MovementKey.from_request(request, MovementKind.FIT, values)
    return await act(
        returns.fit_unit(
            db_session,
            ctx,
            key,
            code=values.get("code", ""),
            job_id=values.get("job_id", ""),
            removed_serial=values.get("removed_serial", ""),
        ),
        done=redirect("/parts/mine", _("Fitted part and removed serial recorded on the job."), request=request),
        refused=lambda error: mine_page(request, db_session, error, "fit", values),
    )


async def counter_page(
    request: Request,
    db: AsyncSession,
    engineer_id: str,
    error=None,
    failed_form: str = "",
    values: dict | None = None,
    preset_job: str = "",
) -> Template:
    office_id = request.user.office_id
    if error:
        log.info(
            "parts action refused",
            extra={"path": request.url.path, "user": request.user.username, "reason": error.message},
        )
    engineer = None
    try:
        engineer = await db.get(User, uuid.UUID(engineer_id)) if engineer_id else None
    except ValueError:
        engineer = None
    if engineer and (engineer.office_id != office_id or engineer.role != Role.ENGINEER):
        engineer = None
    awaiting = await queries.jobs_awaiting_confirmation(db, office_id)
    held = await queries.holdings(db, engineer.id) if engineer else []
    context = {
        "engineers": await job_queries.engineers(db, office_id),
        "engineer": engineer,
        "held": held,
        "jobs": await queries.engineer_jobs(db, engineer.id, ledger.LENDABLE_STATES) if engineer else [],
        "held_jobs": (await queries.jobs_by_id(db, {u.job_id for u, _p in held if u.job_id})).values()
        if engineer
        else [],
        "parts": await queries.parts(db, office_id),
        "reasons": flows.FAILURE_REASONS,
        "UNIT_STATUS_LABELS": UNIT_STATUS_LABELS,
        "awaiting": [
            (job, await queries.job_units(db, job.id)) for job in (await queries.jobs_by_id(db, awaiting)).values()
        ],
        "out": await queries.units_out(db, office_id),
        "now": request.app.state.clock(),
        "overdue_days": request.app.state.settings.parts_overdue_days,
        "error": error,
        "form_errors": error_context(error)["form_errors"],  # only the refused form's fields
        "failed_form": failed_form,
        "values": values or {},
        "preset_job": preset_job,
        "movement_id": uuid.uuid4(),
    }
    return Template("parts/counter.html", context=context, status_code=422 if error else 200)


async def mine_page(
    request: Request, db: AsyncSession, error=None, failed_form: str = "", values: dict | None = None
) -> Template:
    """The engineer's page; after a refusal, ``failed_form`` names the form refused and ``values`` what it sent."""
    user = request.user
    if error:
        log.info(
            "parts action refused", extra={"path": request.url.path, "user": user.username, "reason": error.message}
        )
    context = {
        "held": await queries.holdings(db, user.id),
        **error_context(error),
        "failed_form": failed_form,
        "values": values or {},
        "jobs": await queries.engineer_jobs(db, user.id, ledger.LENDABLE_STATES),
        "parts": await queries.parts(db, user.office_id),
        "reasons": flows.FAILURE_REASONS,
        "now": request.app.state.clock(),
        "movement_id": uuid.uuid4(),
        "overdue_days": request.app.state.settings.parts_overdue_days,
    }
    return Template("parts/mine.html", context=context, status_code=422 if error else 200)


ROUTES = [counter, codes_preview, check_out, return_unit, confirm, borrow_failure, my_parts, fit]
