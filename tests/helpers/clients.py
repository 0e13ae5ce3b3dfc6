"""In-process browsers: the CSRF header, signing in, a second browser on the same server."""

from contextlib import asynccontextmanager

from litestar.testing import AsyncTestClient

from app.main import create_app
from tests.helpers.env import PASSWORD


def csrf(client) -> dict[str, str]:
    return {"x-csrftoken": client.cookies["csrftoken"]}


async def sign_in(client, user, password: str = PASSWORD):
    return await client.post(
        "/login", data={"username": user.username, "password": password}, headers=csrf(client), follow_redirects=False
    )


@asynccontextmanager
async def browser_of(user, settings, clock):
    """Another browser on the same server (the engineer's phone, say), signed in as ``user``."""
    async with AsyncTestClient(app=create_app(settings, clock)) as other:
        await other.get("/login")
        await sign_in(other, user)
        yield other


def user_form(**overrides) -> dict[str, str]:
    return {
        "username": "new.engineer",
        "display_name": "New Engineer",
        "phone": "+86 10 1234 5678",
        "role": "engineer",
        "locale": "",
        "certified": "on",
        "password": "a-long-password",
        **overrides,
    }


def drawings(client) -> list[str]:
    """The board and My jobs parts ``client``'s app draws from now on, by name (those it serves kept are not
    listed)."""
    cache, drawn = client.app.state.page_cache, []
    fetch = cache.fetch
    cache.fetch = lambda key, seen, render, notes: fetch(key, seen, lambda: drawn.append(key[0]) or render(), notes)
    return drawn
