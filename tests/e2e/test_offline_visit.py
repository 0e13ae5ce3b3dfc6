"""A whole repair visit with no signal, then synced exactly once; and an offline edit that meets an office edit.
Chromium keeps a real profile on disk, so closing and relaunching it is a real browser restart."""

import json
import re
import uuid

import pytest
import qrcode
from playwright.sync_api import expect

from tests.e2e.test_parts_scanning import centred, write_y4m
from tests.e2e.test_payment import customer_accepts_the_quote
from tests.e2e.test_visit import (
    arrive_to_reproduce,
    check,
    current,
    diagnose_a_hardware_fault,
    done,
    fill,
    lend_unit,
    open_visit,
    sign_off_and_leave,
    synced,
    upload,
    verify_with_the_customer,
)
from tests.helpers.browser import (
    PHONE,
    WAIT_FOR_SERVICE_WORKER,
    ServerLink,
    persistent_phone,
    phone_with_outbox,
    sign_in,
)
from tests.helpers.env import shared_photos
from tests.helpers.servers import job_id, query

UNIT_CODE = "U7KQ9ZAB"
STEPS = [
    "arrive",
    "enter",
    "warranty",
    "repair_order",
    "reproduce",
    "classify",
    "explain",
    "consent_open",
    "data_risk",
    "authenticity",
    "repair",
    "new_problem",
    "verify",
    "evaluation",
    "signature",
    "cleanup",
]
PHOTOS = 4  # two of the warranty card, one of the fault, one of the repaired device
QUEUED = len(STEPS) + PHOTOS + 1  # every step, every photo, and handing the phone to the customer


def label_video(path, text: str):
    """A fake camera pointed at a part's QR label."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    write_y4m(path, centred(code.make_image().get_image().convert("L")))
    return path


def phone(playwright, profile, video):
    """The engineer's phone, its camera pointed at ``video``; page errors are collected."""
    context, page = persistent_phone(
        playwright,
        profile,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
        permissions=["camera"],
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def walk_the_visit(page, photos) -> None:
    arrive_to_reproduce(page, photos, warranty_photos=True)
    diagnose_a_hardware_fault(page)
    fill(page, **{"Work done": "Replaced the feed roller"})
    current(page).get_by_role("button", name="Start the camera").click()  # the part's label, scanned
    # the scanned label (HTTPS://…/U/<ID>) names the unit lent for the job: its serial, as the server records it
    expect(current(page).get_by_label("Fitted part serial (scan or type)")).to_have_value("ROL-20931", timeout=20_000)
    current(page).get_by_role("button", name="Stop").click()
    done(page, "New problem found")
    verify_with_the_customer(page, photos / "image00971.jpg")
    sign_off_and_leave(page, "Zhao Lan")


def all_still_pending(page) -> None:
    expect(page.get_by_test_id("pending-count")).to_have_text(str(QUEUED))
    expect(page.get_by_test_id("visit-progress")).to_contain_text("Checklist finished")
    expect(page.locator("li.step.is-pending")).to_have_count(len(STEPS))
    expect(page.locator(".thumbs li.is-pending img")).to_have_count(PHOTOS)
    expect(page.locator('li[data-step="repair_order"] .evidence')).to_contain_text("Paper jams")  # as typed


def test_a_whole_repair_visit_done_offline_reaches_the_server_once_after_a_browser_restart(
    browser, own_server, tmp_path
):
    photos = shared_photos()
    lend_unit(own_server, "Chaoyang Print Shop", "ROL-20931", code=UNIT_CODE)
    video = label_video(tmp_path / "label.y4m", f"HTTPS://ONSITE.EXAMPLE/U/{UNIT_CODE}")
    profile = tmp_path / "profile"
    context, page, errors = phone(browser.browser_type, profile, video)
    sign_in(page, own_server.url, "engineer")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    expect(page.get_by_test_id("briefcase")).to_contain_text(re.compile(r"Offline ready: \d+ jobs?"), timeout=30_000)
    job = job_id(own_server, "Chaoyang Print Shop")

    own_server.stop()  # the basement: the phone still believes it is online, nothing answers
    response = page.goto(f"{own_server.url}/visits/{job}")  # never opened before: from the briefcase
    assert response.from_service_worker
    walk_the_visit(page, photos)
    all_still_pending(page)
    page.reload()
    all_still_pending(page)
    context.close()  # the phone is switched off, still in the basement

    context, page, errors = phone(browser.browser_type, profile, video)
    page.goto(f"{own_server.url}/visits/{job}")
    all_still_pending(page)
    own_server.start()  # back upstairs
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=60_000)
    expect(page.get_by_test_id("job-state")).to_have_text("Waiting for parts return")
    assert errors == []
    context.close()

    hex_id = uuid.UUID(job).hex
    steps = query(
        own_server, "SELECT step_key, count(*) FROM visit_step_result WHERE job_id = ? GROUP BY step_key", hex_id
    )
    assert dict(steps) == dict.fromkeys(STEPS, 1)  # every step once: none lost, none twice
    assert query(own_server, "SELECT count(*) FROM visit_photo WHERE job_id = ? AND NOT deleted", hex_id) == [(PHOTOS,)]
    assert query(own_server, "SELECT count(*) FROM customer_signature WHERE job_id = ?", hex_id) == [(1,)]
    (repair,) = query(
        own_server, "SELECT \"values\" FROM visit_step_result WHERE job_id = ? AND step_key = 'repair'", hex_id
    )[0]
    assert json.loads(repair)["fitted_serial"] == "ROL-20931"  # the scanned label named the lent unit
    coordinator = browser.new_context(viewport=PHONE)
    office = coordinator.new_page()
    sign_in(office, own_server.url, "coordinator")
    office.goto(f"{own_server.url}/visits/{job}/report")
    expect(office.get_by_test_id("report-verification")).to_contain_text("Signature valid")
    expect(office.get_by_test_id("report-signer")).to_contain_text("Zhao Lan")
    office.goto(f"{own_server.url}/board")
    expect(office.locator(f"#job-{job}")).to_contain_text("Waiting for parts return")
    coordinator.close()


