"""The board stays live: a phone's report redraws the engineers' panel, and a change made while the board's
stream was cut shows once it reconnects (it resumes from the last event id), all without a reload."""

import uuid

from playwright.sync_api import expect

from tests.helpers.browser import SSE_OPEN, engineer_phone, fill_contact, sign_in
from tests.helpers.servers import LiveServer, job_id, query
from tests.helpers.waiting import wait_until


def open_board(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    board = context.new_page()
    board.set_default_timeout(10_000)
    sign_in(board, server.url, "coordinator")
    board.goto(f"{server.url}/board")
    wait_until(lambda: board.evaluate(SSE_OPEN), what="the board's live stream open")
    board.evaluate("window.__stillTheSamePage = true")
    return context, board


def test_it_shows_a_phones_sync_on_the_board_without_a_reload(browser, own_server):
    office, board = open_board(browser, own_server)
    (engineer_id,) = query(own_server, "SELECT id FROM user_account WHERE username = 'engineer'")[0]
    li_wei = board.locator(f"#board-engineers [data-engineer='{uuid.UUID(engineer_id)}']")
    expect(li_wei).to_contain_text("Phone not synced yet")
    phone_context, phone = engineer_phone(browser, own_server)
    phone.goto(f"{own_server.url}/jobs/{job_id(own_server, 'Haidian Middle School')}")
    fill_contact(phone)
    expect(li_wei).to_contain_text("Synced", timeout=15_000)
    assert board.evaluate("window.__stillTheSamePage") is True
    phone_context.close()
    office.close()


def test_it_shows_a_change_made_while_the_boards_stream_was_cut(browser, own_server):
    office, board = open_board(browser, own_server)
    job = job_id(own_server, "Haidian Middle School")
    row = board.locator(f"#job-{job}")
    expect(row.locator(".badge.state")).to_have_text("Assigned")
    office.route("**/board/events*", lambda route: route.abort("connectionrefused"))
    own_server.stop()  # the open stream ends; the board cannot reconnect while the route refuses it
    own_server.start()
    phone_context, phone = engineer_phone(browser, own_server)
    phone.goto(f"{own_server.url}/jobs/{job}")
    fill_contact(phone)
    expect(phone.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    expect(row.locator(".badge.state")).to_have_text("Assigned")  # still cut off
    office.unroute("**/board/events*")
    expect(row.locator(".badge.state")).to_have_text("Scheduled", timeout=10_000)
    assert board.evaluate("window.__stillTheSamePage") is True
    phone_context.close()
    office.close()


def test_it_redraws_a_board_whose_missed_changes_are_no_longer_kept(browser, tmp_path):
    server = LiveServer(tmp_path, ONSITE_BOARD_EVENTS_KEEP_HOURS="0").start()  # each write prunes older events
    try:
        office, board = open_board(browser, server)
        board.evaluate("document.querySelector('[data-board-live]').dataset.drawnBefore = 'yes'")
        job = job_id(server, "Haidian Middle School")
        office.route("**/board/events*", lambda route: route.abort("connectionrefused"))
        server.stop()
        server.start()
        phone_context, phone = engineer_phone(browser, server)
        phone.goto(f"{server.url}/jobs/{job}")
        fill_contact(phone)
        # then the phone reports its sync, whose event prunes the change's
        wait_until(
            lambda: ("phone",) in query(server, "SELECT kind FROM board_event"),
            what="the phone's board event",
            timeout=15,
        )
        office.unroute("**/board/events*")
        expect(board.locator(f"#job-{job} .badge.state")).to_have_text("Scheduled", timeout=10_000)
        assert board.evaluate("document.querySelector('[data-board-live]').dataset.drawnBefore") is None
        assert board.evaluate("window.__stillTheSamePage") is True  # redrawn in place, not reloaded
        wait_until(lambda: board.evaluate(SSE_OPEN), what="the board live again")
        phone_context.close()
        office.close()
    finally:
        server.stop()
