"""The checklist engine alone: templates as data, typed evidence, gates and the next step."""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from app.visits import engine
from app.visits.checklists.installation import INSTALLATION
from app.visits.checklists.repair import REPAIR_VISIT
from app.visits.editing import validate_checklist
from app.visits.engine import ChecklistRefused, Visit

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def visit(**results) -> Visit:
    return Visit(
        template=copy.deepcopy(REPAIR_VISIT),
        results={key: {"status": "done", "values": values} for key, values in results.items()},
    )


def test_the_built_in_templates_are_valid():
    assert validate_checklist(REPAIR_VISIT) == []
    assert validate_checklist(INSTALLATION) == []


def test_it_reports_problems_in_an_edited_template():
    broken = copy.deepcopy(REPAIR_VISIT)
    broken["steps"][1]["key"] = "arrive"
    broken["steps"][2]["type"] = "dance"
    broken["steps"][3]["phase"] = "lunch"
    problems = validate_checklist(broken)
    assert len(problems) == 3


def test_it_starts_at_arrival_and_counts_the_steps_that_apply():
    progress = engine.progress(visit())
    assert progress["current"]["key"] == "arrive" and progress["number"] == 1 and progress["phase"] == "Arrival"
    keys = [step["key"] for step in engine.applicable_steps(visit())]
    assert "quote" not in keys and "observe" not in keys and "unresolved" not in keys


def test_steps_unlock_in_order_and_the_refusal_names_the_missing_step():
    with pytest.raises(ChecklistRefused, match="Do the step “Arrive” first, before “Enter the site”"):
        engine.check_can_start(visit(), "enter")
    assert engine.check_can_start(visit(arrive={}), "enter")["key"] == "enter"


def test_a_done_step_cannot_be_done_again():
    with pytest.raises(ChecklistRefused, match="already done"):
        engine.check_can_start(visit(arrive={}), "arrive")


def test_an_out_of_warranty_or_software_fault_adds_the_quote_step():
    paid = visit()
    paid.paid = True
    assert "quote" in [s["key"] for s in engine.applicable_steps(paid)]
    software = visit(classify={"fault_class": "software"})
    assert engine.is_paid(software) and "quote" in [s["key"] for s in engine.applicable_steps(software)]


def test_data_risk_adds_the_customers_signature():
    keys = [s["key"] for s in engine.applicable_steps(visit(data_risk={"at_risk": "yes"}))]
    assert "data_risk_signature" in keys


def test_the_unfixed_path_drops_repair_steps_and_adds_the_next_step():
    unfixed = visit()
    unfixed.outcome = "unfixed"
    keys = [s["key"] for s in engine.applicable_steps(unfixed)]
    assert "repair" not in keys and "verify" not in keys and keys[-3:] == ["unresolved", "signature", "cleanup"]


def test_it_checks_each_field_type():
    v = visit()
    step = v.step("reproduce")
    with pytest.raises(ChecklistRefused, match="Choose a valid answer"):
        engine.clean_values(v, step, {"outcome": "maybe"})
    unresolved = v.step("unresolved")
    with pytest.raises(ChecklistRefused, match="must be a date"):
        engine.clean_values(v, unresolved, {"revisit_date": "next tuesday"})
    values = engine.clean_values(v, v.step("repair"), {"work_done": "x", "fitted_serial": " psu-1 23 "})
    assert values["fitted_serial"] == "PSU-123"


def test_conditional_fields_are_required_only_when_their_condition_holds():
    v = visit()
    step = v.step("unresolved")
    v.photos["unresolved"] = 1
    engine.check_evidence(v, step, {"reason": "parts", "next_step": "take_back", "accessories": "cable"})
    with pytest.raises(ChecklistRefused, match="“Revisit date” is required"):
        engine.check_evidence(v, step, {"reason": "parts", "next_step": "revisit"})


def test_photos_are_required_unless_the_waiver_field_is_filled():
    v = visit()
    step = v.step("warranty")
    with pytest.raises(ChecklistRefused, match="needs at least 1 photo"):
        engine.check_evidence(v, step, {})
    with pytest.raises(ChecklistRefused, match="needs at least 1 photo"):
        engine.check_evidence(v, step, {"lookup_reason": "card lost"})  # free text alone is no lookup (F15)
    engine.check_evidence(v, step, {"lookup_result": "not_found", "lookup_reason": "card lost"})
    v.photos["warranty"] = 2
    engine.check_evidence(v, step, {})


def test_the_observation_timer_needs_thirty_minutes_by_both_clocks():
    step = visit().step("observe")
    timer = {"server": NOW.isoformat(), "device": NOW.isoformat()}
    with pytest.raises(ChecklistRefused, match="Start the 30-minute"):
        engine.check_timer(step, None, NOW, None)
    with pytest.raises(ChecklistRefused, match="not over"):
        engine.check_timer(step, timer, NOW + timedelta(minutes=20), None)
    with pytest.raises(ChecklistRefused, match="phone's clock"):
        engine.check_timer(step, timer, NOW + timedelta(minutes=31), NOW + timedelta(minutes=10))
    engine.check_timer(step, timer, NOW + timedelta(minutes=29), NOW + timedelta(minutes=29))  # skew tolerated
    engine.check_timer(step, timer, NOW + timedelta(minutes=30), None)


def test_only_steps_marked_so_may_be_skipped():
    assert not engine.can_skip(visit().step("consent_open"))
    assert engine.can_skip(Visit(template=INSTALLATION).step("cross_check"))


@pytest.mark.parametrize("code", ["", "  ", "??", "A"])
def test_it_refuses_an_empty_or_malformed_part_serial(code):
    with pytest.raises(ChecklistRefused):
        engine.check_part_serial(code)


def test_data_at_risk_needs_a_backup_or_a_waiver():
    v = visit()
    step = v.step("data_risk")
    engine.check_evidence(v, step, {"at_risk": "no"})
    with pytest.raises(ChecklistRefused, match="needs one of: Backup done, stored at / Customer waives the backup"):
        engine.check_evidence(v, step, {"at_risk": "yes"})
    engine.check_evidence(v, step, {"at_risk": "yes", "backup_location": "USB drive given to Mr. Zhao"})
    engine.check_evidence(v, step, {"at_risk": "yes", "waiver": True})


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity", "1e999"])
def test_it_refuses_a_number_field_that_is_not_a_finite_number(raw):
    step = {"key": "measure", "fields": [{"name": "volts", "type": "number", "label": "Voltage"}]}
    with pytest.raises(ChecklistRefused, match="must be a number"):
        engine.clean_values(visit(), step, {"volts": raw})
    assert engine.clean_values(visit(), step, {"volts": "12,5"})["volts"] == 12.5


def test_it_strips_bidi_controls_from_checklist_answers():
    v = visit()
    values = engine.clean_values(
        v, v.step("repair"), {"work_done": "Fan \u202ereplaced\u202c", "fitted_serial": "\u2066psu-9\u2069"}
    )
    assert values["work_done"] == "Fan replaced" and values["fitted_serial"] == "PSU-9"
