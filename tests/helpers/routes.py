"""Walking the app's own route table in tests: concrete paths, and one test client switching between users."""

import re
import uuid

from litestar.response import ServerSentEvent

from app.accounts.policy import ANONYMOUS, RoutePolicy, route_policies
from tests.helpers.clients import sign_in

# A value for every path parameter the app uses, when a test gives no object of its own.
DEFAULT_PARAMS = {
    "action": "acknowledge",
    "day": "2026-12-25",
    "code": "ABCDEFGH",
    "step_key": "warranty",
    "step": "storeroom",
    "key": "repair",
    "token": "not-a-token",
    "file_path": "css/app.css",
}
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def concrete(path: str, values: dict[str, str]) -> str:
    """``/visits/{job_id:uuid}/photos`` with the given values (defaults, or a fresh uuid for ids)."""
    return _PARAM.sub(lambda match: str(values.get(match[1]) or DEFAULT_PARAMS.get(match[1]) or uuid.uuid4()), path)


def routes(app) -> list[RoutePolicy]:
    """Every route, signing out last (it would end the session the next requests use)."""
    return sorted(route_policies(app), key=lambda policy: (policy.path == "/logout", policy.path, policy.method))


def streams(policy: RoutePolicy) -> bool:
    """A Server-Sent Events route never finishes its answer: only its refusals can be checked by a request."""
    return policy.handler.parsed_fn_signature.return_type.annotation is ServerSentEvent


class Subjects:
    """One test client, one cookie jar per user signed in once: ``use(name)`` switches between them."""

    def __init__(self, client) -> None:
        self.client = client
        self.jars: dict[str, dict[str, str]] = {}
        self.users: dict[str, object] = {}

    async def add(self, name: str, user=None) -> None:
        self.client.cookies.clear()
        await self.client.get("/login")
        if user is not None:
            response = await sign_in(self.client, user)
            assert response.status_code == 303, response.text[:500]
            await self.client.get("/login")  # any cookie the sign-in renewed
            self.users[name] = user
        self.jars[name] = dict(self.client.cookies)

    def use(self, name: str) -> dict[str, str]:
        """Switches the client to ``name``'s cookies; returns the headers an unsafe request needs."""
        self.client.cookies.clear()
        for key, value in self.jars[name].items():
            self.client.cookies.set(key, value)
        return {"x-csrftoken": self.jars[name].get("csrftoken", "")}

    async def request(self, name: str, method: str, url: str, **kwargs):
        headers = {**self.use(name), **kwargs.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, follow_redirects=False, **kwargs)


async def every_role(subjects: Subjects, make_user, engineer) -> None:
    """Signs in one user of each role (the given engineer for ``engineer``) and a signed-out visitor."""
    from app.accounts.models import Role

    await subjects.add(ANONYMOUS)
    for role in Role:
        await subjects.add(role.value, engineer if role == Role.ENGINEER else await make_user(role.value))
