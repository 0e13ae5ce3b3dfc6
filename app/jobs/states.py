"""Job states and the transitions each role may make (domain.md §3.2–§3.5).

The table says *who* may move a job *where*; the services check the data-dependent guards.
"""

import enum
from dataclasses import dataclass

from app.accounts.models import Role
from app.jobs.models import JobType


class JobState(enum.StrEnum):
    # Onsite repair, §3.2
    NEW = "NEW"
    QUEUED_FOR_DISPATCH = "QUEUED_FOR_DISPATCH"
    ASSIGNED = "ASSIGNED"
    SCHEDULED = "SCHEDULED"
    EN_ROUTE = "EN_ROUTE"
    ON_SITE = "ON_SITE"
    DIAGNOSING = "DIAGNOSING"
    REPAIRING = "REPAIRING"
    VERIFYING = "VERIFYING"
    SIGNED_OFF = "SIGNED_OFF"
    AWAITING_PARTS_RETURN = "AWAITING_PARTS_RETURN"
    PARTS_CONFIRMED = "PARTS_CONFIRMED"
    COMPLETED = "COMPLETED"
    FOLLOWED_UP = "FOLLOWED_UP"
    CLOSED = "CLOSED"
    AWAITING_CUSTOMER_DECISION = "AWAITING_CUSTOMER_DECISION"
    AWAITING_PARTS = "AWAITING_PARTS"
    UNRESOLVED = "UNRESOLVED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    # Carry-in, §3.3
    RECEIVED = "RECEIVED"
    IN_STORE = "IN_STORE"
    IN_REPAIR = "IN_REPAIR"
    REPAIRED = "REPAIRED"
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    COLLECTED = "COLLECTED"
    # Installation, §3.4
    REQUESTED = "REQUESTED"
    CONDITIONS_CONFIRMED = "CONDITIONS_CONFIRMED"
    POSTPONED = "POSTPONED"
    PLANNED = "PLANNED"
    MOBILISED = "MOBILISED"
    SELF_CHECKED = "SELF_CHECKED"
    HANDED_OVER = "HANDED_OVER"
    DEPARTED = "DEPARTED"
    # Case, §3.5
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    ESCALATED = "ESCALATED"
    RESOLVED = "RESOLVED"


S = JobState
INITIAL_STATE = {
    JobType.ONSITE: S.NEW,
    JobType.CARRY_IN: S.RECEIVED,
    JobType.INSTALL: S.REQUESTED,
    JobType.CASE: S.OPEN,
}
# Open jobs are on the board; these are not.
CLOSED_STATES = frozenset({S.COMPLETED, S.FOLLOWED_UP, S.CLOSED, S.CANCELLED, S.COLLECTED, S.DEPARTED})
DONE_STATES = CLOSED_STATES  # "completed" for the unfinished flag (INV-8)
BEFORE_ON_SITE = frozenset({S.NEW, S.QUEUED_FOR_DISPATCH, S.ASSIGNED, S.SCHEDULED, S.AWAITING_PARTS, S.EN_ROUTE})

E, CO, CL, M = Role.ENGINEER, Role.COORDINATOR, Role.CLERK, Role.MANAGER
FU, R, SP = Role.FOLLOW_UP, Role.RECEPTION, Role.SPECIALIST


@dataclass(frozen=True)
class Transition:
    code: str  # the spec's number, cited in the audit trail
    source: frozenset[JobState]
    target: JobState
    roles: frozenset[Role]


def _t(code: str, sources, target: JobState, *roles: Role) -> Transition:
    sources = frozenset(sources if isinstance(sources, (set, frozenset, list, tuple)) else {sources})
    return Transition(code, sources, target, frozenset(roles) | {M})


