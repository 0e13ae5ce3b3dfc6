"""The signed service report through the visible pages: letterhead set by the manager, the report as the
coordinator and the engineer see it, its PDF, and the customer's copy by its link, on a 360 px phone."""

from pathlib import Path

from playwright.sync_api import expect

from tests.helpers.browser import sign_in
from tests.helpers.env import shared_photos

SHOTS = Path("/tmp/ux-report")
NARROW = {"width": 360, "height": 780}
CUSTOMER = "Haidian Clinic"


def _fits(page, shot: str = "") -> None:
    if shot:  # kept for a person to look at
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / f"{shot}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide"


def _report_from_the_job(page, job_link) -> None:
    job_link.click()
    page.get_by_role("link", name="Service report").click()
    expect(page.get_by_test_id("report-verification")).to_contain_text("Signature valid")


def _phone(browser):
    return browser.new_context(viewport=NARROW, has_touch=True, locale="en-US")


def test_the_report_carries_the_letterhead_the_coordinator_and_engineer_see_and_the_customer_opens(
    browser, server, console_errors
):
    manager = _phone(browser).new_page()
    console_errors.attach(manager)
    sign_in(manager, server.url, "manager")
    manager.get_by_role("navigation", name="Main").get_by_role("link", name="Office settings").click()
    manager.get_by_label("Phone").fill("+86 10 6552 9900")
    manager.get_by_label("Logo (JPEG, PNG, WebP or HEIC photo)").set_input_files(shared_photos() / "landscape_3.jpg")
    manager.get_by_role("button", name="Save").click()
    expect(manager.get_by_text("Office settings saved.")).to_be_visible()
    expect(manager.get_by_test_id("office-logo")).to_be_visible()
    _fits(manager)

    coordinator = _phone(browser).new_page()
    console_errors.attach(coordinator)
    sign_in(coordinator, server.url, "coordinator")
    _report_from_the_job(
        coordinator, coordinator.locator("li.job-card", has_text=CUSTOMER).locator("a.job-number").first
    )
    expect(coordinator.get_by_test_id("letterhead")).to_contain_text("Tel. +86 10 6552 9900")
    expect(coordinator.locator(".letterhead-logo")).to_be_visible()
    expect(coordinator.get_by_test_id("report-title")).to_contain_text("Service report MAIN-")
    expect(coordinator.get_by_test_id("report-steps")).to_contain_text("✓ Starts and runs; casing wiped")
    expect(coordinator.get_by_test_id("report-parts")).to_contain_text("PSU450-A0001")
    expect(coordinator.get_by_test_id("report-signer")).to_contain_text("Signed by Dr. Sun Li on")
    expect(coordinator.locator(".photo-grid figure")).to_have_count(4)
    _fits(coordinator, "page-360-coordinator")
    pdf = coordinator.request.get(server.url + coordinator.get_by_test_id("report-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    link = coordinator.get_by_test_id("customer-link").get_attribute("href")

    engineer = _phone(browser).new_page()
    console_errors.attach(engineer)
    sign_in(engineer, server.url, "engineer")
    _report_from_the_job(engineer, engineer.locator("li", has_text=CUSTOMER).locator("a.job-number").first)
    expect(engineer.get_by_test_id("report-signer")).to_contain_text("Dr. Sun Li")
    _fits(engineer)

    customer = _phone(browser).new_page()  # nobody signed in
    console_errors.attach(customer)
    customer.goto(f"{server.url}{link}")
    expect(customer.get_by_test_id("report-verification")).to_contain_text("Signature valid")
    expect(customer.get_by_test_id("letterhead")).to_contain_text("+86 10 6552 9900")
    expect(customer.locator(".photo-grid img")).to_have_count(4)
    expect(customer.get_by_role("button", name="Add the addendum")).to_have_count(0)
    _fits(customer, "page-360-customer-copy")
    pdf = customer.request.get(server.url + customer.get_by_test_id("report-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert console_errors == []
