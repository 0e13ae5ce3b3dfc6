"""No office reaches another's data: every route that takes an object's id (a job, its photo, a user, a part, a
unit's code), asked by each role of office B with the ids of office A's objects, answers exactly as for an id that
does not exist, shows nothing of them, and changes nothing."""

from sqlmodel import select

from app.accounts.policy import EVERY_ROLE
from app.core.page_cache import OfficeNotes, OfficeVersion
from app.visits.models import VisitPhoto
from tests.helpers.offices import second_office, user_of
from tests.helpers.parts import add_units
from tests.helpers.routes import Subjects, concrete, routes, streams
from tests.helpers.visits import job_on_the_way

FORGED = {"job_id", "photo_id", "user_id", "part_id", "code"}
NOTHING = {"code": "ZZZZZZZZ"}  # a unit code no unit has


async def office_data_versions(db) -> dict:
    """Each office's version and its change notes' count: the changes of its data and of its jobs' details."""
    return {
        (table.__tablename__, row.office_id): row.value
        for table in (OfficeVersion, OfficeNotes)
        for row in (await db.exec(select(table))).all()
    }


async def test_no_user_of_another_office_reaches_an_offices_jobs_photos_users_or_parts_by_forged_ids(
    client, db, make_user, world, office, clock
):
    job, engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "warranty")
    photo = (await db.exec(select(VisitPhoto).where(VisitPhoto.job_id == job.id))).first()
    unit = (await add_units(db, office, clock, count=1))[0]
    theirs = {"job_id": job.id, "photo_id": photo.id, "user_id": engineer.id, "part_id": unit.part_id}
    theirs |= {"code": unit.code, "step_key": "warranty"}
    shown = [job.number, engineer.username, unit.code, unit.serial]

    east = await second_office(db)
    subjects = Subjects(client)
    for role in sorted(EVERY_ROLE):
        await subjects.add(role, await user_of(db, east, role, clock))
    before = await office_data_versions(db)
    leaks, asked = [], 0
    for policy in routes(client.app):
        forged = FORGED & set(policy.path_params)
        if not forged or streams(policy) or policy.path == "/logout":
            continue
        url = concrete(policy.path, theirs)
        baseline = concrete(policy.path, {**theirs, **{name: NOTHING.get(name) for name in forged}})
        form = {"version": "1", "reason": "forged", "outcome": "reached"}
        for role in sorted(policy.admits & EVERY_ROLE):
            extra = {"data": form} if policy.method != "GET" else {}
            response = await subjects.request(role, policy.method, url, **extra)
            missing = await subjects.request(role, policy.method, baseline, **extra)
            asked += 1
            where = f"{policy.method} {policy.path} as {role} of the other office"
            if response.status_code != missing.status_code:
                leaks.append(f"{where}: {response.status_code}, not {missing.status_code} as for an unknown id")
            elif any(mark in response.text for mark in shown if mark not in url):  # a page may repeat its address
                leaks.append(f"{where}: shows office A's data")
    print(f"forged ids asked: {asked}")
    assert leaks == [], "\n".join(leaks)
    assert asked > 40
    assert await office_data_versions(db) == before  # nothing was written anywhere
    await subjects.add("their manager", await make_user("manager"))
    page = await subjects.request("their manager", "GET", f"/jobs/{job.id}")
    assert page.status_code == 200 and job.number in page.text  # the 404s above are about the office


async def test_another_offices_pages_lists_and_searches_show_none_of_its_jobs_or_customers(
    client, db, make_user, office, clock
):
    job, _engineer = await job_on_the_way(client, db, make_user)
    east = await second_office(db)
    subjects = Subjects(client)
    for role in sorted(EVERY_ROLE):
        await subjects.add(role, await user_of(db, east, role, clock))
    search = {"q": "Acme", "device_serial": "SN-1001", "code": "SN-1001"}  # what the search boxes take
    leaks, asked = [], 0
    for policy in routes(client.app):
        if policy.method != "GET" or policy.path_params or streams(policy):
            continue
        for role in sorted(policy.admits & EVERY_ROLE):
            response = await subjects.request(role, "GET", policy.path, params=search)
            asked += 1
            if response.status_code == 200 and (job.number in response.text or "Acme Hospital" in response.text):
                leaks.append(f"GET {policy.path} as {role} of the other office shows office A's job or customer")
    assert leaks == [], "\n".join(leaks)
    assert asked > 30
