"""The first service worker: visited pages and a friendly offline page without a network."""

from playwright.sync_api import expect

from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER, sign_in


def test_it_shows_the_offline_page_when_the_server_cannot_be_reached(context, page, server, console_errors):
    sign_in(page, server.url, "engineer")
    expect(page).to_have_url(f"{server.url}/jobs/mine")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    page.reload()  # this visit is now kept by the service worker
    context.route("**/*", lambda route: route.abort("connectionrefused"))
    page.goto(f"{server.url}/never/visited")
    expect(page.get_by_test_id("offline-page")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.goto(f"{server.url}/jobs/mine")
    expect(page.get_by_role("heading", level=1)).to_have_text("My jobs")


def test_it_shows_the_device_going_offline_and_back(context, page, server):
    sign_in(page, server.url, "clerk")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    page.reload()  # kept by the service worker from now on
    indicator = page.locator("[data-connectivity]")
    expect(indicator).to_contain_text("Online")
    context.set_offline(True)
    expect(indicator).to_contain_text("Offline")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parts counter")
    context.set_offline(False)
    expect(indicator).to_contain_text("Online")
