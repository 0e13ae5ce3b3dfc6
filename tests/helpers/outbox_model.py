"""A phone's outbox as static/js/outbox.js runs it, in Python, for the generated replay tests.

Items keep their idempotency key; a flush sends each job's items oldest first, waits and asks again on
409 + Retry-After, stops at the first network failure, and keeps a refused item with its reason (blocking its
job's later items) until a person discards it. ``Faults`` decides what the network does to each send.
"""

import re
import uuid
from dataclasses import dataclass, field

MAX_WAITS = 5
# Where static/js/outbox.js's serverReason looks for the server's reason, in its order.
REASONS = [
    re.compile(pattern, re.S)
    for pattern in (
        r'<[^>]*data-testid="form-error"[^>]*>(.*?)</',
        r'<[^>]*class="field-error"[^>]*>(.*?)</',
        r'<[^>]*class="message message-error"[^>]*>(.*?)</',
        r'class="error-page".*?<p[^>]*>(.*?)</',
    )
]


@dataclass
class Item:
    job: str
    fields: dict
    key: str = field(default_factory=lambda: f"outbox-{uuid.uuid4()}")
    status: str = "pending"
    error: str = ""


class NetworkDown(Exception):  # noqa: N818 - what the phone experiences
    """The phone got no answer (the request or its answer was lost)."""


@dataclass
class Counts:
    sends: int = 0
    lost_requests: int = 0
    lost_answers: int = 0
    duplicates: int = 0
    late_duplicates: int = 0
    waits: int = 0
    refused: int = 0
    coordinator_edits: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Phone:
    def __init__(self, client, name: str, clock, counts: Counts) -> None:
        self.client, self.name, self.clock, self.counts = client, name, clock, counts
        self.items: list[Item] = []
        self.queued: list[Item] = []
        self.acknowledged: list[Item] = []

    def queue(self, job: str, fields: dict) -> Item:
        item = Item(job, fields)
        self.items.append(item)
        self.queued.append(item)
        return item

    async def post(self, item: Item):
        self.clock.advance(seconds=1)  # every delivery at its own time: the server's order is visible
        self.counts.sends += 1
        return await self.client.post(
            f"/jobs/{item.job}/escalate",
            data=item.fields,
            follow_redirects=False,
            headers={"x-csrftoken": self.client.cookies["csrftoken"], "idempotency-key": item.key},
        )

    async def deliver(self, item: Item, fault: str):
        """One send as the network treats it: ``ok``, ``lost_request``, ``lost_answer`` or ``duplicate``."""
        if fault == "lost_request":
            self.counts.lost_requests += 1
            raise NetworkDown
        response = await self.post(item)
        if fault == "lost_answer":
            self.counts.lost_answers += 1
            raise NetworkDown
        if fault == "duplicate":
            self.counts.duplicates += 1
            response = await self.post(item)
        return response

    async def send_waiting(self, item: Item, fault: str):
        response = await self.deliver(item, fault)
        for _ in range(MAX_WAITS):
            if response.status_code != 409 or "retry-after" not in response.headers:
                break
            self.counts.waits += 1
            response = await self.deliver(item, "ok")
        return response

    async def flush(self, job_order: list[str], faults) -> None:
        """Sends pending items job by job in ``job_order`` (jobs flushed out of order), each job oldest first."""
        for job in job_order:
            for item in [i for i in self.items if i.job == job]:
                if item.status == "failed":
                    break
                try:
                    response = await self.send_waiting(item, faults())
                except NetworkDown:
                    return  # offline: the whole flush stops, everything stays for later
                if response.status_code == 303:
                    self.items.remove(item)
                    self.acknowledged.append(item)
                    continue
                if response.status_code == 409 or response.status_code >= 500:
                    break  # try again on the next flush, in order
                self.counts.refused += 1
                item.status, item.error = "failed", reason(response.text)
                break

    async def late_duplicate(self, index: int) -> None:
        """A copy of an answered item arrives again, long after (a retry the network held back)."""
        if self.acknowledged:
            self.counts.late_duplicates += 1
            response = await self.post(self.acknowledged[index % len(self.acknowledged)])
            assert response.status_code == 303 and response.headers["idempotent-replayed"] == "true"

    def discard_refused(self) -> list[Item]:
        refused = [item for item in self.items if item.status == "failed"]
        self.items = [item for item in self.items if item.status != "failed"]
        return refused


def reason(page: str) -> str:
    for pattern in REASONS:
        if (found := pattern.search(page)) and (text := re.sub(r"\s+", " ", found.group(1)).strip()):
            return text
    return ""
