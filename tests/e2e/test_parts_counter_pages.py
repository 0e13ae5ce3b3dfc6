"""The parts counter used through its pages: the job the clerk came from, codes shown as parts, errors beside the
field, and the faulty part taken back after a repair."""

import re
import sqlite3
import uuid

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import sign_in


def _demo_job(server, sequence: str) -> tuple[str, str]:
    """The id and number of the demo job numbered ``sequence`` in its month (MAIN-yymm-0008)."""
    with sqlite3.connect(server.var_dir / "e2e.db") as db:
        job_hex, number = db.execute(
            "SELECT id, number FROM job WHERE number LIKE ?", (f"MAIN-%-{sequence}",)
        ).fetchone()
    return str(uuid.UUID(job_hex)), number


def _job_id(server, sequence: str) -> str:
    return _demo_job(server, sequence)[0]


@pytest.fixture
def clerk(page, server):
    sign_in(page, server.url, "clerk")
    expect(page.get_by_role("heading", name="Parts counter")).to_be_visible()
    return page


def _lend_form(page):
    return page.get_by_role("region", name="Lend parts")


def test_it_opens_the_lend_form_for_the_job_the_clerk_came_from_and_names_what_was_lent(clerk, server):
    job_id, number = _demo_job(server, "0008")
    clerk.goto(f"{server.url}/jobs/{job_id}")
    clerk.get_by_test_id("lend-for-job").click()
    form = _lend_form(clerk)
    expect(clerk.get_by_role("heading", name="Li Wei holds")).to_be_visible()
    expect(form.get_by_label("Job", exact=True)).to_have_value(job_id)
    codes = form.get_by_label("Unit codes (scan or type, one per line)")
    codes.fill("U2PSUAAX")
    preview = form.get_by_test_id("codes-preview")
    expect(preview).to_contain_text("No part unit has the code U2PSUAAX")
    expect(codes).to_be_focused()  # the message comes beside the field; the page does not reload
    codes.fill(f"{server.url.upper()}/U/U2PSUAAC")  # what a scanner reads from the label
    expect(preview).to_contain_text("Power supply 450 W · PSU-450 · code U2PSUAAC · serial PSU450-A0003")
    form.get_by_label("Packaging sealed").check()
    form.get_by_role("button", name="Lend").click()
    expect(
        clerk.get_by_text(f"Lent for job {number}: PSU-450 Power supply 450 W (serial PSU450-A0003).")
    ).to_be_visible()


def test_it_asks_for_the_job_instead_of_lending_for_the_first_one_in_the_list(clerk, server):
    clerk.get_by_label("Engineer", exact=True).select_option(label="Zhang Min")
    clerk.get_by_role("button", name="Open").click()
    form = _lend_form(clerk)
    job = form.get_by_label("Job", exact=True)
    expect(job).to_have_value("")
    form.get_by_label("Unit codes (scan or type, one per line)").fill("U2FANAAA")
    expect(form.get_by_test_id("codes-preview")).to_contain_text("code U2FANAAA", timeout=15_000)  # read it, then tick
    form.get_by_label("Packaging sealed").check()
    form.get_by_role("button", name="Lend").click()
    expect(job).to_be_focused()  # the browser stops the form at the required, still unchosen, job
    assert job.evaluate("select => select.validity.valueMissing")
    expect(clerk.get_by_test_id("held")).to_have_text("Nothing: parts may go out.")
    job.evaluate("select => select.removeAttribute('required')")  # an old page without the check: the server asks
    form.get_by_role("button", name="Lend").click()
    job = _lend_form(clerk).get_by_label("Job", exact=True)
    expect(job).to_be_focused()
    expect(job).to_have_attribute("aria-invalid", "true")
    expect(_lend_form(clerk).locator("#job_id-error")).to_have_text("Choose the job the parts are for.")
    expect(_lend_form(clerk).locator("#job_id-error")).to_be_in_viewport()


