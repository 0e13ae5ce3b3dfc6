"""The paid-service quote: built from the current price list, then signed by the customer (§8, F42, F43)."""

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.database import transaction
from app.core.i18n import _
from app.jobs.lifecycle import record
from app.jobs.models import Job
from app.visits import engine, pricing
from app.visits.models import PriceList
from app.visits.service import open_for_engineer


async def current_price_list(db: AsyncSession, office_id: uuid.UUID) -> tuple[int, list[dict]]:
    """The newest version of the office's price list (version 1 is the built-in one)."""
    row = (
        await db.exec(select(PriceList).where(PriceList.office_id == office_id).order_by(PriceList.version.desc()))
    ).first()
    return (row.version, row.lines) if row else (1, pricing.DEFAULT_LINES)


async def publish_price_list(db: AsyncSession, office_id: uuid.UUID, lines: list[dict], ctx: Context) -> int:
    """A branch manager's new price-list version; quotes already made keep citing theirs."""
    async with transaction(db):
        version, _lines = await current_price_list(db, office_id)
        db.add(PriceList(office_id=office_id, version=version + 1, lines=lines, created_at=ctx.now))
    return version + 1


async def save_quote(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context) -> Job:
    """Builds a quote (the paid-service one, or extra work found later) from price-list lines before the customer
    signs it; a signed quote never changes, so a higher price always needs a new signed acceptance (INV-5)."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        step_key = str(data.get("step", "") or "quote")
        step = engine.check_can_start(state.visit, step_key)
        if step.get("purpose") != "quote":
            raise engine.ChecklistRefused(_("This step takes no quote."))
        version, lines = await current_price_list(db, state.job.office_id)
        quote = pricing.build_quote(version, lines, data)
        state.checklist.quote = {**state.checklist.quote, step_key: quote}
        db.add(state.checklist)
        record(
            db,
            state.job,
            ctx,
            "quote_built",
            details={"step": step_key, "total": quote["total"], "price_list": version},
        )
    return state.job
