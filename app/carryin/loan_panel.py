"""What the carry-in job page shows about loan equipment and the appointment the drop-off came from (F40, F41)."""

import uuid

from litestar import Request
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role
from app.carryin import loans
from app.carryin.models import Appointment, CarryInOrder, Loan, LoanItem
from app.carryin.service import AT_COUNTER
from app.core.formats import office_time_zone
from app.jobs.models import Job

DESK = {Role.RECEPTION, Role.COORDINATOR, Role.MANAGER}


async def context(db: AsyncSession, request: Request, job: Job, order: CarryInOrder) -> dict:
    user = request.user
    zone = office_time_zone()
    history = await db.exec(
        select(Loan, LoanItem).join(LoanItem, LoanItem.id == Loan.item_id).where(Loan.job_id == job.id)
    )
    loans_of_job = sorted(history.all(), key=lambda row: row[0].lent_at, reverse=True)
    out = next(((loan, item) for loan, item in loans_of_job if loan.returned_at is None), None)
    may_lend = user.role in DESK and out is None and job.state in AT_COUNTER and not order.collected_at
    from_appointment = await db.exec(select(Appointment).where(Appointment.job_id == job.id))
    return {
        "loans": loans_of_job,
        "loan_out": out,
        "loan_items": await loans.available(db, user.office_id) if may_lend else [],
        "may_lend": may_lend,
        "loan_defaults": {"loan_id": str(uuid.uuid4()), "due_back": order.promised_pickup_at.astimezone(zone).date()},
        "today": request.app.state.clock().astimezone(zone).date(),
        "appointment": from_appointment.first(),
    }
