"""Hit rates (domain.md §6.5, F34): per engineer, part and month, from the ledger.

- usage hit rate = units used (fitted, or taken back faulty) ÷ units checked out: borrowing accuracy;
- stock hit rate = check-outs ÷ (check-outs + borrow failures): availability.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.parts.models import MovementKind, Part, PartMovement

K = MovementKind


@dataclass
class Rates:
    borrowed: int = 0
    used: int = 0
    failures: int = 0

    @property
    def usage_rate(self) -> float | None:
        return self.used / self.borrowed if self.borrowed else None

    @property
    def stock_rate(self) -> float | None:
        asked = self.borrowed + self.failures
        return self.borrowed / asked if asked else None


@dataclass
class HitRateReport:
    by_engineer: dict[str, Rates]
    by_part: dict[str, Rates]
    by_month: dict[str, Rates]
    failures: list[tuple[PartMovement, str, str]]  # movement, part, engineer


async def hit_rates(db: AsyncSession, office_id: uuid.UUID, since: datetime, tz) -> HitRateReport:
    rows = (
        await db.exec(
            select(PartMovement, Part.number, Part.name, User.display_name)
            .join(Part, Part.id == PartMovement.part_id)
            .outerjoin(User, User.id == PartMovement.engineer_id)
            .where(
                PartMovement.office_id == office_id,
                PartMovement.at >= since,
                PartMovement.kind.in_([K.CHECK_OUT, K.FIT, K.RETURN_FAULTY, K.BORROW_FAILURE]),
            )
            .order_by(PartMovement.at)
        )
    ).all()
    groups = [defaultdict(Rates), defaultdict(Rates), defaultdict(Rates)]
    used_units: set[tuple] = set()  # a fitted unit counts once, whether scanned on site, returned faulty, or both
    failures = []
    for movement, number, name, engineer in rows:
        keys = (engineer or "—", f"{number} {name}", movement.at.astimezone(tz).strftime("%Y-%m"))
        if movement.kind == K.CHECK_OUT:
            field = "borrowed"
        elif movement.kind == K.BORROW_FAILURE:
            field = "failures"
            failures.append((movement, f"{number} {name}", engineer or "—"))
        elif (movement.unit_id, movement.job_id) in used_units:
            continue
        else:
            used_units.add((movement.unit_id, movement.job_id))
            field = "used"
        for group, key in zip(groups, keys, strict=True):
            setattr(group[key], field, getattr(group[key], field) + 1)
    return HitRateReport(*(dict(sorted(group.items())) for group in groups), failures=failures[::-1])


def since_months(now: datetime, months: int) -> datetime:
    return now - timedelta(days=31 * months)
