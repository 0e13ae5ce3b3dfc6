"""The live board's resume, measured in Chromium through the real board page.

board_resume_ms: a board's stream is cut, a job on it changes, and the board reconnects the way htmx does after
an error (a new stream that starts after the last event id seen): median ms from that reconnection starting to
the changed row shown. The reconnection's own 0.5 s back-off in htmx comes before it and is not counted.
"""

import asyncio
import re
import statistics

import httpx
from playwright.sync_api import sync_playwright

from bench.bench_jobs import signed_in
from bench.harness import BenchServer, emit
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, SSE_OPEN
from tests.helpers.jobs import intake_form
from tests.helpers.waiting import wait_until

ROUNDS = 20
# Times each new stream htmx opens; the bench's own instrument, not the app's.
TIME_RECONNECTS = """() => { const open = htmx.createEventSource;
  htmx.createEventSource = (url) => { window.__reconnectAt = performance.now(); return open(url); }; }"""
CUT = "() => document.querySelector('[sse-connect]')['htmx-internal-data'].sseEventSource.close()"
# Resolves with ms from the reconnection to the row drawn at ``version``.
RECONNECT_AND_WAIT = """([id, version]) => new Promise((resolve) => {
  const shown = () => document.querySelector(`#job-${id}[data-version="${version}"]`);
  const observer = new MutationObserver(() => {
    if (shown()) { observer.disconnect(); resolve(performance.now() - window.__reconnectAt); } });
  observer.observe(document.getElementById("board-rows"), { childList: true, subtree: true });
  const source = document.querySelector("[sse-connect]")["htmx-internal-data"].sseEventSource;
  source.onerror(new Event("error"));  // what the browser does when a stream fails for good
})"""


def change_contact(client: httpx.Client, job_id: str, before: str, after: str) -> int:
    """A coordinator edits the job's contact name; returns the job's new version."""
    base = intake_form()
    fields = {"contact_phone": base["contact_phone"], "site_address": base["site_address"]}
    data = {**fields, **{f"base_{k}": v for k, v in fields.items()}, "contact_name": after, "base_contact_name": before}
    response = client.post(f"/jobs/{job_id}/details", data=data, headers={"x-csrftoken": client.cookies["csrftoken"]})
    assert response.status_code == 303, response.text[:500]
    row = client.get(f"/board/rows/{job_id}").text
    return int(re.search(r'data-version="(\d+)"', row).group(1))


def resume_latencies(url: str, rounds: int = ROUNDS) -> list[float]:
    cookies = asyncio.run(signed_in(url, "coordinator"))
    with httpx.Client(base_url=url, cookies=cookies, timeout=30) as client, sync_playwright() as playwright:
        headers = {"x-csrftoken": client.cookies["csrftoken"]}
        response = client.post("/jobs/", data=intake_form(device_serial="RESUME-1"), headers=headers)
        job_id = response.headers["location"].rsplit("/", 1)[-1]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": k, "value": v, "url": url} for k, v in cookies.items()])
        page = context.new_page()
        page.goto(f"{url}/board")
        page.wait_for_selector(f"#job-{job_id}")
        wait_until(lambda: page.evaluate(SSE_OPEN), what="the board's live stream open")
        page.evaluate(TIME_RECONNECTS)
        samples, name = [], intake_form()["contact_name"]
        for n in range(rounds + 1):  # the first round warms up and is not counted
            page.evaluate(CUT)
            version = change_contact(client, job_id, name, f"Contact {n}")
            name = f"Contact {n}"
            samples.append(page.evaluate(RECONNECT_AND_WAIT, [job_id, version]))
            wait_until(lambda: page.evaluate(SSE_OPEN), what="the board's live stream open")
        browser.close()
    return samples[1:]


def run() -> None:
    with BenchServer() as server:
        emit("board_resume_ms", statistics.median(resume_latencies(server.url)), "ms")
