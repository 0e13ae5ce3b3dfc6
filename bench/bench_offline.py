"""The engineer's phone offline, measured in Chromium through the real pages.

first_load_kb: bytes transferred (compressed) on the first load of the engineer's home page.
briefcase_50_jobs_cold_s: time to cache the briefcase of 50 assigned jobs, the server's first job and checklist
pages since it started (its templates and statements not yet compiled).
briefcase_50_jobs_s: the same for 50 other jobs on a server that has drawn such pages before (as one does that has
been running), the phone's briefcase emptied first.
offline_shell_ms: with the device offline, navigation start to the page shown by the service worker.
replay_actions_per_s: 500 queued actions (50 of them photos of about 400 KB) replayed to a local server.
replay_server_cpu_ms: the server's CPU time per replayed action (a figure the machine's load hardly moves).
briefcase_1000_jobs_s: time to cache the briefcase of 1,000 assigned jobs (2,002 pages), from nothing.
briefcase_1000_server_cpu_s: the server's CPU time for it (one process draws the pages).
briefcase_resync_1000_s: the next sync after 10 of those jobs changed (only their pages are fetched again);
briefcase_resync_pages: how many pages that sync fetched.
"""

import sqlite3
import time
import uuid

from playwright.sync_api import sync_playwright

from bench.harness import BenchServer, emit, server_cpu_seconds
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, PHONE

WAIT_FOR_SERVICE_WORKER = """async () => { await navigator.serviceWorker.ready;
  const deadline = Date.now() + 15000;
  while (!navigator.serviceWorker.controller && Date.now() < deadline) await new Promise(r => setTimeout(r, 50)); }"""


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", "engineer")
    page.fill("#password", "onsite-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/jobs/mine")


