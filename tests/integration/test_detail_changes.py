"""Changes of one job's details (a checklist step, a photo, what a phone holds) leave the office's version as it is
(app/core/change_scope.py): the boards that do not show that job keep their pages, those that do show it draw it
again at once, and anything else a transaction writes counts as a change of the whole office."""

import re
import uuid
from datetime import date

from sqlalchemy import text, update
from sqlmodel import select

from app.accounts.models import Holiday
from app.core import change_scope
from app.core.database import transaction
from app.core.page_cache import NOTE_WIDTH, RECENT_NOTES, OfficeNotes, OfficeVersion, Seen
from app.jobs import board_log
from app.sync.models import IdempotencyRecord
from app.visits.models import VisitPhoto
from tests.helpers.clients import browser_of, csrf, drawings, sign_in
from tests.helpers.jobs import reload
from tests.helpers.visits import PLAN, job_on_the_way, photo, step

FIELDS = {key: fields for key, fields, _photos in PLAN}


async def seen(db, office_id) -> tuple[int, int]:
    """The office's version and its newest change note."""
    version, notes = (
        await db.exec(
            select(OfficeVersion.value, OfficeNotes.value)
            .join(OfficeNotes, OfficeNotes.office_id == OfficeVersion.office_id)
            .where(OfficeVersion.office_id == office_id)
        )
    ).one()
    return version, notes


def row_of(board: str, job_id) -> str:
    return re.search(rf'<li id="job-{job_id}".*?</li>', board, re.S)[0]


