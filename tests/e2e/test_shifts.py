"""S19 staff check-ins and S23 the duty rota through the visible pages of a 360 px phone, in English and Chinese:
an engineer checks in from My jobs without signal, reception from the carry-in counter, and the coordinator sees
who is late on the board and names the person on duty on the rota. Screenshots go to /tmp/ux-shifts/.

The server runs on the real clock and check-ins happen on working days only, so the manager first moves the office
to a time zone where it is between 01:00 and 22:00 now, opening 5 minutes from now: everyone is then past their
limit (late or not checked in), whatever the hour the test runs at. On a weekend there, the manager also marks
today a make-up working day (调休上班) on the calendar page, reading Chinese; the test never skips."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.test_records import narrow_phone
from tests.e2e.test_visit import synced
from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER

SHOTS = Path("/tmp/ux-shifts")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def an_office_zone(now: datetime) -> tuple[str, datetime]:
    """The fixed-offset zone nearest to UTC where it is now between 01:00 and 22:00, and the time there."""
    for hours in sorted(range(-12, 15), key=abs):
        zone = f"Etc/GMT{-hours:+d}" if hours else "UTC"  # Etc/GMT-8 is UTC+8
        local = now.astimezone(ZoneInfo(zone))
        if 1 <= local.hour < 22:
            return zone, local
    raise AssertionError("some zone between UTC-12 and UTC+14 is always between 01:00 and 22:00")


def make_today_a_working_day(browser, console_errors, server, today: str) -> None:
    """The manager marks ``today``, a Saturday or Sunday in the office's zone, a make-up working day (调休上班)."""
    context, calendar = narrow_phone(browser, console_errors, server, "manager", chinese=True)
    calendar.goto(f"{server.url}/calendar")
    form = calendar.locator('form[action="/calendar/working-days"]')
    expect(calendar.get_by_role("heading", name="调休上班日")).to_be_visible()
    form.get_by_label("日期").fill(today)
    form.get_by_label("名称", exact=True).fill("国庆节调休")
    form.get_by_role("button", name="添加调休上班日").click()
    expect(calendar.locator(".message-success")).to_contain_text("已保存调休上班日")
    expect(calendar.get_by_test_id("makeup-days")).to_contain_text("国庆节调休")
    shot(calendar, "calendar-makeup-zh")
    context.close()


def test_staff_check_in_and_the_coordinator_sees_who_is_late_and_keeps_the_duty_rota(browser, server, console_errors):
    zone, local = an_office_zone(datetime.now(UTC))
    opening = (local + timedelta(minutes=5)).strftime("%H:%M")
    today = local.date().isoformat()

    context, office = narrow_phone(browser, console_errors, server, "manager")
    office.goto(f"{server.url}/office")
    office.get_by_label("Time zone").select_option(zone)
    office.get_by_label("Working day starts (HH:MM)").fill(opening)
    office.get_by_label("Working day ends (HH:MM)").fill("23:59")
    expect(office.get_by_text("staff check in 10 minutes before it, the coordinator 20")).to_be_visible()
    office.get_by_role("button", name="Save", exact=True).click()
    expect(office.locator(".message-success")).to_be_visible()
    context.close()
    if local.weekday() >= 5:  # nobody checks in on a weekend unless the office works it
        make_today_a_working_day(browser, console_errors, server, today)

    # The engineer checks in from My jobs without signal: the phone keeps it and sends it when it can.
    context, phone = narrow_phone(browser, console_errors, server, "engineer")
    card = phone.get_by_test_id("check-in")
    expect(card).to_contain_text("Check in when you are ready")
    expect(phone.locator(".job-card").first).to_be_visible()  # the jobs stay below it
    shot(phone, "check-in-engineer-en")
    phone.evaluate(WAIT_FOR_SERVICE_WORKER)
    context.set_offline(True)
    card.get_by_role("button", name="Check in").click()
    expect(card.get_by_test_id("saved-on-phone")).to_be_visible()
    expect(phone.get_by_test_id("pending-count")).to_have_text("1")
    context.set_offline(False)
    synced(phone)
    phone.reload()
    expect(phone.get_by_test_id("checked-in")).to_contain_text("Checked in at")
    expect(phone.get_by_test_id("check-in")).to_contain_text("Late")
    context.close()

    # Reception checks in from the carry-in counter, reading Chinese.
    context, counter = narrow_phone(browser, console_errors, server, "reception", chinese=True)
    panel = counter.get_by_test_id("check-in")
    expect(panel).to_contain_text("上岗前准备")
    shot(counter, "check-in-reception-zh")
    panel.get_by_role("button", name="到岗签到").click()
    expect(counter.locator(".message-success")).to_contain_text("到岗签到")
    expect(counter.get_by_test_id("checked-in")).to_contain_text("到岗")
    context.close()

    context, board = narrow_phone(browser, console_errors, server, "coordinator")
    ready = board.get_by_test_id("staff-ready")
    expect(ready.locator('[data-user="engineer"]')).to_have_attribute("data-state", "late")
    expect(ready.locator('[data-user="engineer"]')).to_contain_text("Late: checked in at")
    expect(ready.locator('[data-user="reception"]')).to_have_attribute("data-state", "late")
    expect(ready.locator('[data-user="specialist"]')).to_contain_text("Not checked in")
    ready.scroll_into_view_if_needed()
    shot(board, "staff-ready-en")
    board.get_by_role("link", name="Duty rota").first.click()
    day = board.locator(f'[data-day="{today}"]')
    day.get_by_role("combobox").select_option(label="Zhang Min · Onsite engineer")
    day.get_by_role("button", name="Save").click()
    expect(board.get_by_text("Duty rota saved.")).to_be_visible()
    expect(board.locator(f'[data-day="{today}"]').get_by_test_id("duty-person")).to_contain_text("Zhang Min")
    shot(board, "rota-en")
    board.goto(f"{server.url}/board")
    expect(board.get_by_test_id("on-duty")).to_have_text("On duty today: Zhang Min")
    context.close()

    context, board = narrow_phone(browser, console_errors, server, "coordinator", chinese=True)
    expect(board.get_by_test_id("on-duty")).to_have_text("今日值班：Zhang Min")
    ready = board.get_by_test_id("staff-ready")
    expect(ready.locator("h2")).to_contain_text("员工到岗")
    expect(ready.locator('[data-user="engineer"]')).to_contain_text("迟到")
    expect(ready.locator('[data-user="specialist"]')).to_contain_text("未到岗")
    ready.scroll_into_view_if_needed()
    shot(board, "staff-ready-zh")
    board.get_by_role("link", name="值班表").first.click()
    expect(board.locator("h1")).to_have_text("值班表")
    shot(board, "rota-zh")
    context.close()
    assert [error for error in console_errors if not error.startswith("Failed to load resource")] == []
