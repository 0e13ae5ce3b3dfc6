"""A comeback walked through the pages at 360 px: completion, a dissatisfied call, the repeat repair dispatched."""

import re
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.e2e.test_visit import check, synced, tap_done_unless_completed
from tests.helpers.browser import sign_in

NARROW = {"width": 360, "height": 780}


@contextmanager
def person(browser, server, console_errors, username: str):
    """One person's own 360 px browser, signed in; closed at the end (no background request of one person's
    page can then reach the server under another's session)."""
    context = browser.new_context(viewport=NARROW, has_touch=True)
    page = context.new_page()
    console_errors.attach(page)
    sign_in(page, server.url, username)
    try:
        yield page
    finally:
        context.close()


def open_job_from_board(page, base_url: str, customer: str) -> None:
    page.goto(f"{base_url}/board")
    page.locator("tr, li", has_text=customer).first.locator("a.job-number").click()
    expect(page.get_by_test_id("job-state")).to_be_visible()


def test_a_complaint_sends_a_repeat_repair_to_dispatch_linked_to_the_original(browser, server, console_errors):
    with person(browser, server, console_errors, "engineer") as page:  # the demo's signed visit: leave the site
        page.locator("li", has_text="Haidian Clinic").locator("a.job-number").click()
        page.get_by_test_id("open-checklist").click()
        check(page, "Site clean, nothing left behind", "Tools collected")
        tap_done_unless_completed(page)
        synced(page)

    with person(browser, server, console_errors, "coordinator") as page:
        open_job_from_board(page, server.url, "Haidian Clinic")  # the clerk confirmed its parts (demo)
        expect(page.get_by_test_id("job-state")).to_have_text("Parts confirmed")
        page.get_by_role("button", name="Complete the job").click()
        expect(page.get_by_test_id("job-state")).to_have_text("Completed")
        original = page.url

    with person(browser, server, console_errors, "followup") as page:
        page.locator("[data-job]", has_text="Haidian Clinic").locator("a.job-number").click()
        page.get_by_role("group", name="Is the fault gone?").get_by_label("No").check()
        page.get_by_role("group", name="Is the customer satisfied?").get_by_label("No").check()
        page.get_by_label("Score (1 = very poor, 5 = excellent)").fill("1")
        page.get_by_label("Reason for dissatisfaction").fill("It beeps again at start-up")
        page.get_by_role("group", name="Complaint areas (if dissatisfied)").locator("label").first.click()
        page.get_by_label("Repeat repair, escalated").check()
        page.get_by_role("button", name="Save the call").click()
        expect(page.locator(".message")).to_be_visible()

    with person(browser, server, console_errors, "coordinator") as page:
        open_job_from_board(page, server.url, "Haidian Clinic")  # the repeat repair: the original left the board
        expect(page.get_by_test_id("job-state")).to_have_text("Waiting for dispatch")
        expect(page.locator('[data-flag="repeat-repair"]')).to_be_visible()
        linked = page.locator("[data-linked-jobs]")
        expect(linked).to_contain_text("Repeat repair of")
        page.get_by_label("Onsite engineer").select_option(label="Li Wei")
        page.get_by_role("button", name="Assign", exact=True).click()
        expect(page.get_by_test_id("job-state")).to_have_text("Assigned")
        repeat_url = page.url
        linked.get_by_role("link").first.click()
        expect(page.get_by_test_id("job-state")).to_have_text("Followed up")
        assert page.url == original
        page.locator("[data-linked-jobs]").get_by_role("link").first.click()
        expect(page).to_have_url(repeat_url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with person(browser, server, console_errors, "manager") as page:
        page.get_by_role("link", name="Reports").first.click()
        expect(page.locator('[data-kpi="comeback"]')).to_have_text(re.compile(r"^100\.0\s?%"))
    assert console_errors == []
