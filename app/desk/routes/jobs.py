"""Job pages: intake, My jobs, the job page and its actions."""

import uuid
from collections.abc import Awaitable, Callable

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, Ctx, load_calendar
from app.accounts.auth import roles_allowed, signed_in
from app.accounts.models import Office, Role, User
from app.callbacks import service as callbacks
from app.conduct import service as conduct
from app.core.acts import act
from app.core.formats import office_time_zone
from app.core.forms import Form, Multipart, form_version, single_values
from app.core.i18n import N_, _, get_locale
from app.core.kept_pages import KEPT_PAGE, kept_page
from app.core.kept_parts import drawn_from
from app.core.page_cache import Shows
from app.core.validation import error_context
from app.core.web import redirect
from app.desk import completion
from app.installs import delays, milestones, panel, planning, site_photos
from app.installs import take_away as equipment
from app.jobs import board_log, cases, dispatch, escalation_files, escalations, intake, merge, queries, service_days
from app.jobs.access import customer_viewed, get_job_for
from app.jobs.models import Customer, Device, Job, JobType
from app.media.images import normalise_uploads
from app.parts.queries import parts_on_job
from app.shifts import service as shifts
from app.sync.status import waiting_on_phone
from app.visits import payments, revisits
from app.visits import queries as visit_queries
from app.visits.pages import customer_link

CHECKBOXES = ("team",)  # checkboxes: one value per ticked box
MAX_SITE_PHOTOS = 6

DB = NamedDependency[AsyncSession]
STAFF = roles_allowed(Role.COORDINATOR)
FIELD = roles_allowed(Role.COORDINATOR, Role.ENGINEER)
PAYERS = roles_allowed(Role.COORDINATOR, Role.ENGINEER, Role.CLERK, Role.RECEPTION)
ENGINEER = roles_allowed(Role.ENGINEER)
CASE_STAFF = roles_allowed(Role.COORDINATOR, Role.SPECIALIST)
JobId = FromPath[uuid.UUID]
EscalationId = FromPath[uuid.UUID]
Action = Callable[..., Awaitable[object]]


def _job_action(path: str, guard, action: Action, done: str, *, to_new_job: bool = False):
    """The handler of POST /jobs/{id}/<path>: runs ``action``, then tells the user ``done`` (marked with ``N_``) on
    the job's page, or on the page of the job ``action`` made."""

    @post(f"/{{job_id:uuid}}/{path}", guards=[guard])
    async def handler(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, data: Form) -> Response:
        return await _act(request, db_session, ctx, job_id, data, action, _(done), to_new_job=to_new_job)

    return handler


