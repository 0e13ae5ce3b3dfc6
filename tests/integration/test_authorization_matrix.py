"""The authorization matrix: every route of the app (read from its route table), for every role and for a
signed-out visitor, answers as the declared policy says; and no engineer reaches another engineer's objects."""

from sqlmodel import select

from app.accounts.policy import ANONYMOUS, EVERYONE, route_policies
from app.visits.models import ServiceReport, VisitPhoto
from tests.helpers.routes import Subjects, concrete, every_role, routes, streams
from tests.helpers.visits import job_on_the_way

ROLE_REFUSAL = "Your role does not allow you to open this page."


def refusal_problem(subject: str, response) -> str | None:
    """What is wrong with the answer to somebody the route does not admit (None when it is a clean refusal)."""
    if subject == ANONYMOUS:
        to_login = response.status_code == 303 and response.headers["location"].startswith("/login")
        return None if response.status_code == 401 or to_login else "signed-out visitor not sent to sign in"
    return None if response.status_code == 403 and ROLE_REFUSAL in response.text else "role not refused with 403"


def admission_problem(policy, subject: str, response) -> str | None:
    """What is wrong with the answer to somebody the route admits: a crash, a refusal of the role itself, or a
    signed-in user sent to sign in. A rule about the job's state may still refuse with its own sentence (only a
    manager completes a job whose parts are out, INV-4)."""
    if response.status_code >= 500:
        return "server error"
    if response.status_code == 401 or (response.status_code == 403 and ROLE_REFUSAL in response.text):
        return "admitted by its guards but refused by the handler"
    to_login = response.status_code == 303 and response.headers["location"].startswith("/login")
    if to_login and policy.admits != EVERYONE:
        return "admitted by its guards but sent to sign in"
    return None


def test_every_route_declares_who_may_call_it(client):
    undeclared = [f"{p.method} {p.path}" for p in route_policies(client.app) if p.admits is None]
    assert undeclared == [], "add a guard (app/accounts/auth.py) or a PUBLIC_ROUTES entry (app/accounts/policy.py)"
    assert not any(policy.path.startswith("/schema") for policy in route_policies(client.app))  # no public API map


async def test_it_answers_every_route_for_every_role_as_its_guards_declare(client, db, make_user, world):
    job, engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "warranty")
    photo = (await db.exec(select(VisitPhoto))).first()
    subjects = Subjects(client)
    await every_role(subjects, make_user, engineer)
    values = {"job_id": job.id, "photo_id": photo.id, "user_id": engineer.id}
    problems, asked = [], 0
    for policy in routes(client.app):
        if policy.admits is None:
            problems.append(f"{policy.method} {policy.path}: no policy declared")
            continue
        url = concrete(policy.path, values)
        for subject in subjects.jars:
            admitted = subject in policy.admits
            if admitted and streams(policy):
                continue
            response = await subjects.request(subject, policy.method, url)
            asked += 1
            problem = admission_problem(policy, subject, response) if admitted else refusal_problem(subject, response)
            if problem:
                problems.append(f"{policy.method} {policy.path} as {subject}: {response.status_code} {problem}")
    print(f"authorization matrix: {len(routes(client.app))} routes x {len(subjects.jars)} subjects, {asked} asked")
    assert problems == [], "\n".join(problems)
    assert asked > 600  # every route × 7 subjects, less the live streams' admitted ones


async def test_no_engineer_reaches_another_engineers_job_photo_report_or_signing_page(client, db, make_user, world):
    theirs, owner = await job_on_the_way(client, db, make_user)
    await world.visit(theirs, "signature")
    mine, intruder = await job_on_the_way(client, db, make_user, device_serial="SN-2002")
    photo = (await db.exec(select(VisitPhoto).where(VisitPhoto.job_id == theirs.id))).first()
    assert await db.get(ServiceReport, theirs.id) is not None
    subjects = Subjects(client)
    await subjects.add("owner", owner)
    await subjects.add("intruder", intruder)
    values = {"job_id": theirs.id, "photo_id": photo.id, "step_key": "signature"}
    owner_sees, leaks = set(), []
    for policy in routes(client.app):
        if "job_id" not in policy.path_params or "engineer" not in policy.admits:
            continue
        url = concrete(policy.path, values)
        if policy.method == "GET" and (await subjects.request("owner", "GET", url)).status_code == 200:
            owner_sees.add(policy.path)
        # the intruder learns nothing that an id which does not exist would not tell
        attempts = {"their job": (url, concrete(policy.path, {**values, "job_id": None}))}
        if "photo_id" in policy.path_params:
            own = {**values, "job_id": mine.id}
            attempts["their photo in the intruder's job"] = (
                concrete(policy.path, own),
                concrete(policy.path, {**own, "photo_id": None}),
            )
        for what, (attempt, baseline) in attempts.items():
            response = await subjects.request("intruder", policy.method, attempt)
            missing = await subjects.request("intruder", policy.method, baseline)
            if response.status_code < 400 or response.status_code != missing.status_code:
                leaks.append(f"{policy.method} {policy.path} ({what}): {response.status_code}")
            elif theirs.number in response.text:
                leaks.append(f"{policy.method} {policy.path} ({what}): shows the job number")
    assert leaks == [], "\n".join(leaks)
    shown = {"/jobs/{job_id:uuid}", "/visits/{job_id:uuid}", "/visits/{job_id:uuid}/report"}
    shown |= {"/visits/{job_id:uuid}/report.pdf", "/visits/{job_id:uuid}/photos/{photo_id:uuid}"}
    assert shown <= owner_sees  # the owner does see them: the intruder's 404 is about ownership


async def test_no_engineer_sees_another_engineers_briefcase_entries_or_puts_changes_on_their_job(client, db, make_user):
    theirs, owner = await job_on_the_way(client, db, make_user)
    mine, intruder = await job_on_the_way(client, db, make_user, device_serial="SN-2002")
    subjects = Subjects(client)
    await subjects.add("owner", owner)
    await subjects.add("intruder", intruder)
    await subjects.add("coordinator", await make_user("coordinator"))
    intruders_briefcase = (await subjects.request("intruder", "GET", "/sync/briefcase")).text
    assert str(mine.id) in intruders_briefcase and str(theirs.id) not in intruders_briefcase
    assert str(theirs.id) in (await subjects.request("owner", "GET", "/sync/briefcase")).text
    report = {"pending": 5, "jobs": {str(theirs.id): 5}}
    assert (await subjects.request("intruder", "POST", "/sync/status", json=report)).status_code == 200
    board_row = await subjects.request("coordinator", "GET", f"/board/rows/{theirs.id}")
    assert board_row.status_code == 200 and "changes on the phone" not in board_row.text
