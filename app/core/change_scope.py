"""What a transaction changes: its office's data, or only the details of some jobs (issue #18, the board under
writes).

Kept pages (``app.core.kept_pages``) are keyed by their office's data version, which every change of the office
counts up. Most writes of an engineer at work change one job's details: a checklist step, a photo, what the phone
still holds. Counted as a change of the whole office, each would draw every board of the office again, though
the board shows that job's row at most. So a transaction changes only *details* when everything it wrote is a
detail row (``detail_rows``): a row kept pages show only inside its job's own row or card, or not at all. Such a
transaction does not count up the office's version; the job's note in the office's numbered change log
(``app.jobs.board_log``, which calls ``note_job``) tells the pages that show that job.

Every other write makes the transaction *office-wide*: a row of another table, an added or deleted row of a table
whose updates may be details, a column outside those named, SQL text, or a detail row of a job the transaction
did not note. What is written is read from what the session flushes and from the INSERT, UPDATE and DELETE
statements it runs, so a new table counts as a change of the office until it is registered here.
"""

import uuid
from collections.abc import Iterable

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import SQLModel

ANY_COLUMN = None
DETAIL_TABLES: dict[str, frozenset[str] | None] = {}  # table -> the columns an update may change, or ANY_COLUMN
UNSHOWN_TABLES: set[str] = set()  # detail tables whose rows no kept page shows (logs, keys, counters, deliveries)
OFFICE_WIDE = "office_wide"  # in a session's info: what the open transaction wrote is not only details
WRITTEN_JOBS = "detail_jobs"  # the jobs whose detail rows the open transaction wrote
NOTED_JOBS = "noted_jobs"  # the jobs the open transaction noted in the office's change log


def detail_rows(model: type[SQLModel], updated: Iterable[str] | None = ANY_COLUMN, *, shown: bool = True) -> None:
    """Registers ``model``'s rows as details: any write to them, or, given ``updated``, only updates that change
    no other column; ``shown=False``: no kept page shows them (a log, a key, a counter, a delivery), so no job
    needs a note for them."""
    DETAIL_TABLES[model.__tablename__] = ANY_COLUMN if updated is ANY_COLUMN else frozenset(updated)
    if not shown:
        UNSHOWN_TABLES.add(model.__tablename__)


def note_job(info: dict, job_id: uuid.UUID) -> None:
    """The open transaction noted a change of this job in its office's change log."""
    info.setdefault(NOTED_JOBS, set()).add(job_id)


def office_wide(info: dict) -> bool:
    """Whether the transaction about to commit changes its office's data beyond the details of the jobs it noted;
    forgets what it wrote, for the session's next transaction."""
    wide = info.pop(OFFICE_WIDE, False)
    written, noted = info.pop(WRITTEN_JOBS, set()), info.pop(NOTED_JOBS, set())
    return wide or not written <= noted


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    for row in session.new | session.deleted:
        _wrote(session.info, row, None)
    for row in session.dirty:
        state = inspect(row)
        changed = {attribute.key for attribute in state.attrs if attribute.history.has_changes()}
        if changed:
            _wrote(session.info, row, changed)


def _wrote(info: dict, row: object, updated: set[str] | None) -> None:
    """A row was added or deleted (``updated`` None) or updated (the columns it changed)."""
    table = getattr(row, "__tablename__", "")
    if table not in DETAIL_TABLES:
        info[OFFICE_WIDE] = True
        return
    columns = DETAIL_TABLES[table]
    if columns is not ANY_COLUMN and (updated is None or not updated <= columns):
        info[OFFICE_WIDE] = True
        return
    if table in UNSHOWN_TABLES:
        return
    job_id = row.id if table == "job" else getattr(row, "job_id", None)
    if job_id is not None:
        info.setdefault(WRITTEN_JOBS, set()).add(job_id)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """A statement the session runs: a SELECT reads. An INSERT, UPDATE or DELETE is a detail only in a table whose
    rows are details in any column and that no page shows or whose rows belong to no one job (which rows a
    statement writes is not known here); anything else may change the office."""
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    dml = state.is_insert or state.is_update or state.is_delete
    if not (dml and table is not None and _any_row_is_detail(table)):
        state.session.info[OFFICE_WIDE] = True


def _any_row_is_detail(table) -> bool:
    if table.name not in DETAIL_TABLES or DETAIL_TABLES[table.name] is not ANY_COLUMN:
        return False
    return table.name in UNSHOWN_TABLES or "job_id" not in table.columns


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    office_wide(session.info)  # a transaction committed without ``transaction()``: start the next one afresh
