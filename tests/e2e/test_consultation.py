"""On a phone: the coordinator opens consultation cases; the technical specialist answers and resolves one from the
queue, and converts another into an onsite job that shows the case's notes."""

import re

from playwright.sync_api import expect

from tests.helpers.browser import sign_in

NARROW_PHONE = {"width": 360, "height": 740}


def _open_case(page, base_url: str, serial: str, question: str) -> None:
    page.goto(f"{base_url}/jobs/new")
    page.get_by_label("Job type").select_option(label="Consultation case")
    form = {
        "Customer name": "Lakeside Lab",
        "Customer phone": "+86 10 7777 0000",
        "Site address": "8 Lake Rd, Beijing",
        "Contact person": "Dr. Gao",
        "Contact phone": "13900000001",
        "Device model": "AN-7",
        "Device serial": serial,
        "Fault in the customer's words": question,
    }
    for label, value in form.items():
        page.get_by_label(re.compile(f"^{re.escape(label)}")).fill(value)
    page.get_by_role("button", name="Create job").click()
    expect(page.get_by_test_id("job-state")).to_have_text("Opened")


def _open_from_queue(page, question: str) -> None:
    page.get_by_role("link", name="Consultation cases").first.click()
    page.wait_for_load_state()
    card = page.get_by_test_id("case-queue").locator("[data-job]", has_text=question)
    expect(card).to_be_visible()
    card.locator(".job-number").click()
    page.wait_for_load_state()


def test_a_specialist_answers_and_resolves_a_case_and_converts_another_into_an_onsite_job(
    browser, server, console_errors
):
    hotline = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="en-US")
    coordinator = hotline.new_page()
    console_errors.attach(coordinator)
    sign_in(coordinator, server.url, "coordinator")
    _open_case(coordinator, server.url, "E2E-K001", "How do I export the results to a USB stick?")
    _open_case(coordinator, server.url, "E2E-K002", "The analyser beeps three times at start-up")

    desk = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="en-US")
    specialist = desk.new_page()
    console_errors.attach(specialist)
    sign_in(specialist, server.url, "specialist")
    expect(specialist.get_by_role("heading", name="Consultation cases")).to_be_visible()
    _open_from_queue(specialist, "export the results")
    answer = specialist.locator("form[action$='/answer']")
    answer.get_by_label("Answer").fill("Menu > Results > Export; the stick must be FAT32.")
    answer.get_by_role("button", name="Record the answer").click()
    expect(specialist.get_by_test_id("job-state")).to_have_text("In progress")
    expect(specialist.locator("[data-rule='S11']")).to_contain_text("met")
    specialist.locator("[data-case-action='resolve'] summary").click()
    resolve = specialist.locator("form[action$='/resolve']")
    resolve.get_by_label("How it was resolved").fill("Customer exported the results while on the phone.")
    resolve.get_by_role("button", name="Resolve the case").click()
    expect(specialist.get_by_test_id("job-state")).to_have_text("Resolved")
    expect(specialist.get_by_test_id("case-notes")).to_contain_text("Customer exported the results")

    _open_from_queue(specialist, "beeps three times")
    specialist.get_by_text("Convert into an onsite or carry-in job").click()
    convert = specialist.locator("form[action$='/convert']")
    convert.get_by_label("New job").select_option(label="Onsite repair")
    convert.get_by_label("Why a visit or a carry-in repair").fill("Power board fault: needs an engineer on site.")
    convert.get_by_role("button", name="Convert the case").click()
    expect(specialist.get_by_test_id("job-state")).to_have_text("Waiting for dispatch")
    expect(specialist.get_by_test_id("case-notes")).to_contain_text("Power board fault")
    expect(specialist.locator("[data-linked-jobs]")).to_contain_text("Converted from consultation case")

    specialist.get_by_role("link", name="Consultation cases").first.click()
    specialist.wait_for_load_state()
    queue = specialist.get_by_test_id("case-queue")
    expect(queue).not_to_contain_text("beeps three times")
    expect(queue).not_to_contain_text("export the results")
    assert console_errors == []
    desk.close()
    hotline.close()
