"""Hostile input: every form and JSON endpoint of the route table, fed hypothesis-drawn values (very long, NUL,
control and bidi characters, wrong types, missing and duplicated fields, huge numbers, far dates), answers a
4xx with a message or a normal success, never a 500, and a refusal writes nothing."""

import re

from sqlalchemy import text
from sqlmodel import select

from app.accounts.policy import ANONYMOUS
from app.jobs.models import InstallTakeAway
from tests.helpers.after import carry_in_form
from tests.helpers.clients import csrf, sign_in
from tests.helpers.hostile import FormFinder, examples, hostile_form, hostile_json
from tests.helpers.installs import on_site, planned_installation, witness
from tests.helpers.jobs import intake_form, post, take_request
from tests.helpers.routes import Subjects, concrete, every_role, routes, streams
from tests.helpers.visits import IMAGE, job_on_the_way

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Refusals that are meant to write: a failed sign-in is counted (rate limit).
WRITES_ON_REFUSAL = {"/login"}
SYNC_STATUS = {"pending": 1, "jobs": {}, "last_sync_at": "2026-11-23T09:00:00+00:00"}


def subject_for(policy) -> str:
    """Who sends: the route's own role where it names one, so the handler's real checks run."""
    for role in ("engineer", "reception", "follow_up", "clerk", "coordinator"):
        if role in policy.admits:
            return role
    for role in ("manager", "regional"):
        if role in policy.admits:
            return role
    return ANONYMOUS


def body_kind(policy) -> str | None:
    data = policy.handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    media_type = str(getattr(data.kwarg_definition, "media_type", "") or "")
    return "json" if "json" in media_type else "multipart" if "multi" in media_type else "form"


def has_message(response) -> bool:
    if response.headers.get("content-type", "").startswith("application/json"):
        return bool(response.json().get("detail"))
    return any(mark in response.text for mark in ('role="alert"', 'class="field-error"', "error-page"))


async def data_version(engine) -> int:
    """How many changes have been committed, in every office: those of its data and those of jobs' details."""
    async with engine.connect() as connection:
        versions = await connection.scalar(text("SELECT sum(value) FROM office_version")) or 0
        return versions + (await connection.scalar(text("SELECT sum(value) FROM board_sequence")) or 0)


async def served_forms(subjects, policies, jobs: list, values: dict) -> tuple[dict, dict]:
    """The post forms on every page the app serves (as the manager, the engineer and the regional user, for each
    of the given jobs), by action path."""
    finder, fetched = FormFinder(), set()
    for job_id in jobs:
        for subject in ("manager", "engineer", "regional"):
            for policy in policies:
                url = concrete(policy.path, {**values, "job_id": job_id})
                if policy.method == "GET" and subject in policy.admits and not streams(policy):
                    if (subject, url) in fetched:
                        continue
                    fetched.add((subject, url))
                    response = await subjects.request(subject, "GET", url)
                    if response.headers.get("content-type", "").startswith("text/html"):
                        finder.feed(response.text)
    return finder.forms, finder.files


def target(policy, jobs: list, values: dict, forms: dict) -> str:
    """The route's address for the first job whose page shows its form (else the first job)."""
    urls = [concrete(policy.path, {**values, "job_id": job_id}).rstrip("/") for job_id in jobs]
    return next((url for url in urls if url in forms), urls[0])


async def test_it_answers_hostile_input_to_every_form_and_json_endpoint_without_a_server_error(
    client, db, make_user, engine, world
):
    job, engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "enter")
    subjects = Subjects(client)
    await every_role(subjects, make_user, engineer)
    carry = await subjects.request("reception", "POST", "/carry-in", data=carry_in_form())
    assert carry.status_code == 303, carry.text[:500]
    queued = await subjects.request("coordinator", "POST", "/jobs/", data=intake_form(device_serial="SN-9"))
    assert queued.status_code == 303, queued.text[:500]
    case = await subjects.request(
        "coordinator", "POST", "/jobs/", data=intake_form(job_type="CASE", device_serial="SN-8")
    )
    assert case.status_code == 303, case.text[:500]
    install = await subjects.request(
        "coordinator", "POST", "/jobs/", data=intake_form(device_serial="SN-10", job_type="INSTALL")
    )
    assert install.status_code == 303, install.text[:500]
    jobs = [job.id, *(UUID.search(answer.headers["location"])[0] for answer in (queued, carry, case, install))]
    values = {"user_id": engineer.id, "step_key": "warranty"}
    policies = [p for p in routes(client.app) if p.method in BODY_METHODS and body_kind(p)]
    forms, files = await served_forms(subjects, routes(client.app), jobs, values)
    problems, sent, with_form = [], 0, 0
    for policy in policies:
        url = target(policy, jobs, values, forms)
        base = forms.get(url, {})
        with_form += bool(base)
        kind = body_kind(policy)
        drawn = examples(hostile_json(SYNC_STATUS)) if kind == "json" else examples(hostile_form(base))
        for payload in drawn:
            before = await data_version(engine)
            request = {"json": payload} if kind == "json" else {"data": payload}
            if kind == "multipart":
                request["files"] = {name: ("x.bin", b"\x00\xff" * 64) for name in files.get(url, {"file"})}
            response = await subjects.request(subject_for(policy), policy.method, url, **request)
            sent += 1
            status, where = response.status_code, f"{policy.method} {policy.path} {str(payload)[:300]!r}"
            if status >= 500:
                problems.append(f"{where}: {status}")
            elif status >= 400 and not has_message(response):
                problems.append(f"{where}: {status} without a message")
            elif status >= 400 and policy.path not in WRITES_ON_REFUSAL and await data_version(engine) != before:
                problems.append(f"{where}: {status} but something was written")
    print(f"hostile examples sent: {sent} to {len(policies)} endpoints ({with_form} with a form found on a page)")
    assert problems == [], "\n".join(problems)
    assert len(policies) > 40 and sent >= len(policies)