def test_it_keeps_a_mistyped_code_in_view_with_its_message_beside_it(clerk, server):
    clerk.get_by_label("Engineer", exact=True).select_option(label="Zhang Min")
    clerk.get_by_role("button", name="Open").click()
    form = _lend_form(clerk)
    form.get_by_label("Job", exact=True).select_option(_job_id(server, "0003"))
    form.get_by_label("Unit codes (scan or type, one per line)").fill("U2FANAAZ")
    expect(form.get_by_test_id("codes-preview")).to_contain_text("No part unit has the code U2FANAAZ", timeout=15_000)
    form.get_by_label("Packaging sealed").check()
    form.get_by_role("button", name="Lend").click()
    codes = _lend_form(clerk).get_by_label("Unit codes (scan or type, one per line)")
    expect(codes).to_be_focused()
    expect(codes).to_be_in_viewport()
    message = _lend_form(clerk).locator("#codes-error")
    expect(message).to_contain_text("No part unit has the code U2FANAAZ")
    expect(message).to_be_in_viewport()
    expect(codes).to_have_value("U2FANAAZ")


def test_it_takes_back_the_removed_faulty_part_and_leaves_the_fitted_unit_at_the_customer(browser, clerk, server):
    job_id, number = _demo_job(server, "0003")
    clerk.goto(f"{server.url}/parts/counter?job={job_id}")
    form = _lend_form(clerk)
    form.get_by_label("Unit codes (scan or type, one per line)").fill("U2MBXRAA")
    expect(form.get_by_test_id("codes-preview")).to_contain_text("code U2MBXRAA", timeout=15_000)
    form.get_by_label("Packaging sealed").check()
    form.get_by_role("button", name="Lend").click()
    expect(clerk.get_by_text(re.compile(f"Lent for job {number}"))).to_be_visible()

    context = browser.new_context(viewport={"width": 360, "height": 780}, has_touch=True, locale="en-US")
    engineer = context.new_page()
    sign_in(engineer, server.url, "engineer2")
    engineer.goto(f"{server.url}/parts/mine")
    fit = engineer.get_by_role("region", name="Record a part fitted on site")
    fit.get_by_label("Job", exact=True).select_option(job_id)
    fit.get_by_label("Unit fitted (code)").fill("U2MBXRAA")
    fit.get_by_label("Serial of the faulty part removed").fill("MBXR-OLD-3")
    fit.get_by_role("button", name="Record").click()
    expect(engineer.get_by_text("Fitted part and removed serial recorded on the job.")).to_be_visible()
    context.close()

    clerk.goto(f"{server.url}/parts/counter?job={job_id}")
    back = clerk.get_by_role("region", name="Take a part back")
    back.get_by_label("Unit code").fill("U2MBXRAA")
    back.get_by_label("Faulty (removed from the device), with a fault tag").check()
    back.get_by_label("Fault tag: fault description").fill("No power")
    back.get_by_label("Fault tag: serial of the device it came out of").fill("XR200-DEMO")
    back.get_by_label("Serial of the faulty part").fill("MBXR-OLD-3")
    back.get_by_role("button", name="Take back").click()
    notice = clerk.get_by_text(re.compile(r"Faulty part MBXR-OLD-3 booked in as [A-Z0-9]{8}"))
    expect(notice).to_be_visible()
    faulty_code = re.search(r"as ([A-Z0-9]{8})", notice.text_content()).group(1)
    confirm = clerk.get_by_test_id(f"confirm-{number}")
    expect(confirm).to_contain_text("U2MBXRAA")
    expect(confirm.locator("li", has_text="U2MBXRAA")).to_contain_text("fitted at the customer")
    expect(confirm.locator("li", has_text=faulty_code)).to_contain_text("MBXR-OLD-3")
    expect(confirm.locator("li", has_text=faulty_code)).to_contain_text("faulty, in the defective bin")
    clerk.goto(f"{server.url}/u/U2MBXRAA")
    expect(clerk.get_by_test_id("unit-serial")).to_have_text("MBXR-77001")
    expect(clerk.get_by_test_id("unit-status")).to_have_text("fitted at the customer")
    clerk.goto(f"{server.url}/u/{faulty_code}")
    expect(clerk.get_by_test_id("unit-serial")).to_have_text("MBXR-OLD-3")
    expect(clerk.get_by_test_id("unit-status")).to_contain_text("faulty, in the defective bin")
