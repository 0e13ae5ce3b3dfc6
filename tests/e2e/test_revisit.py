"""A revisit walked through the pages at 360 px: "not fixed" with a date, then the same job back to scheduling."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_comeback import person
from tests.e2e.test_dispatch import next_visit_day
from tests.e2e.test_visit import (
    arrive_to_reproduce,
    check,
    current,
    customer_signs,
    done,
    fill,
    synced,
    tap_done_unless_completed,
)
from tests.helpers.env import shared_photos


@pytest.fixture
def fixture_photos():
    return shared_photos()


def test_a_visit_not_fixed_with_a_date_goes_back_to_scheduling_and_keeps_its_report(
    browser, server, console_errors, fixture_photos
):
    day = next_visit_day()
    with person(browser, server, console_errors, "engineer") as page:
        page.locator("li", has_text="Xicheng School").locator("a.job-number").click()
        job_url = page.url
        page.get_by_test_id("open-checklist").click()
        arrive_to_reproduce(page, fixture_photos, warranty_photos=False)
        current(page).get_by_label("Reproduced", exact=True).check()
        done(page, "Classify the fault")
        page.get_by_text("Cannot fix it on this visit").click()
        page.get_by_test_id("declare-unfixed").click()
        expect(current(page).locator(".step-title")).to_contain_text("Not fixed: next step")
        fill(page, **{"Why it is not fixed": "Main board on order"})
        current(page).get_by_label("Book another visit").check()
        fill(page, **{"Revisit date": day})
        done(page, "Customer signature")
        customer_signs(page, "Wang Xiu")
        check(page, "Site clean, nothing left behind", "Tools collected")
        tap_done_unless_completed(page)
        synced(page)
        expect(page.get_by_test_id("job-state")).to_have_text("Parts confirmed")  # nothing borrowed: T17 at once

    with person(browser, server, console_errors, "coordinator") as page:
        page.goto(job_url)
        form = page.get_by_test_id("revisit-form")
        expect(form.get_by_label("Revisit date")).to_have_value(day)  # the date agreed on the signed report
        form.get_by_label("From", exact=True).fill("09:00")
        form.get_by_label("To", exact=True).fill("11:00")
        form.get_by_role("button", name="Schedule the revisit").click()
        expect(page.get_by_test_id("job-state")).to_have_text("Scheduled")
        expect(page.get_by_test_id("earlier-visits")).to_contain_text("Visit 1")
        expect(page.get_by_test_id("earlier-visits")).to_contain_text("Wang Xiu")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with person(browser, server, console_errors, "engineer") as page:
        page.locator("li", has_text="Xicheng School").locator("a.job-number").click()
        page.get_by_test_id("open-checklist").click()
        expect(page.get_by_test_id("visit-progress")).to_contain_text("Step 1 of")  # a fresh checklist
    assert console_errors == []
