"""Paid service (§8, F17, F42, F43): the quote from the price list is signed before repair steps open."""

from datetime import UTC, datetime

from sqlmodel import select

from app.visits.models import PriceList, ServiceReport, VisitChecklist
from tests.helpers.clients import csrf
from tests.helpers.jobs import reload
from tests.helpers.visits import customer_signs, job_on_the_way, step


async def _classified_paid(client, world):
    db, make_user = world.db, world.make_user
    job, engineer = await job_on_the_way(
        client, db, make_user, warranty_status="out_of_warranty", policy_explained="on"
    )
    await world.visit(job, "classify")
    return await reload(db, job.id)


async def test_it_locks_repair_steps_until_the_customer_signs_the_quote(client, db, make_user, world):
    job = await _classified_paid(client, world)
    assert job.state == "AWAITING_CUSTOMER_DECISION" and job.paid
    response = await step(client, job, "explain", explained="on")
    assert "Do the step “Quote accepted by the customer” first, before “Explain and agree”." in response.text
    response = await client.post(f"/visits/{job.id}/steps/quote/handover", headers=csrf(client))
    assert "Build the quote from the price list before handing the phone over." in response.text

    response = await client.post(
        f"/visits/{job.id}/quote",
        data={"qty_LAB-DIAG": "1", "qty_PART-PSU": "1"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (await customer_signs(client, job, "quote", decision="accepted")).status_code == 303
    assert (await reload(db, job.id)).state == "REPAIRING"
    await world.visit(job, "cleanup", first="explain")
    report = (await db.exec(select(ServiceReport).where(ServiceReport.job_id == job.id))).one()
    assert '"total":"570.00"' in report.content and '"price_list_version":1' in report.content


async def test_it_builds_quotes_only_from_price_list_lines(client, db, make_user, world):
    job = await _classified_paid(client, world)
    response = await client.post(f"/visits/{job.id}/quote", data={"qty_GOLD-PLATING": "1"}, headers=csrf(client))
    assert response.status_code == 422 and "Quotes can only use lines of the price list." in response.text
    response = await client.post(f"/visits/{job.id}/quote", data={}, headers=csrf(client))
    assert "Add at least one price-list line to the quote." in response.text


async def test_a_declined_quote_ends_the_visit_as_declined_with_the_customers_signature(client, db, make_user, world):
    job = await _classified_paid(client, world)
    await client.post(f"/visits/{job.id}/quote", data={"qty_LAB-DIAG": "1"}, headers=csrf(client))
    assert (await customer_signs(client, job, "quote", decision="declined")).status_code == 303
    assert (await reload(db, job.id)).state == "DECLINED"
    assert "Do the step “Customer signature” first" in (await step(client, job, "cleanup", site_clean="on")).text
    assert (await customer_signs(client, job, "signature")).status_code == 303
    assert (await step(client, job, "cleanup", site_clean="on", tools_collected="on")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "AWAITING_PARTS_RETURN" and job.report_signed_at is not None


async def test_a_software_fault_switches_an_in_warranty_visit_to_paid_service(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "reproduce")
    assert (await step(client, job, "classify", fault_class="software", cause="Corrupt driver")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "AWAITING_CUSTOMER_DECISION" and job.paid


async def test_extra_work_found_later_needs_a_new_signed_acceptance(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "repair")
    assert (await step(client, job, "new_problem", found="yes", note="Fan bearing worn")).status_code == 303
    response = await step(client, job, "verify", fault_gone="on")
    assert "Do the step “Extra work accepted by the customer” first" in response.text
    response = await client.post(
        f"/visits/{job.id}/quote",
        data={"step": "extra_quote", "qty_LAB-HOUR": "1.5"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (await customer_signs(client, job, "extra_quote", decision="accepted")).status_code == 303
    response = await client.post(
        f"/visits/{job.id}/quote", data={"step": "extra_quote", "qty_LAB-HOUR": "3"}, headers=csrf(client)
    )
    assert response.status_code == 422 and "already done" in response.text  # a signed quote never rises
    await world.visit(job, "cleanup", first="verify")
    job = await reload(db, job.id)
    assert job.paid and job.state == "AWAITING_PARTS_RETURN"
    page = await client.get(f"/visits/{job.id}/report")
    assert "Total charged: 300.00" in page.text and "Signature valid" in page.text


async def test_a_quote_is_totalled_in_cents_rounding_each_line_half_up_like_the_phone(client, db, make_user, world):
    job = await _classified_paid(client, world)
    line = {"code": "LAB-DIAG", "label": "Diagnosis", "kind": "labour", "price": "150.05"}
    db.add(PriceList(office_id=job.office_id, version=2, lines=[line], created_at=datetime.now(UTC)))
    await db.commit()
    response = await client.post(f"/visits/{job.id}/quote", data={"qty_LAB-DIAG": "1.3"}, headers=csrf(client))
    assert response.status_code == 422 and "Quantities must be between 0.5 and 100." in response.text
    response = await client.post(
        f"/visits/{job.id}/quote", data={"qty_LAB-DIAG": "0.5"}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    stored = select(VisitChecklist).where(VisitChecklist.job_id == job.id).execution_options(populate_existing=True)
    quote = (await db.exec(stored)).one().quote["quote"]
    assert quote["total"] == "75.03" and quote["lines"][0]["amount"] == "75.03"  # 75.025 rounds up
