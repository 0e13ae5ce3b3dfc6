"""Every form with several fields shows all its errors at once at 360 px: a summary at the top that links to
each wrong field, each field marked, in English and in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_offline_outbox import job_id
from tests.e2e.test_visit_actions import SHOTS, SMALL_PHONE
from tests.helpers.browser import sign_in


@pytest.fixture(params=["en", "zh_Hans"])
def phone(browser, request):
    context = browser.new_context(viewport=SMALL_PHONE, has_touch=True, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.chinese = request.param == "zh_Hans"
    yield page
    context.close()


def signed_in(page, server, username: str) -> None:
    """Signed in, then reading the pages in the language under test (the sign-in page's language switch)."""
    sign_in(page, server.url, username)
    expect(page).not_to_have_url(re.compile(r"/login"))
    if page.chinese:
        page.context.add_cookies([{"name": "onsite_lang", "value": "zh_Hans", "url": server.url}])


def submit_without_the_browsers_checks(form, button: str) -> None:
    """The server's checks, not the browser's: what an old page or a browser without them would send."""
    form.evaluate("form => { form.noValidate = true; }")
    form.get_by_role("button", name=button).click()


def every_error_is_shown(page, fields: list[str], shot: str, prefix: str = "") -> None:
    """One summary names each field (a link that puts the focus in it), each field is marked, the page fits.
    ``prefix``: the refused form's id prefix on a page with several forms."""
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(fields))
    assert [link.get_attribute("href") for link in links.all()] == [f"#{prefix}f-{field}" for field in fields]
    for field in fields:
        expect(page.locator(f"#{prefix}f-{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#{prefix}{field}-error")).not_to_be_empty()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    if page.chinese:
        assert not any(c.isascii() and c.isalpha() for c in summary.inner_text()), summary.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"errors-{shot}-{'zh' if page.chinese else 'en'}.png"), full_page=True)
    links.last.click()
    expect(page.locator(f"#{prefix}f-{fields[-1]}")).to_be_focused()


def test_the_user_form_shows_every_error_at_once(phone, server):
    signed_in(phone, server, "manager")
    phone.goto(f"{server.url}/users/new")
    submit_without_the_browsers_checks(phone.locator("main form"), "保存" if phone.chinese else "Save")
    every_error_is_shown(phone, ["username", "display_name", "password"], "user")


def test_the_office_settings_show_every_error_at_once(phone, server):
    signed_in(phone, server, "manager")
    phone.goto(f"{server.url}/office")
    phone.locator("#f-name").fill("")
    phone.locator("#f-phone").fill("1" * 41)
    phone.locator("#f-phone").evaluate("field => field.removeAttribute('maxlength')")
    phone.locator("#f-phone").fill("1" * 41)
    submit_without_the_browsers_checks(phone.locator("main form"), "保存" if phone.chinese else "Save")
    every_error_is_shown(phone, ["name", "phone"], "office")


def test_the_lend_form_shows_every_error_at_once(phone, server):
    signed_in(phone, server, "clerk")
    phone.goto(f"{server.url}/parts/counter")
    phone.locator("#f-engineer").select_option(label="Zhang Min")
    phone.locator("#f-engineer").locator("xpath=..").get_by_role("button").click()
    form = phone.locator('form[action="/parts/check-out"]')
    expect(form).to_be_visible()
    submit_without_the_browsers_checks(form, "借出" if phone.chinese else "Lend")
    every_error_is_shown(phone, ["job_id", "codes", "sealed"], "lend")


def test_the_catalogue_form_shows_every_error_at_once(phone, server):
    signed_in(phone, server, "clerk")
    phone.goto(f"{server.url}/parts/catalogue")
    phone.locator("#f-unit_price").fill("abc")
    submit_without_the_browsers_checks(
        phone.locator('form[action="/parts/catalogue"]'), "添加" if phone.chinese else "Add"
    )
    every_error_is_shown(phone, ["number", "name", "unit_price"], "catalogue")


def test_the_escalation_and_cancel_forms_on_a_job_page_show_every_error_at_once(phone, server):
    signed_in(phone, server, "coordinator")
    phone.goto(f"{server.url}/jobs/{job_id(server, 'Xicheng School')}")
    phone.locator("summary", has_text="升级" if phone.chinese else "Escalate").click()
    submit_without_the_browsers_checks(
        phone.locator('form[action$="/escalate"]'), "提出升级" if phone.chinese else "Raise the escalation"
    )
    every_error_is_shown(phone, ["symptoms", "actions_taken"], "escalate", prefix="escalate-")
    phone.locator("summary", has_text="取消工单" if phone.chinese else "Cancel the job").click()
    form = phone.locator('form[action$="/cancel"]')
    submit_without_the_browsers_checks(form, "取消工单" if phone.chinese else "Cancel the job")
    every_error_is_shown(phone, ["reason", "customer_informed"], "cancel", prefix="cancel-")


def test_the_holiday_form_shows_every_error_at_once(phone, server):
    signed_in(phone, server, "manager")
    phone.goto(f"{server.url}/calendar")
    submit_without_the_browsers_checks(
        phone.locator("main form").first, "添加节假日" if phone.chinese else "Add holiday"
    )
    every_error_is_shown(phone, ["day", "name"], "calendar")


def test_the_parts_centre_request_shows_every_error_at_once(phone, server):
    signed_in(phone, server, "clerk")
    phone.goto(f"{server.url}/parts/centre")
    form = phone.locator('form[action="/parts/centre/requests"]')
    form.locator("#req-f-job_number").fill("NO-SUCH-JOB")
    form.locator("#req-f-reference").fill("R" * 61)
    submit_without_the_browsers_checks(form, "登记需求" if phone.chinese else "Record the request")
    every_error_is_shown(phone, ["job_number", "reference"], "centre", prefix="req-")
    expect(phone.locator("#req-f-job_number")).to_have_value("NO-SUCH-JOB")


def test_the_fitting_form_on_my_parts_shows_every_error_at_once(phone, server):
    signed_in(phone, server, "engineer")
    phone.goto(f"{server.url}/parts/mine")
    form = phone.locator('form[action="/parts/fit"]')
    submit_without_the_browsers_checks(form, "记录" if phone.chinese else "Record")
    every_error_is_shown(phone, ["code", "removed_serial"], "fit")
