"""may(job, action, user): the actions a page offers, read from the state machine."""

import uuid
from types import SimpleNamespace

import pytest

from app.jobs.may import may

ENGINEER = SimpleNamespace(id=uuid.uuid4(), role="engineer")
OTHER_ENGINEER = SimpleNamespace(id=uuid.uuid4(), role="engineer")
COORDINATOR = SimpleNamespace(id=uuid.uuid4(), role="coordinator")
MANAGER = SimpleNamespace(id=uuid.uuid4(), role="manager")
FOLLOW_UP = SimpleNamespace(id=uuid.uuid4(), role="follow_up")


def job(state: str, job_type: str = "ONSITE", **extra):
    return SimpleNamespace(state=state, job_type=job_type, engineer_id=ENGINEER.id, is_open=True, **extra)


@pytest.mark.parametrize(
    ("state", "offered"),
    [("ASSIGNED", False), ("SCHEDULED", True), ("EN_ROUTE", False), ("AWAITING_PARTS", False), ("ON_SITE", False)],
)
def test_it_offers_travel_only_from_a_scheduled_visit(state, offered):
    assert may(job(state), "travel", ENGINEER) is offered


def test_it_offers_travel_only_to_the_jobs_own_engineer():
    assert not may(job("SCHEDULED"), "travel", OTHER_ENGINEER)
    assert not may(job("SCHEDULED"), "travel", COORDINATOR)


def test_it_offers_contact_on_an_assigned_job_and_reschedule_on_a_scheduled_one():
    assert may(job("ASSIGNED"), "contact", ENGINEER) and may(job("ASSIGNED"), "contact", COORDINATOR)
    assert not may(job("ASSIGNED"), "contact", OTHER_ENGINEER)
    assert may(job("SCHEDULED"), "reschedule", ENGINEER) and not may(job("ASSIGNED"), "reschedule", ENGINEER)


def test_it_offers_the_parts_override_to_a_manager_only():
    assert may(job("AWAITING_PARTS_RETURN"), "override_parts", MANAGER)
    assert not may(job("AWAITING_PARTS_RETURN"), "override_parts", COORDINATOR)
    assert may(job("AWAITING_PARTS_RETURN"), "complete", COORDINATOR)  # shown, with the gates it still needs


def test_it_offers_cancel_before_the_engineer_is_on_site_and_follow_up_after_completion():
    assert may(job("EN_ROUTE"), "cancel", COORDINATOR) and not may(job("ON_SITE"), "cancel", COORDINATOR)
    assert not may(job("EN_ROUTE"), "cancel", ENGINEER)
    assert may(job("COLLECTED", "CARRY_IN"), "follow_up", FOLLOW_UP) and not may(
        job("COMPLETED"), "follow_up", ENGINEER
    )


def test_it_offers_declaring_a_visit_unfixed_only_while_diagnosing_repairing_or_verifying():
    assert [
        s
        for s in ("ON_SITE", "DIAGNOSING", "REPAIRING", "VERIFYING", "SIGNED_OFF")
        if may(job(s), "declare_unfixed", ENGINEER)
    ] == [
        "DIAGNOSING",
        "REPAIRING",
        "VERIFYING",
    ]


RECEPTION = SimpleNamespace(id=uuid.uuid4(), role="reception")


@pytest.mark.parametrize(
    ("state", "action", "desk", "workshop"),
    [
        ("RECEIVED", "take_in", True, False),
        ("RECEIVED", "store", True, False),
        ("IN_STORE", "start_repair", False, True),
        ("IN_REPAIR", "repaired", False, True),
        ("IN_REPAIR", "ask_customer", False, True),
        ("AWAITING_CUSTOMER_DECISION", "resume", True, False),
        ("AWAITING_CUSTOMER_DECISION", "declined", True, False),
        ("REPAIRED", "ready", True, False),
        ("READY_FOR_PICKUP", "hand_over", True, False),
    ],
)
def test_it_offers_each_carry_in_step_to_the_desk_or_the_workshop(state, action, desk, workshop):
    carry_in = job(state, "CARRY_IN")
    assert may(carry_in, action, RECEPTION) is desk and may(carry_in, action, COORDINATOR) is desk
    assert may(carry_in, action, ENGINEER) is workshop
    assert may(carry_in, action, MANAGER)
    assert not may(job("COLLECTED", "CARRY_IN"), action, MANAGER)
