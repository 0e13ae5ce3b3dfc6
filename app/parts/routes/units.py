"""Unit pages (the QR label's address), the scanner view, code lookup, labels and the catalogue."""

import uuid

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed, signed_in
from app.accounts.models import Role, User
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, Multipart, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.parts import catalogue, labels, ledger, queries
from app.parts.idempotency import MovementKey
from app.parts.models import MovementKind, Part, PartUnit
from app.parts.scan import resolve
from app.parts.texts import UNIT_STATUS_LABELS

DB = NamedDependency[AsyncSession]
STORE = roles_allowed(Role.CLERK)  # and the manager
Page = Template | Redirect


async def _unit_page(request: Request, db: AsyncSession, code: str) -> Template:
    code = code.strip().upper()
    office_id = request.user.office_id
    unit = (await db.exec(select(PartUnit).where(PartUnit.code == code, PartUnit.office_id == office_id))).first()
    if unit is not None:
        part = await db.get(Part, unit.part_id)
        context = {
            "unit": unit,
            "part": part,
            "holder": await db.get(User, unit.holder_id) if unit.holder_id else None,
            "job": (await queries.jobs_by_id(db, [unit.job_id])).get(unit.job_id) if unit.job_id else None,
            "movements": await queries.unit_movements(db, unit.id),
            "movement_id": uuid.uuid4(),
            "UNIT_STATUS_LABELS": UNIT_STATUS_LABELS,
            "reserved_for": (await queries.jobs_by_id(db, [unit.reserved_job_id])).get(unit.reserved_job_id)
            if unit.reserved_job_id
            else None,
        }
        return Template("parts/unit.html", context=context)
    part = (await db.exec(select(Part).where(Part.code == code, Part.office_id == office_id))).first()
    if part is None:
        raise NotFoundException()
    return Template("parts/part.html", context={"part": part, "units": await queries.part_units(db, part.id)})


@get(["/u/{code:str}", "/U/{code:str}"], guards=[signed_in])
async def unit_page(request: Request, db_session: DB, code: FromPath[str]) -> Template:
    return await _unit_page(request, db_session, code)


@get(["/u/{code:str}/qr.svg", "/U/{code:str}/qr.svg"], guards=[signed_in], media_type="image/svg+xml")
async def unit_qr(request: Request, db_session: DB, code: FromPath[str], size: FromQuery[float] = 24) -> str:
    """The label's QR code alone, as SVG (``size`` in millimetres, quiet zone included)."""
    code = code.strip().upper()
    office_id = request.user.office_id
    known = await db_session.scalar(select(PartUnit.id).where(PartUnit.code == code, PartUnit.office_id == office_id))
    if not known and not await db_session.scalar(select(Part.id).where(Part.code == code, Part.office_id == office_id)):
        raise NotFoundException()
    return str(labels.qr_svg(labels.label_url(_public_url(request), code), max(10.0, min(size, 100.0))))


@get("/parts/lookup", guards=[signed_in])
async def lookup(request: Request, db_session: DB, code: FromQuery[str] = "") -> Redirect:
    return Redirect(await resolve(db_session, request.user.office_id, code), status_code=303)


@get("/parts/scan", guards=[signed_in], opt={"wasm": True})
async def scan_page(request: Request) -> Template:
    return Template("parts/scan.html")


def _public_url(request: Request) -> str:
    return request.app.state.settings.public_url or f"https://{request.url.netloc}"


def _stock(name: str) -> labels.Stock:
    return labels.STOCKS.get(name) or labels.STOCKS[labels.DEFAULT_STOCK]


async def _label_items(db: AsyncSession, office_id: uuid.UUID, part_ids: list[str], with_parts: bool) -> list:
    ids = []
    for raw in part_ids:
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    query = select(Part).where(Part.office_id == office_id).order_by(Part.number)
    parts = (await db.exec(query.where(Part.id.in_(ids)) if ids else query)).all()
    units = await queries.units_by_part(db, [part.id for part in parts])
    items = []
    for part in parts:
        if with_parts:
            items.append((part.code, part.name, part.number))
        for unit in units.get(part.id, []):
            items.append((unit.code, part.name, f"{part.number} · {unit.serial}"))
    return items


@get("/parts/labels", guards=[STORE])
async def label_sheet(
    request: Request,
    db_session: DB,
    stock: FromQuery[str] = labels.DEFAULT_STOCK,
    part: FromQuery[list[str] | None] = None,
    bulk: FromQuery[bool] = False,
) -> Template:
    sheet = _stock(stock)
    items = await _label_items(db_session, request.user.office_id, part or [], bulk)
    return Template(
        "parts/labels.html",
        context={
            "pages": labels.pages(labels.make_labels(_public_url(request), items, sheet), sheet),
            "stock_name": stock,
            "stocks": labels.STOCKS,
            "query": request.url.query or "",
        },
    )


