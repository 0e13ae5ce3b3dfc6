"""S2 call-backs through the visible pages of a 360 px phone, in English and Chinese: the coordinator finds the
call-backs on the board, records one while the caller waits, tries once with nobody answering, then closes it as
answered; in Chinese the pages speak the seed's words and a call-back becomes a consultation case. Screenshots go
to /tmp/ux-callbacks/."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.test_records import narrow_phone

SHOTS = Path("/tmp/ux-callbacks")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def record(page, name: str, phone: str, subject: str, button: str) -> None:
    form = page.get_by_test_id("record-call-back")
    form.locator("#f-customer_name").fill(name)
    form.locator("#f-phone").fill(phone)
    form.locator("#f-subject").fill(subject)
    form.get_by_role("button", name=button, exact=True).click()


def test_the_coordinator_records_a_call_back_and_closes_it_from_a_phone(browser, server, console_errors):
    context, page = narrow_phone(browser, console_errors, server, "coordinator")
    page.goto(f"{server.url}/board")
    panel = page.get_by_test_id("board-call-backs")
    expect(panel).to_contain_text("Call-backs")
    expect(panel.locator("[data-call-back]").first).to_be_visible()  # the demo's caller, waiting
    shot(page, "board-en")
    panel.locator("a[href='/callbacks']").last.click()
    expect(page).to_have_url(re.compile(r"/callbacks$"))

    record(page, "Mr. Hu Jun", "12", "Printer jams after the new drum", "Call back")
    expect(page.get_by_test_id("error-summary")).to_contain_text("not a valid phone number")
    page.locator("#f-phone").fill("13811112222")
    page.get_by_role("button", name="Call back", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("call Mr. Hu Jun back by")
    card = page.get_by_test_id("call-backs").locator('[data-call-back="Mr. Hu Jun"]')
    expect(card).to_contain_text("13811112222")
    shot(page, "call-backs-en")

    card.get_by_role("link", name="Mr. Hu Jun").click()
    form = page.get_by_test_id("called-back")
    form.get_by_label("No answer: try again").check()
    form.get_by_label("Note: the answer given, or when to try again").fill("Voicemail; try again at 15:00")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".message-success")).to_contain_text("Not reached: try again.")
    expect(page.get_by_test_id("call-back-note")).to_have_text("Voicemail; try again at 15:00")
    shot(page, "call-back-en")

    form = page.get_by_test_id("called-back")
    form.get_by_label("Answered on the phone").check()
    form.get_by_label("Note: the answer given, or when to try again").fill("Explained how to reseat the drum")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".message-success")).to_contain_text("Called back: answered.")
    expect(page.get_by_test_id("call-backs").locator('[data-call-back="Mr. Hu Jun"]')).to_have_count(0)
    expect(page.get_by_test_id("call-backs-closed").locator('[data-call-back="Mr. Hu Jun"]')).to_contain_text(
        "Called back: answered"
    )
    context.close()


def test_in_chinese_a_call_back_becomes_a_consultation_case(browser, server, console_errors):
    context, page = narrow_phone(browser, console_errors, server, "coordinator", chinese=True)
    page.goto(f"{server.url}/jobs/new")
    expect(page.get_by_test_id("call-back-hint")).to_contain_text("请对方留下电话号码")
    page.get_by_test_id("call-back-hint").get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("回电任务")
    expect(page.locator("main")).to_contain_text("不得让对方等待时间超过1分钟")
    record(page, "马丽", "13922223333", "XR-200 升级后报错 E42", "回电")
    expect(page.locator(".message-success")).to_contain_text("主动打电话给马丽")
    shot(page, "call-backs-zh")

    page.get_by_test_id("call-backs").locator('[data-call-back="马丽"]').get_by_role("link", name="马丽").click()
    expect(page.locator("h1")).to_have_text("回电给马丽")
    expect(page.get_by_test_id("call-back-state")).to_have_text("待回电")
    shot(page, "call-back-zh")
    page.get_by_test_id("open-case").click()
    expect(page.get_by_test_id("from-call-back")).to_contain_text("马丽")
    expect(page.locator("#f-customer_phone")).to_have_value("13922223333")
    page.locator("#f-site_address").fill("北京市朝阳区建国路 1 号")
    page.locator("#f-device_model").fill("XR-200")
    page.locator("#f-device_serial").fill("SN-CB-0042")
    page.locator("form[action='/jobs/'] button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    page.goto(f"{server.url}/callbacks")
    expect(page.get_by_test_id("call-backs-closed").locator('[data-call-back="马丽"]')).to_contain_text(
        "已建立咨询案例"
    )
    context.close()
