"""The briefcase on the engineer's phone: a sync fetches again the pages of a job that changed (its job page and
its checklist) and nothing of the jobs that did not.

No sleeps: each step waits for its own signal. A change is known saved when the page that sent it has reloaded
with the server's view; a sync is known to follow the change when its stamp (``data-synced-at``, the phone's time
when the sync asked for the manifest) is later than a moment taken after the change was saved."""

import re

from playwright.sync_api import expect

from tests.helpers.browser import engineer_phone, fill_contact, phone_with_outbox, sign_in
from tests.helpers.servers import job_id

JOB_PAGE = re.compile(r"/(jobs|visits)/[0-9a-f-]{36}$")  # one job's pages (the lists have versions of their own)
SAVED_MS = 30_000  # a change through the outbox: queued, sent, and the page reloaded with the server's view
SYNC_MS = 30_000
NOW = "new Date().toISOString()"  # the phone's clock, as the briefcase stamps a sync
SYNCED_AFTER = "before => (document.querySelector('[data-briefcase]')?.dataset.syncedAt || '') > before"
KEPT_COPY = """async url => {
  const copy = await (await caches.open('briefcase')).match(url);
  return copy ? await copy.text() : null; }"""


def _count_job_page_fetches(context, base_url: str) -> list[str]:
    """The job pages the briefcase fetches from now on. Not counted: page loads (the service worker fetches
    those: ``service_worker`` is set on its requests) and the redirect an outbox post answers with (reported as
    a request of its own, ``redirected_from`` the post, though the outbox does not follow it)."""
    fetched = []

    def count(request) -> None:
        made_by_page = request.service_worker is None and request.redirected_from is None
        if (
            made_by_page
            and request.resource_type == "fetch"
            and request.method == "GET"
            and JOB_PAGE.search(request.url)
        ):
            fetched.append(request.url.removeprefix(base_url))

    context.on("request", count)
    return fetched


def _state_in(html: str) -> str:
    return re.search(r'data-testid="job-state">([^<]+)<', html).group(1)


def _sync_after(page, before: str) -> None:
    page.wait_for_function(SYNCED_AFTER, arg=before, timeout=SYNC_MS)
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs"))


def test_a_sync_fetches_again_both_pages_of_a_job_the_office_changed_and_nothing_else(browser, own_server):
    context, page = engineer_phone(browser, own_server)  # on My jobs, every assigned job's pages on the phone
    changed = job_id(own_server, "Haidian Middle School")
    fetched = _count_job_page_fetches(context, own_server.url)

    office, desk = phone_with_outbox(browser)  # the coordinator corrects the site contact of one job
    sign_in(desk, own_server.url, "coordinator")
    expect(desk).not_to_have_url(re.compile(r"/login$"))
    desk.goto(f"{own_server.url}/jobs/{changed}")
    desk.get_by_text("Edit site and contact details").click()
    desk.get_by_label("Contact person").fill("Ms. Qian Li")
    with desk.expect_navigation(timeout=SAVED_MS):  # sent, then the page shows the server's view
        desk.get_by_role("button", name="Save details").click()
    expect(desk.get_by_text("Ms. Qian Li").first).to_be_visible()
    office.close()
    assert fetched == []  # the phone has not synced since

    before = page.evaluate(NOW)
    page.reload()  # opening the app syncs the briefcase
    _sync_after(page, before)
    assert sorted(fetched) == sorted([f"/jobs/{changed}", f"/visits/{changed}"])  # once each, and nothing else
    assert "Ms. Qian Li" in page.evaluate(KEPT_COPY, f"{own_server.url}/jobs/{changed}")
    context.close()


def test_a_change_sent_from_the_job_page_brings_both_its_pages_again_and_nothing_else(browser, own_server):
    context, page = engineer_phone(browser, own_server)
    changed = job_id(own_server, "Haidian Middle School")
    fetched = _count_job_page_fetches(context, own_server.url)
    page.goto(f"{own_server.url}/jobs/{changed}")  # this load starts a sync, which may run on as the change is sent
    with page.expect_navigation(timeout=SAVED_MS):  # the outbox sent it, then the page reloads with the server's view
        fill_contact(page)
    expect(page.get_by_test_id("job-state")).to_have_text("Scheduled")
    # The reloaded page's own sync (it asked for the manifest after the change) fetches the checklist, not this
    # page: the service worker has just kept it.
    _sync_after(page, page.evaluate("new Date(performance.timeOrigin).toISOString()"))
    assert f"/visits/{changed}" in fetched and f"/jobs/{changed}" not in fetched, fetched
    # The briefcase's own copy of the job page is still the one from before the change: the next sync, from
    # another page, fetches it (and nothing else).
    before = page.evaluate(NOW)
    page.goto(f"{own_server.url}/jobs/mine")
    _sync_after(page, before)
    assert sorted(set(fetched)) == sorted([f"/jobs/{changed}", f"/visits/{changed}"]), fetched
    assert fetched.count(f"/jobs/{changed}") == 1
    assert _state_in(page.evaluate(KEPT_COPY, f"{own_server.url}/jobs/{changed}")) == "Scheduled"
    context.close()
