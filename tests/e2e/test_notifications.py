"""The bell and a job's message list, on a 360 px phone, in English and in Chinese: an urgent request rings the
coordinator's bell, the job page lists the message and its status, and the notification is marked read; the
coordinator whose interface is Chinese reads the same notification in Chinese."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.helpers.browser import DEMO_PASSWORD, sign_in

NARROW_PHONE = {"width": 360, "height": 780}
SHOTS = Path("/tmp/notify-shots")


def fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def take_urgent_request(page, base: str) -> str:
    page.goto(f"{base}/jobs/new")
    form = {
        "Customer name": "Harbour Lab",
        "Customer phone": "+86 21 5555 0100",
        "Customer e-mail": "lab@harbour.test",
        "Site address": "3 Harbour Rd, Shanghai",
        "Contact person": "Dr. Qian",
        "Contact phone": "13900000111",
        "Device model": "XR-200",
        "Device serial": "E2E-BELL-1",
        "Fault in the customer's words": "Alarm on start",
    }
    for label, value in form.items():
        page.get_by_label(re.compile(f"^{re.escape(label)}")).fill(value)
    page.get_by_label("Priority").select_option(label="Urgent")
    page.get_by_role("button", name="Create job").click()
    expect(page.get_by_test_id("job-state")).to_have_text("Waiting for dispatch")
    return page.get_by_role("heading", level=1).inner_text().split()[0]


def test_the_bell_and_the_jobs_messages_on_a_360_px_phone_in_english_and_chinese(browser, server, console_errors):
    SHOTS.mkdir(exist_ok=True)
    english = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="en-US")
    page = english.new_page()
    console_errors.attach(page)
    sign_in(page, server.url, "coordinator")
    number = take_urgent_request(page, server.url)
    job_url = page.url
    messages = page.get_by_test_id("job-messages")
    expect(messages).to_contain_text(f"Urgent request: {number}")
    expect(messages.locator('[data-status="sent"]').first).to_contain_text("In the app")
    expect(page.get_by_test_id("bell-count")).to_be_visible()
    fits(page)
    page.screenshot(path=str(SHOTS / "job-messages-en.png"), full_page=True)

    page.get_by_test_id("bell").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    ours = page.get_by_test_id("notification").filter(has_text=f"Urgent request: {number}")
    expect(ours).to_contain_text("Harbour Lab")
    fits(page)
    page.screenshot(path=str(SHOTS / "notifications-en.png"), full_page=True)
    before = int(page.get_by_test_id("bell-count").inner_text())
    ours.get_by_role("button", name="Mark read").click()
    expect(ours.get_by_role("button", name="Mark read")).to_have_count(0)
    if before > 1:
        expect(page.get_by_test_id("bell-count")).to_have_text(str(before - 1))
    else:
        expect(page.get_by_test_id("bell-count")).to_have_count(0)
    english.close()

    chinese = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="zh-CN")
    page = chinese.new_page()
    console_errors.attach(page)
    page.goto(f"{server.url}/login?lang=zh_Hans")
    page.get_by_label("用户名").fill("coordinator")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(job_url)
    expect(page.get_by_role("heading", name="消息")).to_be_visible()
    expect(page.get_by_test_id("job-messages").locator('[data-status="sent"]').first).to_contain_text("应用内")
    fits(page)
    page.screenshot(path=str(SHOTS / "job-messages-zh.png"), full_page=True)
    page.get_by_test_id("bell").click()
    expect(page.get_by_role("heading", name="通知")).to_be_visible()
    # the message is worded as it is shown, in the reader's language, not in the office's language of the moment
    expect(page.get_by_test_id("notification").filter(has_text=f"紧急报修：{number}")).to_be_visible()
    expect(page.get_by_test_id("notifications")).not_to_contain_text("Urgent request")
    fits(page)
    page.screenshot(path=str(SHOTS / "notifications-zh.png"), full_page=True)
    chinese.close()
    assert console_errors == []
