"""Loan equipment at the carry-in counter: the register, lending for a job, the equipment receipt, taking it back
(F40). Reception, coordinators and the manager; engineers do not lend."""

import uuid

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Office, Role
from app.carryin import loans
from app.carryin.models import LoanItem
from app.carryin.routes import refused_on_job_page
from app.core.acts import act
from app.core.errors import DomainError
from app.core.formats import office_time_zone
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.jobs.access import customer_viewed, get_job_for
from app.jobs.models import Customer

DB = NamedDependency[AsyncSession]
COUNTER = roles_allowed(Role.RECEPTION, Role.COORDINATOR)  # and the manager


class LoanEquipmentController(Controller):
    path = "/loan-equipment"
    guards = [COUNTER]

    @get("/")
    async def register(self, request: Request, db_session: DB) -> Template:
        return await _register_page(request, db_session, {})

    @post("/")
    async def add(self, request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
        values = single_values(data)

        async def redraw(error: DomainError) -> Template:
            return await _register_page(request, db_session, values, error)

        return await act(
            loans.add_item(db_session, values, ctx),
            done=lambda item: redirect(
                "/loan-equipment", _("Added to the register: %(code)s.", code=item.code), request=request
            ),
            refused=redraw,
        )

    @get("/loans/{loan_id:uuid}/receipt")
    async def receipt(self, request: Request, db_session: DB, loan_id: FromPath[uuid.UUID]) -> Template:
        """The equipment receipt (直接客户设备接收单) the customer signed, to print: customer and office copies."""
        loan = await loans.loan_for(db_session, loan_id, request.user.office_id)
        job = await get_job_for(db_session, loan.job_id, request.user)
        await customer_viewed(db_session, request, job, "loan_receipt")
        context = {
            "loan": loan,
            "item": await db_session.get(LoanItem, loan.item_id),
            "job": job,
            "customer": await db_session.get(Customer, job.customer_id),
            "office": await db_session.get(Office, job.office_id),
        }
        return Template("carryin/loan_receipt.html", context=context)

    @post("/loans/{loan_id:uuid}/return")
    async def take_back(
        self, request: Request, db_session: DB, ctx: Ctx, loan_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        values = single_values(data)

        async def redraw(error: DomainError) -> Template:
            loan = await loans.loan_for(db_session, loan_id, request.user.office_id)
            return await refused_on_job_page(request, db_session, loan.job_id, error, "loan_return", values)

        return await act(
            loans.take_back(db_session, loan_id, values, ctx),
            done=lambda loan: redirect(f"/carry-in/{loan.job_id}", _("Loan equipment taken back."), request=request),
            refused=redraw,
        )


@post("/carry-in/{job_id:uuid}/loan", guards=[COUNTER])
async def lend(request: Request, db_session: DB, ctx: Ctx, job_id: FromPath[uuid.UUID], data: Form) -> Response:
    """Lends an item for the job: the customer has signed the equipment receipt on the screen."""
    values = single_values(data)
    return await act(
        loans.lend(db_session, job_id, values, ctx),
        done=lambda loan: redirect(
            f"/loan-equipment/loans/{loan.id}/receipt",
            _("Loan equipment lent. Print the equipment receipt for the customer."),
            request=request,
        ),
        refused=lambda error: refused_on_job_page(request, db_session, job_id, error, "loan", values),
    )


async def _register_page(request: Request, db: AsyncSession, values: dict, error=None) -> Template:
    context = {
        "rows": await loans.register(db, request.user.office_id),
        "today": request.app.state.clock().astimezone(office_time_zone()).date(),
        "values": {"item_id": str(uuid.uuid4()), **values},
        **error_context(error),
    }
    return Template("carryin/loans.html", context=context, status_code=422 if error else 200)
