"""Browser tests: the real server (uvicorn, fresh SQLite with demo data) and Debian's Chromium."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, ConsoleErrors
from tests.helpers.env import require
from tests.helpers.servers import LiveServer

# Two cores run two browsers and two servers at once in CI: an htmx fragment may take seconds to come back.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # the slowest takes about 30 s on two loaded cores: a browser test still running after 2 min hangs
            item.add_marker(pytest.mark.timeout(120))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("server"))
    live.start()
    yield live
    live.stop()


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own, which the test stops and starts."""
    live = LiveServer(tmp_path).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"Chromium is missing at {CHROMIUM}: `make test` installs it with apt.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="en-US")
    yield context
    context.close()


@pytest.fixture
def page(context, console_errors):
    page = context.new_page()
    console_errors.attach(page)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def axe_page(browser):
    """A page whose context bypasses CSP, so the vendored axe-core script can be injected."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()
