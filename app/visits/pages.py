"""Building the visit pages' contexts: the checklist, the customer's signing view and the report."""

import uuid
from datetime import UTC

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Office, User
from app.core import formats
from app.core.i18n import gettext
from app.jobs.access import get_job_for
from app.jobs.models import Customer, Device
from app.visits import engine, queries, report_view
from app.visits.content import live_photos, report_content
from app.visits.links import issue_link
from app.visits.models import ServiceReport, VisitChecklist
from app.visits.quotes import current_price_list
from app.visits.reopen import undoable_steps
from app.visits.service import (
    CHECKLIST_FOR_JOB_TYPE,
    VisitState,
    current_checklist,
    load_visit,
    paid_service,
    team_of,
)

# Fields the visit already knows: the fault as taken down at intake, the person who let the engineer in.
# A job attribute is filled in by the server; an earlier step's value also by the phone (data-prefill-from).
PREFILL = {
    ("repair_order", "fault_in_words"): "job.fault_description",
    ("consent_open", "consenting_person"): "enter.admitted_by",
}


def prefill(job, visit: engine.Visit) -> dict:
    known = {}
    for key, source in PREFILL.items():
        owner, name = source.split(".")
        value = getattr(job, name, "") if owner == "job" else visit.results.get(owner, {}).get("values", {}).get(name)
        known[key] = {"value": value or "", "source": "" if owner == "job" else source}
    return known


async def _visit(db: AsyncSession, job) -> tuple[VisitState | None, engine.Visit | None]:
    state = await load_visit(db, job)
    if state is not None:
        return state, state.visit
    if job.job_type not in CHECKLIST_FOR_JOB_TYPE:
        return None, None
    template = await current_checklist(db, job.office_id, CHECKLIST_FOR_JOB_TYPE[job.job_type])
    return None, engine.Visit(template=template, paid=paid_service(job))


def thumbnail_urls(job_id: uuid.UUID, photos) -> dict[str, str]:
    """A photo's SHA-256 -> its thumbnail's address (the report content names photos by hash)."""
    return {p.sha256: f"/visits/{job_id}/photos/{p.id}/thumb" for p in photos}


async def _summary(db: AsyncSession, job, state: VisitState | None, visit: engine.Visit | None, now) -> dict:
    """The report content as the server knows it, for the signing panel (a visit not started yet has none
    stored: its summary starts from the job alone)."""
    if visit is None:
        return {}
    if state is None:
        checklist = VisitChecklist(job_id=job.id, office_id=job.office_id, template=visit.template, created_at=now)
        state = VisitState(job, checklist, visit, {})
    return await report_content(db, state, None)


async def checklist_page(request: Request, db: AsyncSession, job_id: uuid.UUID, *, error=None) -> Template:
    job = await get_job_for(db, job_id, request.user)
    state, visit = await _visit(db, job)
    version, price_lines = await current_price_list(db, job.office_id)
    photos = await queries.photos_by_step(db, job.id)
    context = {
        "job": job,
        "visit": visit,
        "state": state,
        "engine": engine,
        "progress": engine.progress(visit) if visit else None,
        "numbers": {step["key"]: n for n, step in enumerate(engine.applicable_steps(visit), 1)} if visit else {},
        "visit_data": {
            **_walking_data(visit, state, photos, price_lines),
            "units": await queries.units_for_job(db, job.id),
            "arrival": _arrival(state),
            "time_zone": str(formats.office_time_zone()),
            "undoable": undoable_steps(visit, job, request.user),
        }
        if visit
        else {},
        "customer_link": customer_link(request, job.id),
        "customer": await db.get(Customer, job.customer_id),
        "device": await db.get(Device, job.device_id),
        "engineer": await db.get(User, job.engineer_id) if job.engineer_id else None,
        "team": await team_of(db, job),
        "phases": {p["key"]: p["title"] for p in visit.template["phases"]} if visit else {},
        "photos": photos,
        "summary": await _summary(db, job, state, visit, request.app.state.clock()),
        "photo_urls": thumbnail_urls(job.id, [p for rows in photos.values() for p in rows]),
        "prefill": prefill(job, visit) if visit else {},
        "quotes": state.checklist.quote if state else {},
        "stored": state.results if state else {},
        "price_lines": price_lines,
        "price_version": version,
        "timers": state.checklist.timers if state else {},
        "outcome": visit.outcome if visit else "fixed",
        "signed": await db.get(ServiceReport, job.id) is not None,
        "may_walk": request.user.role in {"engineer", "manager"},
        "now": request.app.state.clock(),
        "error": error,
        "new_id": uuid.uuid4,
    }
    return Template("visits/checklist.html", context=context, status_code=422 if error else 200)


