"""Signing in as each role on a phone, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import serious_accessibility_violations, sign_in

HOMES = {
    "engineer": ("/jobs/mine", "My jobs"),
    "clerk": ("/parts/counter", "Parts counter"),
    "coordinator": ("/board", "Job board"),
    "manager": ("/board", "Job board"),
}


@pytest.mark.parametrize("username", HOMES)
def test_it_lands_each_role_on_its_home_page_without_console_errors(page, server, console_errors, username):
    path, heading = HOMES[username]
    sign_in(page, server.url, username)
    expect(page).to_have_url(f"{server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("[data-connectivity]")).to_contain_text("Online")
    assert console_errors == []


def test_it_shows_an_error_for_a_wrong_password(page, server, console_errors):
    sign_in(page, server.url, "engineer", "not-the-password")
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong username or password.")
    expect(page).to_have_url(f"{server.url}/login")


def test_it_gives_the_manager_every_home_plus_users(page, server):
    sign_in(page, server.url, "manager")
    nav = page.get_by_role("navigation", name="Main")
    for label in ["Job board", "My jobs", "Parts counter", "Users"]:
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    nav.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")


def test_it_keeps_a_role_out_of_another_roles_page(page, server, console_errors):
    sign_in(page, server.url, "engineer")
    expect(page).to_have_url(f"{server.url}/jobs/mine")
    response = page.goto(f"{server.url}/board")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    console_errors.clear()  # the browser logs the 403 itself; nothing else may appear
    page.goto(f"{server.url}/jobs/mine")
    assert console_errors == []


def test_it_signs_out(page, server):
    sign_in(page, server.url, "clerk")
    page.locator(".usermenu summary").click()
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(f"{server.url}/login")
    page.goto(f"{server.url}/parts/counter")
    expect(page).to_have_url(f"{server.url}/login?next=/parts/counter")


def test_it_fits_a_360_px_wide_phone(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, server.url, "manager")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


@pytest.mark.parametrize("username", [None, *HOMES])
def test_it_has_no_serious_accessibility_violations(axe_page, server, username):
    if username:
        sign_in(axe_page, server.url, username)
        expect(axe_page).to_have_url(f"{server.url}{HOMES[username][0]}")
    else:
        axe_page.goto(f"{server.url}/login")
    assert serious_accessibility_violations(axe_page) == []
