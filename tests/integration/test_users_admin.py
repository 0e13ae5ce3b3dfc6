"""The manager's user administration and role guards."""

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from tests.helpers.clients import csrf, sign_in, user_form


async def test_it_lets_a_manager_create_a_user_who_can_then_sign_in(client, make_user):
    await sign_in(client, await make_user("manager"))
    response = await client.post("/users", data=user_form(), headers=csrf(client), follow_redirects=True)
    assert response.status_code == 200
    assert "User New Engineer created." in response.text
    await client.post("/logout", headers=csrf(client))
    login = await client.post(
        "/login",
        headers=csrf(client),
        follow_redirects=False,
        data={"username": "new.engineer", "password": "a-long-password"},
    )
    assert login.headers["location"] == "/jobs/mine"


async def test_it_explains_what_is_wrong_with_a_user_form_and_writes_nothing(client, make_user, db):
    await sign_in(client, await make_user("manager"))
    before = await db.scalar(select(func.count()).select_from(User))
    cases = [
        (user_form(username="x"), "lowercase letters"),
        (user_form(display_name=""), "Name is required."),
        (user_form(display_name="n" * 500), "too long"),
        (user_form(phone="call me"), "not a valid phone number"),
        (user_form(role="superuser"), "Choose a valid role"),
        (user_form(password="short"), "at least 8 characters"),
    ]
    for form, message in cases:
        response = await client.post("/users", data=form, headers=csrf(client))
        assert response.status_code == 422, form
        assert message in response.text
    assert await db.scalar(select(func.count()).select_from(User)) == before


async def test_it_refuses_a_taken_username(client, make_user):
    await sign_in(client, await make_user("manager"))
    taken = await make_user("clerk")
    response = await client.post("/users", data=user_form(username=taken.username), headers=csrf(client))
    assert response.status_code == 422
    assert "already taken" in response.text


async def test_it_signs_a_deactivated_user_out_everywhere(client, make_user, settings, clock):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    manager = await make_user("manager")
    engineer = await make_user("engineer")
    async with AsyncTestClient(app=create_app(settings, clock)) as phone:
        await phone.get("/login")
        await sign_in(phone, engineer)
        assert (await phone.get("/jobs/mine")).status_code == 200
        await sign_in(client, manager)
        form = user_form(
            username=engineer.username, display_name=engineer.display_name, password="", version=str(engineer.version)
        )
        form.pop("is_active", None)  # unticked checkbox: deactivate
        response = await client.post(f"/users/{engineer.id}", data=form, headers=csrf(client), follow_redirects=False)
        assert response.status_code == 303
        page = await phone.get("/jobs/mine", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        relogin = await sign_in(phone, engineer)
        assert relogin.status_code == 422


async def test_it_refuses_an_edit_made_against_an_old_version(client, make_user, db):
    await sign_in(client, await make_user("manager"))
    clerk = await make_user("clerk")
    form = user_form(username=clerk.username, role="clerk", is_active="on", password="")
    first = await client.post(
        f"/users/{clerk.id}",
        data={**form, "display_name": "First", "version": "1"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert first.status_code == 303
    stale = await client.post(
        f"/users/{clerk.id}", data={**form, "display_name": "Second", "version": "1"}, headers=csrf(client)
    )
    assert stale.status_code == 422
    assert "Someone else changed this user" in stale.text
    await db.refresh(clerk)
    assert clerk.display_name == "First"


async def test_it_keeps_a_manager_from_locking_themselves_out(client, make_user):
    manager = await make_user("manager")
    await sign_in(client, manager)
    form = user_form(username=manager.username, role="engineer", is_active="on", password="", version="1")
    response = await client.post(f"/users/{manager.id}", data=form, headers=csrf(client))
    assert response.status_code == 422
    assert "cannot deactivate yourself" in response.text


async def test_it_answers_403_with_a_clear_page_when_a_role_may_not_see_a_page(client, make_user, db):
    await sign_in(client, await make_user("engineer"))
    for path in ["/board", "/parts/counter", "/users", "/users/new"]:
        response = await client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 403, path
        assert "Your role does not allow you to open this page." in response.text
    before = await db.scalar(select(func.count()).select_from(User))
    response = await client.post("/users", data=user_form(), headers=csrf(client))
    assert response.status_code == 403
    assert await db.scalar(select(func.count()).select_from(User)) == before


async def test_it_answers_404_with_a_clear_page(client, make_user):
    await sign_in(client, await make_user("manager"))
    response = await client.get("/no/such/page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "This page does not exist." in response.text
    response = await client.get("/users/00000000-0000-0000-0000-000000000000", headers={"accept": "text/html"})
    assert response.status_code == 404


async def test_it_refuses_an_oversized_form(client, make_user, db):
    await sign_in(client, await make_user("manager"))
    response = await client.post(
        "/users", headers={**csrf(client), "accept": "text/html"}, data=user_form(display_name="x" * 2_000_000)
    )
    assert response.status_code == 413
    assert "too large" in response.text
    assert "Traceback" not in response.text


async def test_it_stores_names_without_bidi_controls(client, make_user, db):
    await sign_in(client, await make_user("manager"))
    form = user_form(username="bidi.user", display_name="\u202eLi Wei\u202c", phone="\u200e+86 10 1234 5678")
    response = await client.post("/users", data=form, headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    stored = (await db.exec(select(User).where(User.username == "bidi.user"))).one()
    assert (stored.display_name, stored.phone) == ("Li Wei", "+86 10 1234 5678")
