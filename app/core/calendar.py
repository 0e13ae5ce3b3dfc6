"""The office's working-day calendar (domain.md §4 "Calendar Default").

Working days are the office's make-up working days (调休上班: a Saturday or Sunday worked to bridge a holiday)
and Monday–Friday minus the office's holidays; working hours 08:30–17:30 in the office's
time zone. Hour clocks run only in working hours; day rules count the request day as day 0.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_days: frozenset[date] = field(default_factory=frozenset)  # weekend days worked
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    start: time = time(8, 30)
    end: time = time(17, 30)

    def is_working_day(self, day: date) -> bool:
        return day in self.makeup_days or (day.weekday() < 5 and day not in self.holidays)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def local_date(self, moment: datetime) -> date:
        return self.local(moment).date()

    def at(self, day: date, clock: time) -> datetime:
        """``day`` at ``clock`` office time, as an aware UTC datetime."""
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def end_of_day(self, day: date) -> datetime:
        return self.at(day, self.end)

    def add_working_days(self, day: date, days: int) -> date:
        """The ``days``-th working day after ``day`` (``day`` itself is day 0, worked or not)."""
        current = day
        while days > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        return current

    def working_days_back(self, day: date, days: int) -> date:
        """The ``days``-th working day before ``day``."""
        current = day
        while days > 0:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        return current

    def next_working_start(self, moment: datetime) -> datetime:
        """``moment`` if inside working hours, else the start of the next working period."""
        local = self.local(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.end:
            return moment if local.time() >= self.start else self.at(day, self.start)
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return self.at(day, self.start)

    def add_working_time(self, moment: datetime, delta: timedelta) -> datetime:
        """``moment`` plus ``delta`` of working time: the clock stops outside working hours."""
        remaining = delta
        current = self.next_working_start(moment)
        while True:
            day_end = self.end_of_day(self.local_date(current))
            if current + remaining <= day_end:
                return current + remaining
            remaining -= day_end - current
            current = self.next_working_start(day_end + timedelta(seconds=1))

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        if end < start:
            return -self.working_time_between(end, start)
        total = timedelta()
        current = self.next_working_start(start)
        while current < end:
            day_end = self.end_of_day(self.local_date(current))
            total += min(day_end, end) - current
            current = self.next_working_start(day_end + timedelta(seconds=1))
        return total
