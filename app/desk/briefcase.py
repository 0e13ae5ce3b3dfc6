"""The briefcase manifest: every page an engineer needs on site for their assigned jobs, with versions.

Each job brings its job page and its visit checklist (which carries the template snapshot, the price list
and the customer's signing view); the engineer's parts list comes too. Every change to a job bumps its
version, so the phone fetches again only what changed.
"""

import hashlib

from litestar import Request, get
from litestar.di import NamedDependency
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role, User
from app.jobs.queries import my_jobs
from app.parts.queries import holdings


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


async def manifest(db, user: User) -> dict:
    rows = await my_jobs(db, user)
    jobs = [{"id": str(row.job.id), "number": row.job.number, "version": row.job.version} for row in rows]
    listing = _digest([(j["id"], j["version"]) for j in jobs])
    held = _digest(sorted((str(unit.id), unit.status, str(unit.job_id)) for unit, _part in await holdings(db, user.id)))
    entries = [{"url": "/jobs/mine", "version": listing}, {"url": "/parts/mine", "version": held}]
    for job in jobs:
        entries += [
            {"url": f"/jobs/{job['id']}", "version": str(job["version"])},
            {"url": f"/visits/{job['id']}", "version": str(job["version"])},
        ]
    return {"version": listing, "jobs": jobs, "entries": entries}


@get("/sync/briefcase", guards=[roles_allowed(Role.ENGINEER)], headers={"Cache-Control": "no-store"})
async def briefcase(request: Request, db_session: NamedDependency[AsyncSession]) -> dict:
    """What the phone keeps for offline use: the engineer's open jobs' pages, each with a version."""
    return await manifest(db_session, request.user)


ROUTES = [briefcase]
