"""The briefcase manifest: every page an engineer needs on site for their assigned jobs, with versions."""

import hashlib

from app.accounts.models import User
from app.jobs.queries import my_jobs


async def manifest(db, user: User) -> dict:
    rows = await my_jobs(db, user)
    jobs = [{"id": str(row.job.id), "number": row.job.number, "version": row.job.version} for row in rows]
    listing = hashlib.sha256(repr([(j["id"], j["version"]) for j in jobs]).encode()).hexdigest()[:16]
    entries = [{"url": "/jobs/mine", "version": listing}]
    entries += [{"url": f"/jobs/{job['id']}", "version": str(job["version"])} for job in jobs]
    return {"version": listing, "jobs": jobs, "entries": entries}