@pytest.mark.parametrize("offline", ["device", "server"])
def test_an_offline_edit_of_a_field_the_office_also_changed_keeps_both_values_for_a_person(
    browser, own_server, offline
):
    context, page = phone_with_outbox(browser)
    link = ServerLink(context)
    sign_in(page, own_server.url, "engineer")
    job = job_id(own_server, "Haidian Middle School")
    page.goto(f"{own_server.url}/jobs/{job}")
    if offline == "device":
        context.set_offline(True)
    else:
        link.cut()
    page.get_by_text("Edit site and contact details").click()
    page.get_by_label("Contact phone").fill("13900000001")
    page.get_by_label("Site address").fill("2 New Road, Haidian")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    if offline == "server":  # the outbox tries again every 300 ms, and is refused
        context.wait_for_event("requestfailed", lambda request: request.method == "POST")

    office_context = browser.new_context(viewport=PHONE)
    office = office_context.new_page()
    sign_in(office, own_server.url, "coordinator")
    office.goto(f"{own_server.url}/jobs/{job}")
    office.get_by_text("Edit site and contact details").click()
    office.get_by_label("Contact phone").fill("13700000002")
    office.get_by_role("button", name="Save details").click()
    expect(office.get_by_label("Contact phone")).to_have_value("13700000002")

    if offline == "device":
        context.set_offline(False)
    else:
        link.mend()
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    office.reload()
    conflict = office.get_by_test_id("conflicts")
    expect(conflict).to_contain_text("13700000002")
    expect(conflict).to_contain_text("13900000001")  # both values survive, side by side
    expect(office.get_by_text("2 New Road, Haidian").first).to_be_visible()  # the other field merged by itself
    conflict.get_by_role("button", name=re.compile("Use: 13900000001")).click()
    expect(office.get_by_test_id("conflicts")).to_have_count(0)
    assert query(own_server, "SELECT contact_phone FROM job WHERE id = ?", uuid.UUID(job).hex) == [("13900000001",)]
    office_context.close()
    context.close()


