"""Carry-in voucher round trip in a real browser: intake, printed voucher with QR code, pickup (F36, F39)."""

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import draw_signature, serious_accessibility_violations, sign_in


def switch_user(page, base_url: str, username: str) -> None:
    # The page's own background reports (sync status, offline copy) finish while still signed in: one cut short
    # by the sign-out would log a 401 that says nothing about the page.
    page.wait_for_load_state("networkidle")
    page.locator(".usermenu summary").click()
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(f"{base_url}/login")
    sign_in(page, base_url, username)


def step(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".message-success")).to_contain_text("Saved.")


def test_it_takes_in_a_device_prints_the_voucher_and_hands_it_over_by_its_qr_code(page, server, console_errors):
    sign_in(page, server.url, "reception")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carry-in counter")
    page.get_by_role("link", name="Take in a device").click()
    for label, value in [
        ("Customer name", "Wang Ming"),
        ("Customer phone", "13900139000"),
        ("Customer address", "8 Huaihai Rd"),
        ("Contact person", "Wang Ming"),
        ("Contact phone", "13900139000"),
        ("Device model", "LX-15"),
        ("Device serial", "E2E-42"),
        ("Fault in the customer's words", "Screen flickers"),
        ("Accessories returned to the customer", "power cord"),
        ("Customer's printed name", "Wang Ming"),
    ]:
        page.get_by_label(label).fill(value)
    page.get_by_label("Kept with the device: Packaging").check()
    draw_signature(page, page.locator("canvas[data-signature-pad]"))
    page.get_by_role("button", name="Take in and print the order").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Repair order")
    expect(page.locator(".order-copy")).to_have_count(3)
    expect(page.get_by_role("img", name="Pickup QR code")).to_be_visible()
    code = page.get_by_test_id("voucher-code").inner_text()
    assert len(code) == 10
    page.get_by_role("link", name="Open the job").click()
    step(page, "Put it in the storeroom")
    job_url = page.url

    switch_user(page, server.url, "engineer")
    expect(page).to_have_url(f"{server.url}/jobs/mine")
    page.goto(job_url)
    page.get_by_label("Scan or type the device serial").fill("e2e-42")
    step(page, "Start the repair")
    step(page, "Repaired: tell reception")

    switch_user(page, server.url, "reception")
    page.goto(job_url)
    step(page, "Customer phoned: ready for pickup")
    # The customer is back: scanning the voucher's QR code opens the job with the code filled in.
    page.goto(f"{server.url}/carry-in/v/{code}")
    expect(page.get_by_test_id("job-state")).to_have_text("Ready for pickup")
    expect(page.get_by_label("Pickup code (scan the voucher)")).to_have_value(code)
    page.get_by_label("Name of the person collecting").fill("Wang Ming")
    page.get_by_label("Device re-verified at the bench in front of the customer").check()
    draw_signature(page, page.get_by_test_id("signature-pad"))
    page.get_by_role("button", name="Hand over the device").click()
    expect(page.get_by_test_id("job-state")).to_have_text("Collected")
    expect(page.get_by_test_id("collected")).to_contain_text("Wang Ming")
    assert console_errors == []


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("reception", "/carry-in/"),
        ("reception", "/carry-in/new"),
        ("followup", "/follow-ups/"),
        ("manager", "/reports/"),
        ("manager", "/reports/audit"),
        ("manager", "/complaints/"),
    ],
)
def test_it_has_no_serious_accessibility_problems_on_the_after_visit_pages(axe_page, server, username, path):
    sign_in(axe_page, server.url, username)
    axe_page.goto(f"{server.url}{path}")
    assert serious_accessibility_violations(axe_page) == []
