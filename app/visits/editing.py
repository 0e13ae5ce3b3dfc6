"""A manager edits checklist templates and the price list as data: each save is a new version (F42, F54–F57)."""

import json
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.database import transaction
from app.core.i18n import _
from app.visits import engine, pricing
from app.visits.checklists import BUILT_IN_CHECKLISTS
from app.visits.engine import ChecklistRefused
from app.visits.models import ChecklistTemplate, PriceList
from app.visits.quotes import current_price_list
from app.visits.service import current_checklist


def _parse(raw: str) -> object:
    try:
        return json.loads(raw)
    except ValueError as error:
        raise ChecklistRefused(_("This is not valid JSON: %(error)s", error=str(error)), field="body") from None


def validate_checklist(template: dict[str, Any]) -> list[str]:
    """Problems with a template a manager edited; empty when it can be used."""
    problems = []
    keys = [step.get("key") for step in template.get("steps", [])]
    phases = {phase.get("key") for phase in template.get("phases", [])}
    if len(set(keys)) != len(keys):
        problems.append(_("Two steps share the same key."))
    for step in template.get("steps", []):
        if step.get("type") not in set(engine.StepType):
            problems.append(_("Step “%(key)s” has an unknown type.", key=step.get("key")))
        if step.get("phase") not in phases:
            problems.append(_("Step “%(key)s” names an unknown phase.", key=step.get("key")))
        if not step.get("title"):
            problems.append(_("Step “%(key)s” has no title.", key=step.get("key")))
        for spec in step.get("fields", []):
            if spec.get("type") not in engine.FIELD_TYPES or not spec.get("name") or not spec.get("label"):
                problems.append(
                    _("Step “%(key)s” has a field without a name, label or valid type.", key=step.get("key"))
                )
            elif spec["type"] == "choice" and not spec.get("options"):
                problems.append(_("Step “%(key)s” has a choice without options.", key=step.get("key")))
        if not set(step.get("paths", ["fixed"])) <= set(engine.PATHS):
            problems.append(_("Step “%(key)s” names an unknown path.", key=step.get("key")))
    return problems


async def save_checklist(db: AsyncSession, key: str, raw: str, ctx: Context) -> int:
    """Stores a new version of template ``key``; visits already started keep their snapshot."""
    if key not in BUILT_IN_CHECKLISTS:
        raise ChecklistRefused(_("There is no checklist template “%(key)s”.", key=key))
    body = _parse(raw)
    if not isinstance(body, dict):
        raise ChecklistRefused(_("A template is a JSON object with phases and steps."), field="body")
    problems = validate_checklist(body)
    if problems:
        raise ChecklistRefused(" ".join(problems), field="body")
    async with transaction(db):
        current = await current_checklist(db, ctx.actor.office_id, key)
        version = int(current.get("version", 1)) + 1
        body = {**body, "key": key, "version": version}
        db.add(
            ChecklistTemplate(
                office_id=ctx.actor.office_id,
                key=key,
                version=version,
                body=body,
                created_at=ctx.now,
                created_by_id=ctx.actor.id,
            )
        )
    return version


def validate_price_list(lines: list) -> list[str]:
    """Problems with a price list a manager edited, every line's; normalises each valid line's price."""
    problems, codes = [], set()
    for line in lines:
        if not isinstance(line, dict) or not {"code", "label", "kind", "price"} <= line.keys():
            problems.append(_("Each price-list line needs a code, label, kind and price."))
            continue
        try:
            line["price"] = pricing.format_cents(pricing.cents_of(str(line["price"])))
        except ValueError:
            problems.append(_("“%(code)s” has an invalid price.", code=line["code"]))
        if line["code"] in codes:
            problems.append(_("Two price-list lines share the code “%(code)s”.", code=line["code"]))
        codes.add(line["code"])
    return list(dict.fromkeys(problems))


async def save_price_list(db: AsyncSession, raw: str, ctx: Context) -> int:
    """Publishes a new price-list version; quotes already made keep citing theirs."""
    lines = _parse(raw)
    if not isinstance(lines, list) or not lines:
        raise ChecklistRefused(_("The price list is a JSON list of lines."), field="body")
    problems = validate_price_list(lines)
    if problems:
        raise ChecklistRefused(" ".join(problems), field="body")
    async with transaction(db):
        version, _lines = await current_price_list(db, ctx.actor.office_id)
        db.add(
            PriceList(
                office_id=ctx.actor.office_id,
                version=version + 1,
                created_at=ctx.now,
                lines=lines,
            )
        )
    return version + 1


async def checklist_versions(db: AsyncSession, office_id, key: str) -> list[ChecklistTemplate]:
    rows = await db.exec(
        select(ChecklistTemplate)
        .where(ChecklistTemplate.office_id == office_id, ChecklistTemplate.key == key)
        .order_by(ChecklistTemplate.version.desc())
    )
    return list(rows.all())