def reproduce_with_no_signal(browser, server):
    """The engineer opens the visit with signal, then loses it and walks up to reproducing the fault."""
    context, page = phone_with_outbox(browser)
    open_visit(page, server.url, "Xicheng School")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    context.set_offline(True)
    arrive_to_reproduce(page, shared_photos(), warranty_photos=False)
    return context, page


def test_an_observation_started_with_no_signal_counts_down_on_the_phone(browser, own_server):
    context, page = reproduce_with_no_signal(browser, own_server)
    current(page).get_by_label("Not reproduced", exact=True).check()
    done(page, "Observe for 30 minutes")
    current(page).get_by_test_id("start-timer").click()
    expect(current(page).get_by_role("timer")).to_contain_text(re.compile(r"29:5\d|30:00"))
    expect(current(page).get_by_label("What you observed")).to_be_visible()
    expect(page.get_by_test_id("pending-count")).not_to_have_text("0")
    context.close()


def test_a_paid_repair_is_quoted_and_accepted_with_no_signal(browser, own_server):
    context, page = reproduce_with_no_signal(browser, own_server)
    current(page).get_by_label("Reproduced", exact=True).check()
    done(page, "Classify the fault")
    current(page).get_by_label("Software (paid service)", exact=True).check()
    fill(page, **{"Faulty part and cause": "Corrupted firmware"})
    done(page, "Quote accepted by the customer")
    expect(current(page).get_by_test_id("handover")).to_be_hidden()  # no quote yet, nothing to sign
    customer_accepts_the_quote(page, "Principal Li")

    context.set_offline(False)
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=30_000)
    job = job_id(own_server, "Xicheng School")
    signed = query(
        own_server,
        "SELECT decision, signer_name FROM customer_signature WHERE job_id = ? AND step_key = 'quote'",
        uuid.UUID(job).hex,
    )
    assert signed == [("accepted", "Principal Li")]
    expect(page.get_by_test_id("job-state")).to_have_text("Repairing")
    context.close()


def test_a_photo_whose_answer_was_lost_and_a_step_answered_in_flight_are_stored_once(browser, own_server):
    context, page = phone_with_outbox(browser)
    open_visit(page, own_server.url, "Xicheng School")
    hex_id = uuid.UUID(job_id(own_server, "Xicheng School")).hex
    page.evaluate("window.__waits = 0; window.addEventListener('outbox:waiting', () => { window.__waits += 1; })")

    def in_flight(route):
        route.fetch()  # the server stores the step; the phone hears what a duplicate in flight would hear
        route.fulfill(status=409, headers={"Retry-After": "1"}, body="<p>This change is still being saved.</p>")

    def lose_answer(route):
        route.fetch()  # the server stores the photo...
        route.abort()  # ...and the phone never hears back

    context.route("**/steps/arrive", in_flight, times=1)
    context.route("**/photos", lose_answer, times=1)
    check(page, "Badge shown and card offered")
    done(page, "Enter the site")
    check(page, "Customer invited me in", "Shoe covers on")
    fill(page, **{"Who admitted you": "Mr. Zhao"})
    done(page, "Warranty card and packing list")
    upload(page, "warranty", shared_photos() / "DSCN0010.jpg")
    check(page, "Warranty card and packing list checked")
    done(page, "Repair order")
    synced(page)  # the photo resent under its key, replayed; the step asked again after Retry-After
    expect(page.locator("[data-outbox-item]")).to_have_count(0)
    assert page.evaluate("window.__waits") >= 1
    assert query(own_server, "SELECT count(*) FROM visit_photo WHERE job_id = ?", hex_id) == [(1,)]
    steps = query(
        own_server, "SELECT step_key, count(*) FROM visit_step_result WHERE job_id = ? GROUP BY step_key", hex_id
    )
    assert dict(steps) == {"arrive": 1, "enter": 1, "warranty": 1}
    context.close()
