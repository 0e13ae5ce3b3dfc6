"""An engineer walks onsite visits on a phone: real photo input, a signature drawn with the mouse."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import choose_photos, draw_signature, serious_accessibility_violations, sign_in
from tests.helpers.env import shared_photos


@pytest.fixture
def fixture_photos() -> Path:
    return shared_photos()


def lend_unit(server, customer: str, serial: str, code: str = "") -> None:
    """A unit checked out to the demo engineer for the customer's job, as the parts counter would do (F20)."""
    import sqlite3
    import uuid

    with sqlite3.connect(server.var_dir / "e2e.db") as db:
        (job_id,) = db.execute(
            "SELECT job.id FROM job JOIN customer ON customer.id = job.customer_id WHERE customer.name = ?", (customer,)
        ).fetchone()
        (engineer_id,) = db.execute("SELECT id FROM user_account WHERE username = 'engineer'").fetchone()
        columns = [row[1] for row in db.execute("PRAGMA table_info(part_unit)")]
        unit = dict(zip(columns, db.execute("SELECT * FROM part_unit LIMIT 1").fetchone(), strict=True))
        unit.update(
            id=uuid.uuid4().hex,
            code=code or f"U{uuid.uuid4().hex[:7].upper()}",
            serial=serial,
            status="OUT",
            holder_id=engineer_id,
            job_id=job_id,
        )
        db.execute(
            f"INSERT INTO part_unit ({', '.join(unit)}) VALUES ({', '.join('?' for _ in unit)})", list(unit.values())
        )


def open_visit(page, base_url: str, customer: str) -> None:
    sign_in(page, base_url, "engineer")
    expect(page).to_have_url(f"{base_url}/jobs/mine")
    page.locator("li", has_text=customer).locator("a.job-number").click()
    page.get_by_test_id("open-checklist").click()
    expect(page.get_by_test_id("visit-progress")).to_contain_text("Step 1 of")
    expect(page.locator('li[data-step="enter"] [data-step-body]')).to_be_hidden()  # locked until its turn


def current(page):
    return page.locator("#current")


def upload(page, step: str, *files: Path) -> None:
    before = page.locator(f'[data-thumbs="{step}"] img').count()
    choose_photos(page, step, *files)
    expect(page.locator(f'[data-thumbs="{step}"] img')).to_have_count(before + len(files), timeout=30_000)


def tap_done_unless_completed(page) -> None:
    """A step whose last input is a tick or a choice completes on it (checklist.js marks its form before
    queueing it); any other step needs its "Done"."""
    completed = page.locator("[data-step-form][data-completing]:not([data-seen-by-test])")
    if completed.count():
        completed.evaluate_all("forms => forms.forEach((form) => form.setAttribute('data-seen-by-test', ''))")
    else:
        current(page).get_by_test_id("step-done").click()


def done(page, next_title: str) -> None:
    """The step is kept on the phone at once and the next one opens; the server gets it in the background."""
    tap_done_unless_completed(page)
    expect(current(page).locator(".step-title")).to_contain_text(next_title)
    expect(page.get_by_test_id("visit-error")).to_be_hidden()


def synced(page) -> None:
    """Everything this phone did has reached the server. A step that finished itself on a tick is queued a moment
    after the tap: it counts once the phone holds it ("Saved on this phone"), else a count of 0 read before it
    was queued would pass while the step never leaves the phone."""
    expect(page.locator('form[data-completing]:not(:has([data-testid="saved-on-phone"]))')).to_have_count(0)
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=20_000)


def check(page, *labels: str) -> None:
    for label in labels:
        current(page).get_by_label(label, exact=True).check()


def fill(page, **fields: str) -> None:
    for label, value in fields.items():
        current(page).get_by_label(label).fill(value)


def customer_signs(page, name: str) -> None:
    current(page).get_by_test_id("handover").click()
    expect(current(page).get_by_test_id("signing-summary")).to_be_visible()
    current(page).get_by_label("Your name in print").fill(name)
    draw_signature(page, current(page).get_by_test_id("signature-pad"))
    current(page).get_by_test_id("sign").click()
    expect(page.get_by_test_id("visit-error")).to_be_hidden()


def arrive_to_reproduce(page, photos: Path, *, warranty_photos: bool) -> None:
    check(page, "Badge shown and card offered")
    done(page, "Enter the site")
    check(page, "Customer invited me in", "Shoe covers on")
    fill(page, **{"Who admitted you": "Mr. Zhao"})
    done(page, "Warranty card and packing list")
    if warranty_photos:
        upload(page, "warranty", photos / "DSCN0010.jpg", photos / "landscape_3.jpg")
        check(page, "Warranty card and packing list checked")
    else:
        current(page).get_by_label("Serial not found", exact=True).check()
        fill(page, **{"Why there is no card": "Card lost"})
    done(page, "Repair order")
    fill(
        page,
        **{"Fault in the customer's words": "Paper jams", "When it occurs": "Every print", "Environment": "Office"},
    )
    done(page, "Reproduce the fault")
    upload(page, "reproduce", photos / "portrait_6.jpg")


