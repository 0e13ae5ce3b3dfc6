"""The briefcase on the engineer's phone: a sync fetches only the jobs that changed since the last one."""

import re

from playwright.sync_api import expect

from tests.helpers.browser import engineer_phone, fill_contact
from tests.helpers.servers import job_id

JOB_PAGE = re.compile(r"/(jobs|visits)/[0-9a-f-]{36}$")


def test_a_sync_fetches_only_the_pages_of_the_job_that_changed(browser, own_server):
    context, page = engineer_phone(browser, own_server)  # every assigned job's pages are on the phone
    changed = job_id(own_server, "Haidian Middle School")
    fetched = []  # pages the briefcase fetched (page loads are the service worker's, not counted)

    def count(request) -> None:
        if request.method == "GET" and request.resource_type == "fetch" and JOB_PAGE.search(request.url):
            fetched.append(request.url.removeprefix(own_server.url))

    context.on("request", count)
    page.goto(f"{own_server.url}/jobs/{changed}")
    fill_contact(page)  # a new version of this one job, made through the app
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    before = page.evaluate("new Date().toISOString()")  # the phone's clock, as the briefcase stamps a sync
    page.goto(f"{own_server.url}/jobs/mine")  # opening the app syncs the briefcase
    # a sync that ended after this moment (a new page first shows the stamp of the last sync, whenever it was)
    page.wait_for_function(
        "before => (document.querySelector('[data-briefcase]')?.dataset.syncedAt || '') > before", arg=before
    )
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs"))
    assert f"/visits/{changed}" in fetched  # the page the engineer did not open came again
    assert set(fetched) <= {f"/jobs/{changed}", f"/visits/{changed}"}, fetched  # and nothing of the others
    context.close()
