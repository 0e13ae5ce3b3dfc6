"""Signing in and out, sessions and the sign-in rate limit (issue #3)."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import LoginAttempt, UserSession
from tests.conftest import csrf, sign_in

HOMES = {"engineer": "/jobs/mine", "clerk": "/parts/counter", "coordinator": "/board", "manager": "/board"}


@pytest.mark.parametrize("role", HOMES)
async def test_it_lands_each_role_on_its_home_page(client, make_user, role):
    user = await make_user(role)
    response = await sign_in(client, user)
    assert response.status_code == 303
    assert response.headers["location"] == HOMES[role]
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    home = await client.get(HOMES[role])
    assert home.status_code == 200
    assert user.display_name in home.text


async def test_it_refuses_a_wrong_password_with_a_clear_message(client, make_user, db):
    user = await make_user("engineer")
    response = await sign_in(client, user, password="wrong-password")
    assert response.status_code == 422
    assert "Wrong username or password." in response.text
    assert await db.scalar(select(func.count()).select_from(UserSession)) == 0


async def test_it_treats_unknown_and_sql_looking_usernames_as_wrong_credentials(client):
    for name in ["nobody", "admin' OR '1'='1", "x" * 5000]:
        response = await client.post("/login", data={"username": name, "password": "p"}, headers=csrf(client))
        assert response.status_code == 422
        assert "Wrong username or password." in response.text


async def test_it_slows_down_password_guessing(client, make_user, db):
    user = await make_user("engineer")
    for _ in range(5):
        assert (await sign_in(client, user, password="guess")).status_code == 422
    response = await sign_in(client, user)  # even the right password waits now
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert await db.scalar(select(func.count()).select_from(LoginAttempt)) == 5


async def test_it_lets_a_user_in_again_once_the_window_has_passed(client, make_user, clock):
    user = await make_user("engineer")
    for _ in range(5):
        await sign_in(client, user, password="guess")
    clock.advance(minutes=16)
    assert (await sign_in(client, user)).status_code == 303


async def test_it_ends_the_session_on_sign_out(client, make_user, db):
    user = await make_user("coordinator")
    await sign_in(client, user)
    response = await client.post("/logout", headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    assert await db.scalar(select(func.count()).select_from(UserSession)) == 0
    page = await client.get("/board", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


async def test_it_sends_a_signed_out_visitor_to_the_login_page_and_back(client, make_user):
    user = await make_user("clerk")
    page = await client.get("/parts/counter", follow_redirects=False)
    assert page.headers["location"] == "/login?next=/parts/counter"
    response = await client.post(
        "/login",
        headers=csrf(client),
        follow_redirects=False,
        data={"username": user.username, "password": "correct-horse-battery", "next": "/parts/counter"},
    )
    assert response.headers["location"] == "/parts/counter"


async def test_it_never_redirects_to_another_site_after_sign_in(client, make_user):
    user = await make_user("clerk")
    response = await client.post(
        "/login",
        headers=csrf(client),
        follow_redirects=False,
        data={"username": user.username, "password": "correct-horse-battery", "next": "//evil.example/"},
    )
    assert response.headers["location"] == "/parts/counter"


async def test_it_refuses_a_form_without_its_csrf_token(client, make_user, db):
    user = await make_user("engineer")
    response = await client.post(
        "/login", data={"username": user.username, "password": "x"}, headers={"accept": "text/html"}
    )
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert await db.scalar(select(func.count()).select_from(LoginAttempt)) == 0
