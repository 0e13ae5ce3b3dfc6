"""What users read for the jobs' codes: states, zones, channels… (translated where shown)."""

from app.core.i18n import N_, gettext
from app.jobs.flags import Flag, job_flags
from app.jobs.may import may
from app.jobs.sla import RULE_LABELS

STATE_LABELS = {
    "NEW": N_("New"),
    "QUEUED_FOR_DISPATCH": N_("Waiting for dispatch"),
    "ASSIGNED": N_("Assigned"),
    "SCHEDULED": N_("Scheduled"),
    "EN_ROUTE": N_("On the way"),
    "ON_SITE": N_("On site"),
    "DIAGNOSING": N_("Diagnosing"),
    "REPAIRING": N_("Repairing"),
    "VERIFYING": N_("Verifying"),
    "SIGNED_OFF": N_("Signed off"),
    "AWAITING_PARTS_RETURN": N_("Waiting for parts return"),
    "PARTS_CONFIRMED": N_("Parts confirmed"),
    "COMPLETED": N_("Completed"),
    "FOLLOWED_UP": N_("Followed up"),
    "CLOSED": N_("Closed"),
    "AWAITING_CUSTOMER_DECISION": N_("Waiting for customer decision"),
    "AWAITING_PARTS": N_("Waiting for parts"),
    "UNRESOLVED": N_("Unresolved"),
    "DECLINED": N_("Declined"),
    "CANCELLED": N_("Cancelled"),
    "RECEIVED": N_("Received"),
    "IN_STORE": N_("In storeroom"),
    "IN_REPAIR": N_("In repair"),
    "REPAIRED": N_("Repaired"),
    "READY_FOR_PICKUP": N_("Ready for pickup"),
    "COLLECTED": N_("Collected"),
    "REQUESTED": N_("Requested"),
    "CONDITIONS_CONFIRMED": N_("Conditions confirmed"),
    "POSTPONED": N_("Postponed"),
    "PLANNED": N_("Planned"),
    "MOBILISED": N_("Mobilised"),
    "SELF_CHECKED": N_("Self-checked"),
    "HANDED_OVER": N_("Handed over"),
    "DEPARTED": N_("Departed"),
    "OPEN": N_("Opened"),
    "IN_PROGRESS": N_("In progress"),
    "ESCALATED": N_("Escalated"),
    "RESOLVED": N_("Resolved"),
}
JOB_TYPE_LABELS = {
    "ONSITE": N_("Onsite repair"),
    "CARRY_IN": N_("Carry-in repair"),
    "INSTALL": N_("Installation"),
    "CASE": N_("Consultation case"),
}
ZONE_LABELS = {
    "IN_AREA": N_("In service area"),
    "WITHIN_80KM": N_("Outside area, within 80 km"),
    "BEYOND_80KM": N_("Beyond 80 km"),
}
CHANNEL_LABELS = {
    "phone": N_("Phone"),
    "fax": N_("Fax"),
    "email": N_("E-mail"),
    "chat": N_("Chat"),
    "web": N_("Web form"),
    "messaging": N_("Messaging"),
    "walk_in": N_("Walk-in"),
}
WARRANTY_LABELS = {
    "in_warranty": N_("In warranty"),
    "out_of_warranty": N_("Out of warranty"),
    "unknown": N_("Unknown: check on site"),
}
BASIS_LABELS = {
    "card": N_("Warranty card"),
    "invoice": N_("Invoice"),
    "serial_lookup": N_("Serial lookup"),
    "none": N_("No proof yet"),
}
ONSITE_PERIOD_LABELS = {
    "in_period": N_("Inside the onsite-service period"),
    "out_of_period": N_("Past the onsite-service period"),
    "unknown": N_("Onsite period not known yet"),
}
JUDGEMENT_LABELS = {"hardware": N_("Hardware"), "software": N_("Software"), "unclear": N_("Not clear yet")}
LEVEL_LABELS = {"L1": N_("L1 critical"), "L2": N_("L2 major"), "L3": N_("L3 minor"), "L4": N_("L4 query")}
PRIORITY_LABELS = {"normal": N_("Normal"), "urgent": N_("Urgent")}
EVENT_LABELS = {
    "created": N_("Request taken"),
    "handed_to_dispatch": N_("Handed to dispatch"),
    "assigned": N_("Engineer assigned"),
    "reassigned": N_("Engineer reassigned"),
    "contact_attempt": N_("Customer not reached"),
    "customer_contacted": N_("Customer contacted, visit agreed"),
    "rescheduled": N_("Visit rescheduled"),
    "revisit_scheduled": N_("Revisit scheduled"),
    "payment_recorded": N_("Payment recorded"),
    "cancelled": N_("Cancelled"),
    "travel_started": N_("Engineer on the way"),
    "completed": N_("Completed"),
    "escalated": N_("Escalated"),
    "escalation_acknowledged": N_("Escalation acknowledged"),
    "escalation_raised": N_("Escalation passed up the chain"),
    "escalation_resolved": N_("Escalation resolved"),
    "details_edited": N_("Site or contact details changed"),
    "conflict_settled": N_("Conflict settled"),
    "transition": N_("State changed"),
    "case_answered": N_("Answered by the technical specialist"),
    "case_note": N_("Case note"),
    "case_resolved": N_("Case resolved"),
    "case_closed": N_("Case closed: the customer confirmed"),
    "case_cancelled": N_("Case cancelled"),
    "case_converted": N_("Case converted into a job"),
    "followed_up": N_("Followed up"),
    "follow_up_not_reached": N_("Follow-up: customer not reached"),
    "complaint_opened": N_("Complaint opened"),
    "filed": N_("Filed at month end"),
    "customer_data_viewed": N_("Customer data viewed by a manager"),
    "repair_order_signed": N_("Repair order signed"),
    "sent_to_factory": N_("Sent to the factory"),
    "factory_date_agreed": N_("New factory return date agreed"),
    "back_from_factory": N_("Back from the factory"),
    "major_case_seen": N_("Major case seen by the system-integration lead"),
    "stored": N_("Put in the storeroom"),
    "repair_started": N_("Repair started"),
    "repaired": N_("Repaired"),
    "customer_told": N_("Customer told: ready for pickup"),
    "collected": N_("Collected"),
    "customer_decision_needed": N_("Waiting for the customer's decision"),
    "customer_agreed": N_("Customer agreed"),
    "customer_declined": N_("Customer declined"),
    "loan_issued": N_("Loan equipment lent against the signed equipment receipt"),
    "loan_returned": N_("Loan equipment taken back"),
    "parts_checked_out": N_("Parts checked out"),
    "part_returned": N_("Part returned"),
    "part_fitted": N_("Part fitted, faulty part removed"),
    "parts_confirmed": N_("Parts return confirmed by the clerk"),
    "parts_confirmed_all": N_("All parts back and confirmed"),
    "parts_settled": N_("No parts to return"),
    "borrow_failure": N_("Borrow failure: part not available"),
    "awaiting_parts": N_("Waiting for parts"),
    "parts_issued": N_("Missing part issued"),
    "part_reserved": N_("Part reserved for this job"),
    "part_requested": N_("Part requested from the parts centre"),
    "part_arrived": N_("Requested part arrived in stock: it can be issued"),
    # An installation's planning and service days
    "conditions_confirmed": N_("Site conditions confirmed"),
    "postponed": N_("Postponed to an agreed date"),
    "postponement_ended": N_("Taken up again after the postponement"),
    "planned": N_("Installation planned"),
    "day_checked_in": N_("Checked in on site for the day"),
    "day_checked_out": N_("Checked out for the day, daily log given"),
    "milestone_witnessed": N_("Milestone witnessed by the customer"),
    "install_delayed": N_("Installation delayed, new days agreed"),
    "equipment_taken_away": N_("Equipment taken away, receipt left"),
    "take_away_status": N_("Status of equipment taken away reported"),
    # The onsite visit
    "visit_started": N_("Visit checklist started"),
    "step_done": N_("Checklist step done"),
    "step_not_applicable": N_("Checklist step marked not applicable"),
    "step_reopened": N_("Checklist step reopened"),
    "timer_started": N_("Observation timer started"),
    "declared_unfixed": N_("Declared not fixed on this visit"),
    "arrived": N_("Arrived on site"),
    "quote_needed": N_("Paid service: quote needed"),
    "quote_built": N_("Quote built from the price list"),
    "quote_accepted": N_("Quote accepted and signed"),
    "quote_declined": N_("Quote declined and signed"),
    "handed_to_customer": N_("Phone handed to the customer"),
    "signed_off": N_("Signed off by the customer"),
    "report_signed": N_("Service report signed and frozen"),
    "report_links_revoked": N_("Customer-copy links revoked"),
    "report_addendum": N_("Addendum to the signed report"),
    "photo_added": N_("Photo added"),
    "photo_deleted": N_("Photo deleted"),
    "left_site": N_("Site cleaned up, left"),
}
ESCALATION_TIERS = {
    "technical_specialist": N_("Technical specialist"),
    "department_manager": N_("Department manager"),
    "vp_in_charge": N_("VP in charge"),
}


