"""Simulated phones: engineers signed in over HTTP who walk their visits through the real endpoints, each phone
one action at a time (as its outbox sends them, every action with its own Idempotency-Key), paced across all
phones at a set rate of actions per second."""

import asyncio
import collections
import io
import itertools
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
from PIL import Image, ImageFilter

from bench.harness import p95, signed_in
from bench.scratch import connect
from tests.helpers.visits import PLAN

WALKABLE = ("SCHEDULED", "EN_ROUTE")  # the visits a phone can walk from its first step
# The repair visit up to its first step that needs a part or the customer (repair, signature).
VISIT = PLAN[: [key for key, _fields, _photos in PLAN].index("repair")]
# The first steps without photos: the warranty looked up by serial instead of photographed.
STEPS_ONLY = [
    ("arrive", {"badge_shown": "on"}),
    ("enter", {"consent_to_enter": "on", "admitted_by": "Mr. Zhao", "shoe_covers": "on"}),
    ("warranty", {"lookup_result": "in_warranty", "lookup_reason": "No card: the serial says in warranty"}),
    ("repair_order", {"fault_in_words": "It beeps", "when_occurs": "Mornings", "environment": "Dusty lab"}),
]


@dataclass
class Action:
    kind: str  # status, step or photo
    url: str
    data: dict
    photo: bytes | None = None
    key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def answered(self) -> int:
        return 201 if self.photo else 303


@dataclass
class Phone:
    username: str
    client: httpx.AsyncClient
    actions: deque[Action] = field(default_factory=deque)


@dataclass
class Replayed:
    target: float
    latencies_ms: list[float]
    failed: list[str]
    elapsed_s: float
    kinds: collections.Counter[str] = field(default_factory=collections.Counter)  # actions sent, by kind or step

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s

    @property
    def p95_ms(self) -> float:
        return p95(self.latencies_ms) if len(self.latencies_ms) > 1 else float("inf")


def photos(count: int = 8) -> Iterator[bytes]:
    """Photos as the phone sends them after its downscale: 2048x1536 JPEG of about 450 KB, each different."""
    made = []
    for _ in range(count):
        image = Image.effect_noise((2048, 1536), 60).filter(ImageFilter.GaussianBlur(1.6)).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=86)
        made.append(buffer.getvalue())
    return itertools.cycle(made)


def visit_walk(job_id: str, state: str, pictures: Iterator[bytes]) -> list[Action]:
    """A visit as the engineer walks it: set off (a status report) when only scheduled, then the steps from arrival
    to the authenticity check, with the step's photos (about 450 KB each) before it."""
    actions = [Action("status", f"/jobs/{job_id}/travel", {})] if state == "SCHEDULED" else []
    for key, fields, photo_count in VISIT:
        for _ in range(photo_count):
            data = {"step": key, "id": str(uuid.uuid4())}
            actions.append(Action("photo", f"/visits/{job_id}/photos", data, next(pictures)))
        actions.append(Action("step", f"/visits/{job_id}/steps/{key}", {"id": str(uuid.uuid4()), **fields}))
    return actions


def steps_only(job_id: str, _state: str, _pictures: Iterator[bytes]) -> list[Action]:
    return [
        Action("step", f"/visits/{job_id}/steps/{key}", {"id": str(uuid.uuid4()), **fields})
        for key, fields in STEPS_ONLY
    ]


async def walkable_jobs(url: str, engineers: int) -> dict[str, list[tuple[str, str]]]:
    """Username → (job id, state) of the open onsite visits still to walk, for the ``engineers`` with most of them."""
    conn = await connect(url)
    try:
        rows = await conn.fetch(
            """SELECT u.username, j.id::text AS id, j.state FROM job j JOIN user_account u ON u.id = j.engineer_id
               WHERE j.job_type = 'ONSITE' AND j.state = ANY($1::text[])
                 AND NOT EXISTS (SELECT 1 FROM visit_checklist c WHERE c.job_id = j.id)
               ORDER BY u.username, j.number""",
            list(WALKABLE),
        )
    finally:
        await conn.close()
    jobs: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        jobs.setdefault(row["username"], []).append((row["id"], row["state"]))
    chosen = sorted(jobs, key=lambda username: -len(jobs[username]))[:engineers]
    return {username: jobs[username] for username in chosen}


async def mark_walkable(url: str) -> None:
    """Remembers the visits a replay may walk, so that ``reset`` can put them back as they were."""
    conn = await connect(url)
    try:
        states = ", ".join(f"'{state}'" for state in WALKABLE)
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS bench_walkable AS SELECT id, state FROM job WHERE state IN ({states})"
        )
    finally:
        await conn.close()


