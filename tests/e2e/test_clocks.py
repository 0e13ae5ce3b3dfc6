"""The clocks' pages at 360 px through visible controls only, in English and in Chinese (screenshots in
/tmp/zh-shots/ for a person to look at): a carry-in device sent to the factory with a named person, a new date
agreed and its return (S29), the reception's stock sheet (S20), and the board's start-of-day panel (S9)."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.test_carry_in_voucher import step
from tests.e2e.test_chinese_sweep import NARROW_PHONE, SHOTS, VISIBLE_TEXTS, _english_messages, _english_on
from tests.helpers.browser import DEMO_PASSWORD, draw_signature, sign_in

REFUSED = "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"


def later_working_day(days: int) -> str:
    day = date.today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def saturday_after(days: int) -> str:
    day = date.today() + timedelta(days=days)
    return (day + timedelta(days=(5 - day.weekday()) % 7)).isoformat()


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_load_state("load")
    page.screenshot(path=str(SHOTS / f"clocks--{name}.png"), full_page=True)


def chinese_page(browser, base_url: str, username: str):
    context = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base_url}/login?lang=zh_Hans")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def english_left(page) -> list[str]:
    plain, patterns = _english_messages()
    return sorted(set(_english_on(page.evaluate(VISIBLE_TEXTS), plain, patterns)))


def take_in(page) -> None:
    page.get_by_role("link", name="Take in a device").click()
    for label, value in [
        ("Customer name", "Zhao Factory Test"),
        ("Customer phone", "13900139077"),
        ("Customer address", "9 Huaihai Rd"),
        ("Contact person", "Zhao Lei"),
        ("Contact phone", "13900139077"),
        ("Device model", "LX-15"),
        ("Device serial", "E2E-RTF-1"),
        ("Fault in the customer's words", "Main board dead"),
        ("Customer's printed name", "Zhao Lei"),
    ]:
        page.get_by_label(label).fill(value)
    draw_signature(page, page.locator("canvas[data-signature-pad]"))
    page.get_by_role("button", name="Take in and print the order").click()
    page.get_by_role("link", name="Open the job").click()
    step(page, "Put it in the storeroom")


def test_a_device_goes_to_the_factory_and_comes_back(browser, server, console_errors):
    context = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="en-US")
    page = context.new_page()
    console_errors.attach(page)
    sign_in(page, server.url, "reception")
    take_in(page)
    job_url = page.url
    factory = page.get_by_test_id("factory")
    factory.get_by_label("Person responsible for the return").select_option(index=1)
    responsible = factory.get_by_label("Person responsible for the return").locator("option:checked").inner_text()
    factory.get_by_label("Factory and what was sent (optional)").fill("Suzhou factory: main board")
    step(page, "Send to the factory")
    factory = page.get_by_test_id("factory")
    expect(factory.get_by_test_id("factory-responsible")).to_have_text(responsible)
    expect(factory.get_by_role("button", name="Back from the factory")).to_be_visible()
    assert fits(page)
    shot(page, "factory-sent-en")

    page.get_by_role("link", name="Carry-in counter").first.click()
    card = page.locator("li", has_text="Zhao Factory Test")
    expect(card.locator('[data-flag="at-factory"]')).to_have_text("At the factory")
    page.get_by_test_id("stock-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parts in stock")
    expect(page.get_by_test_id("stock-refreshed")).to_contain_text("refreshed at")
    assert fits(page)
    shot(page, "stock-en")

    zh_context, zh = chinese_page(browser, server.url, "reception")
    pages = [
        ("factory-sent-zh", job_url),
        ("counter-zh", f"{server.url}/carry-in/"),
        ("stock-zh", f"{server.url}/parts/stock"),
    ]
    for name, url in pages:
        zh.goto(url)
        if name == "factory-sent-zh":
            zh.get_by_test_id("factory").locator("summary").click()
        shot(zh, name)
        assert english_left(zh) == [], name
        assert fits(zh), name
    zh_context.close()

    page.goto(job_url)
    page.get_by_test_id("factory").locator("summary").click()
    page.get_by_label("New date").fill(saturday_after(35))
    page.get_by_label("Reason", exact=True).fill("The factory waits for a main board")
    page.get_by_role("button", name="Agree the new date").click()
    expect(page.locator(".field-error")).to_contain_text("Choose a working day")  # the server's refusal, shown
    page.get_by_label("New date").fill(later_working_day(35))
    step(page, "Agree the new date")
    expect(page.get_by_test_id("factory-due")).to_contain_text("New date agreed: The factory waits for a main board")
    step(page, "Back from the factory")
    expect(page.get_by_test_id("factory-back")).to_be_visible()
    shot(page, "factory-back-en")
    page.get_by_role("link", name="Full job history").click()
    expect(page.locator("body")).to_contain_text("Sent to the factory")
    expect(page.locator("body")).to_contain_text("Back from the factory")
    context.close()
    assert console_errors == [REFUSED]  # the refused date, and nothing else


def test_the_start_of_day_panel_fits_a_phone(browser, server, console_errors):
    context = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="en-US")
    page = context.new_page()
    console_errors.attach(page)
    sign_in(page, server.url, "coordinator")
    page.goto(f"{server.url}/board")
    panel = page.get_by_test_id("start-of-day")
    expect(panel.get_by_role("heading")).to_contain_text("Start of day: to assign")
    expect(panel).to_contain_text("no engineer yet")
    assert fits(page)
    shot(page, "board-en")
    context.close()
    zh_context, zh = chinese_page(browser, server.url, "coordinator")
    zh.goto(f"{server.url}/board")
    expect(zh.get_by_test_id("start-of-day")).to_be_visible()
    shot(zh, "board-zh")
    assert english_left(zh) == []
    assert fits(zh)
    zh_context.close()
    assert console_errors == []
