"""Staff messages speak their reader's language: the bell and the notifications page word each message when it is
shown, in the language of that request; an SMS to a member of staff speaks the language they chose, else the one
their browser asked for when they last signed in. Customers' messages keep choosing the customer's language."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.notify.models import Notification
from app.notify.texts import Moment, Words, compose, decode, encode, speaking
from tests.helpers.clients import sign_in
from tests.helpers.jobs import take_request
from tests.helpers.notify import notify_settings, scheduler_for, with_phone

CHINESE = "zh-CN,zh;q=0.9,en;q=0.5"
ENGLISH = "en-GB,en;q=0.9"


@pytest.fixture
def settings(settings, mail, sms):
    return notify_settings(settings, mail, sms)


async def test_the_bell_words_a_notification_in_the_language_of_whoever_reads_it(client, db, make_user):
    reads_chinese, reads_english = await make_user("coordinator"), await make_user("coordinator")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db, priority="urgent")

    client.headers["accept-language"] = CHINESE
    await sign_in(client, reads_chinese)
    page = (await client.get("/notifications")).text
    assert f"紧急报修：{job.number}" in page and "Urgent request" not in page
    client.headers["accept-language"] = ENGLISH  # the same message, read again in another language
    assert f"Urgent request: {job.number}" in (await client.get("/notifications")).text

    await sign_in(client, reads_english)
    page = (await client.get("/notifications")).text
    assert f"Urgent request: {job.number}" in page and "紧急" not in page


async def test_a_staff_sms_speaks_the_language_of_the_browser_at_the_last_sign_in(
    client, db, make_user, engine, settings, clock, sms
):
    chinese = await with_phone(db, await make_user("coordinator"), "13600000011")
    english = await with_phone(db, await make_user("coordinator"), "13600000012")
    for user, language in ((chinese, CHINESE), (english, ENGLISH)):
        client.headers["accept-language"] = language
        assert (await sign_in(client, user)).status_code == 303
    job = await take_request(client, db, priority="urgent")
    async with scheduler_for(engine, settings, clock) as scheduler:
        await scheduler.tick()
    assert sms.texts_to(chinese.phone)[0].startswith(f"紧急报修：{job.number}")
    assert sms.texts_to(english.phone)[0].startswith(f"Urgent request: {job.number}")
    stored = (await db.exec(select(Notification).where(Notification.user_id == chinese.id))).all()
    assert {message.locale for message in stored if message.channel == "sms"} == {"zh_Hans"}


def test_a_messages_names_are_kept_and_worded_again_in_each_language():
    due = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
    names = {
        "number": "MAIN-2612-0001",
        "rule": Words("Hand-over to dispatch"),
        "due": Moment(due),
        "office": Words("%(office)s, phone %(phone)s", {"office": "Pudong", "phone": "-"}),
    }
    kept = decode(encode(names))
    assert kept == names
    with speaking("zh_Hans"):
        chinese = compose("overdue", kept)
    with speaking("en"):
        english = compose("overdue", kept)
    assert chinese.subject == "已超时：交协调员派工，MAIN-2612-0001" and "14:30" in chinese.body
    assert english.subject == "Overdue: Hand-over to dispatch, MAIN-2612-0001" and "14:30" in english.body