def device_name(user_agent: str) -> str:
    """A short, readable name for the device an action came from."""
    agent = user_agent.lower()
    if "iphone" in agent or "ipad" in agent:
        return gettext("iPhone or iPad")
    if "android" in agent:
        return gettext("Android phone")
    return gettext("Computer") if agent else ""


def state_label(state: str) -> str:
    return gettext(STATE_LABELS.get(state, state))


def label(table: dict[str, str], code: str) -> str:
    return gettext(table[code]) if code in table else code


FLAG_LABELS = {
    "unfinished": N_("Unfinished"),
    "overdue": N_("Overdue"),
    "near": N_("Due soon"),
    "late-change": N_("Late change"),
    "paid": N_("Paid service"),
    "urgent": N_("Urgent"),
    "repeat-repair": N_("Repeat repair"),
}


def flag_label(flag: Flag) -> str:
    """A job flag's words in the user's language; an escalation names its fault level."""
    return label(LEVEL_LABELS, flag.level) if flag.code == "escalated" else label(FLAG_LABELS, flag.code)


def time_left(due, now) -> str:
    """'in 1 h 20 min' or '2 d 3 h late', in the user's language."""
    if due is None:
        return ""
    seconds = int((due - now).total_seconds())
    minutes = abs(seconds) // 60
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        span = gettext("%(d)s d %(h)s h", d=days, h=hours)
    elif hours:
        span = gettext("%(h)s h %(m)s min", h=hours, m=mins)
    else:
        span = gettext("%(m)s min", m=mins)
    return gettext("in %(span)s", span=span) if seconds >= 0 else gettext("%(span)s late", span=span)


TEMPLATE_GLOBALS = {
    "may": may,
    "job_flags": job_flags,
    "flag_label": flag_label,
    "state_label": state_label,
    "label": label,
    "time_left": time_left,
    "JOB_TYPE_LABELS": JOB_TYPE_LABELS,
    "ZONE_LABELS": ZONE_LABELS,
    "CHANNEL_LABELS": CHANNEL_LABELS,
    "WARRANTY_LABELS": WARRANTY_LABELS,
    "BASIS_LABELS": BASIS_LABELS,
    "ONSITE_PERIOD_LABELS": ONSITE_PERIOD_LABELS,
    "JUDGEMENT_LABELS": JUDGEMENT_LABELS,
    "LEVEL_LABELS": LEVEL_LABELS,
    "PRIORITY_LABELS": PRIORITY_LABELS,
    "STATE_LABELS": STATE_LABELS,
    "RULE_LABELS": RULE_LABELS,
    "EVENT_LABELS": EVENT_LABELS,
    "ESCALATION_TIERS": ESCALATION_TIERS,
    "device_name": device_name,
}
