"""The manager's user admin, through its forms on a small phone: each form changes the account it shows."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import sign_in

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def small_page(browser, console_errors):
    context = browser.new_context(viewport=SMALL_PHONE, has_touch=True, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    console_errors.attach(page)
    yield page
    context.close()


def user_card(page, username: str):
    return page.locator("li.card").filter(has_text=f"@{username}")


def test_it_creates_edits_and_deactivates_the_accounts_shown_not_the_managers(small_page, server, console_errors):
    page = small_page
    sign_in(page, server.url, "manager")
    page.goto(f"{server.url}/users")

    page.get_by_role("link", name="New user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New user")
    page.get_by_label("Username").fill("engineer3")
    page.get_by_label("Name", exact=True).fill("Huang Lei")
    page.get_by_label("Role").select_option("engineer")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("User Huang Lei created.")
    expect(user_card(page, "engineer3")).to_contain_text("Huang Lei")

    user_card(page, "engineer2").get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Username")).to_have_value("engineer2")
    page.get_by_label("Name", exact=True).fill("Zhang Min (North)")
    page.get_by_role("button", name="Save").click()
    expect(user_card(page, "engineer2")).to_contain_text("Zhang Min (North)")

    user_card(page, "followup").get_by_role("link", name="Edit").click()
    page.get_by_label(re.compile(r"Active \(untick")).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(user_card(page, "followup")).to_contain_text("Deactivated")

    expect(user_card(page, "manager")).to_contain_text("Liu Yang")
    expect(user_card(page, "manager")).not_to_contain_text("Deactivated")
    expect(page.locator(".usermenu summary")).to_contain_text("Liu Yang")
    assert console_errors == []

    page.locator(".usermenu summary").click()
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(f"{server.url}/login")
    sign_in(page, server.url, "manager")  # the manager's password did not change
    expect(page).to_have_url(f"{server.url}/board")
    page.locator(".usermenu summary").click()
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(f"{server.url}/login")
    sign_in(page, server.url, "followup")
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong username or password.")
    sign_in(page, server.url, "engineer3", "a-long-password")
    expect(page).to_have_url(f"{server.url}/jobs/mine")
