"""Several offices: a regional user creates one (its districts, time zone, working hours, holidays, letterhead),
adds its staff, and looks at one office at a time; each office's clocks run on its own calendar; a manager has
their one office and cannot make or reach a regional user."""

from datetime import UTC, date, datetime

from sqlmodel import select

from app.accounts.models import DayKind, Holiday, Office, RegionalOffice, User
from app.jobs.models import JobDeadline
from tests.helpers.clients import sign_in, user_form
from tests.helpers.jobs import intake_form, post, take_request
from tests.helpers.offices import new_office_form, user_of


async def test_a_regional_user_creates_an_office_staffs_it_and_looks_at_it(client, db, make_user, office):
    regional = await make_user("regional")
    db.add(Holiday(office_id=office.id, day=date(2026, 12, 25), name="Christmas"))
    db.add(Holiday(office_id=office.id, day=date(2026, 12, 26), name="Boxing Day make-up", kind=DayKind.WORKING))
    await db.commit()
    await sign_in(client, regional)
    created = await post(client, "/offices", **new_office_form())
    assert created.status_code == 303, created.text[-2000:]
    west = (await db.exec(select(Office).where(Office.code == "WEST"))).one()
    assert (west.time_zone, west.work_start, west.work_end, west.zones) == (
        "Asia/Urumqi",
        "08:00",
        "15:00",
        "Minhang\nSongjiang",
    )
    copied = select(Holiday.name, Holiday.kind).where(Holiday.office_id == west.id).order_by(Holiday.day)
    assert (await db.exec(copied)).all() == [("Christmas", "holiday"), ("Boxing Day make-up", "working")]
    listed = (await client.get("/offices")).text
    assert "West branch office" in listed and office.name in listed  # the office looked at until now stays overseen

    assert (await post(client, "/offices/switch", office=str(west.id))).status_code == 303
    board = (await client.get("/board")).text
    assert "West branch office (WEST)" in board and "Switch office" in board
    made = await post(client, "/users/", **user_form(username="west.coord", role="coordinator"))
    assert made.status_code == 303, made.text[-2000:]
    coordinator = (await db.exec(select(User).where(User.username == "west.coord"))).one()
    assert coordinator.office_id == west.id
    assert "west.coord" in (await client.get("/users/")).text

    assert (await sign_in(client, coordinator, user_form()["password"])).status_code == 303
    job = await take_request(client, db)
    assert job.office_id == west.id and job.number.startswith("WEST-")
    await sign_in(client, regional)
    assert job.number in (await client.get("/board")).text
    assert (await post(client, "/offices/switch", office=str(office.id))).status_code == 303
    assert job.number not in (await client.get("/board")).text


async def test_each_office_clocks_run_and_its_times_show_in_its_time_zone_and_hours(
    client, db, make_user, office, clock
):
    await sign_in(client, await make_user("regional"))
    await post(client, "/offices", **new_office_form(copy_holidays=""))
    west = (await db.exec(select(Office).where(Office.code == "WEST"))).one()
    await sign_in(client, await user_of(db, west, "coordinator", clock))
    in_the_west = await take_request(client, db)
    page = (await client.get(f"/jobs/{in_the_west.id}")).text  # its times shown in the office's zone
    assert '<meta name="office-time-zone" content="Asia/Urumqi">' in page and "15:00" in page and "17:00" not in page
    await sign_in(client, await make_user("coordinator"))
    at_home = await take_request(client, db, device_serial="SN-2")
    # Monday 09:00 UTC: 17:00 in Shanghai (08:30–17:30), but 15:00 in Urumqi, where the day ends at 15:00
    dues = {}
    for job in (in_the_west, at_home):
        deadline = (
            await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S3"))
        ).one()
        dues[job.office_id] = deadline.due_at.astimezone(UTC)
    assert dues[office.id] == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert dues[west.id] == datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # Tuesday 08:30 in Urumqi


