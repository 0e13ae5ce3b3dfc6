"""What a phone tells the server about its outbox, shown on the coordinators' board."""

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role
from app.core.auth import roles_allowed
from app.jobs.web import device_time
from app.sync.briefcase import manifest
from app.sync.status import record_device_status


@post("/sync/status", guards=[roles_allowed(Role.ENGINEER)], status_code=200)
async def report_status(request: Request, db_session: NamedDependency[AsyncSession], data: JSONBody[Any]) -> dict:
    """The phone's pending-change count (in all and per job) and its last successful sync."""
    now = request.app.state.clock()
    pending = await record_device_status(db_session, request.user, data, now, device_time(request, now) or now)
    return {"pending": pending}


@get("/sync/briefcase", guards=[roles_allowed(Role.ENGINEER)], headers={"Cache-Control": "no-store"})
async def briefcase(request: Request, db_session: NamedDependency[AsyncSession]) -> dict:
    """What the phone keeps for offline use: the engineer's open jobs' pages, each with a version."""
    return await manifest(db_session, request.user)


ROUTES = [report_status, briefcase]
