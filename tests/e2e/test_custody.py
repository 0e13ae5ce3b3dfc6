"""Custody at 360 px through the visible controls: return-before-borrow is the clerk's hard rule; only a branch
manager makes an exception, with a reason (INV-3)."""

from playwright.sync_api import expect

from tests.helpers.browser import sign_in, sign_out

NARROW = {"width": 360, "height": 780}


def open_counter_for(page, base_url: str, engineer: str) -> None:
    page.goto(f"{base_url}/parts/counter")
    page.get_by_label("Engineer", exact=True).select_option(label=engineer)
    page.get_by_role("button", name="Open").click()


def lend(page, job_index: int, code: str, reason: str = "") -> None:
    form = page.get_by_role("region", name="Lend parts")
    form.get_by_label("Job", exact=True).select_option(index=job_index)
    form.get_by_label("Unit codes (scan or type, one per line)").fill(code)
    expect(form.get_by_test_id("codes-preview")).to_contain_text(code, timeout=15_000)  # read it, then tick
    form.get_by_label("Packaging sealed").check()
    if reason:
        form.get_by_label("Reason for an exception").fill(reason)
    form.get_by_role("button", name="Lend").click()


def test_only_a_manager_lends_before_the_previous_part_is_back_and_it_is_recorded(browser, server, console_errors):
    context = browser.new_context(viewport=NARROW, has_touch=True)
    page = context.new_page()
    console_errors.attach(page)
    sign_in(page, server.url, "clerk")
    open_counter_for(page, server.url, "Li Wei")
    lend(page, 1, "U2PSUAAC")
    expect(page.get_by_test_id("held")).to_contain_text("U2PSUAAC")
    lend(page, 2, "U2FANAAA", reason="Second site is urgent")
    expect(page.get_by_test_id("form-error")).to_contain_text("only a branch manager may make an exception")
    # the refused form came back with its codes, which it reads again: let that finish before signing out
    expect(page.get_by_test_id("codes-preview")).to_contain_text("U2FANAAA")
    sign_out(page)

    sign_in(page, server.url, "manager")
    open_counter_for(page, server.url, "Li Wei")
    lend(page, 2, "U2FANAAA", reason="Second site is urgent, approved")
    expect(page.get_by_test_id("held")).to_contain_text("U2FANAAA")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the clerk's refusal is the only failed request
    assert [error for error in console_errors if "422" not in error] == []
    context.close()
