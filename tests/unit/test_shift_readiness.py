"""S19 "Staff ready": the limit before opening by role, on working days only, against a moved clock."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.core.calendar import WorkingCalendar
from app.shifts.readiness import Ready, made_at, readiness, ready_by
from app.shifts.rota import office_closed
from tests.helpers.env import FakeClock

BEIJING = WorkingCalendar(holidays=frozenset({date(2026, 11, 25)}), tz=ZoneInfo("Asia/Shanghai"))
MONDAY = date(2026, 11, 23)


def utc(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_staff_are_ready_ten_minutes_before_opening_and_the_coordinator_twenty():
    assert ready_by(BEIJING, MONDAY, "engineer") == utc(0, 20)  # 08:30 Beijing opening, 08:20
    for role in ("clerk", "reception", "manager", "follow_up", "specialist", "administrative"):
        assert ready_by(BEIJING, MONDAY, role) == utc(0, 20), role
    assert ready_by(BEIJING, MONDAY, "coordinator") == utc(0, 10)
    assert ready_by(BEIJING, MONDAY, "regional") is None  # a regional user works in no one office


def test_the_opening_is_the_offices_own_start_of_day_in_its_time_zone():
    tianjin_late = WorkingCalendar(tz=ZoneInfo("Asia/Shanghai"), start=time(9, 0), end=time(18, 0))
    assert ready_by(tianjin_late, MONDAY, "engineer") == utc(0, 50)
    london = WorkingCalendar(tz=ZoneInfo("Europe/London"), start=time(8, 30))
    assert ready_by(london, MONDAY, "coordinator") == utc(8, 10)


def test_nobody_is_due_on_a_weekend_or_a_holiday():
    assert ready_by(BEIJING, date(2026, 11, 28), "engineer") is None  # Saturday
    assert ready_by(BEIJING, date(2026, 11, 29), "coordinator") is None  # Sunday
    assert ready_by(BEIJING, date(2026, 11, 25), "engineer") is None  # the office's holiday


def test_readiness_moves_from_waiting_to_missing_as_the_clock_passes_the_limit():
    clock = FakeClock(utc(0, 0))  # 08:00 in Beijing
    limit = ready_by(BEIJING, MONDAY, "coordinator")
    assert readiness(limit, None, clock()) is Ready.WAITING
    clock.advance(minutes=10)  # 08:10: exactly the limit
    assert readiness(limit, None, clock()) is Ready.WAITING
    clock.advance(minutes=1)
    assert readiness(limit, None, clock()) is Ready.MISSING
    assert readiness(limit, utc(0, 10), clock()) is Ready.ON_TIME  # at the limit counts as ready
    assert readiness(limit, utc(0, 11), clock()) is Ready.LATE


def test_a_check_in_that_waited_on_the_phone_counts_from_the_phones_time():
    assert made_at(utc(0, 40), utc(0, 15)) == utc(0, 15)  # sent when the signal came back
    assert made_at(utc(0, 15), None) == utc(0, 15)
    assert made_at(utc(0, 15), utc(0, 17)) == utc(0, 15)  # a phone ahead of the server gains nothing


def test_the_office_is_closed_outside_its_hours_and_on_days_off():
    assert not office_closed(BEIJING, utc(1, 0))  # 09:00 Monday
    assert office_closed(BEIJING, utc(0, 29))  # 08:29
    assert office_closed(BEIJING, utc(9, 30))  # 17:30, the end of the day
    assert office_closed(BEIJING, utc(2, 0, day=28))  # Saturday
    assert office_closed(BEIJING, utc(2, 0, day=25))  # the holiday
    assert not office_closed(BEIJING, utc(9, 30) - timedelta(seconds=1))
