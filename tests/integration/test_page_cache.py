"""Kept copies of the board and My jobs: never shown after a change, whichever app process made it,
and counted per office: a write in one office neither waits for nor drops another office's."""

import asyncio
import re
import uuid

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text, update
from sqlmodel import select

from app.accounts import service
from app.accounts.models import Office
from app.core.database import make_sessionmaker, transaction
from app.core.page_cache import (
    CHANGED_OFFICE,
    MAX_NOTES_SINCE_DRAWN,
    RECENT_NOTES,
    OfficeVersion,
    PageCache,
    Seen,
    Shows,
    note_names,
)
from app.main import create_app
from tests.helpers.clients import browser_of, drawings, sign_in
from tests.helpers.env import PASSWORD
from tests.helpers.jobs import post, take_request

COUNT_ONE = text(
    "INSERT INTO office_version (office_id, value) VALUES (:office_id, 1) "
    "ON CONFLICT (office_id) DO UPDATE SET value = office_version.value + 1"
)


async def versions(db) -> dict:
    rows = await db.exec(select(OfficeVersion).execution_options(populate_existing=True))
    return {row.office_id: row.value for row in rows}


async def second_office(db, clock, role: str = "coordinator"):
    async with transaction(db):
        office = Office(code="SECOND", name="Second office")
        db.add(office)
    form = service.parse_user_form(
        {"username": "second-" + role, "display_name": "Second", "role": role, "password": PASSWORD}, creating=True
    )
    return office, await service.create_user(db, form, office_id=office.id, now=clock())


def at(version: int, events: int = 0) -> Seen:
    return Seen(version, events)


async def no_notes(_after: int, _upto: int) -> list:
    raise AssertionError("the office's version moved: its notes are not read")


async def test_it_renders_a_part_once_per_version():
    cache, renders = PageCache(), []

    async def render() -> tuple[str, Shows]:
        renders.append(1)
        return f"<p>{len(renders)}</p>", Shows()

    assert await cache.fetch("part", at(1), render, no_notes) == "<p>1</p>"
    assert await cache.fetch("part", at(1), render, no_notes) == "<p>1</p>"
    assert await cache.fetch("part", at(2), render, no_notes) == "<p>2</p>"
    assert await cache.fetch("part", at(1), render, no_notes) == "<p>2</p>"  # newer than asked: never older


async def test_requests_that_wait_during_a_drawing_share_the_next_one_drawn_after_they_asked():
    cache, renders, drawing = PageCache(), [], asyncio.Event()

    async def render() -> tuple[str, Shows]:
        renders.append(1)
        if len(renders) == 1:
            await drawing.wait()
        return f"<p>{len(renders)}</p>", Shows()

    first = asyncio.create_task(cache.fetch("part", at(1), render, no_notes))
    await asyncio.sleep(0)  # the first drawing has started, as of version 1
    waiting = [asyncio.create_task(cache.fetch("part", at(version), render, no_notes)) for version in (2, 3, 4)]
    await asyncio.sleep(0)
    drawing.set()

    assert await first == "<p>1</p>"
    assert await asyncio.gather(*waiting) == ["<p>2</p>"] * 3  # one more drawing, made after all three asked
    assert len(renders) == 2
    assert await cache.fetch("part", at(4), render, no_notes) == "<p>2</p>"
    assert await cache.fetch("part", at(5), render, no_notes) == "<p>3</p>"


