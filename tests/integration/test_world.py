"""The test world writes exactly the rows the product writes: the same visit walked through the pages and built
by ``World.visit`` leaves the same rows behind (ids, digests of ids and the browser's name aside)."""

import json
import re
import uuid
from datetime import datetime

from app.accounts import service
from tests.helpers.database import empty_tables, every_row
from tests.helpers.env import PASSWORD
from tests.helpers.visits import job_on_the_way, walk_to
from tests.helpers.world import World

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Counters a transaction bumps, not rows a job has: one walk commits 20 times, the world once.
PER_TRANSACTION = {"board_event", "board_sequence", "office_version"}
# Columns that cannot match: the browser's name (the world has none), and a digest of the posted form kept to
# recognise a replay (the world names the fitted unit by its label, the page by its serial; the values compared;
# a movement's digest names the unit's random label).
UNMATCHED = {("job_event", "device"), ("visit_step_result", "payload_hash"), ("part_movement", "request_hash")}


def named_users(db, clock):
    """``make_user`` with the same names every time, so that two walks on two empty databases can be compared."""

    async def make_user(role: str = "engineer", **fields):
        office = await service.default_office(db)
        form = service.parse_user_form(
            {
                "username": role,
                "display_name": f"Test {role}",
                "role": role,
                "locale": "",
                "password": PASSWORD,
                "certified": "on" if role == "engineer" else "",
            },
            creating=True,
        )
        return await service.create_user(db, form, office_id=office.id, now=clock())

    return make_user


def plain(value, aliases: dict[str, str]):
    if isinstance(value, uuid.UUID):
        return "<uuid>"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()  # SQLite gives naive times back, PostgreSQL aware ones
    if isinstance(value, dict):
        return {key: plain(item, aliases) for key, item in value.items()}
    if isinstance(value, list):
        items = [plain(item, aliases) for item in value]
        if items and all(isinstance(item, dict) for item in items):  # the report's photos: taken in one instant,
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))  # ordered by their random ids
        return items
    if isinstance(value, str):
        if value.startswith("{"):
            try:
                return plain(json.loads(value), aliases)
            except ValueError:
                pass
        for original, alias in aliases.items():
            value = value.replace(original, alias)
        return UUID.sub("<uuid>", value)
    return value


async def rows_written(engine, walk) -> dict[str, list[str]]:
    """Each table's rows that ``walk`` added or changed, with ids and the report's digests of them aliased."""
    before = await every_row(engine)
    await walk()
    after = await every_row(engine)
    reports = after["service_report"]
    aliases = {row[column]: f"<report {column}>" for row in reports for column in ("sha256", "seal")}
    aliases |= {row["code"]: "<unit code>" for row in after["part_unit"]}  # labels are drawn at random
    written = {}
    for table, rows in after.items():
        if table in PER_TRANSACTION:
            continue
        new = [row for row in rows if row not in before[table]]
        written[table] = sorted(
            json.dumps(
                {column: plain(value, aliases) for column, value in row.items() if (table, column) not in UNMATCHED},
                sort_keys=True,
                default=str,
            )
            for row in new
        )
    return written


async def test_the_world_writes_the_rows_that_walking_the_visit_through_the_pages_writes(
    client, db, engine, settings, clock, world
):
    make_user = named_users(db, clock)
    job, engineer = await job_on_the_way(client, db, make_user)
    by_pages = await rows_written(engine, lambda: walk_to(client, job, "cleanup"))

    await empty_tables(engine)
    db.expunge_all()
    job, engineer = await job_on_the_way(client, db, make_user)
    world = World(db, settings, clock, make_user)
    by_world = await rows_written(engine, lambda: world.visit(job, "cleanup"))

    assert by_pages["service_report"] and by_pages["visit_photo"], "the walk reached the signed report"
    assert by_world == by_pages
