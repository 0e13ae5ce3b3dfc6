"""Offline work on the engineer's phone: queued at once, kept across reloads, sent exactly once."""

import re
import uuid

from playwright.sync_api import expect

from tests.helpers.browser import (
    WAIT_FOR_SERVICE_WORKER,
    engineer_phone,
    fill_contact,
    page_sleep,
    persistent_phone,
    sign_in,
)
from tests.helpers.servers import contact_events, job_id, query
from tests.helpers.waiting import wait_until


def test_it_keeps_work_done_while_the_server_is_down_and_sends_it_exactly_once(browser, own_server):
    context, page = engineer_phone(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")
    own_server.stop()  # the phone still believes it is online
    page.goto(f"{own_server.url}/jobs/{job}")  # from the briefcase
    fill_contact(page)
    expect(page.get_by_test_id("saved-on-phone")).to_be_visible()
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    page.reload()
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    expect(page.locator("[data-outbox-pending] [data-outbox-item]")).to_have_count(1)
    own_server.start()
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    assert contact_events(own_server, job) == 1
    assert query(own_server, "SELECT state FROM job WHERE id = ?", uuid.UUID(job).hex) == [("SCHEDULED",)]
    context.close()


def test_it_opens_a_briefcase_job_never_visited_with_the_device_offline(browser, own_server):
    context, page = engineer_phone(browser, own_server)
    job = job_id(own_server, "Beijing Union Hospital")
    context.set_offline(True)
    page.goto(f"{own_server.url}/jobs/{job}")
    expect(page.get_by_text("Beijing Union Hospital")).to_be_visible()
    expect(page.locator("[data-connectivity]")).to_contain_text("Offline")
    context.close()


def test_it_does_not_duplicate_a_change_whose_response_was_lost(browser, own_server):
    context, page = engineer_phone(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")

    def lose_response(route):
        route.fetch()  # the server commits...
        route.abort()  # ...and the phone never hears back

    context.route("**/contact", lose_response, times=1)
    page.goto(f"{own_server.url}/jobs/{job}")
    fill_contact(page)
    expect(page.get_by_test_id("saved-on-phone")).to_be_visible()
    wait_until(
        lambda: contact_events(own_server, job),
        what="the first send stored",
        timeout=15,
        sleep=page_sleep(page),
    )
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)  # resent, replayed, done
    assert contact_events(own_server, job) == 1
    (replays,) = query(own_server, "SELECT count(*) FROM idempotency_record")[0]
    assert replays >= 1
    context.close()


def test_it_shows_a_refused_change_with_the_servers_reason_until_a_person_decides(browser, own_server):
    context, page = engineer_phone(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")
    page.goto(f"{own_server.url}/jobs/{job}")
    fill_contact(page, date="2030-01-15")  # beyond the zone's limit, and no negotiated reason
    failed = page.locator("[data-outbox-pending] .outbox-item.is-failed")
    expect(failed).to_contain_text("The latest date for this zone is")
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    page.reload()
    expect(page.locator("[data-outbox-pending] .outbox-item.is-failed")).to_have_count(1)  # never dropped
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("[data-outbox-pending] .outbox-item.is-failed").get_by_role("button", name="Discard").click()
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    assert contact_events(own_server, job) == 0
    context.close()


def test_it_warns_before_signing_out_with_unsent_changes(browser, own_server):
    context, page = engineer_phone(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")
    page.goto(f"{own_server.url}/jobs/{job}")
    own_server.stop()
    fill_contact(page)
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    page.locator(".usermenu summary").click()
    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.dismiss()))  # "Cancel"
    page.get_by_test_id("sign-out").click()
    wait_until(lambda: warnings, what="the sign-out warning", sleep=page_sleep(page))
    assert "1 change is not sent yet" in warnings[0]
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    assert page.url.endswith(f"/jobs/{job}")  # still signed in, the change still queued
    context.close()


def test_it_keeps_queued_work_across_a_browser_restart_while_offline(browser, own_server, tmp_path):
    profile = tmp_path / "profile"
    context, page = persistent_phone(browser.browser_type, profile)
    sign_in(page, own_server.url, "engineer")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs?"), timeout=30_000)
    job = job_id(own_server, "Haidian Middle School")
    page.goto(f"{own_server.url}/jobs/{job}")  # opened on the way, while there is still signal
    expect(page.get_by_test_id("job-state")).to_be_visible()
    own_server.stop()
    page.reload()
    fill_contact(page)
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    context.close()  # the engineer closes the browser (or the phone restarts) with no signal

    context, page = persistent_phone(browser.browser_type, profile)
    response = page.goto(f"{own_server.url}/jobs/{job}")
    assert response.status == 200 and response.from_service_worker
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    own_server.start()
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    assert contact_events(own_server, job) == 1
    context.close()


def test_it_replays_queued_work_after_the_engineer_signed_in_again_elsewhere_on_the_phone(browser, own_server):
    """Signing in issues a new CSRF token bound to the new session: a page still holding the old token gets
    "form expired" on replay, fetches the current token and sends the change once (same origin, so no refusal)."""
    context, page = engineer_phone(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")
    page.goto(f"{own_server.url}/jobs/{job}")
    page.route(re.compile(r".*/contact$"), lambda route: route.abort("internetdisconnected"))
    fill_contact(page)
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    old_token = page.locator('meta[name="csrf-token"]').get_attribute("content")

    other = context.new_page()
    other.goto(f"{own_server.url}/jobs/mine")
    other.locator(".usermenu summary").click()
    other.once("dialog", lambda dialog: dialog.accept())  # "1 change is not sent yet … Sign out?"
    other.get_by_test_id("sign-out").click()
    expect(other).to_have_url(f"{own_server.url}/login")
    sign_in(other, own_server.url, "engineer")
    expect(other).to_have_url(f"{own_server.url}/jobs/mine")
    assert other.locator('meta[name="csrf-token"]').get_attribute("content") != old_token

    page.unroute(re.compile(r".*/contact$"))
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    assert contact_events(own_server, job) == 1
    context.close()
