"""The working-day calendar behind every SLA clock (domain.md §4)."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.core.calendar import WorkingCalendar

NATIONAL_DAY = frozenset({date(2026, 10, 1), date(2026, 10, 2)})
calendar = WorkingCalendar(holidays=NATIONAL_DAY)


def local(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=calendar.tz).astimezone(UTC)


def test_it_counts_the_request_day_as_day_zero_and_skips_weekends():
    assert calendar.add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 24)  # Fri -> Tue
    assert calendar.add_working_days(date(2026, 11, 21), 2) == date(2026, 11, 24)  # Sat -> Tue


def test_it_skips_office_holidays():
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 5)


# National Day week as China shifts it: Thursday 1 to Wednesday 7 October off, Saturday 10 October worked (调休).
GOLDEN_WEEK = frozenset({date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7)})
shifted = WorkingCalendar(holidays=GOLDEN_WEEK, makeup_days=frozenset({date(2026, 10, 10)}))


def test_a_make_up_saturday_is_worked_and_the_sunday_after_it_is_not():
    assert shifted.is_working_day(date(2026, 10, 10)) and not calendar.is_working_day(date(2026, 10, 10))
    assert not shifted.is_working_day(date(2026, 10, 11))
    assert [shifted.is_working_day(date(2026, 10, d)) for d in range(1, 10)] == [False] * 7 + [True, True]


def test_it_counts_working_days_forward_across_a_make_up_saturday():
    assert shifted.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)  # Fri -> Sat worked
    assert shifted.add_working_days(date(2026, 10, 9), 2) == date(2026, 10, 12)  # -> Mon
    assert shifted.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # the holiday weekdays skipped
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 12)  # without it: Monday


def test_it_counts_working_days_back_across_a_make_up_saturday():
    assert shifted.working_days_back(date(2026, 10, 12), 1) == date(2026, 10, 10)
    assert shifted.working_days_back(date(2026, 10, 12), 2) == date(2026, 10, 9)
    assert shifted.working_days_back(date(2026, 10, 8), 1) == date(2026, 9, 30)  # over the holiday weekdays


def test_it_runs_hour_clocks_on_a_make_up_saturday():
    assert shifted.add_working_time(local(2026, 10, 9, 17, 0), timedelta(hours=2)) == local(2026, 10, 10, 10, 0)
    assert shifted.next_working_start(local(2026, 10, 10, 7, 0)) == local(2026, 10, 10, 8, 30)
    assert shifted.working_time_between(local(2026, 10, 9, 17, 30), local(2026, 10, 12, 8, 30)) == timedelta(hours=9)


def test_it_runs_hour_clocks_only_in_working_hours():
    assert calendar.add_working_time(local(2026, 11, 23, 17, 0), timedelta(hours=2)) == local(2026, 11, 24, 10, 0)
    assert calendar.add_working_time(local(2026, 11, 23, 20, 0), timedelta(minutes=30)) == local(2026, 11, 24, 9, 0)
    assert calendar.add_working_time(local(2026, 11, 27, 17, 0), timedelta(hours=1)) == local(2026, 11, 30, 9, 0)


def test_it_starts_the_clock_of_a_weekend_request_on_monday_morning():
    assert calendar.next_working_start(local(2026, 11, 22, 11, 0)) == local(2026, 11, 23, 8, 30)


moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
durations = st.integers(min_value=0, max_value=60 * 40).map(lambda m: timedelta(minutes=m))


@given(moments, durations, st.sampled_from([calendar, shifted]))
def test_it_adds_exactly_the_working_time_it_is_asked_for(start, delta, chosen):
    end = chosen.add_working_time(start, delta)
    assert end >= start
    assert chosen.working_time_between(start, end) == delta


@given(moments)
def test_it_never_ends_a_clock_outside_working_hours(start):
    end = calendar.add_working_time(start, timedelta(minutes=1))
    assert calendar.is_working_day(calendar.local_date(end))
    assert calendar.start <= calendar.local(end).time() <= calendar.end
