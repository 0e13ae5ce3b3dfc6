"""Reading a board's event stream as a browser does: ids, event names, data, and keep-alive comments."""

import asyncio
from dataclasses import dataclass, field

import httpx

from tests.helpers.env import PASSWORD
from tests.helpers.jobs import intake_form


@dataclass
class Event:
    id: str
    name: str
    data: str


@dataclass
class BoardStream:
    """One open ``/board/events``: ``next(name)`` waits for an event, counting keep-alives on the way."""

    lines: object
    keepalives: int = 0
    seen: list[Event] = field(default_factory=list)
    last_id: str = ""

    async def next(self, name: str | None = None, timeout: float = 5.0, keepalives: int = 0) -> Event:
        async def read() -> Event:
            event = Event("", "", "")
            async for line in self.lines:
                if line.startswith(":"):
                    self.keepalives += 1
                elif line.startswith("id: "):
                    event.id = self.last_id = line[4:]
                elif line.startswith("event: "):
                    event.name = line[7:]
                elif line.startswith("data: "):
                    event.data = line[6:]
                elif line == "" and event.name:
                    self.seen.append(event)
                    if (name is None or event.name == name) and self.keepalives >= keepalives:
                        return event
                    event = Event("", "", "")
            raise AssertionError("stream ended")

        return await asyncio.wait_for(read(), timeout)

    async def until_keepalives(self, count: int, timeout: float = 10.0) -> None:
        async def read() -> None:
            async for line in self.lines:
                if line.startswith(":"):
                    self.keepalives += 1
                    if self.keepalives >= count:
                        return
                elif line.startswith("event: "):
                    raise AssertionError(f"unexpected {line}")
            raise AssertionError("stream ended")

        await asyncio.wait_for(read(), timeout)


async def open_board(client: httpx.AsyncClient, stack, last_event_id: str = "") -> BoardStream:
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    response = await stack.enter_async_context(client.stream("GET", "/board/events", headers=headers))
    assert response.status_code == 200
    stream = BoardStream(response.aiter_lines())
    await stream.next("ready", timeout=10)
    return stream


async def take_request(client: httpx.AsyncClient, serial: str) -> str:
    """A coordinator takes a request; returns the new job's id."""
    response = await client.post(
        "/jobs/", data=intake_form(device_serial=serial), headers={"x-csrftoken": client.cookies["csrftoken"]}
    )
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"].rsplit("/", 1)[-1]


async def coordinator_clients(*urls: str, username: str) -> list[httpx.AsyncClient]:
    return [await signed_in_client(url, username) for url in urls]


async def signed_in_client(base_url: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=10)
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
    assert response.status_code in {200, 303}
    return client
