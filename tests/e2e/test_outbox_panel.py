"""What the engineer sees of the outbox on a small phone (360 px): the ⇅ counter says in words how many changes
wait, opens the list of waiting items, and "All changes sent" shows for a moment once they are through."""

import re
import uuid

from playwright.sync_api import expect

from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER, fill_contact, serious_accessibility_violations, sign_in
from tests.helpers.servers import contact_events, job_id, query

SMALL_PHONE = {"width": 360, "height": 740}


def small_phone(browser, server):
    context = browser.new_context(viewport=SMALL_PHONE, has_touch=True, locale="en-US", bypass_csp=True)  # for axe
    context.add_init_script("window.__OUTBOX_INTERVAL_MS = 300")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, server.url, "engineer")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs"), timeout=30_000)
    return context, page


def test_it_names_the_waiting_changes_lists_them_and_says_when_all_are_sent(browser, own_server):
    context, page = small_phone(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")
    (number,) = query(own_server, "SELECT number FROM job WHERE id = ?", uuid.UUID(job).hex)[0]
    page.goto(f"{own_server.url}/jobs/{job}")
    counter = page.get_by_test_id("sync-summary")
    expect(counter).to_have_accessible_name("0 changes waiting to be sent")
    box = counter.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    fill_contact(page, date="2030-01-15")  # beyond the zone's limit: the server refuses it
    expect(counter).to_have_accessible_name("1 change waiting to be sent")
    counter.tap()
    item = page.get_by_test_id("outbox-list").locator("[data-outbox-item]")
    expect(item).to_contain_text("Refused by the server: The latest date for this zone is")
    expect(item).to_contain_text("Customer contact")
    expect(item.get_by_role("link", name=f"Job {number}")).to_be_visible()
    page.screenshot(path="/tmp/outbox-refused-360.png")
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Discard").tap()
    expect(counter).to_have_accessible_name("0 changes waiting to be sent")
    expect(page.get_by_text("Nothing is waiting to be sent.")).to_be_visible()
    expect(page.get_by_test_id("all-sent")).to_have_text("")  # nothing was sent

    own_server.stop()
    page.reload()  # from the phone's copy
    fill_contact(page)
    expect(counter).to_have_accessible_name("1 change waiting to be sent")
    counter.tap()
    expect(item).to_contain_text("Waiting to be sent")
    expect(item).to_contain_text("queued")
    panel = page.locator(".sync-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= SMALL_PHONE["width"]
    page.screenshot(path="/tmp/outbox-waiting-360.png")
    assert serious_accessibility_violations(page) == []

    own_server.start()
    done = page.get_by_role("status").filter(has_text="All changes sent")
    expect(done).to_be_visible(timeout=15_000)
    page.screenshot(path="/tmp/outbox-all-sent-360.png")
    expect(counter).to_have_accessible_name("0 changes waiting to be sent")
    assert contact_events(own_server, job) == 1
    expect(page.get_by_test_id("all-sent")).to_have_text("", timeout=10_000)  # only for a moment
    context.close()
