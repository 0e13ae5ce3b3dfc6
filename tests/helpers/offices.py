"""A second office and its staff, for the tests of several offices."""

import uuid

from app.accounts import service
from app.accounts.models import Office
from tests.helpers.env import PASSWORD


async def second_office(db, code: str = "EAST", **fields) -> Office:
    office = Office(code=code, name=f"{code.title()} branch office", **fields)
    db.add(office)
    await db.commit()
    return office


async def user_of(db, office: Office, role: str, clock):
    form = service.parse_user_form(
        {
            "username": f"{role}-{uuid.uuid4().hex[:6]}",
            "display_name": f"{office.code} {role}",
            "role": role,
            "locale": "",
            "password": PASSWORD,
            "certified": "on" if role == "engineer" else "",
        },
        creating=True,
    )
    return await service.create_user(db, form, office_id=office.id, now=clock())


def new_office_form(**overrides) -> dict[str, str]:
    return {
        "code": "WEST",
        "name": "West branch office",
        "address": "8 Harbour Road",
        "phone": "+86 21 5555 0100",
        "zones": "Minhang\nSongjiang",
        "time_zone": "Asia/Urumqi",
        "work_start": "08:00",
        "work_end": "15:00",
        "copy_holidays": "on",
        **overrides,
    }
