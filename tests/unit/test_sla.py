"""Every time rule becomes a deadline on the working-day calendar (domain.md §4, Appendix A)."""

from datetime import UTC, date, datetime

from app.core.calendar import WorkingCalendar
from app.jobs import sla

calendar = WorkingCalendar(holidays=frozenset({date(2026, 11, 26)}))


def local(d, hh=0, mm=0):
    return datetime(2026, 11, d, hh, mm, tzinfo=calendar.tz).astimezone(UTC)


def test_it_gives_dispatch_30_working_minutes_and_contact_2_working_hours():
    assert sla.dispatch(calendar, local(23, 17, 15)).due_at == local(24, 8, 45)
    assert sla.first_contact(calendar, local(23, 16, 30)).due_at == local(24, 9, 30)


def test_it_gives_a_call_back_30_working_minutes_from_the_call():
    due = sla.call_back(calendar, local(23, 10))  # Monday 10:00
    assert (due.rule, due.due_at, due.warn_at) == ("S2", local(23, 10, 30), local(23, 10, 24))
    assert sla.call_back(calendar, local(23, 17, 15)).due_at == local(24, 8, 45)  # 15 minutes before closing
    assert sla.call_back(calendar, local(23, 19)).due_at == local(24, 9)  # after hours: from the next opening
    assert sla.call_back(calendar, local(25, 17, 20)).due_at == local(27, 8, 50)  # Thursday 26th is a holiday
    assert sla.call_back(calendar, local(28, 11)).due_at == local(30, 9)  # Saturday: Monday morning


def test_it_sets_the_arrival_deadline_by_zone_in_working_days():
    monday = local(23, 10)
    assert sla.arrival(calendar, monday, "IN_AREA").due_at == local(25, 17, 30)
    assert sla.arrival(calendar, monday, "WITHIN_80KM").due_at == local(27, 17, 30)  # Thursday 26th is a holiday
    assert sla.arrival(calendar, monday, "BEYOND_80KM") is None  # S7: negotiated


def test_it_warns_about_the_report_after_two_working_days_and_flags_it_after_three():
    due = sla.service_report(calendar, local(24, 15))
    assert due.warn_at == local(27, 17, 30) and due.due_at == datetime(
        2026, 11, 30, 17, 30, tzinfo=calendar.tz
    ).astimezone(UTC)


def test_it_gives_a_hard_question_one_working_day():
    due = sla.hard_question(calendar, local(25, 16))  # Wednesday 16:00; Thursday is a holiday
    assert due.rule == "S11" and due.due_at == local(27, 16)


def test_it_gives_follow_up_three_calendar_days():
    assert (sla.follow_up(local(27, 12)).due_at - local(27, 12)).days == 3


def test_it_times_escalations_by_fault_level():
    ack, resolve = sla.escalation(calendar, local(23, 9), "L1")
    assert ack.rule == "ESC_ACK" and ack.due_at == local(23, 9, 30)
    assert resolve.due_at == local(23, 13)
    (question,) = sla.escalation(calendar, local(23, 9), "L4")
    assert question.rule == "S11" and question.due_at == local(24, 9)


def test_it_warns_in_the_last_fifth_of_the_allowed_time():
    due = sla.first_contact(calendar, local(23, 9))
    assert due.warn_at == local(23, 10, 36)


def test_it_flags_an_installation_service_day_the_next_morning():
    due = sla.service_day(calendar, date(2026, 11, 24))
    assert due.rule == "S26" and due.due_at == local(25) and due.warn_at == local(24, 17, 30)


def test_it_gives_the_delay_message_2_working_hours_and_the_take_away_status_3_working_days():
    told = sla.delay_told(calendar, local(23, 16, 30))  # one working hour left on Monday
    assert told.rule == "S27" and told.due_at == local(24, 9, 30)
    status = sla.take_away_status(calendar, local(24, 11))  # Tuesday; Thursday 26th is a holiday
    assert status.rule == "S28" and status.due_at == datetime(2026, 11, 30, 17, 30, tzinfo=calendar.tz).astimezone(UTC)


def test_it_gives_a_factory_return_ten_working_days():
    # Monday 23rd is day 0; Thursday 26th is a holiday: the 10th working day is Tuesday 8 December.
    due = sla.factory_return(calendar, local(23, 11))
    assert due.rule == "S29" and due.due_at == datetime(2026, 12, 8, 17, 30, tzinfo=calendar.tz)
    assert due.warn_at == datetime(2026, 12, 8, 8, 30, tzinfo=calendar.tz)


def test_it_gives_the_integration_lead_30_working_minutes_for_a_major_case():
    assert sla.major_case(calendar, local(23, 17, 15)).due_at == local(24, 8, 45)


def test_it_counts_working_days_back_for_the_start_of_day():
    assert calendar.working_days_back(date(2026, 11, 30), 2) == date(2026, 11, 25)  # the 26th is a holiday
    assert calendar.working_days_back(date(2026, 11, 24), 2) == date(2026, 11, 20)  # over the weekend
