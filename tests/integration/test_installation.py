"""An installation walked through its pages (domain.md §3.4, §10; F54–F57): every transition and every refusal."""

from sqlmodel import select

from app.jobs.models import InstallDay, InstallPlan, JobDeadline, JobEvent, JobTeamMember
from app.visits.models import StepResult, VisitPhoto
from tests.helpers.clients import csrf, sign_in
from tests.helpers.installs import (
    ALL_CONDITIONS,
    check_out_today,
    conditions,
    confirmed_installation,
    on_site,
    plan,
    planned_installation,
    requested_installation,
    witness,
    witness_all,
)
from tests.helpers.jobs import post, reload
from tests.helpers.visits import customer_signs, step


async def _events(db, job, kind):
    return (await db.exec(select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.kind == kind))).all()


async def test_site_conditions_not_met_postpone_with_reason_and_date_then_the_job_is_taken_up_again(
    client, db, make_user
):
    job = await requested_installation(client, db, make_user)
    page = await client.get(f"/jobs/{job.id}")
    assert "Check the site conditions with the customer" in page.text and "Plan the installation" not in page.text

    refused = await conditions(client, job, photos=0, outcome="not_met")
    assert refused.status_code == 422
    assert "Reason is required." in refused.text and "Agreed new date must be a date." in refused.text
    assert (await reload(db, job.id)).state == "REQUESTED"

    postpone = {"outcome": "not_met", "reason": "Power not ready", "postponed_until": "2026-12-01"}
    response = await conditions(client, job, photos=0, **postpone)
    assert response.status_code == 303
    job = await reload(db, job.id)
    plan_row = await db.get(InstallPlan, job.id)
    assert job.state == "POSTPONED" and plan_row.postponed_until.isoformat() == "2026-12-01"
    assert plan_row.postpone_reason == "Power not ready" and len(await _events(db, job, "postponed")) == 1
    page = await client.get(f"/jobs/{job.id}")
    assert "Power not ready" in page.text and "Take it up again" in page.text

    take_up = (
        await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "TAKE_UP"))
    ).one()
    assert take_up.met_at is None and 'data-rule="TAKE_UP"' in page.text

    assert (await post(client, f"/jobs/{job.id}/install/resume", version=str(job.version))).status_code == 303
    assert (await reload(db, job.id)).state == "REQUESTED"
    met = await db.exec(
        select(JobDeadline).where(JobDeadline.id == take_up.id).execution_options(populate_existing=True)
    )
    assert met.one().met_at is not None


async def test_conditions_are_confirmed_only_all_of_them_and_with_a_photo_of_the_site(client, db, make_user):
    job = await requested_installation(client, db, make_user)
    refused = await conditions(client, job, photos=0, outcome="met", condition_place="on")
    assert refused.status_code == 422
    assert refused.text.count("Confirm every condition before the installation is planned.") == 2  # top, field
    assert "Add at least one photo of the site." in refused.text
    assert (await reload(db, job.id)).state == "REQUESTED"

    response = await conditions(client, job, photos=2, outcome="met", note="Room 3 ready", **ALL_CONDITIONS)
    assert response.status_code == 303
    job = await reload(db, job.id)
    assert job.state == "CONDITIONS_CONFIRMED" and (await db.get(InstallPlan, job.id)).conditions_at is not None
    photos = (await db.exec(select(VisitPhoto).where(VisitPhoto.job_id == job.id))).all()
    assert len(photos) == 2 and {p.step_key for p in photos} == {"site_conditions"}
    page = await client.get(f"/jobs/{job.id}")
    assert "Room 3 ready" in page.text and f"/visits/{job.id}/photos/{photos[0].id}/thumb" in page.text
    assert (await client.get(f"/visits/{job.id}/photos/{photos[0].id}/thumb")).status_code == 200


async def test_an_installation_is_not_planned_nor_assigned_before_its_conditions_are_confirmed(client, db, make_user):
    job = await requested_installation(client, db, make_user)
    engineer = await make_user("engineer")
    refused = await plan(client, job, engineer)
    assert refused.status_code == 422 and "planned once its site conditions are confirmed" in refused.text
    refused = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id), version=str(job.version))
    assert refused.status_code == 422 and "team and project manager are chosen in its plan" in refused.text
    job = await reload(db, job.id)
    assert job.state == "REQUESTED" and job.engineer_id is None


