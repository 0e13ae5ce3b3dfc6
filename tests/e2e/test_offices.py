"""Several offices on a 360 px phone, through the visible controls: the regional user creates an office, adds a
coordinator there and switches between offices, each board showing only its office; a branch manager sees their
own office and nothing of another."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import sign_in

NARROW_PHONE = {"width": 360, "height": 780}


@pytest.fixture
def narrow_page(browser, console_errors):
    context = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    console_errors.attach(page)
    yield page
    context.close()


def fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def office_card(page, code: str):
    return page.get_by_test_id("office").filter(has_text=code)


def test_the_regional_user_creates_an_office_staffs_it_and_switches_boards(narrow_page, server, console_errors):
    page = narrow_page
    sign_in(page, server.url, "regional")
    expect(page.get_by_test_id("board-office")).to_contain_text("(MAIN)")
    expect(page.get_by_test_id("board")).to_contain_text("Beijing Union Hospital")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offices").click()
    page.get_by_role("link", name="New office").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Create the office").click()  # empty: every mistake at once
    expect(page.get_by_test_id("error-summary")).to_contain_text("Use 2 to 20 capital letters")
    expect(page.get_by_test_id("error-summary")).to_contain_text("The office name is required.")
    page.get_by_label("Office code").fill("SH-WEST")
    page.get_by_label("Office name").fill("Shanghai West")
    page.get_by_label("Address").fill("8 Harbour Road, Shanghai")
    page.get_by_label(re.compile("^Districts served")).fill("Minhang\nSongjiang")
    page.get_by_label("Time zone").select_option("Asia/Shanghai")
    page.get_by_label(re.compile("^Working day starts")).fill("08:00")
    page.get_by_label(re.compile("^Working day ends")).fill("17:00")
    fits(page)
    page.get_by_role("button", name="Create the office").click()
    expect(page.locator("#messages")).to_contain_text("Office Shanghai West created.")
    expect(office_card(page, "SH-WEST")).to_contain_text("Minhang, Songjiang")
    fits(page)

    office_card(page, "SH-WEST").get_by_role("button", name="Look at Shanghai West").click()
    expect(page.get_by_test_id("board-office")).to_contain_text("Shanghai West (SH-WEST)")
    expect(page.get_by_test_id("board")).not_to_contain_text("Beijing Union Hospital")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    page.wait_for_load_state()
    page.get_by_label("Username").fill("west.coordinator")
    page.get_by_label("Name", exact=True).fill("Qian Yu")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("User Qian Yu created.")
    expect(page.locator("li.card").filter(has_text="@west.coordinator")).to_contain_text("Coordinator")
    expect(page.locator("li.card").filter(has_text="@coordinator")).to_have_count(0)  # Beijing's staff

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Job board").click()
    page.get_by_test_id("switch-office").click()
    office_card(page, "TJ").get_by_role("button", name=re.compile("^Look at")).click()
    expect(page.get_by_test_id("board-office")).to_contain_text("(TJ)")
    expect(page.get_by_test_id("board")).to_contain_text("Tianjin Harbour Clinic")
    expect(page.get_by_test_id("board")).not_to_contain_text("Beijing Union Hospital")
    expect(page.get_by_role("link", name="Take a request")).to_have_count(0)  # the regional user reads, never acts
    fits(page)
    assert [error for error in console_errors if "422" not in error] == []  # the refused empty form's answer


def test_a_branch_manager_sees_their_office_and_nothing_of_another(narrow_page, server):
    page = narrow_page
    sign_in(page, server.url, "manager")
    expect(page.get_by_test_id("board-office")).to_contain_text("(MAIN)")
    expect(page.get_by_test_id("board")).to_contain_text("Beijing Union Hospital")
    expect(page.get_by_test_id("board")).not_to_contain_text("Tianjin Harbour Clinic")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Offices")).to_have_count(0)
    navigation.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    expect(page.locator("li.card").filter(has_text="@tj.coordinator")).to_have_count(0)
    expect(page.locator("li.card").filter(has_text="@regional")).to_have_count(0)
    expect(page.locator("li.card").filter(has_text="@coordinator")).to_have_count(1)