async def test_a_step_and_a_photo_note_their_job_and_leave_the_offices_version(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    before = await seen(db, job.office_id)
    assert (await step(client, job, "arrive", **FIELDS["arrive"])).status_code == 303
    arrived = await seen(db, job.office_id)
    assert arrived[0] == before[0] + 1  # the job's state moved (ON_SITE): the counts change, the office's version
    assert (await step(client, job, "enter", **FIELDS["enter"])).status_code == 303
    assert (await photo(client, job, "warranty")).status_code == 201
    after = await seen(db, job.office_id)
    assert after[0] == arrived[0] and after[1] == arrived[1] + 2
    notes = await board_log.notes_between(db, job.office_id, arrived[1], after[1])
    assert notes == [job.id, job.id]


async def test_the_board_keeps_its_page_while_a_job_it_does_not_show_is_worked_and_redraws_one_it_shows(
    client, db, settings, clock, make_user
):
    job, engineer = await job_on_the_way(client, db, make_user)
    other, other_engineer = await job_on_the_way(client, db, make_user, device_serial="K-2")
    async with browser_of(await make_user("coordinator"), settings, clock) as desk:  # another app process
        mine, theirs = f"/board?engineer={engineer.id}", f"/board?engineer={other_engineer.id}"
        assert str(job.id) in (await desk.get(mine)).text and str(other.id) in (await desk.get(theirs)).text
        shown_before = row_of((await desk.get(mine)).text, job.id)
        drawn = drawings(desk)
        await sign_in(client, other_engineer)
        assert (await step(client, other, "arrive", **FIELDS["arrive"])).status_code == 303  # office-wide: counts
        await desk.get(mine)
        assert drawn == ["board"]
        assert (await step(client, other, "enter", **FIELDS["enter"])).status_code == 303
        assert (await photo(client, other, "warranty")).status_code == 201
        assert row_of((await desk.get(mine)).text, job.id) == shown_before and drawn == ["board"]  # kept
        progress = row_of((await desk.get(theirs)).text, other.id)
        assert drawn == ["board", "board"]  # the board that shows the job drew it again at once
        await sign_in(client, engineer)
        assert (await step(client, job, "arrive", **FIELDS["arrive"])).status_code == 303
        assert (await step(client, job, "enter", **FIELDS["enter"])).status_code == 303
        assert row_of((await desk.get(mine)).text, job.id) != shown_before
        assert row_of((await desk.get(theirs)).text, other.id) == progress


async def test_a_phones_report_redraws_the_boards_engineers_panel_not_another_engineers_list(
    client, db, settings, clock, make_user
):
    job, engineer = await job_on_the_way(client, db, make_user)
    other_engineer = await make_user("engineer")
    async with (
        browser_of(await make_user("coordinator"), settings, clock) as desk,
        browser_of(other_engineer, settings, clock) as other_phone,
    ):
        await desk.get("/board")
        await other_phone.get("/jobs/mine")
        board_drawn, list_drawn = drawings(desk), drawings(other_phone)
        report = {"pending": 3, "jobs": {str(job.id): 3}, "last_sync_at": clock().isoformat()}
        assert (await client.post("/sync/status", json=report, headers=csrf(client))).status_code == 200
        assert "3 changes waiting" in (await desk.get("/board")).text and board_drawn == ["board"]
        await other_phone.get("/jobs/mine")
        assert list_drawn == []


async def test_a_write_elsewhere_or_one_whose_job_is_not_known_changes_the_office(db, office, make_user):
    office_id, engineer_id = office.id, (await make_user("engineer")).id

    async def wide(write) -> bool:
        await write()
        await db.flush()
        decided = change_scope.office_wide(db.info)
        await db.rollback()
        return decided

    async def holiday():
        db.add(Holiday(office_id=office_id, day=date(2030, 1, 2), name="Founding day"))

    async def idempotency_key():
        await db.exec(update(IdempotencyRecord).where(IdempotencyRecord.user_id == engineer_id).values(status_code=200))

    async def photos_by_statement():  # which job's photos is not known: the office's
        await db.exec(update(VisitPhoto).where(VisitPhoto.office_id == office_id).values(deleted=True))

    async def sql_text():
        await db.exec(text("UPDATE office SET name = name"))

    assert await wide(holiday) and await wide(photos_by_statement) and await wide(sql_text)
    assert not await wide(idempotency_key)


async def test_a_job_is_a_detail_only_in_its_version_and_only_when_noted(client, db, make_user, clock):
    job, _engineer = await job_on_the_way(client, db, make_user)
    job_id = job.id

    async def wide(change, note: bool) -> bool:
        fresh = await reload(db, job_id)
        change(fresh)
        db.add(fresh)
        if note:
            board_log.note(db, fresh.office_id, board_log.JOB, fresh.id, clock())
        await db.flush()
        decided = change_scope.office_wide(db.info)
        board_log.forget_pending(db)
        await db.rollback()
        return decided

    def new_version(row):
        row.version += 1
        row.updated_at = clock()

    def new_state(row):
        new_version(row)
        row.state = "ON_SITE"

    assert not await wide(new_version, note=True)
    assert await wide(new_version, note=False)  # a change no board is told of
    assert await wide(new_state, note=True)  # the counts, the lists' filters: the office's


async def test_the_offices_row_names_its_newest_notes_in_the_order_numbered(db, office, clock):
    noted = [uuid.uuid4() for _ in range(RECENT_NOTES + 3)]
    for job_id in noted[:-3]:
        async with transaction(db):
            board_log.note(db, office.id, board_log.JOB, job_id, clock())
    async with transaction(db):  # three notes numbered by one statement, then a phone's report
        for job_id in noted[-3:]:
            board_log.note(db, office.id, board_log.JOB, job_id, clock())
    async with transaction(db):
        board_log.note(db, office.id, board_log.PHONE, None, clock())

    row = (await db.exec(select(OfficeNotes).where(OfficeNotes.office_id == office.id))).one()
    await db.refresh(row)
    newest = Seen(0, row.value, row.recent, row.recent_upto)
    assert row.recent_upto == row.value and len(row.recent) == RECENT_NOTES * NOTE_WIDTH
    assert newest.notes_after(row.value - RECENT_NOTES) == [*noted[-RECENT_NOTES + 1 :], None]
    assert newest.notes_after(row.value - RECENT_NOTES - 1) is None  # older: the log has them
    assert await board_log.notes_between(db, office.id, row.value - 4, row.value) == [*noted[-3:], None]


async def test_a_kept_board_is_checked_against_the_notes_read_with_the_user_not_the_log(
    client, db, settings, clock, make_user, monkeypatch
):
    job, engineer = await job_on_the_way(client, db, make_user)
    other, other_engineer = await job_on_the_way(client, db, make_user, device_serial="K-2")

    async def unread(*_args):
        raise AssertionError("the notes since came with the user: the log is not read")

    async with browser_of(await make_user("coordinator"), settings, clock) as desk:
        mine = f"/board?engineer={engineer.id}"
        shown = row_of((await desk.get(mine)).text, job.id)
        drawn = drawings(desk)
        monkeypatch.setattr(board_log, "notes_between", unread)
        await sign_in(client, other_engineer)
        assert (await step(client, other, "arrive", **FIELDS["arrive"])).status_code == 303  # office-wide
        assert row_of((await desk.get(mine)).text, job.id) == shown and drawn == ["board"]
        assert (await step(client, other, "enter", **FIELDS["enter"])).status_code == 303
        assert (await photo(client, other, "warranty")).status_code == 201
        assert row_of((await desk.get(mine)).text, job.id) == shown and drawn == ["board"]  # kept, no query
        await sign_in(client, engineer)
        assert (await step(client, job, "arrive", **FIELDS["arrive"])).status_code == 303
        assert (await step(client, job, "enter", **FIELDS["enter"])).status_code == 303
        assert row_of((await desk.get(mine)).text, job.id) != shown
