"""job_flags(job, now): the badges a job shows on the board, My jobs and the job page (INV-8, F08)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.jobs.flags import job_flags

NOW = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def job(**extra):
    values = {
        "is_open": True,
        "next_due_at": None,
        "next_warn_at": None,
        "unfinished_after": None,
        "late_change": False,
        "fault_level": "",
        "paid": False,
        "priority": "normal",
        "repeat_repair": False,
    }
    return SimpleNamespace(**{**values, **extra})


def codes(flags) -> list[str]:
    return [flag.code for flag in flags]


def test_a_job_on_time_shows_no_flag():
    assert job_flags(job(next_warn_at=NOW + HOUR, next_due_at=NOW + 2 * HOUR), NOW) == []


def test_it_warns_before_the_deadline_and_turns_red_after_it():
    assert codes(job_flags(job(next_warn_at=NOW - HOUR, next_due_at=NOW + HOUR), NOW)) == ["near"]
    overdue = job_flags(job(next_warn_at=NOW - 2 * HOUR, next_due_at=NOW - HOUR), NOW)
    assert codes(overdue) == ["overdue"] and overdue[0].tone == "danger"


def test_an_unfinished_job_is_red_and_no_longer_due_soon():
    assert codes(job_flags(job(unfinished_after=NOW - HOUR, next_warn_at=NOW - HOUR), NOW)) == ["unfinished"]


def test_a_closed_job_shows_no_deadline_flag():
    closed = job(is_open=False, unfinished_after=NOW - HOUR, next_due_at=NOW - HOUR, next_warn_at=NOW - HOUR)
    assert job_flags(closed, NOW) == []


def test_it_names_what_sets_the_job_apart():
    flags = job_flags(job(late_change=True, fault_level="L2", paid=True, priority="urgent", repeat_repair=True), NOW)
    assert codes(flags) == ["late-change", "escalated", "paid", "urgent", "repeat-repair"]
    assert flags[1].level == "L2" and flags[1].tone == "danger"
    assert job_flags(job(fault_level="L3"), NOW)[0].tone == ""
