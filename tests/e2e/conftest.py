"""Browser tests: the real server (uvicorn, fresh SQLite with demo data) and Debian's Chromium."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.servers import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "onsite-demo"
# For page.evaluate: waits until the service worker is active and controls the page (it then keeps what is visited).
WAIT_FOR_SERVICE_WORKER = """async () => {
  const registration = await Promise.race([navigator.serviceWorker.ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no service worker after 15 s')), 15000))]);
  const deadline = Date.now() + 15000;
  while (!navigator.serviceWorker.controller && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
  return registration.active.state;
}"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


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
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; `make test` installs it with apt.")
        pytest.skip(f"Chromium is missing at {CHROMIUM}: run `sudo apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleErrors(list):
    def attach(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.append(message.text))
        page.on("pageerror", lambda error: self.append(str(error)))


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


def phone_with_outbox(browser):
    """A phone-sized browser whose outbox retries every 300 ms instead of every 30 s."""
    context = browser.new_context(viewport=PHONE, has_touch=True)
    context.add_init_script("window.__OUTBOX_INTERVAL_MS = 300")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def persistent_phone(playwright, profile, *args: str, **options):
    """``phone_with_outbox`` with its profile kept on disk: closing it and launching it again is a browser
    restart. ``args`` go to Chromium after the usual ones."""
    context = playwright.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, *args],
        viewport=PHONE,
        has_touch=True,
        **options,
    )
    context.add_init_script("window.__OUTBOX_INTERVAL_MS = 300")
    page = context.pages[0]
    page.set_default_timeout(10_000)
    return context, page


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def serious_accessibility_violations(page) -> list[str]:
    """Runs axe-core in the page; returns the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations.map(v => [v.impact, v.id, v.help])")
    return [f"{impact}: {rule} ({text})" for impact, rule, text in result if impact in {"serious", "critical"}]


@pytest.fixture
def axe_page(browser):
    """A page whose context bypasses CSP, so the vendored axe-core script can be injected."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()
