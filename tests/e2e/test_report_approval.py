"""Report approval at 360 px through the visible controls (F50): last month's report approved and frozen."""

from datetime import date

from playwright.sync_api import expect

from tests.helpers.browser import sign_in

NARROW = {"width": 360, "height": 780}


def test_the_manager_approves_last_months_report_and_it_stays_frozen(browser, server, console_errors):
    context = browser.new_context(viewport=NARROW, has_touch=True)
    page = context.new_page()
    console_errors.attach(page)
    today = date.today()
    last_month = f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"
    sign_in(page, server.url, "manager")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_label("Period").select_option(last_month)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_contain_text(last_month)
    page.get_by_test_id("approve-report").get_by_role("button", name="Approve the report").click()
    expect(page.get_by_text("Report approved and frozen.")).to_be_visible()
    expect(page.get_by_test_id("report-approved")).to_contain_text("Approved by")
    expect(page.get_by_test_id("approve-report")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Printable page / PDF").click()
    expect(page.get_by_test_id("report-approved")).to_be_visible()
    assert console_errors == []
    context.close()
