"""visit_actions: taps, ticks, fields filled and photos picked by the engineer for the demo repair visit, from My
jobs to the end of the checklist on a 360x780 phone (the walk of tests/e2e/test_visit_actions.py). Target <= 35."""

import tempfile
from pathlib import Path

from bench.harness import emit
from tests.e2e.test_visit_actions import SMALL_PHONE, walk_the_demo_repair_visit
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.env import shared_photos
from tests.helpers.servers import LiveServer


def visit_actions() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="onsite-bench-") as folder, sync_playwright() as playwright:
        server = LiveServer(Path(folder)).start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=SMALL_PHONE, has_touch=True, locale="en-US").new_page()
            page.set_default_timeout(30_000)
            return walk_the_demo_repair_visit(page, server, shared_photos()).actions
        finally:
            browser.close()
            server.stop()


def run() -> None:
    emit("visit_actions", visit_actions(), "actions")
