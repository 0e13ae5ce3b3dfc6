"""The catalogue: part numbers and their units, added by hand or imported from a CSV file (all or nothing)."""

import csv
import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.parts.centre import link_stock_in
from app.parts.idempotency import unique_code
from app.parts.models import Condition, MovementKind, Part, PartMovement, PartUnit

CSV_COLUMNS = ["part_number", "name", "compatible_models", "unit_price", "serial", "condition", "location"]
MAX_IMPORT_BYTES = 2_000_000


@dataclass
class ImportReport:
    parts_created: int = 0
    units_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def parse_price(raw: str) -> int:
    """'12.50' → 1250 cents."""
    try:
        value = Decimal(raw.strip() or "0")
    except InvalidOperation:
        raise ValueError(_("the unit price is not a number")) from None
    if not value.is_finite() or value < 0 or value > 10_000_000:
        raise ValueError(_("the unit price is out of range"))
    return int(value * 100)


def parse_part_form(data: dict) -> dict:
    """A new part number's fields; ``FormErrors`` names every bad one."""
    check = v.Collector()
    number = check(v.text, data, "number", max_length=40, label=_("Part number"))
    name = check(v.text, data, "name", max_length=120, label=_("Name"))
    models = check(v.text, data, "compatible_models", max_length=300, required=False, label=_("Compatible models"))
    price = None
    try:
        price = parse_price(str(data.get("unit_price", "") or "0"))
    except ValueError as error:
        check.add("unit_price", str(error))
    check.done()
    return {"number": number, "name": name, "compatible_models": models, "unit_price_cents": price}


async def _unique_code(db: AsyncSession, taken: set[str]) -> str:
    return await unique_code(db, taken)


async def create_part(db: AsyncSession, ctx: Context, data: dict) -> Part:
    values = parse_part_form(data)
    async with transaction(db):
        if await db.scalar(
            select(Part.id).where(Part.office_id == ctx.actor.office_id, Part.number == values["number"])
        ):
            raise v.FieldError(
                "number", _("Part number %(number)s is already in the catalogue.", number=values["number"])
            )
        part = Part(office_id=ctx.actor.office_id, code=await _unique_code(db, set()), created_at=ctx.now, **values)
        db.add(part)
    return part


def _stock_in(ctx: Context, part: Part, unit: PartUnit, source: str) -> PartMovement:
    return PartMovement(
        office_id=ctx.actor.office_id,
        kind=MovementKind.STOCK_IN,
        part_id=part.id,
        unit_id=unit.id,
        actor_id=ctx.actor.id,
        from_place=source,
        to_place=unit.location,
        condition=unit.condition,
        details={"serial": unit.serial},
        at=ctx.now,
        device_at=ctx.device_at,
    )


async def add_unit(db: AsyncSession, ctx: Context, part_id: uuid.UUID, data: dict) -> PartUnit:
    """Books a serialised unit into stock at a location (a STOCK_IN movement)."""
    check = v.Collector()
    serial = check(v.text, data, "serial", max_length=80, label=_("Serial number"))
    condition = check(v.choice, data, "condition", [c.value for c in Condition], label=_("condition"))
    location = check(v.text, data, "location", max_length=60, label=_("Location"))
    check.done()
    async with transaction(db):
        part = await db.get(Part, part_id)
        if part is None or part.office_id != ctx.actor.office_id:
            raise DomainError(_("This part is not in the catalogue."))
        if await db.scalar(
            select(PartUnit.id).where(
                PartUnit.office_id == part.office_id, PartUnit.part_id == part.id, PartUnit.serial == serial
            )
        ):
            raise v.FieldError("serial", _("A unit with serial %(serial)s is already in stock.", serial=serial))
        unit = PartUnit(
            office_id=part.office_id,
            part_id=part.id,
            code=await _unique_code(db, set()),
            serial=serial,
            condition=condition,
            location=location,
            created_at=ctx.now,
        )
        db.add(unit)
        await db.flush()
        stock_in = _stock_in(ctx, part, unit, "manual")
        await link_stock_in(db, ctx, stock_in)  # a part the centre sent for a waiting job: alert the job
        db.add(stock_in)
    return unit


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GBK/GB18030 as saved by a Chinese Excel."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_('The file is neither UTF-8 nor GBK text. Save it from Excel as "CSV UTF-8" and try again.'))


def _rows(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ("part_number", "name") if name not in header]
    if missing:
        raise DomainError(
            _(
                "The first line must name the columns: %(columns)s. Missing: %(missing)s.",
                columns=", ".join(CSV_COLUMNS),
                missing=", ".join(missing),
            )
        )
    reader.fieldnames = header
    return [(reader.line_num, {k: (val or "").strip() for k, val in row.items() if k}) for row in reader]


async def import_csv(db: AsyncSession, ctx: Context, raw: bytes) -> ImportReport:
    """All or nothing: every row is checked first; one bad row and nothing is written, every bad row listed."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise DomainError(_("The file is too large (at most 2 MB)."))
    rows = _rows(decode_csv(raw))
    if not rows:
        raise DomainError(_("The file has no rows to import."))
    report = ImportReport()
    office_id = ctx.actor.office_id
    existing = {p.number: p for p in (await db.exec(select(Part).where(Part.office_id == office_id))).all()}
    known_serials = set((await db.exec(select(PartUnit.serial).where(PartUnit.office_id == office_id))).all())
    new_parts: dict[str, dict] = {}
    units: list[tuple[str, dict]] = []
    for line, row in rows:
        try:
            number = row.get("part_number", "")
            if not number or not row.get("name"):
                raise ValueError(_("part number and name are required"))
            if len(number) > 40 or len(row["name"]) > 120 or len(row.get("compatible_models", "")) > 300:
                raise ValueError(_("a value is too long"))
            price = parse_price(row.get("unit_price", ""))
            if number not in existing and number not in new_parts:
                new_parts[number] = {
                    "number": number,
                    "name": row["name"],
                    "unit_price_cents": price,
                    "compatible_models": row.get("compatible_models", ""),
                }
            if serial := row.get("serial", ""):
                condition = (row.get("condition") or "new").lower()
                if condition not in {c.value for c in Condition}:
                    raise ValueError(_("condition must be new, good or faulty"))
                if serial in known_serials or len(serial) > 80:
                    raise ValueError(_("serial %(serial)s is already in stock or too long", serial=serial[:80]))
                known_serials.add(serial)
                units.append(
                    (number, {"serial": serial, "condition": condition, "location": row.get("location", "")[:60]})
                )
        except ValueError as error:
            report.errors.append((line, str(error)))
    if report.errors:
        return report
    async with transaction(db):
        taken: set[str] = set()
        for values in new_parts.values():
            part = Part(office_id=office_id, code=await _unique_code(db, taken), created_at=ctx.now, **values)
            db.add(part)
            existing[part.number] = part
        await db.flush()
        for number, values in units:
            unit = PartUnit(
                office_id=office_id,
                part_id=existing[number].id,
                code=await _unique_code(db, taken),
                created_at=ctx.now,
                **values,
            )
            db.add(unit)
            await db.flush()
            db.add(_stock_in(ctx, existing[number], unit, "csv import"))
    report.parts_created, report.units_created = len(new_parts), len(units)
    return report
