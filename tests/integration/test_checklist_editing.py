"""A manager edits checklist templates and the price list as data; running visits keep their snapshot."""

import json

from app.visits.checklists.repair import REPAIR_VISIT
from tests.helpers.clients import csrf, sign_in
from tests.helpers.installs import planned_installation
from tests.helpers.jobs import reload
from tests.helpers.visits import job_on_the_way, step


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
    job, _ = await planned_installation(client, db, make_user)
    page = await client.get(f"/visits/{job.id}")
    assert "The three calls" in page.text and "Step 1 of 13" in page.text
    assert (await step(client, job, "calls", call_log="Called customer, site manager, office")).status_code == 303
    assert (await reload(db, job.id)).state == "MOBILISED"
    response = await step(client, job, "check_in", checked_in="on")
    assert "Do the step “Technical briefing” first" in response.text
