"""Browser helpers: Debian's Chromium, a phone-sized context with a fast outbox, signing in, axe-core."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from app.core.calendar import WorkingCalendar

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


class ConsoleErrors(list):
    def attach(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.append(message.text))
        page.on("pageerror", lambda error: self.append(str(error)))


def phone_with_outbox(browser):
    """A phone-sized browser whose outbox retries every 300 ms instead of every 30 s."""
    context = browser.new_context(viewport=PHONE, has_touch=True)
    context.add_init_script("window.__OUTBOX_INTERVAL_MS = 300")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def choose_photos(page, step: str, *files: Path) -> None:
    """Chooses photos for a checklist step once its input is listened to: the page adds its listener after reading
    the outbox, and a photo chosen before would be lost (as a hurried tap would be: the input is ready in a blink)."""
    chooser = page.get_by_test_id(f"photo-input-{step}")
    expect(chooser).to_have_attribute("data-ready", "")
    chooser.set_input_files([str(file) for file in files])


ZIGZAG = [(0.06, 0.66), (0.18, 0.22), (0.33, 0.78), (0.5, 0.28), (0.68, 0.72), (0.85, 0.33)]  # of the pad's box


def draw_signature(page, pad) -> None:
    """A customer's zigzag on a signature pad, once the pad is ready: a pad shown with its panel is fitted to its
    width a moment later, and fitting clears what was drawn before."""
    expect(pad).to_have_attribute("data-ready", "")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    at = [(box["x"] + box["width"] * x, box["y"] + box["height"] * y) for x, y in ZIGZAG]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=5)
    page.mouse.up()


class ServerLink:
    """The phone's way to the server, which a test cuts and mends while the phone believes it is online.

    Its route is installed on the context before any page or service worker exists, so a cut holds at once
    for every request, the service worker's own included. A route added later, with the service worker
    already running, once let a queued change through before it took hold (the offline test then saw it
    arrive before the office's edit)."""

    def __init__(self, context) -> None:
        self.is_cut = False
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        if self.is_cut:
            route.abort("connectionrefused")
        else:
            route.fallback()

    def cut(self) -> None:
        self.is_cut = True

    def mend(self) -> None:
        self.is_cut = False


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


def sign_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_label("Username")).to_be_visible()


AXE = Path(__file__).resolve().parents[1] / "e2e" / "vendor" / "axe-4.14.1.min.js"


def serious_accessibility_violations(page) -> list[str]:
    """Runs axe-core in the page; returns the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations.map(v => [v.impact, v.id, v.help])")
    return [f"{impact}: {rule} ({text})" for impact, rule, text in result if impact in {"serious", "critical"}]


def page_sleep(page):
    """A pause for ``wait_until`` that lets the page's events (dialogs, console) keep arriving."""
    return lambda seconds: page.wait_for_timeout(seconds * 1000)


def engineer_phone(browser, server):
    context, page = phone_with_outbox(browser)
    sign_in(page, server.url, "engineer")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs?"), timeout=30_000)
    return context, page


def fill_contact(page, date: str = "") -> None:
    from tests.helpers.browser import next_visit_day

    page.get_by_label("Person spoken to").fill("Mr. Zhao")
    page.get_by_label("Visit date").fill(date or next_visit_day())
    page.get_by_label("From", exact=True).fill("10:00")
    page.get_by_label("To", exact=True).fill("12:00")
    page.get_by_role("button", name="Save contact").click()


SSE_OPEN = """() => { const el = document.querySelector('[sse-connect]');
  const data = el && el['htmx-internal-data'];
  return !!(data && data.sseEventSource && data.sseEventSource.readyState === 1); }"""


def next_visit_day() -> str:
    calendar = WorkingCalendar()
    return calendar.local_date(calendar.next_working_start(datetime.now(UTC) + timedelta(hours=16))).isoformat()
