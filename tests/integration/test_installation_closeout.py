"""An installation's milestones each witnessed on their day (F56), the receipt signed or stamped (F57), a delay
during the work told to the customer (S27), a service day nobody worked flagged (S26), and equipment taken away with
its receipt and status report (S28): walked through the pages, every refusal writing nothing."""

from datetime import date

import pytest
from sqlmodel import func, select

from app.jobs.models import InstallMilestone, InstallPlan, InstallTakeAway, JobDeadline
from app.notify.models import Notification
from app.visits.models import CustomerSignature, ServiceReport, VisitPhoto
from tests.helpers.clients import csrf, sign_in
from tests.helpers.installs import check_out_today, on_site, planned_installation, witness, witness_all
from tests.helpers.jobs import post, reload
from tests.helpers.notify import notify_settings, scheduler_for
from tests.helpers.visits import customer_signs, photo, step

CONTACT_PHONE = "13800138000"  # the intake form's contact phone
CUSTOMER_EMAIL = "qian@fengtai-grid.test"


@pytest.fixture
def settings(settings, mail, sms):
    return notify_settings(settings, mail, sms)


@pytest.fixture
async def scheduler(engine, settings, clock):
    async with scheduler_for(engine, settings, clock) as scheduler:
        yield scheduler


async def _deadlines(db, job, rule):
    rows = await db.exec(
        select(JobDeadline)
        .where(JobDeadline.job_id == job.id, JobDeadline.rule == rule)
        .order_by(JobDeadline.due_at)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def _count(db, model, job):
    return (await db.exec(select(func.count()).select_from(model).where(model.job_id == job.id))).one()


async def _switch(client, user):
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, user)


async def test_each_planned_milestone_is_witnessed_on_its_day_and_the_receipt_may_be_stamped(
    client, db, make_user, clock
):
    job, (lead, helper) = await planned_installation(client, db, make_user)
    job = await on_site(client, db, job)
    page = await client.get(f"/jobs/{job.id}")
    assert (
        "0 of 2 witnessed" in page.text and page.text.count('action="/jobs/' + str(job.id) + '/install/milestone"') == 2
    )

    for fields, photos, message in [
        ({}, 0, "Add a photo of the milestone."),
        ({"signature": ""}, 1, "The witness&#39;s signature is required."),
        ({"witness_name": lead.display_name}, 1, "Staff never sign for the customer"),
        ({"milestone": "7"}, 1, "Choose a milestone of the plan."),
    ]:
        refused = await witness(client, job, 0, photos=photos, **fields)
        assert refused.status_code == 422 and message in refused.text, message
    assert await _count(db, InstallMilestone, job) == 0 and await _count(db, VisitPhoto, job) == 1  # the site's

    assert (await witness(client, job, 0, name="Qian Hao")).status_code == 303
    again = await witness(client, job, 0)
    assert again.status_code == 422 and "“Cabinets placed” is already witnessed." in again.text
    assert (await step(client, job, "safety", protective="on", insulated="on", barriers="on")).status_code == 303
    refused = await step(client, job, "milestones", all_witnessed="on")
    assert refused.status_code == 422 and "Record the milestone on the job page first: Wiring tested." in refused.text
    assert (await check_out_today(client, job)).status_code == 303

    clock.advance(days=1)  # the second milestone happens on the next service day, witnessed by the helper's day
    await _switch(client, helper)
    refused = await witness(client, job, 1)
    assert "Check in on site for today on the job page first." in refused.text
    assert (await post(client, f"/jobs/{job.id}/install/check-in", location="Bay 2")).status_code == 303
    assert (await witness(client, job, 1, name="Gao Feng")).status_code == 303
    stored = (await db.exec(select(InstallMilestone).where(InstallMilestone.job_id == job.id))).all()
    assert {(m.position, m.name, m.witness_name, m.day) for m in stored} == {
        (0, "Cabinets placed", "Qian Hao", date(2026, 11, 23)),
        (1, "Wiring tested", "Gao Feng", date(2026, 11, 24)),
    }
    assert all(m.signature.startswith("data:image/png;base64,") for m in stored)
    page = await client.get(f"/jobs/{job.id}")
    assert "2 of 2 witnessed" in page.text and page.text.count("data-witnessed") == 2
    assert f"/visits/{job.id}/photos/{stored[0].photo_id}/thumb" in page.text
    assert (await client.get(f"/visits/{job.id}/photos/{stored[0].photo_id}/thumb")).status_code == 200

    await _switch(client, lead)
    assert (await post(client, f"/jobs/{job.id}/install/check-in", location="Bay 2")).status_code == 303
    assert (await step(client, job, "milestones", all_witnessed="on")).status_code == 303
    for key, fields in [
        ("tests", {"results": "Insulation 500 MOhm"}),
        ("daily_log", {"log": "Wired and tested"}),
        ("self_check", {"done": "on"}),
    ]:
        assert (await step(client, job, key, **fields)).status_code == 303
    assert (await step(client, job, "cross_check", checker=str(helper.id))).status_code == 303
    assert (await step(client, job, "handover", handover_list="Spare relays", site_clean="on")).status_code == 303
    assert (await step(client, job, "training", offered="given", attendees="Two operators, v3")).status_code == 303

    # The receipt stamped instead of signed: its photo first, then the customer's printed name.
    stamp = {"method": "stamp"}
    handover = await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    assert handover.status_code in {200, 303}
    refused = await client.post(
        f"/visits/{job.id}/sign/signature", data={"signer_name": "Fengtai Grid Office", **stamp}, headers=csrf(client)
    )
    assert refused.status_code == 422 and "Take a photo of the customer&#39;s official stamp first." in refused.text
    checklist = await client.get(f"/visits/{job.id}")
    assert "Or confirm with your official stamp" in checklist.text and "data-stamp-form" in checklist.text
    assert (await photo(client, job, "signature")).status_code == 201
    response = await customer_signs(client, job, "signature", name="Fengtai Grid Office", **stamp)
    assert response.status_code == 303, response.text[-2000:]
    job = await reload(db, job.id)
    signature = (await db.exec(select(CustomerSignature).where(CustomerSignature.job_id == job.id))).one()
    assert job.state == "HANDED_OVER" and signature.decision == "stamp" and signature.image == ""
    assert await db.get(ServiceReport, job.id) is not None
    report = await client.get(f"/visits/{job.id}/report")
    assert "official stamp" in report.text
    assert "Wiring tested" in report.text and "witnessed by Gao Feng" in report.text


