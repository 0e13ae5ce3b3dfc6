"""A coordinator takes a request and dispatches it; the engineer's phone shows it; the board updates live."""

import re

from playwright.sync_api import expect

from tests.helpers.browser import PHONE, SSE_OPEN, next_visit_day, sign_in
from tests.helpers.waiting import wait_until


def test_it_dispatches_a_request_to_the_engineers_phone_and_updates_the_board_live(browser, server, console_errors):
    office = browser.new_context(viewport={"width": 1280, "height": 900})
    coordinator = office.new_page()
    console_errors.attach(coordinator)
    sign_in(coordinator, server.url, "coordinator")
    coordinator.goto(f"{server.url}/jobs/new")
    form = {
        "Customer name": "Riverside Clinic",
        "Customer phone": "+86 10 8888 0000",
        "Site address": "12 River Rd, Beijing",
        "Contact person": "Nurse Liu",
        "Contact phone": "13900000000",
        "Device model": "XR-200",
        "Device serial": "E2E-0001",
        "Fault in the customer's words": "No image",
    }
    for label, value in form.items():
        coordinator.get_by_label(re.compile(f"^{re.escape(label)}")).fill(value)
    coordinator.get_by_role("button", name="Create job").click()
    expect(coordinator.get_by_test_id("job-state")).to_have_text("Waiting for dispatch")
    job_url = coordinator.url
    job_id = job_url.rsplit("/", 1)[-1]
    coordinator.get_by_label("Onsite engineer").select_option(label="Li Wei")
    coordinator.get_by_role("button", name="Assign", exact=True).click()
    expect(coordinator.get_by_test_id("job-state")).to_have_text("Assigned")

    coordinator.goto(f"{server.url}/board")
    wait_until(lambda: coordinator.evaluate(SSE_OPEN), what="the board's live stream open")
    coordinator.evaluate("window.__stillTheSamePage = true")
    row = coordinator.locator(f"#job-{job_id}")
    expect(row.locator(".badge.state")).to_have_text("Assigned")

    phone_context = browser.new_context(viewport=PHONE, has_touch=True)
    phone = phone_context.new_page()
    console_errors.attach(phone)
    sign_in(phone, server.url, "engineer")
    card = phone.locator("[data-job]", has_text="Riverside Clinic")
    expect(card).to_be_visible()
    address = card.get_by_role("link", name="12 River Rd, Beijing")
    expect(address).to_have_attribute("href", "geo:0,0?q=12%20River%20Rd%2C%20Beijing")
    expect(card.locator("a.tel")).to_have_attribute("href", "tel:13900000000")
    card.locator(".job-number").click()
    phone.get_by_label("Person spoken to").fill("Nurse Liu")
    phone.get_by_label("Visit date").fill(next_visit_day())
    phone.get_by_label("From", exact=True).fill("10:00")
    phone.get_by_label("To", exact=True).fill("12:00")
    phone.get_by_role("button", name="Save contact").click()
    expect(phone.get_by_test_id("job-state")).to_have_text("Scheduled")

    expect(row.locator(".badge.state")).to_have_text("Scheduled", timeout=3000)  # pushed, no reload
    assert coordinator.evaluate("window.__stillTheSamePage") is True
    assert console_errors == []
    phone_context.close()
    office.close()
