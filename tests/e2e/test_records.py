"""Escalation photos (F52) and the daily conduct card (F26) through the visible pages of a 360 px phone, in English
and in Chinese; screenshots go to /tmp/ux-records/ for a person to look at."""

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_visit import synced
from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER, sign_in
from tests.helpers.servers import job_id

SHOTS = Path("/tmp/ux-records")
NARROW = {"width": 360, "height": 780}


def narrow_phone(browser, console_errors, server, username: str, *, chinese: bool = False):
    """A 360 px phone signed in as ``username``, then reading the pages in Chinese when asked."""
    context = browser.new_context(viewport=NARROW, has_touch=True, locale="en-US")
    context.add_init_script("window.__OUTBOX_INTERVAL_MS = 300")
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.attach(page)
    sign_in(page, server.url, username)
    expect(page).not_to_have_url(re.compile(r"/login"))
    if chinese:
        context.add_cookies([{"name": "onsite_lang", "value": "zh_Hans", "url": server.url}])
        page.reload()
    return context, page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def a_photo(tmp_path, colour) -> Path:
    path = tmp_path / f"fault-{colour[0]}.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def photos_shown(section, count: int) -> None:
    images = section.get_by_test_id("escalation-photos").locator("img")
    expect(images).to_have_count(count)
    for index in range(count):
        images.nth(index).scroll_into_view_if_needed()  # thumbnails load lazily, once in view
        expect(images.nth(index)).to_have_js_property("complete", True)
        assert images.nth(index).evaluate("img => img.naturalWidth") > 0


def test_photos_are_attached_to_an_escalation_and_shown_to_the_office(browser, server, console_errors, tmp_path):
    context, phone = narrow_phone(browser, console_errors, server, "engineer2")
    phone.goto(f"{server.url}/jobs/{job_id(server, 'Tongzhou Water Works')}")
    escalation = phone.locator(".escalation").first
    escalation.locator("summary", has_text="Attach photos or PDFs").click()
    escalation.get_by_label("Attach photos").set_input_files(str(a_photo(tmp_path, (200, 40, 40))))
    escalation.get_by_role("button", name="Attach to the escalation").click()
    expect(phone.get_by_text("Attached to the escalation.")).to_be_visible()
    photos_shown(phone.locator(".escalation").first, 1)

    # A second escalation, raised with a photo from the phone: it goes through the outbox like any change.
    phone.locator("summary", has_text="Escalate").click()
    form = phone.locator('form[action$="/escalate"]')
    form.get_by_label("Fault level").select_option("L3")
    form.get_by_label("Symptoms and reproduction result").fill("Controller reboots when the pump starts")
    form.get_by_label("Actions taken").fill("Pump isolated, logs copied")
    form.get_by_label("Photos of the fault (optional)").set_input_files(str(a_photo(tmp_path, (40, 40, 200))))
    form.get_by_role("button", name="Raise the escalation").click()
    synced(phone)
    phone.reload()
    expect(phone.locator(".escalation")).to_have_count(2)
    photos_shown(phone.locator(".escalation", has_text="Controller reboots"), 1)
    phone.locator(".escalation").first.scroll_into_view_if_needed()
    shot(phone, "escalation-photos-en")
    context.close()

    context, office = narrow_phone(browser, console_errors, server, "coordinator", chinese=True)
    office.goto(f"{server.url}/jobs/{job_id(server, 'Tongzhou Water Works')}")
    expect(office.locator("#esc-title")).to_have_text("升级")
    photos_shown(office.locator(".escalation", has_text="Controller reboots"), 1)
    pdf = tmp_path / "pump-log.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    first = office.locator(".escalation").first
    first.locator("summary", has_text="附加照片或 PDF").click()
    first.get_by_label("附加 PDF 文档").set_input_files(str(pdf))
    first.get_by_role("button", name="附加到升级").click()
    expect(office.get_by_text("已附加到升级。")).to_be_visible()
    expect(office.locator(".escalation").first.get_by_test_id("escalation-documents")).to_contain_text("pump-log.pdf")
    office.locator(".escalation").first.scroll_into_view_if_needed()
    shot(office, "escalation-photos-zh")
    context.close()
    assert [error for error in console_errors if not error.startswith("Failed to load resource")] == []


def test_the_engineer_reads_the_daily_conduct_card_and_the_manager_sees_it(browser, server, console_errors):
    context, phone = narrow_phone(browser, console_errors, server, "engineer")
    card = phone.get_by_test_id("conduct-card")
    expect(card).to_contain_text("Never smoke, drink alcohol, eat or drink")
    expect(phone.locator(".job-card").first).to_be_visible()  # the jobs are there below it, never blocked
    shot(phone, "conduct-card-en")
    phone.evaluate(WAIT_FOR_SERVICE_WORKER)
    context.set_offline(True)  # no signal: the card is acknowledged on the phone and sent later
    card.get_by_role("button", name="I have read it").click()
    expect(card.get_by_test_id("saved-on-phone")).to_be_visible()
    expect(phone.get_by_test_id("pending-count")).to_have_text("1")
    context.set_offline(False)
    synced(phone)
    phone.reload()
    expect(phone.get_by_test_id("conduct-card")).to_have_count(0)
    context.close()

    context, phone = narrow_phone(browser, console_errors, server, "engineer2", chinese=True)
    expect(phone.get_by_test_id("conduct-card")).to_contain_text("不允许在服务现场抽烟")
    shot(phone, "conduct-card-zh")
    context.close()

    for chinese in (False, True):
        context, office = narrow_phone(browser, console_errors, server, "manager", chinese=chinese)
        office.get_by_role("link", name="行为规范卡" if chinese else "Conduct card").click()
        readers = office.get_by_test_id("conduct-readers")
        expect(readers.locator('[data-engineer="engineer"] .badge')).to_have_class("badge ok")
        expect(readers.locator('[data-engineer="engineer2"] .badge')).to_have_class("badge warn")
        shot(office, f"conduct-manager-{'zh' if chinese else 'en'}")
        if not chinese:
            english = office.get_by_label("Card in English")
            english.fill(english.input_value() + "\nWear your badge where the customer can see it.")
            office.get_by_role("button", name="Save the card").click()
            expect(office.get_by_text("Conduct card saved.")).to_be_visible()
        context.close()

    context, phone = narrow_phone(browser, console_errors, server, "engineer2")
    expect(phone.get_by_test_id("conduct-card")).to_contain_text("Wear your badge")
    context.close()
    assert [error for error in console_errors if not error.startswith("Failed to load resource")] == []
