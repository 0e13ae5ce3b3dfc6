"""Session and cookie details: the CSRF token belongs to the sign-in, unsafe requests come from our own
origin, every cookie is Secure over HTTPS, forwarded headers count only from trusted proxies."""

import os
import stat
from dataclasses import replace

from litestar.testing import AsyncTestClient

from app.core.migrate import upgrade
from app.main import create_app
from tests.helpers.clients import csrf, sign_in, user_form
from tests.helpers.env import PASSWORD


async def test_it_issues_a_new_csrf_token_at_sign_in(client, make_user):
    before = client.cookies["csrftoken"]
    await sign_in(client, await make_user("engineer"))
    assert client.cookies["csrftoken"] != before
    response = await client.post(
        "/account/language", data={"locale": "en"}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303


async def test_it_refuses_a_csrf_token_that_belongs_to_another_sign_in(client, make_user, settings, clock):
    """An attacker who can plant a cookie plants a valid token of their own: it is not this session's."""
    victim = await make_user("engineer")
    await sign_in(client, victim)
    async with AsyncTestClient(app=create_app(settings, clock)) as attacker:
        await attacker.get("/login")
        planted = attacker.cookies["csrftoken"]
    client.cookies.set("csrftoken", planted, domain="testserver.local")
    response = await client.post(
        "/account/language", data={"locale": "zh_Hans"}, headers={"x-csrftoken": planted, "accept": "text/html"}
    )
    assert response.status_code == 403
    assert response.headers["x-onsite-refused"] == "csrf"


async def test_it_refuses_unsafe_requests_from_another_origin(client, make_user):
    await sign_in(client, await make_user("engineer"))
    for headers in [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"referer": "https://evil.example/page"},
        {"origin": "http://testserver.local.evil.example"},
    ]:
        response = await client.post("/account/language", data={"locale": "en"}, headers={**csrf(client), **headers})
        assert response.status_code == 403, headers


async def test_it_accepts_its_own_origin_and_tools_that_send_neither_header(client, make_user):
    """Browsers send Origin on every POST, fetch and outbox replays included; a request with neither Origin nor
    Referer is not a browser's cross-site request (the token is still required)."""
    await sign_in(client, await make_user("engineer"))
    for headers in [{"origin": "http://testserver.local"}, {"referer": "http://testserver.local/jobs/mine"}, {}]:
        response = await client.post(
            "/account/language", data={"locale": "en"}, headers={**csrf(client), **headers}, follow_redirects=False
        )
        assert response.status_code == 303, headers


async def test_it_marks_every_cookie_secure_over_https(settings, clock, engine, make_user):
    user = await make_user("manager")
    async with AsyncTestClient(app=create_app(settings, clock), base_url="https://onsite.example") as browser:
        first = await browser.get("/login")
        login = await browser.post(
            "/login",
            data={"username": user.username, "password": PASSWORD},
            headers={"x-csrftoken": browser.cookies["csrftoken"]},
            follow_redirects=False,
        )
        created = await browser.post("/users", data=user_form(), headers=csrf(browser), follow_redirects=False)
        cookies = [
            value for r in (first, login, created) for name, value in r.headers.multi_items() if name == "set-cookie"
        ]
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"csrftoken", "onsite_session", "onsite_flash"} <= names
    assert [c for c in cookies if "; secure" not in c.lower()] == []


async def test_it_trusts_forwarded_headers_only_from_its_proxies(settings, clock, engine):
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.1"}
    async with AsyncTestClient(app=create_app(settings, clock)) as direct:
        cookie = (await direct.get("/login", headers=forwarded)).headers["set-cookie"]
        assert "secure" not in cookie.lower()
    proxied_settings = replace(settings, trusted_proxies=("testclient",))
    async with AsyncTestClient(app=create_app(proxied_settings, clock)) as proxied:
        cookie = (await proxied.get("/login", headers=forwarded)).headers["set-cookie"]
        assert "secure" in cookie.lower()


def test_it_creates_the_sqlite_database_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "fresh.db"
    old = os.umask(0o022)
    try:
        upgrade(f"sqlite+aiosqlite:///{path}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_it_binds_a_new_token_when_a_signed_in_page_loads_without_the_bound_one(client, make_user, db):
    """The CSRF cookie expired (or someone planted one): the next page gets a fresh token that works, and the
    planted one still does not."""
    await sign_in(client, await make_user("engineer"))
    async with AsyncTestClient(app=client.app) as other:
        await other.get("/login")
        planted = other.cookies["csrftoken"]
    client.cookies.set("csrftoken", planted, domain="testserver.local")
    page = await client.get("/jobs/mine")
    fresh = client.cookies["csrftoken"]
    assert fresh != planted and f'content="{fresh}"' in page.text
    response = await client.post(
        "/account/language", data={"locale": "en"}, headers={"x-csrftoken": fresh}, follow_redirects=False
    )
    assert response.status_code == 303
    client.cookies.set("csrftoken", planted, domain="testserver.local")
    refused = await client.post("/account/language", data={"locale": "en"}, headers={"x-csrftoken": planted})
    assert refused.status_code == 403


def test_it_accepts_https_forms_behind_a_proxy_when_told_the_app_is_served_over_https(settings):
    from litestar.connection import ASGIConnection

    from app.accounts.request_checks import from_another_origin

    scope = {
        "type": "http",
        "scheme": "http",
        "headers": [(b"host", b"onsite.example"), (b"origin", b"https://onsite.example")],
    }
    assert from_another_origin(ASGIConnection(scope), settings)
    assert not from_another_origin(ASGIConnection(scope), replace(settings, secure_cookies=True))
    assert not from_another_origin(ASGIConnection(scope), replace(settings, public_url="https://onsite.example"))
