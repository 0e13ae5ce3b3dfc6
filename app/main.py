"""The app factory: ``create_app()`` wires settings, database, security, templates and the features."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.htmx import HTMXRequest
from litestar.static_files import create_static_files_router

from app.accounts.acting import provide_context
from app.accounts.auth import auth_middleware_factory
from app.accounts.navigation import TEMPLATE_GLOBALS as ACCOUNT_TEMPLATE_GLOBALS
from app.accounts.request_checks import request_checks_middleware_factory
from app.accounts.routes.offices import ROUTES as OFFICE_ROUTES
from app.accounts.routes.users import AuthController, UsersController
from app.callbacks.routes import ROUTES as CALL_BACK_ROUTES
from app.carryin.appointment_routes import AppointmentsController
from app.carryin.loan_routes import LoanEquipmentController, lend
from app.carryin.routes import CarryInController
from app.cli import OnsiteCLIPlugin
from app.conduct.routes import ROUTES as CONDUCT_ROUTES
from app.core.clock import Clock, system_clock
from app.core.database import RowReader, make_engine, make_sessionmaker, on_every_transaction, provide_db_session
from app.core.files import LocalFiles
from app.core.heap import frozen_heap
from app.core.i18n import set_office_locale
from app.core.input_guard import in_order, refuse_nul_characters
from app.core.kept_pages import COMPRESSED_BY_HANDLER, KeptPages
from app.core.kept_parts import KeptParts
from app.core.logs import configure_logging, request_log_middleware_factory
from app.core.metrics import metrics_middleware_factory
from app.core.page_cache import PageCache
from app.core.proxies import trusted_proxy_middleware_factory
from app.core.security import add_security_headers, persist_csrf_cookie, secure_cookies_over_https
from app.core.settings import ROOT, Settings
from app.core.templates import make_template_config
from app.core.web import EXCEPTION_HANDLERS, clear_consumed_flash
from app.desk.briefcase import ROUTES as BRIEFCASE_ROUTES
from app.desk.routes.board import ROUTES as BOARD_ROUTES
from app.desk.routes.escalation_files import ROUTES as ESCALATION_FILE_ROUTES
from app.desk.routes.jobs import JobsController
from app.followups.routes import ComplaintsController, FollowUpsController
from app.followups.script import TEMPLATE_GLOBALS as FOLLOW_UP_TEMPLATE_GLOBALS
from app.jobs.events import BoardEvents, make_channels_backend, make_channels_plugin
from app.jobs.routes import ROUTES as CALENDAR_ROUTES
from app.jobs.texts import TEMPLATE_GLOBALS as JOB_TEMPLATE_GLOBALS
from app.notify.routes import ROUTES as NOTIFY_ROUTES
from app.notify.scheduler import scheduling
from app.notify.triggers import NotifyOnEvents
from app.operations.routes import ROUTES as OPERATIONS_ROUTES
from app.parts.routes import ROUTES as PARTS_ROUTES
from app.parts.texts import TEMPLATE_GLOBALS as PARTS_TEMPLATE_GLOBALS
from app.pwa.routes import ROUTES as PWA_ROUTES
from app.reports.routes import KpiReportsController
from app.shifts.routes import ROUTES as SHIFT_ROUTES
from app.sync.idempotency import IdempotencyKeys, check_idempotency_key, store_idempotent_response
from app.sync.routes import ROUTES as SYNC_ROUTES
from app.visits.photo_audit import ROUTES as PHOTO_AUDIT_ROUTES
from app.visits.routes.checklist import VisitController
from app.visits.routes.checklist_admin import ROUTES as CHECKLIST_ADMIN_ROUTES
from app.visits.routes.handovers import ROUTES as HANDOVER_ROUTES
from app.visits.routes.report import ROUTES as REPORT_ROUTES
from app.visits.seal import use_keys as use_report_seal_keys

# Besides committing, every transaction numbers its board events, writes the messages its job events cause, then
# stores its request's Idempotency-Key.
on_every_transaction(BoardEvents(), NotifyOnEvents(), IdempotencyKeys())

# What the features give every template.
TEMPLATE_GLOBALS = {
    **ACCOUNT_TEMPLATE_GLOBALS,
    **JOB_TEMPLATE_GLOBALS,
    **PARTS_TEMPLATE_GLOBALS,
    **FOLLOW_UP_TEMPLATE_GLOBALS,
}


def create_app(settings: Settings | None = None, clock: Clock = system_clock) -> Litestar:
    settings = settings or Settings.from_env()
    use_report_seal_keys(settings)
    set_office_locale(settings.default_locale)
    configure_logging()

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.row_reader = RowReader(engine)
        try:
            yield
        finally:
            await engine.dispose()

    channels_backend = make_channels_backend(settings)
    static = create_static_files_router(path="/static", directories=[ROOT / "static"], file_system=LocalFiles())
    return Litestar(
        route_handlers=[
            AuthController,
            UsersController,
            JobsController,
            *ESCALATION_FILE_ROUTES,
            *BOARD_ROUTES,
            *CALENDAR_ROUTES,
            *PARTS_ROUTES,
            *PWA_ROUTES,
            *OPERATIONS_ROUTES,
            *SYNC_ROUTES,
            *BRIEFCASE_ROUTES,
            FollowUpsController,
            ComplaintsController,
            CarryInController,
            LoanEquipmentController,
            lend,
            AppointmentsController,
            KpiReportsController,
            VisitController,
            *REPORT_ROUTES,
            *CHECKLIST_ADMIN_ROUTES,
            *HANDOVER_ROUTES,
            *CONDUCT_ROUTES,
            *SHIFT_ROUTES,
            *CALL_BACK_ROUTES,
            *PHOTO_AUDIT_ROUTES,
            *OFFICE_ROUTES,
            *NOTIFY_ROUTES,
            static,
        ],
        dependencies={"db_session": Provide(provide_db_session), "ctx": Provide(provide_context)},
        lifespan=[database, scheduling, frozen_heap],
        state=State(
            {
                "settings": settings,
                "clock": clock,
                "page_cache": PageCache(),
                "kept_pages": KeptPages(),
                "kept_parts": KeptParts(),
                "started_at": clock(),
                "channels_backend": channels_backend,
            }
        ),
        middleware=[
            trusted_proxy_middleware_factory,
            metrics_middleware_factory,
            *([request_log_middleware_factory] if settings.log_requests else []),
            auth_middleware_factory,
            request_checks_middleware_factory,
        ],
        before_request=in_order(refuse_nul_characters, check_idempotency_key),
        before_send=[
            add_security_headers,
            persist_csrf_cookie,
            secure_cookies_over_https,
            clear_consumed_flash,
            store_idempotent_response,
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret_key, cookie_secure=settings.secure_cookies, cookie_samesite="lax"
        ),
        compression_config=CompressionConfig(
            backend="brotli",
            brotli_gzip_fallback=True,
            minimum_size=500,
            # a few % larger than the default 5 for a third of the CPU
            brotli_quality=3,
            gzip_compress_level=6,
            exclude="/board/events",
            exclude_opt_key=COMPRESSED_BY_HANDLER,
        ),
        template_config=make_template_config(
            settings.timezone,
            {
                **ACCOUNT_TEMPLATE_GLOBALS,
                **JOB_TEMPLATE_GLOBALS,
                **PARTS_TEMPLATE_GLOBALS,
                **FOLLOW_UP_TEMPLATE_GLOBALS,
            },
            reload=settings.debug,
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=HTMXRequest,
        request_max_body_size=settings.max_form_bytes,
        plugins=[OnsiteCLIPlugin(), make_channels_plugin(channels_backend)],
        debug=settings.debug,
        openapi_config=None,  # no public map of every route
    )
