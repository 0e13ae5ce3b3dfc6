"""The customer-copy link on the job page, and its revoke button, in a phone's browser."""

from playwright.sync_api import expect

from tests.helpers.browser import sign_in


def test_it_revokes_the_customer_copy_link_from_the_job_page(browser, page, server, console_errors):
    sign_in(page, server.url, "coordinator")
    page.locator(".job-card").filter(has_text="Haidian Clinic").locator("a.job-number").click()
    link = page.get_by_test_id("customer-link")
    given = server.url + link.get_attribute("href")

    customer = browser.new_context(viewport={"width": 390, "height": 844})
    copy = customer.new_page()
    assert copy.goto(given).status == 200
    expect(copy.get_by_text("Dr. Sun Li").first).to_be_visible()

    page.get_by_test_id("revoke-links").click()
    expect(page.locator("#messages")).to_contain_text("no longer open")
    expect(page.locator("[data-kind=report_links_revoked]")).to_contain_text("Customer-copy links revoked")
    fresh = server.url + page.get_by_test_id("customer-link").get_attribute("href")
    assert fresh != given

    assert copy.goto(given).status == 410
    expect(copy.get_by_role("heading", level=1)).to_have_text("Link no longer valid")
    expect(copy.locator("main")).to_contain_text("was withdrawn")
    expect(copy.get_by_text("Dr. Sun Li")).to_have_count(0)
    assert copy.goto(fresh).status == 200
    expect(copy.get_by_text("Dr. Sun Li").first).to_be_visible()
    customer.close()
    assert console_errors == []
