"""Make-up working days (调休上班): the manager marks a weekend day the office works on the calendar page, every
clock then runs on it; a weekday, a malformed date or a day that is already a holiday is refused, and nobody but
the office's own manager (or regional user) changes them."""

from datetime import UTC, date, datetime

from sqlmodel import select

from app.accounts.models import DayKind, Holiday
from app.jobs.models import JobDeadline
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, take_request
from tests.helpers.offices import second_office, user_of

SATURDAY = "2026-11-28"


async def s5_day(client, db, clock, serial: str) -> str:
    """The day the S5 clock of a request taken on Friday 27 November, 10:00 in Shanghai, falls due (``serial``:
    the device's, each request another one, so that none is a duplicate)."""
    clock.now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    job = await take_request(client, db, device_serial=serial)
    s5 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S5"))).one()
    return s5.due_at.date().isoformat()


async def days(db) -> list[tuple[date, str, str]]:
    rows = await db.exec(select(Holiday).order_by(Holiday.day).execution_options(populate_existing=True))
    return [(row.day, row.kind, row.name) for row in rows.all()]


def section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</ul>")[0]


async def test_a_make_up_saturday_is_worked_by_every_clock_until_it_is_removed(client, db, make_user, clock):
    await sign_in(client, await make_user("manager"))
    assert await s5_day(client, db, clock, "SN-1") == "2026-12-01"  # Friday + 2 working days = Tuesday
    for _attempt in range(2):  # a form sent again changes nothing
        added = await post(client, "/calendar/working-days", day=SATURDAY, name="National Day make-up")
        assert added.status_code == 303 and added.headers["location"] == "/calendar"
    assert await days(db) == [(date(2026, 11, 28), DayKind.WORKING, "National Day make-up")]
    page = (await client.get("/calendar")).text
    assert "National Day make-up" in section(page, "makeup-days")
    assert "National Day make-up" not in section(page, "holidays")
    assert await s5_day(client, db, clock, "SN-2") == "2026-11-30"  # Saturday worked: Monday

    assert (await post(client, "/calendar/2026-11-28/delete")).status_code == 303  # the holiday list's: not it
    assert len(await days(db)) == 1
    for _attempt in range(2):
        assert (await post(client, f"/calendar/working-days/{SATURDAY}/delete")).status_code == 303
    assert await days(db) == []
    assert "No make-up working days yet." in (await client.get("/calendar")).text
    assert await s5_day(client, db, clock, "SN-3") == "2026-12-01"


async def test_it_refuses_a_weekday_a_malformed_date_and_a_day_that_is_already_the_other_kind(client, db, make_user):
    await sign_in(client, await make_user("manager"))
    weekday = await post(client, "/calendar/working-days", day="2026-11-27", name="Friday")
    assert weekday.status_code == 422 and "must be a Saturday or a Sunday" in weekday.text
    assert 'id="mk-day-error"' in weekday.text and 'id="day-error"' not in weekday.text  # beside its own form
    assert 'value="Friday"' in weekday.text  # what was sent stays in the form
    malformed = await post(client, "/calendar/working-days", day="28/11/2026", name="")
    assert malformed.status_code == 422 and "Date is not a valid date." in malformed.text
    assert "Name of the day is required." in malformed.text and "2 fields need your attention" in malformed.text
    assert await days(db) == []

    assert (await post(client, "/calendar", day="2026-11-29", name="Office day off")).status_code == 303
    both = await post(client, "/calendar/working-days", day="2026-11-29", name="Make-up")
    assert both.status_code == 422 and "is a holiday on this calendar; remove the holiday first." in both.text
    assert (await post(client, "/calendar/working-days", day=SATURDAY, name="Make-up")).status_code == 303
    holiday = await post(client, "/calendar", day=SATURDAY, name="Day off")
    assert holiday.status_code == 422 and "is a make-up working day on this calendar" in holiday.text
    assert await days(db) == [
        (date(2026, 11, 28), DayKind.WORKING, "Make-up"),
        (date(2026, 11, 29), DayKind.HOLIDAY, "Office day off"),
    ]


async def test_only_the_offices_own_manager_changes_its_make_up_days(client, db, make_user, clock):
    await sign_in(client, await make_user("manager"))
    assert (await post(client, "/calendar/working-days", day=SATURDAY, name="Ours")).status_code == 303
    await sign_in(client, await make_user("coordinator"))
    for url in ("/calendar/working-days", f"/calendar/working-days/{SATURDAY}/delete"):
        assert (await post(client, url, day="2026-12-05", name="Not mine to add")).status_code == 403
    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "manager", clock))
    assert "Ours" not in (await client.get("/calendar")).text
    assert (await post(client, f"/calendar/working-days/{SATURDAY}/delete")).status_code == 303  # its own: none
    assert (await post(client, "/calendar/working-days", day="2026-12-05", name="East's")).status_code == 303
    rows = (await db.exec(select(Holiday.office_id, Holiday.day, Holiday.name).order_by(Holiday.day))).all()
    assert [(row.office_id == east.id, row.day.isoformat(), row.name) for row in rows] == [
        (False, SATURDAY, "Ours"),
        (True, "2026-12-05", "East's"),
    ]