async def test_a_delay_during_the_work_replans_the_days_and_tells_the_customer_in_their_language(
    client, db, make_user, scheduler, mail, sms, clock
):
    manager = await make_user("manager")
    job, (lead, helper) = await planned_installation(
        client, db, make_user, customer_email=CUSTOMER_EMAIL, customer_locale="zh_Hans"
    )
    job = await on_site(client, db, job)
    await _switch(client, helper)
    refused = await post(
        client, f"/jobs/{job.id}/install/delay", reason="x", resume_on="2026-11-30", last_day="2026-12-02"
    )
    assert refused.status_code == 422 and "Only the installation lead or a coordinator records a delay." in refused.text
    await _switch(client, lead)
    page = await client.get(f"/jobs/{job.id}")
    assert 'action="/jobs/' + str(job.id) + '/install/delay"' in page.text
    refused = await post(client, f"/jobs/{job.id}/install/delay", reason="", resume_on="2026-11-20", last_day="x")
    assert refused.status_code == 422
    assert "Reason for the delay is required." in refused.text and "Work continues on is in the past." in refused.text
    assert (await _deadlines(db, job, "S27")) == []

    delay = {"reason": "Relay cabinets held at customs", "resume_on": "2026-11-30", "last_day": "2026-12-02"}
    assert (await post(client, f"/jobs/{job.id}/install/delay", **delay)).status_code == 303
    job = await reload(db, job.id)
    plan = await db.get(InstallPlan, job.id)
    await db.refresh(plan)
    assert job.state == "ON_SITE" and plan.last_day == date(2026, 12, 2)
    # The days worked stay, the days given up go, the new days are planned: 23 Nov, then 30 Nov, 1 and 2 Dec.
    days = [d.due_at.date() for d in await _deadlines(db, job, "S26")]
    assert days == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]  # due 00:00 +8
    [told] = await _deadlines(db, job, "S27")
    assert told.met_at is None
    page = await client.get(f"/jobs/{job.id}")
    assert "Relay cabinets held at customs" in page.text and 'data-rule="S27"' in page.text

    stored = (await db.exec(select(Notification).where(Notification.trigger == "install_delayed"))).all()
    assert {(m.channel, m.locale) for m in stored} == {("sms", "zh_Hans"), ("email", "zh_Hans")}
    assert all("Relay cabinets held at customs" in m.body and "延" in m.subject for m in stored)
    to_managers = (await db.exec(select(Notification).where(Notification.trigger == "install_delayed_staff"))).all()
    assert [m.user_id for m in to_managers] == [manager.id]

    await scheduler.tick()  # the message reaches the customer: S27 is met
    [email] = mail.to(CUSTOMER_EMAIL)
    assert job.number in email["Subject"] and "Relay cabinets held at customs" in email.get_content()
    assert sms.texts_to(CONTACT_PHONE)
    [told] = await _deadlines(db, job, "S27")
    assert told.met_at is not None


async def test_a_delay_message_not_delivered_in_2_working_hours_is_overdue_and_the_lead_is_told(
    client, db, make_user, scheduler, clock
):
    job, (lead,) = await planned_installation(client, db, make_user, team=1)
    delay = {"reason": "Crane not available", "resume_on": "2026-11-25", "last_day": "2026-11-27"}
    assert (await post(client, f"/jobs/{job.id}/install/delay", **delay)).status_code == 303
    clock.advance(hours=20)  # the sender was down: no message went out in the 2 working hours
    await scheduler.tick()  # the clocks are looked at first, then what waits is sent
    told = (await db.exec(select(Notification).where(Notification.trigger == "overdue"))).all()
    assert any(m.user_id == lead.id and "Customer told of the installation delay" in m.body for m in told)
    [late] = await _deadlines(db, job, "S27")
    assert late.met_at is not None and late.met_at > late.due_at  # met late, when the message finally went