async def test_two_engineers_need_a_project_manager_from_the_team(client, db, make_user):
    job = await confirmed_installation(client, db, make_user)
    lead, helper, outsider = [x async for x in _three(make_user)]
    refused = await plan(client, job, lead, helper, milestones="", plan="")
    assert refused.status_code == 422
    assert "Two or more engineers need a project manager chosen from the team." in refused.text
    assert "List the milestones" in refused.text and "Plan: steps, goals and risk measures is required." in refused.text
    refused = await plan(client, job, lead, helper, manager=outsider)
    assert "Two or more engineers need a project manager" in refused.text
    assert (await reload(db, job.id)).state == "CONDITIONS_CONFIRMED"

    assert (await plan(client, job, lead, helper, manager=helper)).status_code == 303
    job = await reload(db, job.id)
    stored = await db.get(InstallPlan, job.id)
    assert job.state == "PLANNED" and job.engineer_id == lead.id and stored.project_manager_id == helper.id
    assert stored.milestones == ["Cabinets placed", "Wiring tested"]
    members = (await db.exec(select(JobTeamMember).where(JobTeamMember.job_id == job.id))).all()
    assert [m.user_id for m in members] == [helper.id]
    assert (await _events(db, job, "planned"))[0].details["project_manager"] == helper.display_name


async def _three(make_user):
    for n in range(3):
        yield await make_user("engineer", display_name=f"Engineer {n}")


async def test_one_engineer_needs_no_project_manager(client, db, make_user):
    job, (lead,) = await planned_installation(client, db, make_user, team=1)
    assert job.state == "PLANNED" and (await db.get(InstallPlan, job.id)).project_manager_id is None


async def test_only_coordinators_plan_and_only_the_team_checks_in(client, db, make_user):
    job, (lead, helper) = await planned_installation(client, db, make_user)
    assert (await conditions(client, job, outcome="met", **ALL_CONDITIONS)).status_code == 403
    assert (await plan(client, job, lead)).status_code == 403
    job = await on_site(client, db, job)
    outsider = await make_user("engineer")
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, outsider)
    assert (await post(client, f"/jobs/{job.id}/install/check-in", location="Gate 2")).status_code in {403, 404}
    assert len((await db.exec(select(InstallDay).where(InstallDay.job_id == job.id))).all()) == 1