@get("/parts/labels/sheet.css", guards=[STORE], media_type="text/css")
async def label_css(stock: FromQuery[str] = labels.DEFAULT_STOCK) -> str:
    return labels.sheet_css(_stock(stock))


@get("/parts/labels.pdf", guards=[STORE])
async def label_pdf(
    request: Request,
    db_session: DB,
    stock: FromQuery[str] = labels.DEFAULT_STOCK,
    part: FromQuery[list[str] | None] = None,
    bulk: FromQuery[bool] = False,
) -> Response:
    sheet = _stock(stock)
    items = await _label_items(db_session, request.user.office_id, part or [], bulk)
    pdf = await render_sheet_pdf(request, labels.make_labels(_public_url(request), items, sheet, raster=True), sheet)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="labels.pdf"'})


async def render_sheet_pdf(request: Request, items: list[labels.Label], sheet: labels.Stock) -> bytes:
    import anyio

    template = request.app.template_engine.get_template("parts/_sheet.html")
    html = template.render(pages=labels.pages(items, sheet))
    return await anyio.to_thread.run_sync(labels.render_pdf, html, labels.sheet_css(sheet), str(request.base_url))


@get("/parts/catalogue", guards=[STORE])
async def catalogue_page(request: Request, db_session: DB) -> Template:
    return await _catalogue(request, db_session)


async def _catalogue(request: Request, db: AsyncSession, error=None, values=None, report=None) -> Template:
    return Template(
        "parts/catalogue.html",
        status_code=422 if error or (report and report.errors) else 200,
        context={
            "stock": await queries.stock(db, request.user.office_id),
            **error_context(error),
            "values": values or {},
            "report": report,
            "columns": catalogue.CSV_COLUMNS,
        },
    )


@post("/parts/catalogue", guards=[STORE])
async def create_part(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    return await act(
        catalogue.create_part(db_session, ctx, values),
        done=lambda part: redirect(f"/u/{part.code}", _("Part %(number)s added.", number=part.number), request=request),
        refused=lambda error: _catalogue(request, db_session, error, values),
    )


@post("/parts/{part_id:uuid}/units", guards=[STORE])
async def add_unit(request: Request, db_session: DB, ctx: Ctx, part_id: FromPath[uuid.UUID], data: Form) -> Response:
    values = single_values(data)

    async def redraw(error: DomainError) -> Template:
        part = await db_session.get(Part, part_id)
        if part is None or part.office_id != request.user.office_id:
            raise NotFoundException() from None
        return Template(
            "parts/part.html",
            status_code=422,
            context={
                "part": part,
                "units": await queries.part_units(db_session, part.id),
                **error_context(error),
                "values": values,
            },
        )

    return await act(
        catalogue.add_unit(db_session, ctx, part_id, values),
        done=lambda unit: redirect(
            f"/u/{unit.code}", _("Unit %(code)s booked into stock.", code=unit.code), request=request
        ),
        refused=redraw,
    )


@post("/parts/import", guards=[STORE])
async def import_csv(request: Request, db_session: DB, ctx: Ctx, data: Multipart) -> Page:
    upload = data.get("file")
    if not isinstance(upload, UploadFile):
        return await _catalogue(request, db_session, DomainError(_("Choose a CSV file to import.")))
    try:
        report = await catalogue.import_csv(db_session, ctx, await upload.read())
    except DomainError as error:
        return await _catalogue(request, db_session, error)
    if report.errors:
        return await _catalogue(request, db_session, report=report)
    return redirect(
        "/parts/catalogue",
        _(
            "Imported %(parts)s new part numbers and %(units)s units.",
            parts=report.parts_created,
            units=report.units_created,
        ),
        request=request,
    )


@post("/parts/reserve", guards=[roles_allowed(Role.CLERK, Role.COORDINATOR)])
async def reserve(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    code = str(values.get("code", ""))
    key = MovementKey.from_request(request, MovementKind.RESERVE, values)

    async def redraw(error: DomainError) -> Template:
        page = await _unit_page(request, db_session, code)
        page.context.update(values=values, **error_context(error))
        page.status_code = 422
        return page

    return await act(
        ledger.reserve_unit(db_session, ctx, key, code=code, job_number=str(values.get("job_number", ""))),
        done=redirect(f"/u/{code.strip().upper()}", _("Unit reserved."), request=request),
        refused=redraw,
    )


ROUTES = [
    reserve,
    unit_qr,
    unit_page,
    lookup,
    scan_page,
    label_sheet,
    label_css,
    label_pdf,
    catalogue_page,
    create_part,
    add_unit,
    import_csv,
]