class JobsController(Controller):
    path = "/jobs"

    @get("/mine", guards=[ENGINEER], opt=KEPT_PAGE)
    async def my_jobs(self, request: Request) -> Response:
        now = request.app.state.clock().replace(second=0, microsecond=0)  # times left are shown in minutes

        today, locale = now.astimezone(office_time_zone()).date(), get_locale()

        async def render(db: AsyncSession) -> tuple[str, Shows]:
            rows = await queries.my_jobs(db, request.user)
            card = await conduct.card_to_show(db, request.user, today)  # F26: until read today
            calendar = await load_calendar(db, request.user.office_id, request.app.state.settings)
            shift = await shifts.today_for(db, request.user, calendar, now)  # S19: until checked in, then when
            templates = request.app.template_engine
            card_parts = [
                request.app.state.kept_parts.draw(
                    ("my job", drawn_from(row.job), row.customer_name, now),
                    lambda row=row: templates.get_template("jobs/_mine_card.html").render(row=row, now=now),
                )
                for row in rows
            ]
            template = templates.get_template("jobs/_mine.html")
            html = template.render(card_parts=card_parts, now=now, card=card, shift=shift, today=today, locale=locale)
            return html, Shows(jobs=frozenset(row.job.id for row in rows))  # each card, no phones' reports

        key = ("my jobs", request.user.id, locale, now)
        return await kept_page(request, "jobs/mine.html", "jobs", key, render, board_log.notes_between)

    @get("/new", guards=[STAFF])
    async def new_job(self, request: Request, db_session: DB, callback: FromQuery[str] = "") -> Template:
        """The request form; from a call-back (S2), a consultation case filled in with what the caller said."""
        called = await callbacks.for_intake(db_session, callback, request.user.office_id)
        return _intake_page(
            {
                "job_type": "ONSITE",
                "channel": "phone",
                "priority": "normal",
                "zone": "IN_AREA",
                "warranty_status": "unknown",
                "warranty_basis": "none",
                "onsite_period": "unknown",
                "fault_judgement": "unclear",
                **(callbacks.intake_values(called) if called else {}),
            }
        )

    @post("/", guards=[STAFF])
    async def create_job(self, request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
        values = single_values(data, CHECKBOXES)

        async def create() -> Job:
            form = intake.parse_intake_form(values, ctx.calendar.tz)
            office = await db_session.get(Office, ctx.actor.office_id)
            called = await callbacks.for_intake(db_session, values.get("callback_id", ""), ctx.actor.office_id)
            then = callbacks.case_opened(called, ctx) if called else None
            return await intake.create_job(db_session, form, ctx, office_code=office.code, then=then)

        return await act(
            create(),
            done=lambda job: redirect(
                f"/jobs/{job.id}", _("Job %(number)s created.", number=job.number), request=request
            ),
            refused=lambda error: _intake_page(values, error, duplicates=getattr(error, "jobs", None)),
        )

    @get("/customers", guards=[STAFF])
    async def find_customers(self, request: Request, db_session: DB, q: FromQuery[str] = "") -> Template:
        customers = await intake.find_customers(db_session, request.user.office_id, q)
        return Template("jobs/_customer_results.html", context={"customers": customers, "query": q})

    @get("/duplicates", guards=[STAFF])
    async def duplicates(self, request: Request, db_session: DB, device_serial: FromQuery[str] = "") -> Template:
        jobs = await intake.open_jobs_for_serial(db_session, request.user.office_id, device_serial.strip()[:80])
        return Template("jobs/_duplicates.html", context={"duplicates": jobs})

    @get("/{job_id:uuid}", guards=[signed_in])
    async def job_page(self, request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
        return await _job_page(request, db_session, job_id)

    # Each action: who may take it, the service function that does it, and what the user is told after.
    assign = _job_action("assign", STAFF, dispatch.assign, N_("Engineer assigned."))
    contact = _job_action("contact", FIELD, dispatch.record_contact, N_("Customer contact recorded."))
    reschedule = _job_action("reschedule", FIELD, dispatch.reschedule, N_("Visit rescheduled."))
    cancel = _job_action("cancel", STAFF, dispatch.cancel, N_("Job cancelled."))
    travel = _job_action("travel", ENGINEER, dispatch.start_travel, N_("On your way. Drive safely."))
    complete = _job_action("complete", STAFF, completion.complete, N_("Job completed."))
    revisit = _job_action("revisit", STAFF, revisits.schedule_revisit, N_("Revisit scheduled."))
    payment = _job_action("payment", PAYERS, payments.record_payment, N_("Payment recorded."))
    edit_details = _job_action("details", FIELD, merge.edit_details, N_("Details saved."))
    answer_case = _job_action("answer", CASE_STAFF, cases.answer, N_("Answer recorded."))
    resolve_case = _job_action("resolve", CASE_STAFF, cases.resolve, N_("Case resolved."))
    close_case = _job_action("close", CASE_STAFF, cases.close, N_("Case closed."))
    cancel_case = _job_action("cancel-case", CASE_STAFF, cases.cancel, N_("Case cancelled."))
    convert_case = _job_action("convert", CASE_STAFF, cases.convert, N_("Job opened from the case."), to_new_job=True)

    @get("/cases", guards=[CASE_STAFF])
    async def case_queue(self, request: Request, db_session: DB) -> Template:
        """F10: the open consultation cases, the one whose answer is due first at the top."""
        rows = await cases.open_cases(db_session, request.user.office_id)
        return Template("jobs/cases.html", context={"cases": rows, "now": request.app.state.clock()})

    # An installation: planned by the coordinator (§10 B–C), its days checked in and out by the team (F55).
    resume = _job_action("install/resume", STAFF, planning.resume, N_("Taken up again: check the site conditions."))
    plan = _job_action("install/plan", STAFF, planning.make_plan, N_("Installation planned."))
    check_in = _job_action("install/check-in", ENGINEER, service_days.record_check_in, N_("Checked in for today."))
    check_out = _job_action("install/check-out", ENGINEER, service_days.record_check_out, N_("Checked out for today."))
    delay = _job_action("install/delay", FIELD, delays.record_delay, N_("Delay recorded; the customer is told."))
    take_away = _job_action("install/take-away", ENGINEER, equipment.take_away, N_("Equipment taken away recorded."))
    take_away_status = _job_action(
        "install/take-away-status", FIELD, equipment.report_status, N_("Status of the equipment reported.")
    )

    @post("/{job_id:uuid}/install/milestone", guards=[ENGINEER], request_max_body_size=40_000_000)
    async def milestone(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, data: Multipart) -> Response:
        contents, values = await _uploads(data, "photo", MAX_SITE_PHOTOS)

        async def witness(db, job_id, values, ctx, *, version):
            photos = await site_photos.prepare(request.app.state.settings, contents[:1])
            return await milestones.record_milestone(db, job_id, values, photos, ctx)

        return await _act(request, db_session, ctx, job_id, values, witness, _("Milestone witnessed."))

    @post("/{job_id:uuid}/install/conditions", guards=[STAFF], request_max_body_size=40_000_000)
    async def conditions(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, data: Multipart) -> Response:
        contents, values = await _uploads(data, "photo", MAX_SITE_PHOTOS)

        async def check(db, job_id, values, ctx, *, version):
            photos = await site_photos.prepare(request.app.state.settings, contents)
            return await planning.check_conditions(db, job_id, values, photos, ctx, version=version)

        return await _act(request, db_session, ctx, job_id, values, check, _("Site conditions recorded."))

    @post("/{job_id:uuid}/escalate", guards=[FIELD], request_max_body_size=40_000_000)
    async def escalate(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId) -> Response:
        """F52: the escalation, with any photos of the fault (each checked before anything is stored). The form is
        read as sent: URL-encoded, or multipart when it carries photos (so the phone's outbox sends it)."""
        form = await request.form()
        data = {key: values if len(values) > 1 else values[0] for key, values in form.dict().items()}
        contents, values = await _uploads(data, "photo", escalation_files.MAX_FILES)
        pdfs = await _named_uploads(data, "document", escalation_files.MAX_FILES)
        settings = request.app.state.settings

        async def raise_it(db, job_id, values, ctx, *, version):
            documents = [escalation_files.checked_pdf(name, content) for name, content in pdfs]
            photos = await normalise_uploads(settings, contents)
            return await escalations.escalate(
                db, job_id, values, ctx, photos=photos, documents=documents, settings=settings
            )

        return await _act(request, db_session, ctx, job_id, values, raise_it, _("Escalation raised."))

    @post("/{job_id:uuid}/escalations/{escalation_id:uuid}/photos", guards=[FIELD], request_max_body_size=40_000_000)
    async def escalation_photos(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, escalation_id: EscalationId, data: Multipart
    ) -> Response:
        """F52: photos and PDFs attached to an open escalation after it was raised."""
        contents, values = await _uploads(data, "photo", escalation_files.MAX_FILES)
        pdfs = await _named_uploads(data, "document", escalation_files.MAX_FILES)
        settings = request.app.state.settings

        async def attach(db, job_id, values, ctx, *, version):
            documents = [escalation_files.checked_pdf(name, content) for name, content in pdfs]
            photos = await normalise_uploads(settings, contents)
            return await escalation_files.add_files(db, settings, job_id, escalation_id, values, photos, documents, ctx)

        return await _act(request, db_session, ctx, job_id, values, attach, _("Attached to the escalation."))

    @post("/{job_id:uuid}/conflicts/{conflict_id:uuid}", guards=[FIELD])
    async def settle_conflict(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, conflict_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        async def choose(db, job_id, values, ctx, *, version):
            return await merge.settle(db, job_id, conflict_id, str(values.get("choice", "")), ctx)

        return await _act(request, db_session, ctx, job_id, data, choose, _("Conflict settled."))


async def _uploads(data: dict, name: str, limit: int) -> tuple[list[bytes], dict]:
    """The first ``limit`` non-empty files sent as ``name``, and the form's other (single) fields."""
    uploads = data.get(name, [])
    files = [u for u in (uploads if isinstance(uploads, list) else [uploads]) if isinstance(u, UploadFile)]
    contents = [content for u in files[:limit] if (content := await u.read())]
    values = {key: value for key, value in data.items() if not isinstance(value, UploadFile | list)}
    return contents, values


async def _named_uploads(data: dict, name: str, limit: int) -> list[tuple[str, bytes]]:
    """The first ``limit`` non-empty files sent as ``name``, with the names they were sent under."""
    uploads = data.get(name, [])
    files = [u for u in (uploads if isinstance(uploads, list) else [uploads]) if isinstance(u, UploadFile)]
    return [(u.filename or "", content) for u in files[:limit] if (content := await u.read())]


async def _act(
    request: Request,
    db: AsyncSession,
    ctx: Context,
    job_id: uuid.UUID,
    data: dict,
    action: Action,
    done: str,
    *,
    to_new_job: bool = False,
):
    """Runs one job action; on a refusal, shows the job page again with the reason next to the form."""
    values = single_values(data, CHECKBOXES)
    failed_form = request.url.path.rsplit("/", 1)[-1]
    return await act(
        action(db, job_id, values, ctx, version=form_version(values)),
        done=lambda result: redirect(f"/jobs/{result.id if to_new_job else job_id}", done, request=request),
        refused=lambda error: _job_page(request, db, job_id, error=error, failed_form=failed_form, values=values),
    )


async def _job_page(
    request: Request, db: AsyncSession, job_id: uuid.UUID, *, error=None, failed_form="", values=None
) -> Template:
    user = request.user
    job = await get_job_for(db, job_id, user)
    await customer_viewed(db, request, job, "job")  # §12.1: a manager's view is recorded
    calendar = await load_calendar(db, user.office_id, request.app.state.settings)
    context = {
        "job": job,
        "customer": await db.get(Customer, job.customer_id),
        "device": await db.get(Device, job.device_id),
        "engineer": await db.get(User, job.engineer_id) if job.engineer_id else None,
        "timeline": await queries.timeline(db, job.id),
        "deadlines": await queries.deadlines(db, job.id),
        "gates": [(gate, completion.gate_label(gate)) for gate in await completion.open_gates(db, job)],
        "earlier": await queries.earlier_jobs(db, job),
        "linked": await queries.linked_jobs(db, job),
        "earlier_visits": await revisits.earlier_visits(db, job.id),
        "revisit_date": await revisits.revisit_date(db, job),
        "payment": await payments.summary(db, job),
        "payment_id": uuid.uuid4(),
        "PAYMENT_METHODS": payments.METHODS,
        "engineers": await queries.engineers(db, user.office_id) if user.role != Role.ENGINEER else [],
        **await _escalations(db, job),
        "integration_lead_id": await escalations.integration_lead(db, user.office_id),
        "conflicts": await merge.open_conflicts(db, [job.id]),
        "editable": merge.EDITABLE,
        "on_phone": await waiting_on_phone(db, job),
        **await parts_on_job(db, job.id),
        "now": request.app.state.clock(),
        "error": error,
        "form_errors": error_context(error)["form_errors"],  # only the refused form's fields
        "failed_form": failed_form,
        "values": values or {},
        "installation": await panel.installation(db, job, user, calendar, request.app.state.clock()),
        "visit": await visit_queries.visit_progress(db, job),  # the onsite visit's checklist
        "customer_link": customer_link(request, job.id) if job.report_signed_at else "",
        "case_notes": await _case_notes(db, job),
    }
    return Template("jobs/job.html", context=context, status_code=getattr(error, "status_code", 422) if error else 200)


async def _escalations(db: AsyncSession, job: Job) -> dict:
    """The job's open escalations and the photos attached to each (F52)."""
    rows = await escalations.open_escalations_of(db, job.id)
    ids = [e.id for e in rows]
    return {
        "escalations": rows,
        "escalation_files": await escalation_files.files_of(db, ids),
        "escalation_documents": await escalation_files.documents_of(db, ids),
        "upload_id": uuid.uuid4(),
    }


async def _case_notes(db: AsyncSession, job) -> list:
    """A case's history, on the case and on the job it was converted into."""
    if job.job_type == JobType.CASE:
        return await cases.notes(db, job.id)
    parent = await db.get(Job, job.parent_job_id) if job.parent_job_id else None
    return await cases.notes(db, parent.id) if parent and parent.job_type == JobType.CASE else []


def _intake_page(values: dict, error=None, duplicates=None) -> Template:
    context = {
        "values": values,
        **error_context(error),
        "duplicates": duplicates or [],
    }
    return Template("jobs/new.html", context=context, status_code=422 if error else 200)
