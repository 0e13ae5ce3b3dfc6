"""What the customer reads before signing is the same with no signal as on the customer's page: both come from
one template, the phone only refilling its values."""

from playwright.sync_api import expect

from tests.e2e.test_offline_outbox import job_id
from tests.e2e.test_visit import (
    arrive_to_reproduce,
    current,
    diagnose_a_hardware_fault,
    done,
    fill,
    lend_unit,
    open_visit,
    synced,
    verify_with_the_customer,
)
from tests.e2e.test_visit_actions import SHOTS, SMALL_PHONE
from tests.helpers.browser import WAIT_FOR_SERVICE_WORKER, ServerLink, phone_with_outbox
from tests.helpers.env import shared_photos


def what_the_customer_reads(summary) -> tuple[str, list[str]]:
    expect(summary).to_be_visible()
    return summary.inner_text(), [image.get_attribute("alt") for image in summary.locator("img").all()]


def test_the_offline_signing_summary_is_the_one_the_customer_page_shows(browser, server):
    context, page = phone_with_outbox(browser)
    link = ServerLink(context)
    page.set_viewport_size(SMALL_PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    lend_unit(server, "Chaoyang Print Shop", "ROL-20931")
    open_visit(page, server.url, "Chaoyang Print Shop")
    page.evaluate(WAIT_FOR_SERVICE_WORKER)
    photos = shared_photos()
    arrive_to_reproduce(page, photos, warranty_photos=True)
    diagnose_a_hardware_fault(page)
    synced(page)

    context.set_offline(True)  # no signal, and the server out of reach as well
    link.cut()
    fill(page, **{"Work done": "Replaced the feed roller", "Fitted part serial (scan or type)": "rol-20931"})
    done(page, "New problem found")
    verify_with_the_customer(page, photos / "image00971.jpg")
    current(page).get_by_test_id("handover").click()
    offline = what_the_customer_reads(current(page).get_by_test_id("signing-summary"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    current(page).locator("[data-customer-panel]").screenshot(path=str(SHOTS / "summary-offline.png"))
    assert "Replaced the feed roller" in offline[0] and "ROL-20931" in offline[0]
    assert len(offline[1]) == 4

    link.mend()
    context.set_offline(False)
    synced(page)
    page.goto(f"{server.url}/visits/{job_id(server, 'Chaoyang Print Shop')}/sign/signature")
    online = what_the_customer_reads(page.get_by_test_id("signing-summary"))
    page.screenshot(path=str(SHOTS / "summary-online.png"), full_page=True)
    assert offline == online
    assert not errors
    context.close()
