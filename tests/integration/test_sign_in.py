"""Signing in and out, sessions and the sign-in rate limit."""

from dataclasses import replace

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import LoginAttempt, UserSession
from tests.helpers.clients import csrf, sign_in
from tests.helpers.env import PASSWORD


@pytest.fixture
def settings(settings):
    """The test client's peer stands for a reverse proxy, so each test can sign in from several addresses."""
    return replace(settings, trusted_proxies=("testclient",))


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


async def guess(client, username: str, address: str = "203.0.113.7", password: str = "guess"):
    """A sign-in from ``address``, as reported by the (trusted) proxy in front of the app."""
    return await client.post(
        "/login",
        data={"username": username, "password": password},
        headers={**csrf(client), "x-forwarded-for": address},
        follow_redirects=False,
    )


async def test_it_makes_a_guesser_wait_longer_after_each_failure_and_says_how_long(client, make_user, clock, db):
    user = await make_user("engineer")
    for _ in range(3):  # the first failures are free: a typo costs nothing
        assert (await guess(client, user.username)).status_code == 422
    waits = []
    for _ in range(4):
        refused = await guess(client, user.username)
        assert refused.status_code == 429
        assert "Too many failed sign-ins" in refused.text
        waits.append(int(refused.headers["retry-after"]))
        clock.advance(seconds=waits[-1])
        assert (await guess(client, user.username)).status_code == 422  # a guess counts once the wait is over
    assert waits == [2, 4, 8, 16]
    assert "Wait 32 seconds" in (await guess(client, user.username)).text
    assert (await guess(client, user.username, password=PASSWORD)).status_code == 429  # even the right password
    assert await db.scalar(select(func.count()).select_from(LoginAttempt)) == 7  # refused tries are not counted


async def test_it_never_locks_a_user_out_because_strangers_guessed_elsewhere(client, make_user, clock):
    user = await make_user("engineer")
    for _ in range(8):
        await guess(client, user.username, address="198.51.100.9")
        clock.advance(minutes=1)
    assert (await guess(client, user.username, address="198.51.100.9")).status_code == 429
    assert (await guess(client, user.username, address="203.0.113.7", password=PASSWORD)).status_code == 303


async def test_it_lets_an_office_behind_one_address_sign_in_while_someone_there_mistypes(client, make_user, clock):
    colleague = await make_user("engineer")
    for n in range(10):  # unknown names from the office's address: far below the address's free failures
        assert (await guess(client, f"nobody-{n}", address="192.0.2.1")).status_code == 422
    assert (await guess(client, colleague.username, address="192.0.2.1", password=PASSWORD)).status_code == 303


async def test_it_slows_an_address_that_tries_many_names(client, make_user, clock):
    user = await make_user("engineer")
    for n in range(20):
        assert (await guess(client, f"name-{n}", address="192.0.2.66")).status_code == 422
    refused = await guess(client, user.username, address="192.0.2.66", password=PASSWORD)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "2"
    assert (await guess(client, user.username, address="192.0.2.77", password=PASSWORD)).status_code == 303


async def test_it_forgets_failures_after_the_window_and_after_a_sign_in(client, make_user, clock):
    user = await make_user("engineer")
    for _ in range(6):
        await guess(client, user.username)
        clock.advance(seconds=30)
    clock.advance(minutes=61)
    assert (await guess(client, user.username, password=PASSWORD)).status_code == 303
    for _ in range(3):
        assert (await guess(client, user.username)).status_code == 422
    clock.advance(seconds=2)
    assert (await guess(client, user.username, password=PASSWORD)).status_code == 303
    assert (await guess(client, user.username)).status_code == 422  # the sign-in cleared this address's failures


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