async def test_a_part_is_served_again_after_changes_to_details_it_does_not_show_and_drawn_after_one_it_does():
    shown, other = uuid.uuid4(), uuid.uuid4()
    cache, renders, log = PageCache(), [], {}  # note number -> the job it names (None: the phones)

    async def render() -> tuple[str, Shows]:
        renders.append(1)
        return f"<p>{len(renders)}</p>", Shows(jobs=frozenset({shown}))

    async def notes(after: int, upto: int) -> list | None:
        named = [log[number] for number in range(after + 1, upto + 1) if number in log]
        return named if len(named) == upto - after else None  # None: the log no longer holds them all

    assert await cache.fetch("part", at(1, 0), render, notes) == "<p>1</p>"
    log |= {1: other, 2: None}  # another job's step, a phone's report: this part shows neither
    assert await cache.fetch("part", at(1, 2), render, notes) == "<p>1</p>"
    log[3] = shown
    assert await cache.fetch("part", at(1, 3), render, notes) == "<p>2</p>"
    assert await cache.fetch("part", at(1, 5), render, notes) == "<p>3</p>"  # numbers 4 and 5 are no longer kept
    log |= {number: other for number in range(6, 6 + MAX_NOTES_SINCE_DRAWN + 1)}
    assert await cache.fetch("part", at(1, 5 + MAX_NOTES_SINCE_DRAWN), render, notes) == "<p>3</p>"
    assert await cache.fetch("part", at(1, 6 + MAX_NOTES_SINCE_DRAWN), render, notes) == "<p>4</p>"  # a short catch-up
    assert await cache.fetch("part", at(2, 6 + MAX_NOTES_SINCE_DRAWN), render, notes) == "<p>5</p>"  # the office


def naming(events: int, *jobs: uuid.UUID | None, version: int = 1) -> Seen:
    """A view whose office's row named ``jobs`` as its newest notes, the last numbered ``events``."""
    return Seen(version, events, "".join(note_names(job) for job in jobs), events)


def test_a_view_names_the_notes_its_offices_row_still_held():
    first, second = uuid.uuid4(), uuid.uuid4()
    seen = naming(7, first, None, second)
    assert seen.notes_after(4) == [first, None, second]
    assert seen.notes_after(6) == [second] and seen.notes_after(7) == []
    assert seen.notes_after(3) is None  # older than the row holds: the log has them
    assert seen.notes_after(8) is None
    assert Seen(1, 7, seen.recent, 6).notes_after(6) is None  # the row's names are not of its newest number
    assert Seen(1, 7).notes_after(6) is None
    assert seen == Seen(1, 7) and at(1, 8).newest(seen).notes_after(7) is None
    assert seen.newest(at(2, 5)) == Seen(2, 7) and seen.newest(at(2, 5)).notes_after(6) == [second]


async def test_a_part_is_checked_against_the_notes_read_with_the_user_without_reading_the_log():
    shown, other = uuid.uuid4(), uuid.uuid4()
    cache, renders = PageCache(), []

    async def render() -> tuple[str, Shows]:
        renders.append(1)
        return f"<p>{len(renders)}</p>", Shows(jobs=frozenset({shown}))

    def log_of(*named):
        async def notes(after: int, upto: int) -> list:
            return list(named[after:upto])

        return notes

    async def unread(_after: int, _upto: int) -> list:
        raise AssertionError("the notes came with the user: the log is not read")

    assert await cache.fetch("part", naming(1, other), render, unread) == "<p>1</p>"
    assert await cache.fetch("part", naming(3, other, other, None), render, unread) == "<p>1</p>"
    assert await cache.fetch("part", naming(4, other, other, None, shown), render, unread) == "<p>2</p>"
    beyond = naming(4 + RECENT_NOTES, *[other] * RECENT_NOTES)
    assert await cache.fetch("part", beyond, render, unread) == "<p>2</p>"  # the row holds the 16 since
    older = Seen(1, 6 + RECENT_NOTES, beyond.recent, 4 + RECENT_NOTES)  # read as another note was numbered
    log = log_of(*[other] * (6 + RECENT_NOTES))
    assert await cache.fetch("part", older, render, log) == "<p>2</p>" and len(renders) == 2


async def test_a_write_counts_against_its_own_office_only(client, db, clock, make_user, office):
    other_office, other_coordinator = await second_office(db, clock)
    await sign_in(client, await make_user("coordinator"))
    before = await versions(db)
    await take_request(client, db, device_serial="K-1")
    after = await versions(db)
    assert after[office.id] > before[office.id] and after[other_office.id] == before[other_office.id]
    # A change that knows no office (the command line, a background task) counts in every office.
    async with transaction(db):
        other_office.name = "Second office, renamed"
        db.add(other_office)
    async with transaction(db):
        pass  # nothing written: nothing counted
    assert all(value == after[office_id] + 1 for office_id, value in (await versions(db)).items())


