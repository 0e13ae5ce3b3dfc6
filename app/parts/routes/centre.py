"""The parts centre page (clerk): requests tracked to stock-in, defective batches shipped (F35)."""

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core.acts import act
from app.core.forms import Form, single_values
from app.core.i18n import _, ngettext
from app.core.validation import error_context
from app.core.web import redirect
from app.parts import centre, queries
from app.parts.idempotency import MovementKey
from app.parts.models import MovementKind

DB = NamedDependency[AsyncSession]
CLERK = roles_allowed(Role.CLERK)


@get("/parts/centre", guards=[CLERK])
async def centre_page(request: Request, db_session: DB) -> Template:
    return await _page(request, db_session)


@post("/parts/centre/requests", guards=[CLERK])
async def request_part(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    key = MovementKey.from_request(request, MovementKind.REQUEST_FROM_CENTRE, values)
    return await act(
        centre.request_from_centre(db_session, ctx, key, values),
        done=redirect("/parts/centre", _("Request to the parts centre recorded."), request=request),
        refused=lambda error: _page(request, db_session, error, "request", values),
    )


@post("/parts/centre/shipments", guards=[CLERK])
async def ship(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    codes = data.get("unit", [])
    codes = codes if isinstance(codes, list) else [codes]
    reference = data.get("reference", "")
    reference = reference[-1] if isinstance(reference, list) else reference
    key = MovementKey.from_request(
        request,
        MovementKind.SHIP_DEFECTIVE,
        {"units": sorted(codes), "reference": reference, "movement_id": data.get("movement_id")},
    )
    return await act(
        centre.ship_defective(db_session, ctx, key, codes, reference),
        done=lambda rows: redirect(
            "/parts/centre",
            ngettext("%(num)s faulty part shipped.", "%(num)s faulty parts shipped.", len(rows)),
            request=request,
        ),
        refused=lambda error: _page(request, db_session, error, "ship", {"reference": reference, "units": codes}),
    )


async def _page(
    request: Request, db: AsyncSession, error=None, failed_form: str = "", values: dict | None = None
) -> Template:
    """The page; after a refusal, ``failed_form`` names the form refused and ``values`` what it was sent."""
    office_id = request.user.office_id
    return Template(
        "parts/centre.html",
        status_code=422 if error else 200,
        context={
            "requests": await centre.open_requests(db, office_id),
            "parts": await queries.parts(db, office_id),
            "defective": await centre.defective_bin(db, office_id),
            "shipments": await centre.shipments(db, office_id),
            **error_context(error),
            "failed_form": failed_form,
            "values": values or {},
            "movement_id": uuid.uuid4(),
        },
    )


ROUTES = [centre_page, request_part, ship]
