"""The phone applies the shared checklist rules with no signal: "not fixed" is offered from diagnosis until the
report is signed (T15), and a field that another answer makes required is asked for before the step is queued."""

import re

from playwright.sync_api import expect

from tests.e2e.test_visit import (
    arrive_to_reproduce,
    check,
    current,
    diagnose_a_hardware_fault,
    done,
    fill,
    upload,
)
from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER, phone_with_outbox, sign_in
from tests.helpers.env import shared_photos
from tests.helpers.servers import job_id

VERIFIED = (
    "Original fault gone",
    "New parts working; driver matches",
    "Cables sound; dust brushed out",
    "Starts and runs; casing wiped",
    "Customer present",
)


def test_it_offers_not_fixed_and_asks_for_a_conditionally_required_field_while_offline(browser, server):
    context, page = phone_with_outbox(browser)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, server.url, "engineer")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs"), timeout=30_000)
    job = job_id(server, "Chaoyang Print Shop")
    context.set_offline(True)
    page.goto(f"{server.url}/visits/{job}")  # from the briefcase
    not_fixed = page.get_by_text("Cannot fix it on this visit")
    expect(not_fixed).to_be_hidden()  # arriving: the job is not being diagnosed yet

    arrive_to_reproduce(page, shared_photos(), warranty_photos=False)
    expect(not_fixed).to_be_visible()  # reproducing: DIAGNOSING
    diagnose_a_hardware_fault(page)
    fill(page, **{"Work done": "Replaced the feed roller"})
    done(page, "New problem found")
    expect(not_fixed).to_be_visible()  # VERIFYING

    current(page).get_by_label("No", exact=True).check()
    done(page, "Verify with the customer")
    upload(page, "verify", shared_photos() / "image00971.jpg")
    check(page, *VERIFIED)
    done(page, "Customer's evaluation")
    expect(not_fixed).to_be_visible()  # still VERIFYING until the customer signs the report
    not_fixed.click()
    page.get_by_test_id("declare-unfixed").click()
    expect(current(page).locator(".step-title")).to_contain_text("Not fixed: next step")
    expect(not_fixed).to_be_hidden()  # once per visit

    fill(page, **{"Why it is not fixed": "The fault came back during the evaluation"})
    current(page).get_by_label("Book another visit", exact=True).check()
    current(page).get_by_test_id("step-done").click()  # the revisit date left blank
    expect(page.get_by_test_id("visit-error")).to_have_text("Fill in “Revisit date” first.")
    expect(current(page).locator(".step-title")).to_contain_text("Not fixed: next step")
    fill(page, **{"Revisit date": "2027-03-15"})
    done(page, "Customer signature")
    expect(page.get_by_test_id("pending-count")).to_have_text(re.compile(r"^1\d$"))  # all kept on the phone
    assert errors == []
    context.close()