async def test_the_new_office_form_shows_every_mistake_at_once_and_writes_nothing(client, db, make_user, office):
    await sign_in(client, await make_user("regional"))
    bad = new_office_form(code="a b", name="", time_zone="Mars/Olympus", work_start="9", work_end="08:00")
    response = await post(client, "/offices", **bad)
    assert response.status_code == 422
    for message in (
        "Use 2 to 20 capital letters, digits or dashes.",
        "The office name is required.",
        "Choose a time zone from the list.",
        "Write the time as HH:MM, for example 08:30.",
    ):
        assert message in response.text
    late = await post(client, "/offices", **new_office_form(work_start="17:00", work_end="08:00"))
    assert late.status_code == 422 and "The working day must end after it starts." in late.text
    taken = await post(client, "/offices", **new_office_form(code=office.code))
    assert taken.status_code == 422 and f"The office code {office.code} is already taken." in taken.text
    assert len((await db.exec(select(Office))).all()) == 1


async def test_a_regional_user_switches_only_to_an_office_they_oversee(client, db, make_user, clock):
    regional = await make_user("regional")
    await sign_in(client, regional)
    await post(client, "/offices", **new_office_form())
    stranger = Office(code="NORTH", name="North branch office")
    db.add(stranger)
    await db.commit()
    for forged in (str(stranger.id), "not-an-id", ""):
        assert (await post(client, "/offices/switch", office=forged)).status_code == 404
    assert (await db.get(User, regional.id, populate_existing=True)).office_id == regional.office_id
    assert "North" not in (await client.get("/offices")).text


async def test_a_regional_user_reads_the_board_and_reports_but_does_no_field_work(client, db, make_user):
    await sign_in(client, await make_user("regional"))
    assert (await client.get("/board")).status_code == 200
    assert (await client.get("/reports/")).status_code == 200
    for url in ("/jobs/new", "/jobs/mine", "/parts/counter", "/carry-in", "/follow-ups", "/reports/audit"):
        assert (await client.get(url, follow_redirects=False)).status_code == 403, url
    refused = await post(client, "/jobs/", **intake_form())
    assert refused.status_code == 403


async def test_a_manager_has_one_office_and_cannot_make_or_reach_a_regional_user(client, db, make_user):
    regional = await make_user("regional")
    await sign_in(client, await make_user("manager"))
    for url in ("/offices", "/offices/new"):
        assert (await client.get(url, follow_redirects=False)).status_code == 403
    assert (await post(client, "/offices", **new_office_form())).status_code == 403
    assert (await post(client, "/offices/switch", office=str(regional.office_id))).status_code == 403
    made = await post(client, "/users/", **user_form(username="second.regional", role="regional"))
    assert made.status_code == 422 and "Choose a valid role." in made.text
    assert regional.username not in (await client.get("/users/")).text
    assert (await client.get(f"/users/{regional.id}")).status_code == 404
    reset = await post(client, f"/users/{regional.id}", **user_form(username=regional.username, version="1"))
    assert reset.status_code == 404


async def test_a_regional_user_made_by_another_oversees_the_same_offices(client, db, make_user):
    regional = await make_user("regional")
    await sign_in(client, regional)
    await post(client, "/offices", **new_office_form())
    made = await post(client, "/users/", **user_form(username="second.regional", role="regional"))
    assert made.status_code == 303, made.text[-2000:]
    second = (await db.exec(select(User).where(User.username == "second.regional"))).one()
    overseen = await db.exec(select(RegionalOffice.office_id).where(RegionalOffice.user_id == second.id))
    mine = set((await db.exec(select(RegionalOffice.office_id).where(RegionalOffice.user_id == regional.id))).all())
    assert set(overseen.all()) == mine and len(mine) == 2


async def test_the_demo_has_a_second_office_and_a_regional_login_that_switches_to_it(client, db, clock):
    from app.demo.load import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data

    assert await load_demo_data(db, clock())
    regional = (await db.exec(select(User).where(User.username == "regional"))).one()
    assert ("regional", "Lin Hua", "regional", "MAIN+TJ") in DEMO_LOGINS
    await sign_in(client, regional, DEMO_PASSWORD)
    tianjin = (await db.exec(select(Office).where(Office.code == "TJ"))).one()
    assert "Tianjin branch" in (await client.get("/offices")).text
    assert (await post(client, "/offices/switch", office=str(tianjin.id))).status_code == 303
    board = (await client.get("/board")).text
    assert "TJ-" in board and "Tianjin Harbour Clinic" in board and "Beijing Union Hospital" not in board
