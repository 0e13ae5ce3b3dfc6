"""Read-only views of a visit for the pages: progress, photos, report and its verification."""

import json
import uuid

from sqlalchemy import bindparam, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.jobs.models import Job, JobEvent
from app.parts.models import Part, PartUnit
from app.visits import engine, seal
from app.visits.content import live_photos, signature_hashes
from app.visits.models import (
    CustomerSignature,
    ReportAddendum,
    ServiceReport,
    StepResult,
    VisitChecklist,
    VisitPhoto,
)
from app.visits.report import verify
from app.visits.service import paid_service


async def visit_progress(db: AsyncSession, job: Job) -> dict | None:
    """'Step n of m' with the current step and phase, for the job page and the board row."""
    checklist = await db.get(VisitChecklist, job.id)
    if checklist is None:
        return None
    return (await progress_for_jobs(db, [job])).get(job.id)


# Built once: the board runs these at every drawing, for the jobs of its page.
_CHECKLISTS = select(VisitChecklist).where(VisitChecklist.job_id.in_(bindparam("ids", expanding=True)))
_RESULTS = select(StepResult).where(StepResult.job_id.in_(bindparam("ids", expanding=True)))
_PHOTO_COUNTS = (
    select(VisitPhoto.job_id, func.count())
    .where(VisitPhoto.job_id.in_(bindparam("ids", expanding=True)), VisitPhoto.deleted.is_(False))
    .group_by(VisitPhoto.job_id)
)


async def progress_for_jobs(db: AsyncSession, jobs: list[Job]) -> dict[uuid.UUID, dict]:
    """Progress of many visits (for the board), with each job's live photo count: one query when none of the
    jobs has a checklist yet, three when some have."""
    if not jobs:
        return {}
    checklists = (await db.exec(_CHECKLISTS, params={"ids": [job.id for job in jobs]})).all()
    if not checklists:
        return {}
    ids = {"ids": [checklist.job_id for checklist in checklists]}
    results: dict[uuid.UUID, dict] = {}
    for row in (await db.exec(_RESULTS, params=ids)).all():
        results.setdefault(row.job_id, {})[row.step_key] = {"status": row.status, "values": row.values}
    photo_counts = dict((await db.exec(_PHOTO_COUNTS, params=ids)).all())
    by_id = {job.id: job for job in jobs}
    progress = {}
    for checklist in checklists:
        job = by_id[checklist.job_id]
        visit = engine.Visit(
            template=checklist.template,
            outcome=checklist.outcome,
            results=results.get(job.id, {}),
            paid=paid_service(job),
        )
        progress[job.id] = {
            **engine.progress(visit),
            "photos": photo_counts.get(job.id, 0),
            "timer": bool(checklist.timers),
        }
    return progress


async def photos_by_step(db: AsyncSession, job_id: uuid.UUID) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for photo in await live_photos(db, job_id):
        grouped.setdefault(photo.step_key, []).append(photo)
    return grouped


async def signed_report(db: AsyncSession, job_id: uuid.UUID) -> dict | None:
    """The frozen report with its signature, addenda and whether its content still matches the hash."""
    report = await db.get(ServiceReport, job_id)
    if report is None:
        return None
    signature = await db.get(CustomerSignature, report.signature_id)
    addenda = (
        await db.exec(select(ReportAddendum).where(ReportAddendum.job_id == job_id).order_by(ReportAddendum.at))
    ).all()
    audited = (
        await db.exec(
            select(JobEvent)
            .where(JobEvent.job_id == job_id, JobEvent.kind == "report_signed")
            .order_by(JobEvent.at.desc())
        )
    ).first()
    try:
        content = json.loads(report.content)
    except ValueError:
        content = {}
    # The hash is kept in three places (report, signature, audit trail): all must agree with the content.
    hashed = (
        verify(report.content, report.sha256, signature.report_sha256 if signature else "")
        and audited is not None
        and audited.details.get("sha256") == report.sha256
    )
    status = _seal_status(report, signature, content) if hashed else "invalid"
    return {
        "report": report,
        "signature": signature,
        "content": content,
        "addenda": list(addenda),
        "valid": status != "invalid",
        "legacy": status == "legacy",
    }


def _seal_status(report: ServiceReport, signature: CustomerSignature | None, content: dict) -> str:
    """ "valid" when the server's seal holds and the stored signature image and strokes are the ones signed;
    "legacy" for a report signed before seals, sealed at the upgrade; "invalid" otherwise."""
    keys = seal.keyring()
    if not keys.verify(report.content, report.seal_scheme, report.seal_key_id, report.seal):
        return "invalid"
    if report.seal_scheme == seal.LEGACY:
        return "legacy"
    sign_off = content.get("sign_off", {}) if isinstance(content, dict) else {}
    if report.seal_scheme != seal.SCHEME or signature is None:
        return "invalid"
    signed_hashes = {name: sign_off.get(name) for name in ("image_sha256", "strokes_sha256")}
    return "valid" if signed_hashes == signature_hashes(signature) else "invalid"


async def service_report_was_altered(db: AsyncSession, job_id: uuid.UUID) -> bool:
    """Whether a stored signed report no longer matches what the customer signed."""
    signed = await signed_report(db, job_id)
    return bool(signed) and not signed["valid"]


async def units_for_job(db: AsyncSession, job_id) -> list[dict]:
    """The part units lent for ``job_id``: what a scanned label or a typed serial names (code, serial, name)."""
    rows = await db.exec(
        select(PartUnit.code, PartUnit.serial, Part.name)
        .join(Part, Part.id == PartUnit.part_id)
        .where(PartUnit.job_id == job_id)
    )
    return [{"code": code, "serial": serial, "name": name} for code, serial, name in rows.all()]
