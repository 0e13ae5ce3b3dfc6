"""An installation walked at 360 px through its pages only, from the request to the team's departure; then its
pages read in Chinese (screenshots in /tmp/zh-shots/ for a person to look at)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.test_chinese_sweep import NARROW_PHONE, SHOTS, VISIBLE_TEXTS, _english_messages, _english_on
from tests.e2e.test_comeback import open_job_from_board, person
from tests.e2e.test_visit import check, current, customer_signs, done, fill, synced, tap_done_unless_completed, upload
from tests.helpers.browser import DEMO_PASSWORD
from tests.helpers.env import shared_photos
from tests.helpers.servers import LiveServer

SITE = "Fengtai Substation"  # the demo's installation request
CONDITIONS = [
    "Place and access",
    "Environment: power, space, temperature",
    "Scope of the work",
    "Required arrival time",
    "Both sides' preparations",
    "Local policy, project-office and site rules",
]

# The browser logs the refused form's answer (422) as a failed resource.
REFUSED_PLAN = "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"


@pytest.fixture
def fixture_photos():
    return shared_photos()


def office_today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def state(page):
    return page.get_by_test_id("job-state")


def plan_the_installation(page, first_day: str, last_day: str, *, manager: str | None) -> None:
    panel = page.get_by_test_id("installation")
    panel.get_by_label("Lead engineer").select_option(label="Li Wei")
    panel.locator("fieldset", has_text="Other engineers on the team").get_by_label("Zhang Min").check()
    if manager:
        panel.get_by_label("Project manager (required for two or more engineers)").select_option(label=manager)
    panel.get_by_label("First service day").fill(first_day)
    panel.get_by_label("Last service day").fill(last_day)
    panel.get_by_label("Milestones the customer witnesses (one a line)").fill("Cabinets placed\nProtection tested")
    panel.get_by_label("Plan: steps, goals and risk measures").fill("Place, wire, test; barriers when testing")
    panel.get_by_role("button", name="Save the plan").click()
    page.wait_for_load_state()


def test_an_installation_goes_from_request_to_hand_over_through_its_pages(
    browser, server, console_errors, fixture_photos
):
    today = office_today()
    with person(browser, server, console_errors, "coordinator") as page:
        open_job_from_board(page, server.url, SITE)
        job_url = page.url
        expect(state(page)).to_have_text("Requested")
        panel = page.get_by_test_id("installation")
        panel.get_by_label("Not met: postpone to an agreed date").check()
        panel.get_by_label("Why it is postponed").fill("Cable trench not ready")
        panel.get_by_label("Agreed new date").fill((today + timedelta(days=2)).isoformat())
        panel.get_by_role("button", name="Record the site conditions").click()
        expect(state(page)).to_have_text("Postponed")
        expect(page.get_by_test_id("install-postponed")).to_contain_text("Cable trench not ready")

        page.get_by_role("button", name="Take it up again: check the conditions").click()
        expect(state(page)).to_have_text("Requested")
        panel = page.get_by_test_id("installation")
        for label in CONDITIONS:
            panel.get_by_label(label, exact=True).check()
        panel.get_by_label("Photos of the site").set_input_files(str(fixture_photos / "DSCN0010.jpg"))
        panel.get_by_label("Conditions met: ready to plan").check()
        panel.get_by_role("button", name="Record the site conditions").click()
        expect(state(page)).to_have_text("Conditions confirmed")
        expect(page.get_by_test_id("install-conditions").locator("img")).to_have_count(1)

        first, last = today.isoformat(), (today + timedelta(days=2)).isoformat()
        plan_the_installation(page, first, last, manager=None)
        expect(page.get_by_test_id("form-error").or_(page.locator(".field-error")).first).to_contain_text(
            "Two or more engineers need a project manager chosen from the team."
        )
        expect(state(page)).to_have_text("Conditions confirmed")
        plan_the_installation(page, first, last, manager="Li Wei")
        expect(state(page)).to_have_text("Planned")
        expect(page.get_by_test_id("install-team")).to_contain_text("Zhang Min")
        expect(page.get_by_test_id("install-manager")).to_have_text("Li Wei")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with person(browser, server, console_errors, "engineer") as page:
        page.goto(job_url)
        page.get_by_test_id("open-checklist").click()
        expect(page.get_by_test_id("visit-progress")).to_contain_text("Step 1 of")
        fill(page, **{"Three-call log": "Customer, site manager and office called"})
        done(page, "Technical briefing")
        fill(page, **{"Content, scope, interfaces, risks, schedule": "Two cabinets, 110 kV bay, no live work"})
        done(page, "Daily check-in")
        check(page, "Checked in on site")
        done(page, "Daily safety checklist")
        check(
            page,
            "Protective clothing and helmet",
            "Insulated gloves and tools where live",
            "Barriers and safety watcher when testing",
        )
        done(page, "Milestone witnessed")
        upload(page, "milestone", fixture_photos / "landscape_3.jpg")
        fill(page, **{"Milestone": "Cabinets placed", "Customer witness": "Eng. Gao Feng"})
        done(page, "Milestone confirmed by the customer's witness")
        customer_signs(page, "Gao Feng")
        expect(current(page).locator(".step-title")).to_contain_text("Tests and measurements")
        fill(page, **{"Test results": "Insulation 500 MOhm; trip times within limits"})
        done(page, "Daily work log")
        fill(page, **{"Content, progress, problems": "Cabinets placed and wired"})
        done(page, "Self-check")
        check(page, "Checked against process documents and flow card")
        done(page, "Cross-check")
        current(page).get_by_label("Cross-checked by").select_option(label="Zhang Min")
        done(page, "Hand-over")
        fill(page, **{"Accessories and spares handed over": "Two spare relays, keys"})
        check(page, "Site and equipment clean")
        done(page, "Training")
        current(page).get_by_label("Declined by the customer", exact=True).check()
        done(page, "training declined")
        customer_signs(page, "Gao Feng")
        expect(current(page).locator(".step-title")).to_contain_text("Service receipt signed")
        customer_signs(page, "Gao Feng")
        expect(current(page).locator(".step-title")).to_contain_text("Daily check-out")
        synced(page)

        page.goto(job_url)
        expect(state(page)).to_have_text("Handed over")
        page.get_by_label("Daily log: content, progress, problems").fill("Commissioned and handed over")
        page.get_by_test_id("day-check-out").click()
        expect(page.get_by_test_id("service-days")).to_contain_text("Commissioned and handed over")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.get_by_test_id("open-checklist").click()
        check(page, "Checked out; departure agreed")
        tap_done_unless_completed(page)
        expect(page.get_by_test_id("visit-progress")).to_contain_text("Checklist finished")
        synced(page)
        page.goto(job_url)
        expect(state(page)).to_have_text("Departed")
    assert console_errors == [REFUSED_PLAN]  # the plan without a project manager, and nothing else


@pytest.fixture(scope="module")
def chinese_office(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("zh"), ONSITE_DEFAULT_LOCALE="zh_Hans")
    live.start()
    yield live
    live.stop()


def test_the_installation_pages_read_fully_in_chinese(browser, chinese_office, fixture_photos):
    plain, patterns = _english_messages()
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{chinese_office.url}/login?lang=zh_Hans")
    page.get_by_label("用户名").fill("coordinator")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{chinese_office.url}/board")
    page.locator("tr, li", has_text="丰台变电站").first.locator("a.job-number").click()
    expect(page.get_by_test_id("job-state")).to_have_text("已申请")
    problems = []

    def look(name: str) -> None:
        page.wait_for_load_state("load")
        page.screenshot(path=str(SHOTS / f"installation--{name}.png"), full_page=True)
        english = _english_on(page.evaluate(VISIBLE_TEXTS), plain, patterns)
        if english:
            problems.append(f"{name}: English {sorted(set(english))}")
        if page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") > 0:
            problems.append(f"{name}: wider than the screen")

    look("requested")
    panel = page.get_by_test_id("installation")
    panel.get_by_role("button", name="记录现场条件").click()  # nothing confirmed: every error in Chinese
    expect(page.locator(".field-error").first).to_be_visible()
    look("conditions-refused")
    panel = page.get_by_test_id("installation")
    for box in panel.locator("input[type=checkbox][name^=condition_]").all():
        box.check()
    panel.get_by_label("现场照片").set_input_files(str(fixture_photos / "DSCN0010.jpg"))
    panel.get_by_role("button", name="记录现场条件").click()
    expect(page.get_by_test_id("job-state")).to_have_text(re.compile("条件"))
    look("conditions-confirmed")
    context.close()
    assert problems == [], "\n".join(problems)