async def test_it_refuses_a_nul_character_in_any_form_field_query_or_path_with_a_message(client, make_user, engine):
    await sign_in(client, await make_user("coordinator"))
    before = await data_version(engine)
    response = await client.post("/jobs/", data=intake_form(device_model="XR\x00200"), headers=csrf(client))
    assert response.status_code == 422 and "not allowed (NUL)" in response.text
    login = await client.post("/login", data={"username": "\x00", "password": "x"}, headers=csrf(client))
    assert login.status_code == 422 and await data_version(engine) == before
    await sign_in(client, await make_user("coordinator"))
    for url, name in [("/jobs/customers", "q"), ("/jobs/duplicates", "device_serial"), ("/parts/lookup", "code")]:
        search = await client.get(url, params={name: "SN\x001"}, follow_redirects=False)
        assert search.status_code == 422 and "not allowed (NUL)" in search.text, url
    assert (await client.get("/U/AB%00CD", follow_redirects=False)).status_code == 404


def query_names(policy) -> list[str]:
    """The query parameters a GET handler reads (search boxes and filters), by the name sent in the URL."""
    signature, dependencies = policy.handler.parsed_fn_signature, set(policy.handler.resolve_dependencies())
    names = []
    for name, field in signature.parameters.items():
        definition = field.kwarg_definition
        if (
            name not in dependencies
            and type(definition).__name__ == "QueryParameter"
            or (
                definition is None and name not in dependencies and name not in policy.path_params and name != "request"
            )
        ):
            names.append(getattr(definition, "query", None) or name)
    return names


async def test_it_answers_hostile_search_and_filter_parameters_without_a_server_error(client, db, make_user):
    job, engineer = await job_on_the_way(client, db, make_user)
    subjects = Subjects(client)
    await every_role(subjects, make_user, engineer)
    values = {"job_id": job.id, "user_id": engineer.id}
    problems, sent = [], 0
    for policy in routes(client.app):
        names = query_names(policy) if policy.method == "GET" and not streams(policy) else []
        if not names:
            continue
        url = concrete(policy.path, values)
        for drawn in examples(hostile_form(dict.fromkeys(names, ""))):
            params = {name[:200]: _url_sized(value) for name, value in drawn.items()}  # real servers cap URLs near 8 KB
            response = await subjects.request(subject_for(policy), "GET", url, params=params)
            sent += 1
            if response.status_code >= 500:
                problems.append(f"GET {policy.path} {str(params)[:300]!r}: {response.status_code}")
            elif response.status_code >= 400 and not has_message(response):
                problems.append(f"GET {policy.path} {str(params)[:300]!r}: {response.status_code} without a message")
    print(f"hostile query examples sent: {sent}")
    assert problems == [], "\n".join(problems)
    assert sent > 50


def _url_sized(value):
    return [item[:2000] for item in value] if isinstance(value, list) else value[:2000]


async def test_it_reads_a_job_version_no_job_can_have_as_stale(client, db, make_user, engine):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    before = await data_version(engine)
    for version in ("4270518426", "9" * 400):
        response = await post(client, f"/jobs/{job.id}/cancel", version=version, reason="Customer cancelled")
        assert response.status_code == 409 and "changed while you were looking" in response.text
    assert await data_version(engine) == before