async def test_each_engineer_checks_in_and_out_every_day_and_a_day_left_open_is_flagged_next_morning(
    client, db, make_user, clock
):
    job, (lead, helper) = await planned_installation(client, db, make_user)
    refused = await step(client, job, "calls", call_log="x")
    assert refused.status_code == 303 and (await reload(db, job.id)).state == "MOBILISED"
    assert (await step(client, job, "briefing", briefing="Scope agreed")).status_code == 303
    refused = await step(client, job, "safety", protective="on", insulated="on", barriers="on")
    assert "Do the step “Daily check-in” first" in refused.text
    assert (await step(client, job, "check_in", checked_in="on")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "ON_SITE" and len(await _events(db, job, "day_checked_in")) == 1
    days = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S26"))).all()
    assert len(days) == 3 and all(d.met_at is None for d in days)  # one a planned day, 23–25 November
    deadline = min(days, key=lambda d: d.due_at)

    await client.post("/logout", headers=csrf(client))
    await sign_in(client, helper)
    assert (await post(client, f"/jobs/{job.id}/install/check-in", location="Gate 2")).status_code == 303
    again = await post(client, f"/jobs/{job.id}/install/check-in", location="Gate 2")
    assert again.status_code == 303  # the same day twice: nothing new
    assert len((await db.exec(select(InstallDay).where(InstallDay.job_id == job.id))).all()) == 2
    refused = await check_out_today(client, job, log="")
    assert refused.status_code == 422 and "Daily log is required." in refused.text
    assert (await check_out_today(client, job)).status_code == 303
    assert (await db.get(JobDeadline, deadline.id)).met_at is None  # the lead is still on site

    clock.advance(hours=16)  # the next morning: the lead never checked out
    page = await client.get(f"/jobs/{job.id}")
    assert page.text.count("data-flagged") == 1 and "No check-out or daily log" in page.text
    assert 'data-rule="S26"' in page.text and "is-late" in page.text

    await client.post("/logout", headers=csrf(client))
    await sign_in(client, lead)
    refused = await step(client, job, "safety", protective="on", insulated="on", barriers="on")
    assert "Check in on site for today on the job page first." in refused.text
    assert (await post(client, f"/jobs/{job.id}/install/check-in", location="Gate 1")).status_code == 303
    assert (await step(client, job, "safety", protective="on", insulated="on", barriers="on")).status_code == 303
    assert (await check_out_today(client, job)).status_code == 303
    refused = await witness(client, job, 0)
    assert refused.status_code == 422 and "Check in on site for today on the job page first." in refused.text
    refused = await step(client, job, "milestones", all_witnessed="on")
    assert "Check in on site for today on the job page first." in refused.text


async def test_hand_over_needs_self_check_cross_check_by_another_member_receipt_and_training(client, db, make_user):
    job, (lead, helper) = await planned_installation(client, db, make_user)
    job = await on_site(client, db, job)
    assert (await step(client, job, "safety", protective="on", insulated="on", barriers="on")).status_code == 303
    await witness_all(client, job)
    assert (await step(client, job, "milestones", all_witnessed="on")).status_code == 303
    for key, fields in [
        ("tests", {"results": "Insulation 500 MOhm"}),
        ("daily_log", {"log": "Day 1 done"}),
        ("self_check", {"done": "on"}),
    ]:
        assert (await step(client, job, key, **fields)).status_code == 303
    assert (await reload(db, job.id)).state == "SELF_CHECKED"

    page = await client.get(f"/visits/{job.id}")
    assert f'<option value="{helper.id}">{helper.display_name}</option>' in page.text
    refused = await client.post(
        f"/visits/{job.id}/steps/cross_check/not-applicable", data={"reason": "Alone"}, headers=csrf(client)
    )
    assert "A team of two or more needs “Cross-check” by another member." in refused.text
    refused = await step(client, job, "cross_check", checker=str(lead.id))
    assert "must be done by another team member than the one whose work is checked" in refused.text
    outsider = await make_user("engineer")
    refused = await step(client, job, "cross_check", checker=str(outsider.id))
    assert "Choose a member of this job" in refused.text
    refused = await step(client, job, "cross_check", checker="Zhang Min")
    assert "Choose a member of this job" in refused.text
    assert (await step(client, job, "cross_check", checker=str(helper.id))).status_code == 303
    results = await db.exec(select(StepResult).where(StepResult.job_id == job.id, StepResult.step_key == "cross_check"))
    stored = results.one()
    assert stored.values == {"checker": helper.display_name, "checker_id": str(helper.id)}

    assert (await step(client, job, "handover", handover_list="2 spare fuses", site_clean="on")).status_code == 303
    assert (await step(client, job, "training", offered="declined")).status_code == 303
    refused = await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    assert refused.status_code == 422 and "Do the step “Customer signs “training declined”” first" in refused.text
    assert (await customer_signs(client, job, "training_declined")).status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    assert (await reload(db, job.id)).state == "HANDED_OVER"

    refused = await step(client, job, "check_out", checked_out="on")
    assert "Check out for today with the daily log on the job page first." in refused.text
    assert (await check_out_today(client, job)).status_code == 303
    assert (await step(client, job, "check_out", checked_out="on")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "DEPARTED" and job.report_signed_at is not None


async def test_a_lone_engineer_records_the_cross_check_as_not_applicable(client, db, make_user):
    job, (lead,) = await planned_installation(client, db, make_user, team=1)
    job = await on_site(client, db, job)
    assert (await step(client, job, "safety", protective="on", insulated="on", barriers="on")).status_code == 303
    await witness_all(client, job)
    assert (await step(client, job, "milestones", all_witnessed="on")).status_code == 303
    for key, fields in [("tests", {"results": "ok"}), ("daily_log", {"log": "done"}), ("self_check", {"done": "on"})]:
        assert (await step(client, job, key, **fields)).status_code == 303
    refused = await step(client, job, "cross_check", checker=str(lead.id))
    assert "must be done by another team member" in refused.text
    response = await client.post(
        f"/visits/{job.id}/steps/cross_check/not-applicable",
        data={"reason": "Alone on site"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
