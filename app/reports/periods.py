"""Report periods: a month, a half-year or a year, in the office's time zone (domain.md §11.3, S25)."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_CODE = re.compile(r"^(\d{4})(?:-(\d{2})|-H([12]))?$")


@dataclass(frozen=True)
class Period:
    year: int
    month: int = 0  # 1–12 for a month
    half: int = 0  # 1 or 2 for a half-year

    @property
    def kind(self) -> str:
        return "month" if self.month else "half" if self.half else "year"

    @property
    def code(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    def first_and_next_day(self) -> tuple[date, date]:
        """The period's first day and the first day after it."""
        if self.month:
            start = date(self.year, self.month, 1)
            return start, date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        if self.half:
            return date(self.year, 6 * self.half - 5, 1), (
                date(self.year, 7, 1) if self.half == 1 else date(self.year + 1, 1, 1)
            )
        return date(self.year, 1, 1), date(self.year + 1, 1, 1)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware UTC datetimes: local midnights of the office."""
        first, after = self.first_and_next_day()
        return (
            datetime.combine(first, datetime.min.time(), tz).astimezone(UTC),
            datetime.combine(after, datetime.min.time(), tz).astimezone(UTC),
        )


def parse_period(code: str, today: date) -> Period:
    """``2026-11``, ``2026-H2`` or ``2026``; anything else means the current month."""
    match = _CODE.match((code or "").strip())
    if match:
        year, month, half = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        if 2000 <= year <= 2100 and 0 <= month <= 12:
            return Period(year, month, half)
    return Period(today.year, today.month)


def recent_periods(today: date) -> list[Period]:
    """The choices offered: the last 12 months, this and last half-year, this and last year."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(Period(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    half = 1 if today.month <= 6 else 2
    halves = [Period(today.year, half), Period(today.year - (half == 1), 2 if half == 1 else 1)]
    return [*months, *halves, Period(today.year), Period(today.year - 1)]
