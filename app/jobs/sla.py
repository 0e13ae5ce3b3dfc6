"""Every time rule of domain.md §4 (and §9.1 for escalations) as a deadline on the job."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.core.calendar import WorkingCalendar
from app.core.i18n import N_
from app.jobs.models import Zone


@dataclass(frozen=True)
class Due:
    rule: str
    due_at: datetime
    warn_at: datetime


RULE_LABELS = {
    "S2": N_("Call-back to a caller left on hold"),
    "S3": N_("Hand-over to dispatch"),
    "S4": N_("First customer contact"),
    "S5": N_("Arrival (in area)"),
    "S6": N_("Arrival (within 80 km)"),
    "S7": N_("Arrival (negotiated)"),
    "S11": N_("Answer to hard question"),
    "S12": N_("Carry-in repair"),
    "S13": N_("Pickup notice"),
    "S15": N_("Service report"),
    "S16": N_("Follow-up call"),
    "S26": N_("Service day checked in and out with its daily log"),
    "S27": N_("Customer told of the installation delay"),
    "S28": N_("Status of equipment taken away reported"),
    "TAKE_UP": N_("Postponed installation taken up on the agreed date"),
    "S29": N_("Back from the factory"),
    "S31": N_("Major case seen by the system-integration lead"),
    "ESC_ACK": N_("Escalation acknowledged"),
    "ESC_RESOLVE": N_("Escalation resolved"),
}
ARRIVAL_DAYS = {Zone.IN_AREA: ("S5", 2), Zone.WITHIN_80KM: ("S6", 3)}


def _warn(start: datetime, due: datetime) -> datetime:
    """ "Near" a deadline: the last fifth of the time allowed."""
    return start + (due - start) * 4 / 5


CALL_BACK_WITHIN = timedelta(minutes=30)  # S2: the seed gives no figure; Default: 30 working minutes


def call_back(calendar: WorkingCalendar, called_at: datetime) -> Due:
    """S2: a caller who could not be answered within a minute on hold is called back; Default: within 30 working
    minutes of the call (a call after hours is called back early the next working morning)."""
    due = calendar.add_working_time(called_at, CALL_BACK_WITHIN)
    return Due("S2", due, _warn(called_at, due))


def dispatch(calendar: WorkingCalendar, requested_at: datetime) -> Due:
    """S3: the dispatch order reaches the coordinator within 30 working minutes of the request."""
    due = calendar.add_working_time(requested_at, timedelta(minutes=30))
    return Due("S3", due, _warn(requested_at, due))


def first_contact(calendar: WorkingCalendar, requested_at: datetime) -> Due:
    """S4: the customer is contacted and a visit time committed within 2 working hours."""
    due = calendar.add_working_time(requested_at, timedelta(hours=2))
    return Due("S4", due, _warn(requested_at, due))


def arrival(calendar: WorkingCalendar, requested_at: datetime, zone: str) -> Due | None:
    """S5/S6: latest arrival by zone, in working days from the request day (day 0). S7 is negotiated."""
    if zone not in ARRIVAL_DAYS:
        return None
    rule, days = ARRIVAL_DAYS[Zone(zone)]
    last_day = calendar.add_working_days(calendar.local_date(requested_at), days)
    return Due(rule, calendar.end_of_day(last_day), calendar.at(last_day, calendar.start))


def negotiated_arrival(calendar: WorkingCalendar, agreed_end: datetime) -> Due:
    day = calendar.local_date(agreed_end)
    return Due("S7", calendar.end_of_day(day), calendar.at(day, calendar.start))


def latest_visit_day(calendar: WorkingCalendar, requested_at: datetime, zone: str):
    """The last date a visit may be committed to without a negotiated reason (F05), or None (S7)."""
    due = arrival(calendar, requested_at, zone)
    return calendar.local_date(due.due_at) if due else None


def service_report(calendar: WorkingCalendar, visit_ended_at: datetime) -> Due:
    """S15: warn after 2 working days, overdue after 3 (Appendix A #4)."""
    today = calendar.local_date(visit_ended_at)
    warn = calendar.end_of_day(calendar.add_working_days(today, 2))
    return Due("S15", calendar.end_of_day(calendar.add_working_days(today, 3)), warn)


def carry_in_repair(calendar: WorkingCalendar, received_at: datetime) -> Due:
    """S12: in principle 3 working days after drop-off."""
    day = calendar.add_working_days(calendar.local_date(received_at), 3)
    return Due("S12", calendar.end_of_day(day), calendar.at(day, calendar.start))


def pickup_notice(calendar: WorkingCalendar, repaired_at: datetime) -> Due:
    """S13: the customer is told "immediately" on completion; Default: the same working day (Appendix A #21)."""
    start = calendar.next_working_start(repaired_at)
    due = calendar.end_of_day(calendar.local_date(start))
    return Due("S13", due, _warn(repaired_at, due))


def hard_question(calendar: WorkingCalendar, opened_at: datetime) -> Due:
    """S11: the technical specialist answers a consultation within 1 working day (9 working hours)."""
    due = calendar.add_working_time(opened_at, LEVEL_LIMITS["L4"][0])
    return Due("S11", due, _warn(opened_at, due))


FACTORY_DAYS = 10  # S29: the seed's figure is lost; Appendix A #13 defaults to 10 working days


def factory_return(calendar: WorkingCalendar, sent_at: datetime) -> Due:
    """S29: a device sent back to the factory is back by the end of the 10th working day after it left."""
    day = calendar.add_working_days(calendar.local_date(sent_at), FACTORY_DAYS)
    return Due("S29", calendar.end_of_day(day), calendar.at(day, calendar.start))


def agreed_factory_return(calendar: WorkingCalendar, day) -> Due:
    """S29 renegotiated: the new date agreed (with a reason) when the first one will be missed."""
    return Due("S29", calendar.end_of_day(day), calendar.at(day, calendar.start))


def major_case(calendar: WorkingCalendar, raised_at: datetime) -> Due:
    """S31: the system-integration lead is told of a major (L1) case at once and acknowledges within 30 working
    minutes."""
    due = calendar.add_working_time(raised_at, timedelta(minutes=30))
    return Due("S31", due, _warn(raised_at, due))


def follow_up(completed_at: datetime) -> Due:
    """S16: follow-up contact within 3 calendar days (Appendix A #5)."""
    due = completed_at + timedelta(days=3)
    return Due("S16", due, completed_at + timedelta(days=2))


def service_day(calendar: WorkingCalendar, day: date) -> Due:
    """S26: a service day is checked in and out with its daily log; a gap is flagged the next morning (at
    midnight), amber from the end of the working day."""
    return Due("S26", calendar.at(day + timedelta(days=1), time(0, 0)), calendar.end_of_day(day))


def delay_told(calendar: WorkingCalendar, delayed_at: datetime) -> Due:
    """S27: the customer is told of an installation delay "promptly"; Default: within 2 working hours, met when
    the message reaches them (app/notify/sender.py)."""
    due = calendar.add_working_time(delayed_at, timedelta(hours=2))
    return Due("S27", due, _warn(delayed_at, due))


def take_away_status(calendar: WorkingCalendar, taken_at: datetime) -> Due:
    """S28: equipment taken from an installation, its status reported "in the shortest time"; Default: within 3
    working days (Appendix A #21), end of that day."""
    day = calendar.add_working_days(calendar.local_date(taken_at), 3)
    return Due("S28", calendar.end_of_day(day), calendar.at(day, calendar.start))


# §9.1 default fault levels: (acknowledge, resolve or escalate), in working time.
LEVEL_LIMITS = {
    "L1": (timedelta(minutes=30), timedelta(hours=4)),
    "L2": (timedelta(hours=2), timedelta(hours=9)),  # 1 working day = 9 working hours
    "L3": (timedelta(hours=9), None),
    "L4": (timedelta(hours=9), None),  # S11: a hard question answered within 1 working day
}


def escalation(calendar: WorkingCalendar, raised_at: datetime, level: str) -> list[Due]:
    acknowledge, resolve = LEVEL_LIMITS[level]
    ack_due = calendar.add_working_time(raised_at, acknowledge)
    dues = [Due("S11" if level == "L4" else "ESC_ACK", ack_due, _warn(raised_at, ack_due))]
    if resolve:
        resolve_due = calendar.add_working_time(raised_at, resolve)
        dues.append(Due("ESC_RESOLVE", resolve_due, _warn(raised_at, resolve_due)))
    return dues
