"""The streamed CSV export of a period's jobs (domain.md §12.1: manager only, logged and watermarked).

Rows come from a server-side cursor in batches, so memory stays flat however long the period is."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.core.i18n import N_, gettext
from app.jobs.models import Device, Job
from app.jobs.texts import JOB_TYPE_LABELS, PRIORITY_LABELS, STATE_LABELS, ZONE_LABELS
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


# What a person opening the file in Excel reads above each column, in the exporter's language.
HEADINGS = [
    N_("Job number"),
    N_("Job type"),
    N_("State"),
    N_("Priority"),
    N_("Service zone"),
    N_("Device model"),
    N_("Engineer"),
    N_("Request time"),
    N_("Created"),
    N_("Completed"),
    N_("Outcome"),
    N_("Repeat repair"),
    N_("Paid service"),
]
_CODED = {1: JOB_TYPE_LABELS, 2: STATE_LABELS, 3: PRIORITY_LABELS, 4: ZONE_LABELS}


def layout(tz) -> dict:
    """Headings and labels translated now, in the request's language: the rows are written later, as they stream."""
    return {
        "headings": [gettext(text) for text in HEADINGS],
        "labels": {column: {code: gettext(text) for code, text in table.items()} for column, table in _CODED.items()},
        "yes_no": (gettext("Yes"), gettext("No")),
        "tz": tz,
    }


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


def _readable(row, shown: dict) -> list[str]:
    cells = []
    for column, value in enumerate(row):
        if isinstance(value, datetime):
            cells.append(value.astimezone(shown["tz"]).strftime("%Y-%m-%d %H:%M"))
        elif isinstance(value, bool):
            cells.append(shown["yes_no"][0] if value else shown["yes_no"][1])
        elif column in shown["labels"]:
            cells.append(shown["labels"][column].get(value, _cell(value)))
        else:
            cells.append(_cell(value))
    return cells


async def csv_chunks(sessionmaker, scope: Scope, watermark: str, shown: dict | None = None) -> AsyncIterator[bytes]:
    """Yields the CSV a batch of rows at a time; opens its own session, as it outlives the request's.

    With ``shown`` (from ``layout``) the file is for people: a UTF-8 byte-order mark so Excel reads the Chinese,
    translated headings and labels, times in the office's zone. Without it, the raw codes and ISO times."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(f"\ufeff# {watermark}\n" if shown else f"# {watermark}\n")
    writer.writerow(shown["headings"] if shown else COLUMNS)
    async with sessionmaker() as db:
        result = await db.stream(_query(scope))
        async for partition in result.partitions(BATCH):
            for row in partition:
                writer.writerow(_readable(row, shown) if shown else [_cell(value) for value in row])
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
