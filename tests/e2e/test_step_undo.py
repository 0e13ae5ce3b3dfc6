"""A step that finished itself on a single choice offers "Undo" right there, with no signal too."""

import uuid

from playwright.sync_api import expect

from tests.e2e.test_offline_outbox import job_id, query
from tests.e2e.test_visit import arrive_to_reproduce, check, current, done, fill, open_visit, synced
from tests.e2e.test_visit_actions import SHOTS, SMALL_PHONE
from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER, phone_with_outbox
from tests.helpers.env import shared_photos


def reach_data_risk(page) -> None:
    arrive_to_reproduce(page, shared_photos(), warranty_photos=False)
    current(page).get_by_label("Reproduced", exact=True).check()
    done(page, "Classify the fault")
    current(page).get_by_label("Hardware", exact=True).check()
    fill(page, **{"Faulty part and cause": "Worn feed roller"})
    done(page, "Explain and agree")
    check(page, "Fault and intended fix explained")
    done(page, "Consent to open the device")
    check(page, "Customer agrees to opening the device")
    done(page, "Data risk")


def test_a_single_choice_step_is_undone_with_no_signal_and_the_new_answer_reaches_the_server(browser, server):
    context, page = phone_with_outbox(browser)
    page.set_viewport_size(SMALL_PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_visit(page, server.url, "Chaoyang Print Shop")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    reach_data_risk(page)
    synced(page)
    context.set_offline(True)

    current(page).get_by_label("No", exact=True).check()  # finishes "Data risk" by itself
    expect(current(page).locator(".step-title")).to_contain_text("Authenticity of components")
    data_risk = page.locator('li[data-step="data_risk"]')
    undo = data_risk.get_by_test_id("undo-step")
    expect(undo).to_be_in_viewport()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "undo-offered.png"))
    undo.click()

    expect(current(page).locator(".step-title")).to_contain_text("Data risk")
    expect(current(page).get_by_label("No", exact=True)).to_be_checked()  # the answer kept, to change
    expect(undo).to_be_hidden()
    current(page).get_by_label("Yes", exact=True).check()
    current(page).get_by_label("Customer waives the backup", exact=True).check()
    expect(current(page).locator(".step-title")).to_contain_text("Customer's data-risk consent")
    page.screenshot(path=str(SHOTS / "undo-changed.png"))
    current(page).get_by_test_id("handover").click()  # touching the next step withdraws the offer
    expect(undo).to_be_hidden()
    expect(page.get_by_test_id("pending-count")).to_have_text("4")  # done, undone, done again, handed over

    context.set_offline(False)
    synced(page)
    job = uuid.UUID(job_id(server, "Chaoyang Print Shop")).hex
    rows = query(server, 'SELECT "values" FROM visit_step_result WHERE job_id = ? AND step_key = ?', job, "data_risk")
    assert len(rows) == 1 and '"at_risk": "yes"' in rows[0][0]
    assert query(server, "SELECT count(*) FROM job_event WHERE job_id = ? AND kind = 'step_reopened'", job) == [(1,)]
    assert not errors
    context.close()


def test_a_step_that_moves_the_job_on_offers_no_undo(browser, server):
    context, page = phone_with_outbox(browser)
    page.set_viewport_size(SMALL_PHONE)
    open_visit(page, server.url, "Xicheng School")
    current(page).get_by_label("Badge shown and card offered", exact=True).check()  # moves the job on: no undo
    expect(current(page).locator(".step-title")).to_contain_text("Enter the site")
    expect(page.locator("[data-undo]:visible")).to_have_count(0)
    context.close()
