"""Browser tests for parts: camera scanning of a rendered label, manual entry, lending at the counter."""

import io
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, serious_accessibility_violations, sign_in
from tests.helpers.servers import LiveServer

UNIT = "U2PSUAAA"  # demo data: app/demo/parts.py


@pytest.fixture(scope="module")
def parts_server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("parts-server"))
    live.start()
    yield live
    live.stop()


def write_y4m(path, luma: np.ndarray, frames: int = 3) -> None:
    """A Y4M video of identical grey frames, for Chromium's fake camera."""
    h, w = luma.shape
    grey = bytes([128]) * ((w // 2) * (h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _i in range(frames):
            f.write(b"FRAME\n" + np.ascontiguousarray(luma, np.uint8).tobytes() + grey + grey)


def rendered_label(page, server) -> Image.Image:
    """The unit's label as the browser renders it on the printed label sheet (the screen preview is scaled down)."""
    page.emulate_media(media="print")
    page.goto(f"{server.url}/parts/labels")
    label = page.locator(".label", has_text=UNIT)
    png = label.locator("svg").screenshot(scale="device")
    return Image.open(io.BytesIO(png)).convert("L")


def centred(image: Image.Image) -> np.ndarray:
    frame = Image.new("L", (640, 480), 255)
    frame.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
    return np.asarray(frame)


def scan_with_fake_camera(browser, server, video) -> tuple[str, str]:
    """An engineer scans with a camera showing ``video``; returns the unit page's code and serial."""
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera.new_context(viewport=PHONE, permissions=["camera"])
        phone = context.new_page()
        errors = []
        phone.on("pageerror", lambda error: errors.append(str(error)))
        phone.on("console", lambda m: m.type == "error" and "favicon" not in m.text and errors.append(m.text))
        sign_in(phone, server.url, "engineer")
        phone.goto(f"{server.url}/parts/scan")
        phone.get_by_role("button", name="Start the camera").click()
        expect(phone).to_have_url(re.compile(r"/u/[A-Z0-9]{8}$"), timeout=20_000)
        assert errors == []
        return phone.get_by_test_id("unit-code").text_content(), phone.get_by_test_id("unit-serial").text_content()
    finally:
        camera.close()


def test_it_scans_a_rendered_label_with_the_camera_and_opens_the_unit(browser, page, parts_server, tmp_path):
    sign_in(page, parts_server.url, "clerk")
    image = rendered_label(page, parts_server)
    image = image.resize((image.width * 240 // image.height, 240), Image.NEAREST)
    video = tmp_path / "label.y4m"
    write_y4m(video, centred(image))
    assert scan_with_fake_camera(browser, parts_server, video)[0] == UNIT


@pytest.mark.parametrize(
    ("fmt", "serial", "scale"),
    [("Code128", "PSU450-A0002", 1), ("EAN13", "4006381333931", 1), ("DataMatrix", "MBXR-77001", 6)],
)
def test_it_reads_a_manufacturers_serial_barcode_and_opens_the_unit(
    browser, parts_server, tmp_path, fmt, serial, scale
):
    import zxingcpp

    options = {"force_square": True} if fmt == "DataMatrix" else {}
    symbol = zxingcpp.create_barcode(serial, getattr(zxingcpp.BarcodeFormat, fmt), **options)
    image = Image.fromarray(np.asarray(symbol.to_image(scale=3))).convert("L")
    image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    video = tmp_path / f"{fmt}.y4m"
    write_y4m(video, centred(image))
    assert scan_with_fake_camera(browser, parts_server, video)[1] == serial


def test_it_opens_a_unit_from_a_code_typed_by_hand(page, parts_server):
    sign_in(page, parts_server.url, "engineer")
    page.goto(f"{parts_server.url}/parts/scan")
    page.get_by_label("Code, serial or part number").fill("u2psuaab")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_test_id("unit-code")).to_have_text("U2PSUAAB")
    page.goto(f"{parts_server.url}/parts/scan")
    page.get_by_label("Code, serial or part number").fill("HTTPS://ELSEWHERE.EXAMPLE/ASSET/9")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("This label is not an Onsite label")).to_be_visible()


def _lend(page, job_index: int, code: str, reason: str = "") -> None:
    """``job_index`` counts the options of the Job list; option 0 is "Choose the job"."""
    form = page.get_by_role("region", name="Lend parts")
    form.get_by_label("Job", exact=True).select_option(index=job_index)
    form.get_by_label("Unit codes (scan or type, one per line)").fill(code)
    expect(form.get_by_test_id("codes-preview")).to_contain_text(
        code, timeout=15_000
    )  # the clerk reads the part, then ticks
    form.get_by_label("Packaging sealed").check()
    if reason:
        form.get_by_label("Reason for an exception").fill(reason)
    form.get_by_role("button", name="Lend").click()


def test_it_lends_and_takes_back_at_the_counter_with_return_before_borrow(page, parts_server):
    sign_in(page, parts_server.url, "clerk")
    page.goto(f"{parts_server.url}/parts/counter")
    page.get_by_label("Engineer", exact=True).select_option(label="Li Wei")
    page.get_by_role("button", name="Open").click()
    _lend(page, 1, "U2PSUAAC")
    expect(page.get_by_text(re.compile(r"Lent for job .*: PSU-450 Power supply 450 W \(serial"))).to_be_visible()
    expect(page.get_by_test_id("held")).to_contain_text("U2PSUAAC")
    _lend(page, 2, "U2FANAAA")
    expect(page.get_by_test_id("form-error")).to_contain_text("must be returned before the next is borrowed")
    back = page.get_by_role("region", name="Take a part back")
    back.get_by_label("Unit code").fill("U2PSUAAC")
    back.get_by_label("Packaging unopened (otherwise the unit goes to quarantine)").check()
    back.get_by_role("button", name="Take back").click()
    expect(page.get_by_text("Unit back in stock; confirm the return on the job.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Confirm the returns of")).click()
    expect(page.get_by_text("1 return confirmed.")).to_be_visible()
    page.get_by_label("Engineer", exact=True).select_option(label="Li Wei")
    page.get_by_role("button", name="Open").click()
    _lend(page, 2, "U2FANAAA")
    expect(page.get_by_test_id("held")).to_contain_text("U2FANAAA")


def test_it_shows_the_parts_gate_on_the_job_while_a_part_is_out(page, parts_server):
    import sqlite3
    import uuid

    with sqlite3.connect(parts_server.var_dir / "e2e.db") as db:  # a unit out on a job, as the counter leaves it
        # The main office's first open onsite job with an engineer, by number: the demo's ids are random, and
        # without an order SQLite's first row was sometimes another office's or a carry-in job's.
        (job_hex, engineer_hex) = db.execute(
            "SELECT job.id, job.engineer_id FROM job JOIN office ON office.id = job.office_id "
            "WHERE office.code = 'MAIN' AND job.job_type = 'ONSITE' AND job.engineer_id IS NOT NULL AND job.is_open "
            "ORDER BY job.number LIMIT 1"
        ).fetchone()
        lent = db.execute(
            "UPDATE part_unit SET status = 'OUT', holder_id = ?, job_id = ?, out_since = "
            "(SELECT created_at FROM job WHERE id = ?) WHERE code = 'U2MBXRAB'",
            (engineer_hex, job_hex, job_hex),
        )
        assert lent.rowcount == 1
    sign_in(page, parts_server.url, "coordinator")
    page.goto(f"{parts_server.url}/jobs/{uuid.UUID(job_hex)}")
    gates = page.locator("[data-gate]")
    expect(gates.filter(has_text="Waiting for the parts clerk to confirm the parts returned.")).to_have_count(1)


def test_it_keeps_the_parts_pages_free_of_serious_accessibility_problems(axe_page, parts_server):
    sign_in(axe_page, parts_server.url, "clerk")
    for path in [
        "/parts/counter",
        "/parts/scan",
        "/parts/catalogue",
        "/parts/stats",
        "/parts/centre",
        f"/u/{UNIT}",
        "/u/P2PSU45A",
    ]:
        assert axe_page.goto(f"{parts_server.url}{path}").status == 200, path
        assert serious_accessibility_violations(axe_page) == [], path
    axe_page.goto(f"{parts_server.url}/parts/counter")
    axe_page.get_by_label("Engineer", exact=True).select_option(label="Li Wei")
    axe_page.get_by_role("button", name="Open").click()
    expect(axe_page.get_by_role("heading", name="Lend parts")).to_be_visible()
    assert serious_accessibility_violations(axe_page) == []
