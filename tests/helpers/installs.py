"""An installation job walked through its planning pages: requested, conditions checked, planned, on site."""

import uuid

from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload, take_request
from tests.helpers.visits import IMAGE, jpeg, step

CODES = ("place", "environment", "scope", "arrival", "preparations", "site_rules")
ALL_CONDITIONS = {f"condition_{code}": "on" for code in CODES}
TODAY = "2026-11-23"  # the test clock's office date


async def conditions(client, job, photos: int = 1, **fields):
    """Posts the site conditions form with ``photos`` photos of the site."""
    files = [("photo", (f"site{n}.jpg", jpeg(), "image/jpeg")) for n in range(photos)]
    data = {"version": str(job.version), **fields}
    url = f"/jobs/{job.id}/install/conditions"
    return await client.post(url, data=data, files=files or None, headers=csrf(client), follow_redirects=False)


async def requested_installation(client, db, make_user, **request):
    """An installation just requested; a coordinator is signed in."""
    await sign_in(client, await make_user("coordinator"))
    return await take_request(client, db, job_type="INSTALL", **request)


async def confirmed_installation(client, db, make_user, **request):
    job = await requested_installation(client, db, make_user, **request)
    response = await conditions(client, job, outcome="met", **ALL_CONDITIONS)
    assert response.status_code == 303, response.text[-3000:]
    return await reload(db, job.id)


async def plan(client, job, lead, *others, manager=None, **fields):
    data = {
        "version": str(job.version),
        "engineer_id": str(lead.id),
        "project_manager_id": str(manager.id) if manager else "",
        "first_day": TODAY,
        "last_day": "2026-11-25",
        "milestones": "Cabinets placed\nWiring tested",
        "plan": "Place, wire, test; helmets and barriers when testing",
        **fields,
    }
    if others:
        data["team"] = [str(person.id) for person in others]
    return await client.post(f"/jobs/{job.id}/install/plan", data=data, headers=csrf(client), follow_redirects=False)


async def planned_installation(client, db, make_user, team: int = 2, **request):
    """A planned installation with ``team`` engineers (the first leads and manages the project); the lead is
    signed in."""
    job = await confirmed_installation(client, db, make_user, **request)
    engineers = [await make_user("engineer", display_name=f"Engineer {n}") for n in range(team)]
    response = await plan(client, job, engineers[0], *engineers[1:], manager=engineers[0] if team > 1 else None)
    assert response.status_code == 303, response.text[-3000:]
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, engineers[0])
    return await reload(db, job.id), engineers


async def on_site(client, db, job):
    """The lead's first day: the three calls, the briefing and the check-in (the job is then ON_SITE)."""
    for key, fields in [
        ("calls", {"call_log": "Called customer, site manager, office"}),
        ("briefing", {"briefing": "Scope agreed"}),
        ("check_in", {"checked_in": "on"}),
    ]:
        response = await step(client, job, key, **fields)
        assert response.status_code == 303, response.text[-3000:]
    return await reload(db, job.id)


async def check_out_today(client, job, log: str = "Cabinets placed, no problems"):
    return await post(client, f"/jobs/{job.id}/install/check-out", log=log)


async def witness(client, job, position: int, name: str = "Qian Hao", photos: int = 1, **fields):
    """Records the plan's milestone at ``position`` with its photo, the witness's name and signature."""
    files = [("photo", (f"milestone{n}.jpg", jpeg(), "image/jpeg")) for n in range(photos)]
    data = {"id": str(uuid.uuid4()), "milestone": str(position), "witness_name": name, "signature": IMAGE, **fields}
    url = f"/jobs/{job.id}/install/milestone"
    return await client.post(url, data=data, files=files or None, headers=csrf(client), follow_redirects=False)


async def witness_all(client, job, count: int = 2) -> None:
    for position in range(count):
        response = await witness(client, job, position)
        assert response.status_code == 303, response.text[-3000:]