def assign_jobs(db_path, count: int, first: int = 0) -> list[str]:
    """Copies a demo job ``count`` times, assigned to the demo engineer (a bulk fixture, not the app's path)."""
    with sqlite3.connect(db_path) as db:
        engineer = db.execute("SELECT id FROM user_account WHERE username = 'engineer'").fetchone()[0]
        columns = [row[1] for row in db.execute("PRAGMA table_info(job)")]
        template = dict(zip(columns, db.execute("SELECT * FROM job LIMIT 1").fetchone(), strict=True))
        ids = []
        for n in range(first, first + count):
            row = {
                **template,
                "id": uuid.uuid4().hex,
                "number": f"BENCH-{n:04d}",
                "engineer_id": engineer,
                "state": "ASSIGNED",
                "is_open": 1,
            }
            db.execute(f"INSERT INTO job ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
            ids.append(str(uuid.UUID(row["id"])))
    return ids


def transferred_kb(page, url: str) -> float:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    sizes: dict[str, int] = {}
    session.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    return sum(sizes.values()) / 1024


def sample_photo() -> list[int]:
    """A photo as the phone sends it after shrinking: 2048 px on the long side, JPEG, a few hundred KB."""
    import io

    from PIL import Image, ImageFilter

    image = Image.effect_noise((2048, 1536), 60).filter(ImageFilter.GaussianBlur(1.7)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return list(buffer.getvalue())


def queue_actions(page, job_id: str, visit_job_id: str, count: int, photos: int) -> None:
    """``count`` outbox items, every (count / photos)-th one a photo for the visit of ``visit_job_id``."""
    page.evaluate(
        """async ([jobId, visitJobId, count, photos, bytes]) => {
      const store = await import('/static/js/outbox-store.js');
      const photo = new Blob([new Uint8Array(bytes)], {type: 'image/jpeg'});
      const every = Math.floor(count / photos);
      for (let n = 0; n < count; n++) {
        const item = {id: crypto.randomUUID(), key: crypto.randomUUID(), method: 'POST', label: 'bench',
          createdAt: new Date(Date.now() + n).toISOString(), status: 'pending', attempts: 0, error: ''};
        if (n % every === 0) {
          Object.assign(item, {url: `/visits/${visitJobId}/photos`, jobId: visitJobId,
            fields: [['id', crypto.randomUUID()], ['step', 'warranty']],
            files: [{name: 'photo', filename: `p${n}.jpg`, type: 'image/jpeg', blob: photo}]});
        } else {
          Object.assign(item, {url: `/jobs/${jobId}/escalate`, jobId, files: [],
            fields: [['level', 'L4'], ['symptoms', 'question ' + n], ['actions_taken', 'none']]});
        }
        await store.putItem(item);
      }
    }""",
        [job_id, visit_job_id, count, photos, sample_photo()],
    )


REFRESH = """async (force) => (await import('/static/js/briefcase.js'))
  .refreshBriefcase(document.querySelector('[data-briefcase]'), {force})"""


def change_jobs(db_path, ids: list[str]) -> None:
    """A new version of each job, as any change made through the app gives it."""
    with sqlite3.connect(db_path) as db:
        db.executemany("UPDATE job SET version = version + 1 WHERE id = ?", [(uuid.UUID(i).hex,) for i in ids])


def big_briefcase(browser, server, jobs: list[str]) -> None:
    """The briefcase of 1,000 jobs from nothing (a fresh phone), then the next sync after 10 of them changed."""
    jobs = jobs + assign_jobs(server.var_dir / "bench.db", 1000 - len(jobs), first=100)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    started, cpu = time.perf_counter(), server_cpu_seconds(server)
    sign_in(page, server.url)  # opening the app starts the briefcase's sync
    page.wait_for_selector("[data-briefcase][data-synced-at]", state="attached", timeout=600_000)
    emit("briefcase_1000_jobs_s", time.perf_counter() - started, "s")
    emit("briefcase_1000_server_cpu_s", server_cpu_seconds(server) - cpu, "s")
    change_jobs(server.var_dir / "bench.db", jobs[100:110])
    fetched = []
    context.on("request", lambda r: r.resource_type == "fetch" and r.method == "GET" and fetched.append(r.url))
    started = time.perf_counter()
    page.evaluate(REFRESH, False)
    emit("briefcase_resync_1000_s", time.perf_counter() - started, "s")
    emit("briefcase_resync_pages", len([url for url in fetched if "/sync/briefcase" not in url]), "pages")
    context.close()


def hand_to_another_engineer(db_path, ids: list[str]) -> None:
    """The jobs leave the demo engineer's list (and so their briefcase)."""
    with sqlite3.connect(db_path) as db:
        (other,) = db.execute("SELECT id FROM user_account WHERE username = 'engineer2'").fetchone()
        db.executemany("UPDATE job SET engineer_id = ? WHERE id = ?", [(other, uuid.UUID(i).hex) for i in ids])


def time_briefcase(page) -> float:
    """Seconds to fill the briefcase from nothing (every page fetched again)."""
    started = time.perf_counter()
    page.evaluate(REFRESH, True)
    return time.perf_counter() - started


def ready_for_the_visit(db_path, job_id: str) -> None:
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE job SET state = 'SCHEDULED' WHERE id = ?", (uuid.UUID(job_id).hex,))


def run() -> None:
    with BenchServer() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{server.url}/login")
        page.fill("#username", "engineer")
        page.fill("#password", "onsite-demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/jobs/mine")
        context.clear_cookies()  # a genuinely first load: nothing cached, signed in again
        fresh = browser.new_context(viewport=PHONE)
        first = fresh.new_page()
        first.goto(f"{server.url}/login")
        first.fill("#username", "engineer")
        first.fill("#password", "onsite-demo")
        first.click("button[type=submit]")
        emit("first_load_kb", transferred_kb(first, f"{server.url}/jobs/mine"), "KB")
        fresh.close()

        first = assign_jobs(server.var_dir / "bench.db", 50)
        sign_in(page, server.url)
        page.evaluate(WAIT_FOR_SERVICE_WORKER)
        emit("briefcase_50_jobs_cold_s", time_briefcase(page), "s")
        hand_to_another_engineer(server.var_dir / "bench.db", first)
        jobs = assign_jobs(server.var_dir / "bench.db", 50, first=50)
        emit("briefcase_50_jobs_s", time_briefcase(page), "s")

        context.set_offline(True)
        page.goto(f"{server.url}/jobs/{jobs[7]}")
        shell_ms = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        emit("offline_shell_ms", shell_ms, "ms")
        context.set_offline(False)

        page.goto(f"{server.url}/jobs/mine")
        ready_for_the_visit(server.var_dir / "bench.db", jobs[1])
        queue_actions(page, jobs[0], jobs[1], 500, 50)
        started, cpu = time.perf_counter(), server_cpu_seconds(server)
        result = page.evaluate("async () => (await import('/static/js/outbox.js')).flush().then(r => r.pending)")
        elapsed, cpu = time.perf_counter() - started, server_cpu_seconds(server) - cpu
        assert result == 0, f"{result} actions were not replayed"
        with sqlite3.connect(server.var_dir / "bench.db") as db:
            (stored,) = db.execute(
                "SELECT count(*) FROM visit_photo WHERE job_id = ?", (uuid.UUID(jobs[1]).hex,)
            ).fetchone()
        assert stored == 50, f"{stored} of 50 photos stored"
        emit("replay_500_actions_s", elapsed, "s")
        emit("replay_actions_per_s", 500 / elapsed, "actions/s")
        emit("replay_server_cpu_ms", cpu * 1000 / 500, "ms/action")
        big_briefcase(browser, server, jobs)
        browser.close()