def diagnose_a_hardware_fault(page) -> None:
    """From "Reproduce the fault" (its photo taken) to the repair step."""
    current(page).get_by_label("Reproduced", exact=True).check()
    done(page, "Classify the fault")
    current(page).get_by_label("Hardware", exact=True).check()
    fill(page, **{"Faulty part and cause": "Worn feed roller"})
    done(page, "Explain and agree")
    check(page, "Fault and intended fix explained")
    done(page, "Consent to open the device")
    fill(page, **{"Consenting person": "Mr. Zhao"})
    check(page, "Customer agrees to opening the device")
    done(page, "Data risk")
    current(page).get_by_label("No", exact=True).check()
    done(page, "Authenticity of components")
    check(page, "Component barcodes checked")
    done(page, "Repair")


def verify_with_the_customer(page, photo: Path) -> None:
    """From "New problem found" to the customer's signature."""
    current(page).get_by_label("No", exact=True).check()
    done(page, "Verify with the customer")
    upload(page, "verify", photo)
    check(
        page,
        "Original fault gone",
        "New parts working; driver matches",
        "Cables sound; dust brushed out",
        "Starts and runs; casing wiped",
        "Customer present",
    )
    done(page, "Customer's evaluation")
    current(page).get_by_label("Satisfied", exact=True).check()
    done(page, "Customer signature")


def sign_off_and_leave(page, customer: str) -> None:
    """The customer signs, the engineer cleans up: the checklist is finished."""
    customer_signs(page, customer)
    check(page, "Site clean, nothing left behind", "Tools collected")
    tap_done_unless_completed(page)
    expect(page.get_by_test_id("visit-progress")).to_contain_text("Checklist finished")


def test_an_engineer_walks_a_whole_repair_visit_and_the_report_shows_a_valid_signature(
    page, server, console_errors, fixture_photos
):
    lend_unit(server, "Chaoyang Print Shop", "ROL-20931")
    open_visit(page, server.url, "Chaoyang Print Shop")
    arrive_to_reproduce(page, fixture_photos, warranty_photos=True)
    diagnose_a_hardware_fault(page)
    fill(page, **{"Work done": "Replaced the feed roller", "Fitted part serial (scan or type)": "ROL-20931"})
    done(page, "New problem found")
    verify_with_the_customer(page, fixture_photos / "iphone_13_pro_max.HEIC")
    sign_off_and_leave(page, "Zhao Lan")
    synced(page)
    expect(page.get_by_test_id("job-state")).to_have_text("Waiting for parts return")
    page.get_by_role("link", name="Service report").first.click()
    expect(page.get_by_test_id("report-verification")).to_contain_text("Signature valid")
    expect(page.get_by_test_id("report-signer")).to_contain_text("Zhao Lan")
    expect(page.locator(".report .photo-grid img")).to_have_count(4)
    assert console_errors == []


def test_an_unfixed_visit_takes_the_device_back_on_a_signed_receipt(page, server, console_errors, fixture_photos):
    open_visit(page, server.url, "Xicheng School")
    arrive_to_reproduce(page, fixture_photos, warranty_photos=False)
    current(page).get_by_label("Reproduced", exact=True).check()
    done(page, "Classify the fault")
    page.get_by_text("Cannot fix it on this visit").click()
    page.get_by_test_id("declare-unfixed").click()
    expect(current(page).locator(".step-title")).to_contain_text("Not fixed: next step")
    fill(page, **{"Why it is not fixed": "Main board fault: workshop repair"})
    current(page).get_by_label("Take the device back (receipt)").check()
    fill(page, **{"Accessories taken": "Power cable"})
    upload(page, "unresolved", fixture_photos / "image00971.jpg")
    done(page, "Customer signature")
    customer_signs(page, "Wang Xiu")
    synced(page)
    expect(page.get_by_test_id("job-state")).to_have_text("Unresolved")
    check(page, "Site clean, nothing left behind", "Tools collected")
    tap_done_unless_completed(page)
    synced(page)
    expect(page.get_by_test_id("job-state")).to_have_text("Parts confirmed")  # nothing borrowed: T17 at once
    page.get_by_role("link", name="Service report").first.click()
    expect(page.get_by_test_id("report-verification")).to_contain_text("Signature valid")
    expect(page.get_by_test_id("report-outcome")).to_have_text("Not fixed on this visit")
    expect(page).to_have_url(re.compile(r"/visits/.+/report$"))
    assert console_errors == []


def test_the_checklist_and_the_customer_view_have_no_serious_accessibility_violations(axe_page, server):
    sign_in(axe_page, server.url, "engineer")
    axe_page.locator("li", has_text="Beijing Union Lab").locator("a.job-number").click()
    axe_page.get_by_test_id("open-checklist").click()
    expect(axe_page.get_by_test_id("visit-progress")).to_contain_text("Step 3 of")
    assert serious_accessibility_violations(axe_page) == []
    axe_page.goto(axe_page.url.split("#")[0] + "/sign/signature")
    assert serious_accessibility_violations(axe_page) == []
