"""checklist_html_kb (the checklist page as sent, compressed) and photo_upload_kb (a 4608x1976 photo's upload
after the phone-side downscale, measured in Chromium through the real page)."""

import io
import re
import tempfile
from pathlib import Path

import httpx
from PIL import Image, ImageChops

from bench.harness import BenchServer, emit
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, PHONE

IN_PROGRESS = "Beijing Union Lab"  # the demo visit whose current step takes photos


def wide_photo() -> bytes:
    """A 4608x1976 JPEG at quality 92 with sensor-like noise, as a phone's wide mode takes it."""
    size = (4608, 1976)
    noise = Image.effect_noise(size, 30)
    across = Image.linear_gradient("L").rotate(90).resize(size)
    scene = Image.merge("RGB", (ImageChops.add(noise, across, 2), noise, across))
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def signed_in_client(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    client.get("/login")
    client.post(
        "/login",
        data={"username": "engineer", "password": DEMO_PASSWORD},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
    return client


def visit_url(client: httpx.Client) -> str:
    page = client.get("/jobs/mine").text
    card = page[page.index(IN_PROGRESS) - 3000 : page.index(IN_PROGRESS)]
    job_id = re.findall(r"/jobs/([0-9a-f-]{36})", card)[-1]
    return f"/visits/{job_id}"


def checklist_html_kb(client: httpx.Client, url: str) -> float:
    response = client.get(url, headers={"accept-encoding": "br, gzip"})
    response.raise_for_status()
    return response.num_bytes_downloaded / 1024


def photo_upload_kb(base_url: str, url: str) -> float:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="onsite-bench-") as folder, sync_playwright() as playwright:
        photo = Path(folder) / "wide.jpg"
        photo.write_bytes(wide_photo())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(f"{base_url}/login")
        page.get_by_label("Username").fill("engineer")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/jobs/mine")
        page.goto(base_url + url)
        with page.expect_request(lambda r: r.url.endswith("/photos") and r.method == "POST") as request:
            page.locator("[data-photo-input]").first.set_input_files(str(photo))
        page.locator("[data-thumbs] img").first.wait_for()
        size = int(request.value.all_headers()["content-length"])
        browser.close()
    return size / 1024


def run() -> None:
    with BenchServer() as server:
        client = signed_in_client(server.url)
        url = visit_url(client)
        emit("checklist_html_kb", checklist_html_kb(client, url), "KB")
        emit("photo_upload_kb", photo_upload_kb(server.url, url), "KB")
