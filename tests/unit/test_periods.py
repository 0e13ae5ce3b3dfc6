"""Report periods: months, halves and years, parsed from their codes, with their bounds in the office's zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.reports.periods import Period, parse_period


def test_it_parses_periods_and_their_bounds():
    assert Period(2026, 12).first_and_next_day() == (date(2026, 12, 1), date(2027, 1, 1))
    assert Period(2026, half=2).first_and_next_day() == (date(2026, 7, 1), date(2027, 1, 1))
    assert Period(2026, half=1).first_and_next_day() == (date(2026, 1, 1), date(2026, 7, 1))
    assert Period(2026).first_and_next_day() == (date(2026, 1, 1), date(2027, 1, 1))
    assert parse_period("2026-H2", date(2026, 1, 5)).code == "2026-H2"
    assert parse_period("nonsense", date(2026, 3, 5)).code == "2026-03"
    start, end = Period(2026, 11).bounds(ZoneInfo("Asia/Shanghai"))
    assert start == datetime(2026, 10, 31, 16, tzinfo=UTC) and end - start == timedelta(days=30)
