"""What a user may do with a job now: one predicate for the pages (which actions to offer) and the services
(which to refuse), read from the state machine (app/jobs/states.py), so that templates never name states.

Data-dependent guards (a signed report, parts returned, a free slot) stay with the services: ``may`` says
whether an action is on offer, not that it will succeed.
"""

from app.accounts.models import Role
from app.jobs.models import JobType
from app.jobs.states import TRANSITIONS, JobState

S = JobState
STAFF = frozenset({Role.COORDINATOR, Role.MANAGER})
# The transitions behind each action that moves a job; the action is on offer when one of them starts from the
# job's state and the user's role may make it.
MOVES = {
    "contact": {"T4"},
    "reschedule": {"T5"},
    "travel": {"T7"},
    "declare_unfixed": {"T15"},
    "complete": {"T18", "T19"},
    "revisit": {"T18a"},
    "override_parts": {"T19"},
    "cancel": {"T22", "C11", "I10"},
    "follow_up": {"T20", "C9", "I11"},
    # carry-in: the workshop's steps and the handover at the counter
    "take_in": {"C2"},  # the signed repair order is attached while the device waits to be stored
    "store": {"C2"},
    "start_repair": {"C3"},
    "ask_customer": {"C5"},
    "resume": {"C5b"},
    "repaired": {"C6"},
    "ready": {"C7"},
    "hand_over": {"C8"},
    "declined": {"C10"},
    # consultation cases
    "resolve": {"K3"},
    "close_case": {"K4"},
    "convert": {"K5"},
    "cancel_case": {"K6"},
    # installation: the planning steps before anyone travels
    "conditions": {"I1", "I2"},
    "take_up": {"I3"},
    "plan": {"I4"},
}
# Actions offered to whoever's role may make one of their transitions.
BY_ROLE = frozenset(MOVES) - {"contact", "reschedule", "travel", "declare_unfixed", "complete", "cancel"}
# Staff may (re)assign before the visit starts, or at any time on a job of another kind.
ASSIGNABLE = frozenset({S.QUEUED_FOR_DISPATCH, S.ASSIGNED, S.SCHEDULED, S.AWAITING_PARTS})
# The visit checklist opens once the visit is planned (before then there is nothing to walk).
VISIT_READY = frozenset({S.SCHEDULED, S.EN_ROUTE, S.PLANNED, S.MOBILISED})
VISIT_TYPES = frozenset({JobType.ONSITE, JobType.INSTALL})
# A finished checklist step may be reopened (undo) while the visit runs, before the customer signs the report.
VISIT_UNDER_WAY = VISIT_READY | {
    S.ON_SITE,
    S.DIAGNOSING,
    S.AWAITING_CUSTOMER_DECISION,
    S.REPAIRING,
    S.VERIFYING,
    S.SELF_CHECKED,
}


def _role(user) -> Role | None:
    try:
        return Role(user.role)
    except ValueError:
        return None


def _own(job, user) -> bool:
    return _role(user) in STAFF or job.engineer_id == user.id


def _moves(job, action: str, role: Role | None) -> bool:
    return any(
        transition.code in MOVES[action] and job.state in transition.source and role in transition.roles
        for transition in TRANSITIONS[JobType(job.job_type)]
    )


def may(job, action: str, user) -> bool:
    """Whether ``user`` is offered ``action`` on ``job`` in its present state."""
    role = _role(user)
    if action == "assign":
        if job.job_type == JobType.INSTALL:  # an installation's team and project manager are chosen in its plan
            return False
        return role in STAFF and (job.state in ASSIGNABLE or (job.job_type != JobType.ONSITE and job.is_open))
    if action == "open_visit":
        return job.job_type in VISIT_TYPES and job.state in VISIT_READY
    if action == "reopen_step":
        return role in {Role.ENGINEER, Role.MANAGER} and job.state in VISIT_UNDER_WAY  # access: get_job_for
    if action == "complete":  # a coordinator is shown the parts gate, a manager may override it (T19)
        return role in STAFF and any(
            job.state in t.source for t in TRANSITIONS[JobType(job.job_type)] if t.code in MOVES[action]
        )
    if action == "travel":
        return role == Role.ENGINEER and job.engineer_id == user.id and _moves(job, action, role)
    if action in {"contact", "reschedule", "declare_unfixed"}:
        return _own(job, user) and _moves(job, action, role)
    if action == "revisit":  # only after a visit that ended "not fixed" with a revisit date
        return job.outcome == "revisit" and _moves(job, action, role)
    if action == "payment":  # F44: whoever takes the money records it, on the phone or at the office
        takes_money = role in STAFF | {Role.CLERK, Role.RECEPTION} or job.engineer_id == user.id
        return job.is_open and job.paid and takes_money
    if action == "answer":  # the first answer is K1; later ones add to the case's history
        return job.job_type == JobType.CASE and _moves(job, "resolve", role)
    if action == "cancel":
        return role in STAFF and _moves(job, action, role)
    if action in BY_ROLE:
        return _moves(job, action, role)
    raise ValueError(f"unknown job action {action!r}")
