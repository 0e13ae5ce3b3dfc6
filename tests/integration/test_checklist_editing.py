"""A manager edits checklist templates and the price list as data; running visits keep their snapshot."""

import json
import uuid

from app.visits.checklists.repair import REPAIR_VISIT
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload
from tests.helpers.visits import customer_signs, job_on_the_way, photo, step


async def _as_manager(client, make_user):
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("manager"))


async def test_an_edited_template_applies_to_new_visits_but_not_to_running_ones(client, db, make_user):
    running, engineer = await job_on_the_way(client, db, make_user)
    assert (await step(client, running, "arrive", badge_shown="on")).status_code == 303
    await _as_manager(client, make_user)
    edited = json.loads(json.dumps(REPAIR_VISIT))
    edited["steps"][0]["title"] = "Knock, greet and show the badge"
    response = await client.post(
        "/checklists/repair", data={"body": json.dumps(edited)}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    page = await client.get(f"/visits/{running.id}")
    assert "Knock, greet and show the badge" not in page.text and "Arrive" in page.text

    fresh, _ = await job_on_the_way(client, db, make_user, device_serial="SN-2002")
    page = await client.get(f"/visits/{fresh.id}")
    assert "Knock, greet and show the badge" in page.text
    assert (await step(client, fresh, "arrive", badge_shown="on")).status_code == 303
    assert (await reload(db, fresh.id)).state == "ON_SITE"


async def test_it_refuses_a_broken_template_with_the_reason(client, db, make_user):
    await _as_manager(client, make_user)
    broken = json.loads(json.dumps(REPAIR_VISIT))
    broken["steps"][3]["type"] = "dance"
    broken["steps"][4]["title"] = ""
    response = await client.post("/checklists/repair", data={"body": json.dumps(broken)}, headers=csrf(client))
    assert response.status_code == 422 and "has an unknown type" in response.text and "has no title" in response.text
    assert 'id="f-body"' in response.text and 'aria-invalid="true"' in response.text
    response = await client.post("/checklists/repair", data={"body": "{not json"}, headers=csrf(client))
    assert "This is not valid JSON" in response.text


async def test_a_new_price_list_version_is_quoted_from(client, db, make_user):
    await _as_manager(client, make_user)
    lines = [{"code": "LAB-DIAG", "label": "Diagnosis", "kind": "labour", "price": "160"}]
    response = await client.post(
        "/checklists/prices", data={"body": json.dumps(lines)}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    page = await client.get("/checklists/prices")
    assert "Current version: 2." in page.text and "160.00" in page.text
    broken = [{"code": "A", "label": "A", "kind": "labour", "price": "x"}, {"code": "B"}, *lines, *lines]
    refused = await client.post("/checklists/prices", data={"body": json.dumps(broken)}, headers=csrf(client))
    assert refused.status_code == 422 and "“A” has an invalid price." in refused.text
    assert "needs a code, label, kind and price" in refused.text and "share the code “LAB-DIAG”" in refused.text
    assert "Current version: 2." in refused.text


async def test_only_managers_edit_templates(client, db, make_user):
    await sign_in(client, await make_user("coordinator"))
    assert (await client.get("/checklists/repair")).status_code == 403


async def test_an_installation_job_walks_the_installation_template(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user, job_type="INSTALL")
    job.state = "MOBILISED"
    db.add(job)
    await db.commit()
    page = await client.get(f"/visits/{job.id}")
    assert "The three calls" in page.text and "Step 1 of 14" in page.text
    assert (await step(client, job, "calls", call_log="Called customer, site manager, office")).status_code == 303
    response = await step(client, job, "check_in", checked_in="on")
    assert "Do the step “Technical briefing” first" in response.text


async def test_an_installation_refuses_a_cross_check_by_the_same_engineer(client, db, make_user):
    job, engineer = await job_on_the_way(client, db, make_user, job_type="INSTALL")
    job.state = "MOBILISED"
    db.add(job)
    await db.commit()
    for key, fields in [
        ("calls", {"call_log": "3 calls"}),
        ("briefing", {"briefing": "Scope agreed"}),
        ("check_in", {"checked_in": "on"}),
        ("safety", {"protective": "on", "insulated": "on", "barriers": "on"}),
    ]:
        assert (await step(client, job, key, **fields)).status_code == 303
    assert (await photo(client, job, "milestone")).status_code == 201
    assert (await step(client, job, "milestone", milestone="Cabinet wired", witness="Mr. Qian")).status_code == 303
    assert (await customer_signs(client, job, "milestone_witness", name="Qian Hao")).status_code == 303
    for key, fields in [
        ("tests", {"results": "Insulation 500 MOhm"}),
        ("daily_log", {"log": "Day 1 done"}),
        ("self_check", {"done": "on"}),
    ]:
        assert (await step(client, job, key, **fields)).status_code == 303
    assert (await reload(db, job.id)).state == "SELF_CHECKED"
    response = await step(client, job, "cross_check", checker=f"  {engineer.display_name.upper()} ")
    assert "must be done by another team member, not by you" in response.text
    assert (await step(client, job, "cross_check", checker="Zhang Min")).status_code == 303
    assert (await step(client, job, "handover", handover_list="2 spare fuses", site_clean="on")).status_code == 303
    assert (await step(client, job, "training", offered="declined")).status_code == 303
    response = await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    assert response.status_code == 422 and "Do the step “Customer signs “training declined”” first" in response.text
    assert (await customer_signs(client, job, "training_declined")).status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    assert (await reload(db, job.id)).state == "HANDED_OVER"
    assert (await step(client, job, "check_out", checked_out="on")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "DEPARTED" and job.report_signed_at is not None


async def test_a_team_cannot_skip_the_cross_check(client, db, make_user):
    from app.jobs.models import JobTeamMember
    from app.visits.models import StepResult

    job, _ = await job_on_the_way(client, db, make_user, job_type="INSTALL")
    job.state = "ON_SITE"
    db.add(job)
    await db.commit()
    done = {
        "calls": {"call_log": "x"},
        "briefing": {"briefing": "x"},
        "check_in": {"checked_in": True},
        "safety": {},
        "milestone": {},
        "milestone_witness": {},
        "tests": {},
        "daily_log": {},
        "self_check": {},
    }
    for key, values in done.items():  # the steps before, as stored
        db.add(
            StepResult(
                id=uuid.uuid4(),
                job_id=job.id,
                office_id=job.office_id,
                step_key=key,
                status="done",
                values=values,
                payload_hash="x",
                done_by_id=job.engineer_id,
                at=job.created_at,
            )
        )
    helper = await make_user("engineer")
    db.add(JobTeamMember(job_id=job.id, user_id=helper.id))
    await db.commit()
    data = {"id": str(uuid.uuid4()), "reason": "Alone on site"}
    response = await client.post(f"/visits/{job.id}/steps/cross_check/not-applicable", data=data, headers=csrf(client))
    assert "A team of two or more needs “Cross-check” by another member." in response.text
