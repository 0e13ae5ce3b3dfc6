"""The streamed CSV export of a period's jobs (domain.md §12.1: manager only, logged and watermarked).

Rows come from a server-side cursor in batches, so memory stays flat however long the period is."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.jobs.models import Device, Job
from app.reports.kpis import Scope

BATCH = 1000
COLUMNS = [
    "number",
    "job_type",
    "state",
    "priority",
    "zone",
    "device_model",
    "engineer",
    "requested_at",
    "created_at",
    "completed_at",
    "outcome",
    "repeat_repair",
    "paid",
]


def _query(scope: Scope):
    engineer = aliased(User)
    return (
        select(
            Job.number,
            Job.job_type,
            Job.state,
            Job.priority,
            Job.zone,
            Device.model,
            engineer.display_name,
            Job.requested_at,
            Job.created_at,
            Job.completed_at,
            Job.outcome,
            Job.repeat_repair,
            Job.paid,
        )
        .join(Device, Device.id == Job.device_id)
        .outerjoin(engineer, engineer.id == Job.engineer_id)
        .where(Job.office_id == scope.office_id, Job.created_at >= scope.start, Job.created_at < scope.end)
        .order_by(Job.created_at, Job.number)
        .execution_options(yield_per=BATCH)
    )


def _cell(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if value is None:
        return ""
    return str(value)


async def csv_chunks(sessionmaker, scope: Scope, watermark: str) -> AsyncIterator[bytes]:
    """Yields the CSV a batch of rows at a time; opens its own session, as it outlives the request's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(f"# {watermark}\n")
    writer.writerow(COLUMNS)
    async with sessionmaker() as db:
        result = await db.stream(_query(scope))
        async for partition in result.partitions(BATCH):
            for row in partition:
                writer.writerow([_cell(value) for value in row])
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