ONSITE_TRANSITIONS = [
    _t("T2", S.NEW, S.QUEUED_FOR_DISPATCH, CO),
    _t("T3", S.QUEUED_FOR_DISPATCH, S.ASSIGNED, CO),
    _t("T4", S.ASSIGNED, S.SCHEDULED, CO, E),
    _t("T5", S.SCHEDULED, S.SCHEDULED, CO, E),
    _t("T6", S.SCHEDULED, S.AWAITING_PARTS, CL, E),
    _t("T6b", S.AWAITING_PARTS, S.SCHEDULED, CL, E),
    _t("T7", S.SCHEDULED, S.EN_ROUTE, E),
    _t("T8", S.EN_ROUTE, S.ON_SITE, E),
    _t("T9", S.ON_SITE, S.DIAGNOSING, E),
    _t("T10", S.DIAGNOSING, S.AWAITING_CUSTOMER_DECISION, E),
    _t("T11", S.AWAITING_CUSTOMER_DECISION, S.REPAIRING, E),
    _t("T11b", S.AWAITING_CUSTOMER_DECISION, S.DECLINED, E),
    _t("T12", S.DIAGNOSING, S.REPAIRING, E),
    _t("T13", S.REPAIRING, S.VERIFYING, E),
    _t("T14", S.VERIFYING, S.SIGNED_OFF, E),
    _t("T15", {S.DIAGNOSING, S.REPAIRING, S.VERIFYING}, S.UNRESOLVED, E),
    _t("T16", {S.SIGNED_OFF, S.UNRESOLVED, S.DECLINED}, S.AWAITING_PARTS_RETURN, E),
    _t("T17", S.AWAITING_PARTS_RETURN, S.PARTS_CONFIRMED, CL),
    _t("T18", S.PARTS_CONFIRMED, S.COMPLETED, CO),
    _t("T18a", S.PARTS_CONFIRMED, S.SCHEDULED, CO),
    _t("T19", S.AWAITING_PARTS_RETURN, S.COMPLETED),  # branch manager override only (INV-4)
    _t("T20", S.COMPLETED, S.FOLLOWED_UP, CO, FU),
    _t("T21", S.FOLLOWED_UP, S.CLOSED, CO),
    _t("T22", BEFORE_ON_SITE, S.CANCELLED, CO),
]
CARRY_IN_TRANSITIONS = [
    _t("C2", S.RECEIVED, S.IN_STORE, CO, R),
    _t("C3", S.IN_STORE, S.IN_REPAIR, E),
    _t("C4", S.IN_REPAIR, S.AWAITING_PARTS, E, CL),
    _t("C4b", S.AWAITING_PARTS, S.IN_REPAIR, E, CL),
    _t("C5", S.IN_REPAIR, S.AWAITING_CUSTOMER_DECISION, E),
    _t("C5b", S.AWAITING_CUSTOMER_DECISION, S.IN_REPAIR, CO, R),
    _t("C6", S.IN_REPAIR, S.REPAIRED, E),
    _t("C7", S.REPAIRED, S.READY_FOR_PICKUP, CO, R),
    _t("C8", S.READY_FOR_PICKUP, S.COLLECTED, CO, R),
    _t("C9", S.COLLECTED, S.FOLLOWED_UP, CO, FU),
    _t("C9b", S.FOLLOWED_UP, S.CLOSED, CO),
    _t("C10", S.AWAITING_CUSTOMER_DECISION, S.READY_FOR_PICKUP, CO, R),
    _t("C11", {S.RECEIVED, S.IN_STORE}, S.CANCELLED, CO, R),
]
INSTALL_TRANSITIONS = [
    _t("I1", S.REQUESTED, S.CONDITIONS_CONFIRMED, CO),
    _t("I2", S.REQUESTED, S.POSTPONED, CO),
    _t("I3", S.POSTPONED, S.REQUESTED, CO),
    _t("I4", S.CONDITIONS_CONFIRMED, S.PLANNED, CO),
    _t("I5", S.PLANNED, S.MOBILISED, E),
    _t("I6", S.MOBILISED, S.ON_SITE, E),
    _t("I7", S.ON_SITE, S.SELF_CHECKED, E),
    _t("I8", S.SELF_CHECKED, S.HANDED_OVER, E),
    _t("I9", S.HANDED_OVER, S.DEPARTED, E),
    _t("I11", S.DEPARTED, S.FOLLOWED_UP, CO, FU),
    _t("I12", S.FOLLOWED_UP, S.CLOSED, CO),
    _t("I10", {S.REQUESTED, S.CONDITIONS_CONFIRMED, S.POSTPONED, S.PLANNED}, S.CANCELLED, CO),
]
CASE_UNRESOLVED = frozenset({S.OPEN, S.IN_PROGRESS, S.ESCALATED})
CASE_TRANSITIONS = [
    _t("K1", S.OPEN, S.IN_PROGRESS, CO, SP),
    _t("K2", {S.OPEN, S.IN_PROGRESS}, S.ESCALATED, CO, E, SP),
    _t("K3", CASE_UNRESOLVED, S.RESOLVED, CO, SP),
    _t("K4", S.RESOLVED, S.CLOSED, CO, SP),
    # §3.5 names these two without numbers: conversion into an onsite or carry-in job, and cancellation.
    _t("K5", CASE_UNRESOLVED, S.CLOSED, CO, SP),
    _t("K6", CASE_UNRESOLVED, S.CANCELLED, CO, SP),
]
TRANSITIONS = {
    JobType.ONSITE: ONSITE_TRANSITIONS,
    JobType.CARRY_IN: CARRY_IN_TRANSITIONS,
    JobType.INSTALL: INSTALL_TRANSITIONS,
    JobType.CASE: CASE_TRANSITIONS,
}


def find_transition(job_type: str, source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS[JobType(job_type)]:
        if source in transition.source and transition.target == target:
            return transition
    return None


def is_open(state: str) -> bool:
    return state not in CLOSED_STATES