async def test_a_board_is_kept_while_another_office_writes_and_redrawn_after_its_own(
    client, settings, clock, db, make_user
):
    other_office, other_coordinator = await second_office(db, clock)
    await sign_in(client, await make_user("coordinator"))
    async with AsyncTestClient(app=create_app(settings, clock)) as other:
        await other.get("/login")
        await sign_in(other, other_coordinator)
        assert "K-1" not in (await other.get("/board")).text
        drawn = drawings(other)
        await take_request(client, db, device_serial="K-1")  # the first office
        await other.get("/board")
        assert drawn == []
        job = await take_request(other, db, device_serial="K-2")
        assert job.number in (await other.get("/board")).text and len(drawn) == 1


async def test_a_write_in_one_office_does_not_wait_for_another_offices_commit(engine, db, clock, office):
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite lets one transaction write at a time, whichever office")
    other_office, _ = await second_office(db, clock)
    sessions = make_sessionmaker(engine)

    async def write(office_id) -> None:
        async with sessions() as session:
            session.info[CHANGED_OFFICE] = office_id
            async with transaction(session):  # a change of the office's own data: its version counts it
                await session.exec(update(Office).where(Office.id == office_id).values(name=Office.name))

    async with engine.connect() as held:  # a commit under way in the other office: its row is locked
        await held.execute(COUNT_ONE, {"office_id": other_office.id})
        await asyncio.wait_for(write(office.id), 5)
        same_office = asyncio.create_task(write(other_office.id))
        done, _ = await asyncio.wait([same_office], timeout=1)
        assert not done  # the same office's writes do wait
        await held.rollback()
    await asyncio.wait_for(same_office, 5)


async def test_it_shows_changes_made_through_another_app_process_at_once(client, settings, clock, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    engineer = await make_user("engineer")
    first = await take_request(client, db, device_serial="K-1")
    assert first.number in (await client.get("/board")).text
    async with AsyncTestClient(app=create_app(settings, clock)) as other_process:
        await other_process.get("/login")
        await sign_in(other_process, await make_user("coordinator"))
        second = await take_request(other_process, db, device_serial="K-2")
        await post(other_process, f"/jobs/{first.id}/assign", engineer_id=str(engineer.id))
    board = (await client.get("/board")).text
    assert second.number in board and 'data-count="ASSIGNED">1<' in board
    await sign_in(client, engineer)
    assert first.number in (await client.get("/jobs/mine")).text


async def test_it_keeps_a_copy_per_language_and_filter(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db, zone="WITHIN_80KM")
    assert "Job board" in (await client.get("/board")).text
    chinese = await client.get("/board", headers={"accept-language": "zh-CN"})
    assert "Job board" not in chinese.text and job.number in chinese.text
    assert job.number not in (await client.get("/board", params={"zone": "IN_AREA"})).text
    assert job.number in (await client.get("/board", params={"zone": "WITHIN_80KM"})).text


def csrf_token_shown(page) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text)[1]


async def test_a_kept_page_is_served_to_its_own_session_only_in_the_encoding_asked(
    client, settings, clock, make_user, db
):
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    job = await take_request(client, db, device_serial="K-1")
    assert f"Job {job.number} created." in (await client.get("/board")).text  # the one-time message, once
    kept = await client.get("/board")
    assert f"Job {job.number} created." not in kept.text and job.number in kept.text
    pages = {coding: await client.get("/board", headers={"accept-encoding": coding}) for coding in ("br", "gzip")}
    plain = await client.get("/board", headers={"accept-encoding": "identity"})
    assert [page.headers["content-encoding"] for page in pages.values()] == ["br", "gzip"]
    assert "content-encoding" not in plain.headers and "Accept-Encoding" in plain.headers["vary"]
    assert pages["br"].text == pages["gzip"].text == plain.text == kept.text
    async with browser_of(coordinator, settings, clock) as other:  # the same user signed in elsewhere
        elsewhere = await other.get("/board")
    assert job.number in elsewhere.text and csrf_token_shown(elsewhere) != csrf_token_shown(kept)
