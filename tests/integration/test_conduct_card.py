"""The daily conduct card (F26): shown on an engineer's My jobs until they read it that day, worded by the manager
in both languages, the acknowledgements listed for the manager."""

from sqlmodel import select

from app.audit.models import AuditEntry
from app.conduct.models import ConductAcknowledgement
from app.conduct.rules import RULES_EN
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post
from tests.helpers.offices import second_office, user_of

FIRST_RULE = RULES_EN.splitlines()[0]
TODAY = "2026-11-23"  # the test clock's day in Beijing


async def test_the_engineer_reads_the_card_once_a_day_and_the_manager_sees_who_did(client, db, make_user, clock):
    engineer = await make_user("engineer", display_name="Li Wei")
    await make_user("engineer", display_name="Zhang Min")
    await sign_in(client, engineer)
    page = (await client.get("/jobs/mine")).text
    assert 'data-testid="conduct-card"' in page and FIRST_RULE in page and f'value="{TODAY}"' in page
    assert (await post(client, "/conduct/acknowledge", day=TODAY)).status_code == 303
    assert (await post(client, "/conduct/acknowledge", day=TODAY)).status_code == 303  # sent again: once
    rows = (await db.exec(select(ConductAcknowledgement))).all()
    assert [(row.user_id, row.day.isoformat()) for row in rows] == [(engineer.id, TODAY)]
    assert 'data-testid="conduct-card"' not in (await client.get("/jobs/mine")).text
    manager = await make_user("manager")
    await sign_in(client, manager)
    page = (await client.get("/conduct")).text
    assert "Read at" in page and "Not yet" in page
    assert page.index("Zhang Min") < page.index("Li Wei")  # who has not read it first
    clock.advance(days=1)
    await sign_in(client, engineer)
    assert 'data-testid="conduct-card"' in (await client.get("/jobs/mine")).text  # a new day, the card again


async def test_the_card_reads_in_the_engineers_language_and_the_manager_words_it(client, db, make_user):
    engineer = await make_user("engineer", locale="zh_Hans")
    await sign_in(client, engineer)
    assert "不允许在服务现场抽烟" in (await client.get("/jobs/mine")).text
    manager = await make_user("manager")
    await sign_in(client, manager)
    page = (await client.get("/conduct")).text
    assert 'name="version" value="0"' in page
    card = {"text_en": "Be on time.\nSmile.", "text_zh": "准时到达。\n微笑服务。", "version": "0"}
    assert (await post(client, "/conduct", **card)).status_code == 303
    assert (await post(client, "/conduct", **card)).status_code == 303  # sent again: no change
    stale = await post(client, "/conduct", **{**card, "text_en": "Other"})
    assert stale.status_code == 409 and "changed the card meanwhile" in stale.text
    empty = await post(client, "/conduct", text_en=" ", text_zh="", version="1")
    assert empty.status_code == 422 and "Card in English is required." in empty.text
    await sign_in(client, engineer)
    page = (await client.get("/jobs/mine")).text
    assert "<li>准时到达。</li>" in page and "抽烟" not in page
    saved = (await db.exec(select(AuditEntry).where(AuditEntry.action == "conduct_card_saved"))).all()
    assert [entry.details for entry in saved] == [{"version": 1}]


async def test_it_refuses_a_card_of_another_day_and_other_roles(client, db, make_user, clock):
    engineer = await make_user("engineer")
    await sign_in(client, engineer)
    for day in ("2026-11-20", "yesterday", "2026-11-24"):
        response = await post(client, "/conduct/acknowledge", day=day)
        assert response.status_code == 422, day
    assert (await db.exec(select(ConductAcknowledgement))).all() == []
    assert (await post(client, "/conduct/acknowledge", day="2026-11-22")).status_code == 303  # offline overnight
    assert (await post(client, "/conduct", text_en="x", text_zh="y", version="0")).status_code == 403
    await sign_in(client, await make_user("coordinator"))
    assert (await post(client, "/conduct/acknowledge", day=TODAY)).status_code == 403
    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "manager", clock))
    assert engineer.display_name not in (await client.get("/conduct")).text
