"""The bell and the notifications page for every member of staff; a job's messages for coordinators and managers.
The bell is refreshed by htmx polling (every 30 s and on each page load)."""

import uuid

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed, signed_in
from app.accounts.models import Role
from app.jobs.access import get_job_for
from app.notify import queries

DB = NamedDependency[AsyncSession]
OFFICE_STAFF = roles_allowed(Role.COORDINATOR)  # and the manager


@get("/notifications", guards=[signed_in])
async def notifications_page(request: Request, db_session: DB) -> Template:
    items = await queries.inbox(db_session, request.user)
    return Template("notify/inbox.html", context={"items": items})


@get("/notifications/bell", guards=[signed_in])
async def bell(request: Request, db_session: DB) -> Template:
    return Template("notify/_bell.html", context={"unread": await queries.unread_count(db_session, request.user)})


@post("/notifications/{notification_id:uuid}/read", guards=[signed_in])
async def mark_read(request: Request, db_session: DB, notification_id: FromPath[uuid.UUID]) -> Redirect:
    await queries.mark_read(db_session, request.user, notification_id, request.app.state.clock())
    return Redirect("/notifications", status_code=303)


@post("/notifications/read", guards=[signed_in])
async def mark_all_read(request: Request, db_session: DB) -> Redirect:
    await queries.mark_read(db_session, request.user, None, request.app.state.clock())
    return Redirect("/notifications", status_code=303)


@get("/jobs/{job_id:uuid}/messages", guards=[OFFICE_STAFF])
async def job_messages(request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
    job = await get_job_for(db_session, job_id, request.user)  # 404 for a job of another office
    messages = await queries.job_messages(db_session, job.id)
    return Template("notify/_job_messages.html", context={"messages": messages})


ROUTES = [notifications_page, bell, mark_read, mark_all_read, job_messages]