async def test_it_refuses_hostile_input_to_the_installation_close_out_forms_and_writes_nothing(
    client, db, make_user, engine
):
    job, (lead, _helper) = await planned_installation(client, db, make_user)
    job = await on_site(client, db, job)
    taken = {"items": "Relay", "reason": "Faulty", "receipt_number": "TA-1", "receipt_to": "Qian Hao"}
    assert (await post(client, f"/jobs/{job.id}/install/take-away", **taken)).status_code == 303
    row = (await db.exec(select(InstallTakeAway).where(InstallTakeAway.job_id == job.id))).one()
    cases = [
        ("milestone", {"milestone": "-1"}, "Choose a milestone of the plan."),
        ("milestone", {"milestone": "0", "signature": "data:image/svg+xml;base64,PHN2Zz4="}, "signature"),
        ("milestone", {"milestone": "0", "signature": "data:image/png;base64," + "A" * 700_000}, "signature"),
        ("milestone", {"milestone": "0", "witness_name": "x" * 500}, "Customer witness"),
        ("delay", {"reason": "r" * 600, "resume_on": "2026-13-45", "last_day": "2026-11-30"}, "must be a date"),
        ("delay", {"reason": "Late", "resume_on": "2026-11-30", "last_day": "2027-06-30"}, "within 60 days"),
        ("take-away", {**taken, "receipt_number": "9" * 61}, "Receipt number"),
        ("take-away-status", {"take_away": "not-a-uuid", "status": "Repaired"}, "Choose equipment taken"),
        ("take-away-status", {"take_away": str(row.id), "status": "s" * 1001}, "Status of the equipment"),
    ]
    for form, fields, message in cases:
        before = await data_version(engine)
        if form == "milestone":
            response = await witness(client, job, 0, **fields)
            garbage = await client.post(
                f"/jobs/{job.id}/install/milestone",
                data={"milestone": "0", "witness_name": "Qian Hao", "signature": IMAGE},
                files=[("photo", ("x.bin", b"\x00\xff" * 64, "image/jpeg"))],
                headers=csrf(client),
            )
            assert garbage.status_code == 422 and "photo" in garbage.text.lower()
        else:
            response = await post(client, f"/jobs/{job.id}/install/{form}", **fields)
        assert response.status_code == 422 and message in response.text, (form, fields, response.text[-1500:])
        assert await data_version(engine) == before, (form, fields)


async def test_it_refuses_hostile_loan_and_appointment_input_with_a_message_and_writes_nothing(
    client, db, make_user, engine
):
    """F40, F41: far or impossible dates, huge numbers, bidi and control characters, ids that are no ids, a
    signature that is no PNG: each a 4xx with a message, nothing written."""
    import uuid

    from tests.helpers.after import take_in

    await sign_in(client, await make_user("reception"))  # a manager's view of the job page is audited (§12.1)
    job, _order = await take_in(client, db)
    item = {"item_id": str(uuid.uuid4()), "code": "LN-1", "description": "Loan laptop", "condition": "Good"}
    assert (await post(client, "/loan-equipment", **item)).status_code == 303
    before = await data_version(engine)
    lend = {
        "loan_id": str(uuid.uuid4()),
        "item_id": item["item_id"],
        "due_back": "2026-11-25",
        "condition_out": "Good",
        "signer_name": "Wang Ming",
        "loan_signature": "data:image/png;base64,iVBORw0KGgo=",
    }
    book = {
        "appointment_id": str(uuid.uuid4()),
        "day": "2026-11-24",
        "customer_name": "Wang Ming",
        "customer_phone": "13900139000",
        "device_model": "LX-15",
        "fault_description": "Screen flickers",
    }
    attempts = [
        ("/loan-equipment", {**item, "item_id": str(uuid.uuid4()), "code": "x" * 5000}),
        ("/loan-equipment", {**item, "item_id": "'; DROP TABLE loan_item; --", "code": "LN-2"}),
        ("/loan-equipment", {**item, "item_id": str(uuid.uuid4()), "code": "\u202e\u2066", "description": "\u202e"}),
        (f"/carry-in/{job.id}/loan", lend),  # a PNG header and nothing more
        (f"/carry-in/{job.id}/loan", {**lend, "loan_signature": "data:image/svg+xml;base64,PHN2Zy8+"}),
        (f"/carry-in/{job.id}/loan", {**lend, "due_back": "275760-09-13"}),
        (f"/carry-in/{job.id}/loan", {**lend, "due_back": "9999-12-31"}),
        (f"/carry-in/{job.id}/loan", {**lend, "item_id": str(uuid.uuid4())}),
        (f"/carry-in/{job.id}/loan", {**lend, "signer_name": "\u202e\u200f"}),
        (f"/loan-equipment/loans/{uuid.uuid4()}/return", {"condition_back": "Good"}),
        ("/appointments", {**book, "day": "0001-01-01"}),
        ("/appointments", {**book, "day": "9999-12-31T23:59:59+14:00"}),
        ("/appointments", {**book, "customer_phone": '=HYPERLINK("http://x")'}),
        ("/appointments", {**book, "appointment_id": "１２３"}),
        ("/appointments", {**book, "fault_description": "中" * 5000}),
        (f"/appointments/{uuid.uuid4()}/cancel", {"reason": "x"}),
        (f"/appointments/{uuid.uuid4()}/cancel", {"x": ""}),
    ]
    for url, form in attempts:
        response = await post(client, url, **form)
        assert 400 <= response.status_code < 500 and has_message(response), (url, form, response.status_code)
    assert await data_version(engine) == before
    await sign_in(client, await make_user("manager"))
    before = await data_version(engine)
    for capacity in ("9" * 40, "-0", "NaN", "\u202e"):
        response = await post(client, "/appointments/capacity", daily_capacity=capacity)
        assert response.status_code == 422 and has_message(response), capacity
    assert await data_version(engine) == before
    for day in ("9999-12-31", "0001-01-01", "２０２６-１１-２４", "x" * 3000):
        assert (await client.get("/appointments", params={"day": day})).status_code == 200, day
    assert (await client.get("/carry-in/new", params={"appointment": "not-an-id"})).status_code == 422
