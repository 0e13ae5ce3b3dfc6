"""What a phone tells the server about its outbox, shown on the coordinators' board."""

from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core.forms import device_time
from app.sync.status import record_phone_status


@post("/sync/status", guards=[roles_allowed(Role.ENGINEER)], status_code=200)
async def report_status(request: Request, db_session: NamedDependency[AsyncSession], data: JSONBody[Any]) -> dict:
    """The phone's pending-change count (in all and per job) and its last successful sync."""
    now = request.app.state.clock()
    pending = await record_phone_status(db_session, request.user, data, now, device_time(request, now) or now)
    return {"pending": pending}


ROUTES = [report_status]
