"""The streamed CSV export of a period's jobs (domain.md §12.1: manager only, logged and watermarked).

Rows come from a server-side cursor in batches, so memory stays flat however long the period is. The file is
made for a spreadsheet: a UTF-8 byte-order mark (Excel then reads Chinese), the column names on the first line,
translated labels instead of codes, times in the office's time zone, the confidentiality notice on the last
line, and no cell a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.core.i18n import N_, gettext
from app.jobs.models import Device, Job
from app.jobs.texts import JOB_TYPE_LABELS, PRIORITY_LABELS, STATE_LABELS, ZONE_LABELS
from app.reports.kpis import Scope

BATCH = 1000
BOM = "\ufeff"
OUTCOME_LABELS = {
    "declined": N_("Declined"),
    "taken_back": N_("Taken back"),
    "revisit": N_("Revisit"),
    "returned_unrepaired": N_("Returned unrepaired"),
}
COLUMNS = [
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
# The label table of each column that holds a code (by position); the others are shown as they are.
CODED = {1: JOB_TYPE_LABELS, 2: STATE_LABELS, 3: PRIORITY_LABELS, 4: ZONE_LABELS, 10: OUTCOME_LABELS}
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportTexts:
    """Everything the file says, translated once in the request's language (the stream outlives the request)."""

    header: list[str]
    labels: dict[int, dict[str, str]]
    yes: str
    no: str
    tz: tzinfo = field(default=UTC)


def export_texts(tz: tzinfo = UTC) -> ExportTexts:
    zone_name = str(tz)
    header = [gettext(name) for name in COLUMNS]
    for position in (7, 8, 9):
        header[position] = f"{header[position]} ({zone_name})"
    labels = {position: {code: gettext(text) for code, text in table.items()} for position, table in CODED.items()}
    return ExportTexts(header, labels, gettext("Yes"), gettext("No"), tz)


def neutralise(text: str) -> str:
    """A leading quote makes a spreadsheet show the cell as text instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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


def _cell(value, position: int, texts: ExportTexts) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(texts.tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return texts.yes if value else texts.no
    if value is None:
        return ""
    text = str(value)
    return neutralise(texts.labels.get(position, {}).get(text, text))


async def csv_chunks(
    sessionmaker, scope: Scope, watermark: str, texts: ExportTexts | None = None
) -> AsyncIterator[bytes]:
    """Yields the CSV a batch of rows at a time; opens its own session, as it outlives the request's."""
    texts = texts or export_texts()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(texts.header)
    async with sessionmaker() as db:
        result = await db.stream(_query(scope))
        async for partition in result.partitions(BATCH):
            for row in partition:
                writer.writerow([_cell(value, position, texts) for position, value in enumerate(row)])
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    writer.writerow([neutralise(watermark)])
    yield buffer.getvalue().encode()