async def test_a_planned_day_nobody_checked_in_is_flagged_next_morning_and_the_lead_told(
    client, db, make_user, scheduler, clock
):
    job, (lead, _helper) = await planned_installation(client, db, make_user)
    first = (await _deadlines(db, job, "S26"))[0]
    assert first.due_at.isoformat().startswith("2026-11-23T16:00")  # midnight after 23 November, office time
    page = await client.get(f"/jobs/{job.id}")
    assert "Nobody checked in" not in page.text

    clock.advance(hours=16)  # 09:00 on 24 November: the team never came on the 23rd
    page = await client.get(f"/jobs/{job.id}")
    assert "Nobody checked in" in page.text and page.text.count("data-missed") == 1
    assert 'data-rule="S26"' in page.text and "is-late" in page.text
    await scheduler.tick()
    told = (await db.exec(select(Notification).where(Notification.trigger == "overdue"))).all()
    label = "Service day checked in and out with its daily log"
    assert [m.user_id for m in told if m.channel == "app" and label in m.body] == [lead.id]


async def test_equipment_taken_away_leaves_a_receipt_and_its_status_is_due_in_3_working_days(
    client, db, make_user, scheduler, clock
):
    job, (lead, _helper) = await planned_installation(client, db, make_user)
    job = await on_site(client, db, job)
    refused = await post(
        client, f"/jobs/{job.id}/install/take-away", items="Relay P443", reason="Faulty", receipt_to=""
    )
    assert refused.status_code == 422
    assert "Receipt number is required." in refused.text and "Receipt left with is required." in refused.text
    assert await _count(db, InstallTakeAway, job) == 0

    taken = {"items": "Relay P443 SN 7781", "reason": "Trips at 0.2 In", "receipt_number": "TA-0042"}
    assert (await post(client, f"/jobs/{job.id}/install/take-away", receipt_to="Qian Hao", **taken)).status_code == 303
    [due] = await _deadlines(db, job, "S28")
    assert due.due_at.isoformat().startswith("2026-11-26T09:30")  # Thursday 17:30 office time, 3 working days on
    page = await client.get(f"/jobs/{job.id}")
    assert "receipt TA-0042 left with Qian Hao" in page.text and "Status to report by" in page.text

    clock.advance(days=3, hours=1)  # Thursday evening, past 17:30: overdue, the lead is told
    await scheduler.tick()
    told = (await db.exec(select(Notification).where(Notification.trigger == "overdue"))).all()
    assert any(m.user_id == lead.id and "Status of equipment taken away reported" in m.body for m in told)

    coordinator = await make_user("coordinator")
    await _switch(client, coordinator)
    row = (await db.exec(select(InstallTakeAway).where(InstallTakeAway.job_id == job.id))).one()
    refused = await post(client, f"/jobs/{job.id}/install/take-away-status", take_away=str(row.id), status="")
    assert refused.status_code == 422 and "Status of the equipment is required." in refused.text
    status = "Sent to the factory, replacement due 10 December"
    response = await post(client, f"/jobs/{job.id}/install/take-away-status", take_away=str(row.id), status=status)
    assert response.status_code == 303
    [due] = await _deadlines(db, job, "S28")
    assert due.met_at is not None
    page = await client.get(f"/jobs/{job.id}")
    assert status in page.text and "Status to report by" not in page.text


async def test_the_status_clock_outlives_the_teams_departure(client, db, make_user):
    job, (lead,) = await planned_installation(client, db, make_user, team=1)
    job = await on_site(client, db, job)
    taken = {"items": "Relay P443", "reason": "Faulty", "receipt_number": "TA-7", "receipt_to": "Qian Hao"}
    assert (await post(client, f"/jobs/{job.id}/install/take-away", **taken)).status_code == 303
    assert (await step(client, job, "safety", protective="on", insulated="on", barriers="on")).status_code == 303
    await witness_all(client, job)
    for key, fields in [
        ("milestones", {"all_witnessed": "on"}),
        ("tests", {"results": "ok"}),
        ("daily_log", {"log": "done"}),
        ("self_check", {"done": "on"}),
    ]:
        assert (await step(client, job, key, **fields)).status_code == 303
    na = await client.post(
        f"/visits/{job.id}/steps/cross_check/not-applicable", data={"reason": "Alone"}, headers=csrf(client)
    )
    assert na.status_code in {200, 303}
    assert (await step(client, job, "handover", handover_list="Keys", site_clean="on")).status_code == 303
    assert (await step(client, job, "training", offered="declined")).status_code == 303
    assert (await customer_signs(client, job, "training_declined")).status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    assert (await check_out_today(client, job)).status_code == 303
    assert (await step(client, job, "check_out", checked_out="on")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "DEPARTED"
    assert all(d.met_at is not None for d in await _deadlines(db, job, "S26"))
    [due] = await _deadlines(db, job, "S28")
    assert due.met_at is None and job.next_due_rule in {"S16", "S28"}