def phone_rules(steps: list[dict]) -> list[dict]:
    """The steps' rules as static/js/visit-engine.js reads them (no words: those are on the page)."""
    keys = ("key", "type", "phase", "purpose", "paths", "when", "min_photos", "photos_unless", "photos_when", "one_of")
    rules = []
    for step in steps:
        rule = {key: step[key] for key in keys if key in step}
        rule["fields"] = [
            {"name": spec["name"], "type": spec["type"], "required": spec.get("required", True)}
            | ({"when": spec["when"]} if "when" in spec else {})
            for spec in step.get("fields", [])
        ]
        rules.append(rule)
    return rules


def _arrival(state: VisitState | None) -> str:
    arrive = state.results.get("arrive") if state else None
    if arrive is None:
        return ""
    moment = arrive.device_at or arrive.at
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _walking_data(visit: engine.Visit, state: VisitState | None, photos: dict, price_lines: list[dict]) -> dict:
    """What the phone needs to walk the checklist offline (static/js/visit-engine.js): the rules of every
    step and the results so far (the words are on the page already)."""
    return {
        "steps": phone_rules(visit.steps),
        "results": visit.results,
        "outcome": visit.outcome,
        "paid": visit.paid,
        "photos": {key: len(rows) for key, rows in photos.items()},
        "handover": state.checklist.handover_step if state else "",
        "quotes": {key: quote["total"] for key, quote in (state.checklist.quote if state else {}).items()},
        "prices": {line["code"]: line["price"] for line in price_lines},
        "phases": {phase["key"]: gettext(phase["title"]) for phase in visit.template["phases"]},
    }


async def customer_page(
    request: Request, db: AsyncSession, job_id: uuid.UUID, step_key: str, *, error=None, values=None
) -> Template:
    """The 'hand the phone over' view: what the customer is signing, their name and the signature pad."""
    job = await get_job_for(db, job_id, request.user)
    state = await load_visit(db, job)
    try:
        step = state.visit.step(step_key) if state else None
    except engine.ChecklistRefused:
        step = None
    if step is None or step["type"] != "signature":
        raise NotFoundException()
    summary = await report_content(db, state, None)
    context = {
        "job": job,
        "step": step,
        "summary": summary,
        "customer": await db.get(Customer, job.customer_id),
        "quote": state.checklist.quote.get(step_key, {}),
        "handed_over": state.checklist.handover_step == step_key,
        "error": error,
        "values": values or {},
        "new_id": uuid.uuid4,
        "engine": engine,
        "template": state.visit.template,
        "stamp_photos": state.visit.photos.get(step_key, 0),
        "photo_urls": thumbnail_urls(job.id, await live_photos(db, job.id)),
    }
    return Template("visits/customer.html", context=context, status_code=422 if error else 200)


def customer_link(request: Request, job_id: uuid.UUID) -> str:
    """A fresh customer-copy link, valid for ``ONSITE_CUSTOMER_LINK_DAYS`` from now."""
    return issue_link(request.app.state.settings.secret_key, job_id, request.app.state.clock())


async def service_report_context(request: Request, db: AsyncSession, job, *, customer_copy: bool = False) -> dict:
    signed = await queries.signed_report(db, job.id)
    view, verify_url = None, ""
    if signed is not None:
        content, state = signed["content"], await load_visit(db, job)
        serials = [s for p in content.get("parts", []) for s in (p.get("fitted_serial"), p.get("removed_serial"))]
        names = await report_view.part_names(db, job.office_id, serials)
        view = report_view.service_report_view(content, state.checklist.template if state else None, names)
        public = request.app.state.settings.public_url or str(request.base_url)
        verify_url = public.rstrip("/") + customer_link(request, job.id)
    return {
        "job": job,
        "signed": signed,
        "view": view,
        "office": await db.get(Office, job.office_id),
        "verify_url": verify_url,
        "customer": await db.get(Customer, job.customer_id),
        "device": await db.get(Device, job.device_id),
        "engineer": await db.get(User, job.engineer_id) if job.engineer_id else None,
        "customer_copy": customer_copy,
        "photo_urls": {} if customer_copy else thumbnail_urls(job.id, await live_photos(db, job.id)),
        "customer_link": customer_link(request, job.id) if signed else "",
    }
