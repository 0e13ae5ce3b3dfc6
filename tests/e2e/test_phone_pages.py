"""Every page at 360 px, the tab bar, the charts, the intake form's errors and the board's visit window, used
through the visible pages of a real server."""

import re

import pytest
from playwright.sync_api import expect

from app.accounts.models import Role
from app.accounts.navigation import _NAV
from tests.helpers.browser import serious_accessibility_violations, sign_in
from tests.helpers.page_sweep import sweep

NARROW = {"width": 360, "height": 780}
ROLES = {
    "manager": Role.MANAGER,
    "engineer": Role.ENGINEER,
    "clerk": Role.CLERK,
    "coordinator": Role.COORDINATOR,
    "followup": Role.FOLLOW_UP,
    "reception": Role.RECEPTION,
    "regional": Role.REGIONAL,
}
# Pages no navigation link leads to, opened as well.
EXTRA = {
    "clerk": ["/parts/labels"],
    "manager": ["/reports/audit", "/parts/labels"],
    "reception": ["/carry-in/new"],
    "regional": ["/offices/new"],
}


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport=NARROW, has_touch=True, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("username", list(ROLES))
def test_it_keeps_every_page_of_every_role_within_a_360_px_screen(narrow, server, username):
    sign_in(narrow, server.url, username)
    expect(narrow.locator("nav.mainnav")).to_be_visible()
    start = [item.url for item in _NAV[ROLES[username]]] + EXTRA.get(username, [])
    measured = list(sweep(narrow, server.url, start))
    too_wide = [(path, width) for path, width, viewport in measured if width > viewport]
    assert too_wide == []
    assert len(measured) >= len(start)


def test_it_lets_a_manager_reach_and_read_every_tab_at_360_px(narrow, server):
    sign_in(narrow, server.url, "manager")
    narrow.goto(f"{server.url}/board")
    nav = narrow.locator("nav.mainnav")
    more = nav.get_by_role("button", name="More tabs")
    expect(more).to_be_visible()  # the hint that tabs continue to the right
    expect(nav.get_by_role("button", name="Earlier tabs")).to_be_hidden()
    reports = nav.get_by_role("link", name="Reports")
    for _ in range(len(nav.get_by_role("link").all())):  # each tap shows at least one more tab
        if _fully_visible(reports, narrow):
            break
        _tap_and_let_it_scroll(more, narrow)
        expect(nav.get_by_role("button", name="Earlier tabs")).to_be_visible()
    assert _fully_visible(reports, narrow), "the More button never brought Reports into view"
    reports.click()
    expect(narrow).to_have_url(re.compile(r"/reports"))
    current = narrow.locator('nav.mainnav a[aria-current="page"]')
    expect(current).to_have_text("Reports")
    assert _fully_visible(current, narrow)  # the current tab is scrolled into view on arrival
    for link in nav.get_by_role("link").all():
        link.scroll_into_view_if_needed()
        assert _fully_visible(link, narrow), link.text_content()
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), link.text_content()


def _tap_and_let_it_scroll(button, page) -> None:
    """A tap pages the bar with a smooth scroll: what is visible is read once the scroll has ended."""
    page.evaluate(
        """() => { window.__tabsScrolled = false; document.querySelector('nav.mainnav ul')
          .addEventListener('scrollend', () => { window.__tabsScrolled = true; }, { once: true }); }"""
    )
    button.click()
    page.wait_for_function("() => window.__tabsScrolled")


def _fully_visible(locator, page) -> bool:
    """Inside the screen and not under a visible scroll hint (once the hints follow the scroll position)."""
    page.wait_for_function(
        """() => { const nav = document.querySelector('nav.mainnav'), ul = nav.querySelector('ul');
          return nav.classList.contains('has-more-start') === ul.scrollLeft > 2
            && nav.classList.contains('has-more-end') === ul.scrollLeft < ul.scrollWidth - ul.clientWidth - 2; }"""
    )
    box = locator.bounding_box()
    left, right = page.evaluate(
        "() => ['start', 'end'].map(side => document.querySelector('.tabs-scroll-' + side))"
        ".map(b => b.offsetParent ? b.getBoundingClientRect() : null)"
        ".map((r, i) => r ? (i ? r.left : r.right) : (i ? window.innerWidth : 0))"
    )
    return box is not None and box["x"] >= left - 1 and box["x"] + box["width"] <= right + 1


def test_it_draws_report_charts_with_text_readable_on_a_phone(narrow, server):
    sign_in(narrow, server.url, "manager")
    narrow.goto(f"{server.url}/reports")
    charts = narrow.get_by_test_id("chart")
    expect(charts.first).to_be_visible()
    sizes = charts.first.evaluate(
        "c => Array.from(c.querySelectorAll('.bar-label, .bar-value'), e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 12
    assert narrow.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_it_shows_every_intake_error_at_once_in_a_summary_that_links_to_the_fields(narrow, server):
    sign_in(narrow, server.url, "coordinator")
    narrow.goto(f"{server.url}/jobs/new")
    required = narrow.locator("form label.is-required")
    assert required.count() >= 6
    marker = required.first.evaluate("l => getComputedStyle(l, '::after').content")
    assert "*" in marker
    expect(narrow.get_by_label("Site address")).to_have_attribute("required", "")
    narrow.get_by_role("button", name="Create job").click()
    summary = narrow.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    links = summary.get_by_role("link")
    texts = links.all_text_contents()
    for name in ["Customer name", "Customer phone", "Site address", "Contact person", "Contact phone"]:
        assert any(name in text for text in texts), (name, texts)
    assert any("Device model" in text for text in texts) and any("Device serial" in text for text in texts)
    assert len(texts) >= 6
    expect(narrow.locator("[aria-invalid=true]")).to_have_count(len(texts))
    summary.get_by_role("link", name=re.compile("Contact phone")).click()
    expect(narrow.get_by_label("Contact phone")).to_be_focused()
    expect(narrow.get_by_label("Contact phone")).to_be_in_viewport()


def test_it_shows_the_agreed_visit_window_beside_the_next_deadline_on_the_board(narrow, server):
    sign_in(narrow, server.url, "coordinator")
    narrow.goto(f"{server.url}/board")
    row = narrow.locator(".job-card").filter(has=narrow.get_by_test_id("visit-window")).first
    expect(row.get_by_test_id("visit-window")).to_contain_text(re.compile(r"Visit: .+ – \d\d:\d\d"))
    expect(row.locator(".deadline")).to_be_visible()


def test_it_keeps_the_tab_bar_error_summary_and_charts_free_of_serious_accessibility_problems(axe_page, server):
    sign_in(axe_page, server.url, "manager")
    axe_page.goto(f"{server.url}/reports")
    assert serious_accessibility_violations(axe_page) == []
    axe_page.goto(f"{server.url}/jobs/new")
    axe_page.get_by_role("button", name="Create job").click()
    expect(axe_page.get_by_test_id("error-summary")).to_be_visible()
    assert serious_accessibility_violations(axe_page) == []