async def reset(url: str) -> None:
    """The walked visits back to where they started (checklists dropped, states restored) for the next replay."""
    conn = await connect(url)
    try:
        await conn.execute("""
            DELETE FROM visit_photo WHERE job_id IN (SELECT id FROM bench_walkable);
            DELETE FROM visit_step_result WHERE job_id IN (SELECT id FROM bench_walkable);
            DELETE FROM visit_checklist WHERE job_id IN (SELECT id FROM bench_walkable);
            UPDATE job SET state = w.state FROM bench_walkable w WHERE job.id = w.id;
            ANALYZE job;""")
    finally:
        await conn.close()


async def sign_in(base: str, usernames: list[str], parallel: int = 8) -> dict[str, dict]:
    """Each engineer's session cookies (signing in checks a password hash: a few at a time)."""
    gate = asyncio.Semaphore(parallel)

    async def one(username: str) -> dict:
        async with gate:
            return await signed_in(base, username)

    return dict(zip(usernames, await asyncio.gather(*(one(username) for username in usernames)), strict=True))


def phones_for(base: str, sessions: dict[str, dict]) -> list[Phone]:
    """One phone per signed-in engineer, on the server at ``base`` (sessions outlive a restart on one database)."""
    return [
        Phone(
            username,
            httpx.AsyncClient(
                base_url=base,
                cookies=cookies,
                headers={"x-csrftoken": cookies["csrftoken"]},
                timeout=60,
                limits=httpx.Limits(max_connections=1),
            ),
        )
        for username, cookies in sessions.items()
    ]


def queue(phones: list[Phone], jobs: dict[str, list[tuple[str, str]]], walk) -> None:
    """Each phone's actions: its engineer's visits, walked one after another."""
    pictures = photos() if walk is visit_walk else iter(())
    for phone in phones:
        phone.actions.clear()
        for job_id, state in jobs.get(phone.username, []):
            phone.actions.extend(walk(job_id, state, pictures))


async def close(phones: list[Phone]) -> None:
    await asyncio.gather(*(phone.client.aclose() for phone in phones))


async def send(phone: Phone, action: Action) -> tuple[float, str]:
    """ms to the answer, and what went wrong ('' when the action was taken)."""
    headers = {"idempotency-key": action.key}
    files = None
    if action.photo:
        headers["accept"] = "application/json"
        files = {"photo": ("photo.jpg", action.photo, "image/jpeg")}
    started = time.perf_counter()
    try:
        response = await phone.client.post(action.url, data=action.data, files=files, headers=headers)
    except httpx.HTTPError as error:
        return (time.perf_counter() - started) * 1000, f"{action.kind}: {type(error).__name__}"
    ms = (time.perf_counter() - started) * 1000
    return ms, "" if response.status_code == action.answered else f"{action.kind}: {response.status_code}"


def visit_length() -> int:
    """The actions of one visit walk (``visit_walk``): the set-off, each step and its photos."""
    return 1 + sum(1 + photo_count for _key, _fields, photo_count in VISIT)


async def stagger(phones: list[Phone], parallel: int = 8) -> None:
    """The phones as an office's are at any moment of the day: each at another point of its visit. Phone i first
    sends its first i mod n actions (n: one visit's), a few phones at a time, before a paced replay starts; else
    the replay would begin with every phone setting off and arriving at once (half its actions changing a job's
    state), where a visit changes its job's state in 4 of its 13 actions."""
    gate, length = asyncio.Semaphore(parallel), visit_length()

    async def advance(phone: Phone, count: int) -> None:
        async with gate:
            for _ in range(min(count, len(phone.actions))):
                _ms, failure = await send(phone, phone.actions.popleft())
                if failure:
                    raise RuntimeError(f"staggering the phones: {failure}")

    await asyncio.gather(*(advance(phone, index % length) for index, phone in enumerate(phones)))


async def replay(phones: list[Phone], rate: float, until) -> Replayed:
    """Sends the phones' actions at ``rate`` per second, each phone waiting for its previous answer (at most one
    request in flight per phone), until ``until()`` is true; then waits for the answers still out."""
    idle = deque(phone for phone in phones if phone.actions)
    freed = asyncio.Event()
    latencies: list[float] = []
    failed: list[str] = []
    kinds: collections.Counter[str] = collections.Counter()
    out: set[asyncio.Task] = set()

    async def run(phone: Phone, action: Action) -> None:
        kinds[action.url.rsplit("/", 1)[-1] if action.kind == "step" else action.kind] += 1
        ms, failure = await send(phone, action)
        if failure:
            failed.append(failure)
        else:
            latencies.append(ms)
        if phone.actions:
            idle.append(phone)
            freed.set()

    started = time.perf_counter()
    for sent in itertools.count():
        if until():
            break
        await asyncio.sleep(max(0.0, started + sent / rate - time.perf_counter()))
        while not idle:
            if not out:
                raise RuntimeError("the phones ran out of actions")
            freed.clear()
            await freed.wait()
        phone = idle.popleft()
        task = asyncio.create_task(run(phone, phone.actions.popleft()))
        out.add(task)
        task.add_done_callback(out.discard)
    await asyncio.gather(*out)
    return Replayed(rate, latencies, failed, time.perf_counter() - started, kinds)
