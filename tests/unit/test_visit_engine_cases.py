"""The server's checklist engine against tests/cases/visit_engine.json, the cases the phone's engine must pass too
(tests/e2e/test_visit_engine_cases.py runs them against static/js/visit-engine.js)."""

import copy
import json
from pathlib import Path

import pytest

from app.visits import engine, pricing
from app.visits.checklists import BUILT_IN_CHECKLISTS

CASES = json.loads((Path(__file__).parents[1] / "cases" / "visit_engine.json").read_text())
TEMPLATES = {**BUILT_IN_CHECKLISTS, **CASES["templates"]}


def answers(case: dict) -> dict:
    """What the Python engine says about one case, in the cases file's terms."""
    state = case["visit"]
    visit = engine.Visit(
        template=copy.deepcopy(TEMPLATES[case["template"]]),
        results=copy.deepcopy(state["results"]),
        outcome=state["outcome"],
        paid=state["paid"],
        photos=dict(state["photos"]),
    )
    current = engine.current_step(visit)
    missing = None
    if case["step"]:
        step = visit.step(case["step"])
        missing = engine.missing_evidence(visit, step, engine.clean_values(visit, step, case["values"]))
    return {
        "current": current["key"] if current else None,
        "applicable": [step["key"] for step in engine.applicable_steps(visit)],
        "missing": missing,
        "may_declare_unfixed": engine.may_declare_unfixed(visit),
    }


def quote_total(case: dict) -> str | None:
    lines = [{"code": code, "label": code, "kind": "labour", "price": price} for code, price in case["prices"].items()]
    try:
        return pricing.build_quote(1, lines, case["fields"])["total"]
    except engine.ChecklistRefused:
        return None


@pytest.mark.parametrize("case", CASES["visits"], ids=[case["name"] for case in CASES["visits"]])
def test_it_answers_each_visit_case_as_written(case):
    assert answers(case) == case["expect"]


@pytest.mark.parametrize("case", CASES["quotes"], ids=[case["name"] for case in CASES["quotes"]])
def test_it_totals_each_quote_in_cents_rounding_half_up(case):
    assert quote_total(case) == case["expect"]["total"]


def test_the_cases_walk_every_step_of_every_template_and_every_kind_of_answer():
    visits = CASES["visits"]
    for key, template in BUILT_IN_CHECKLISTS.items():
        walked = {case["step"] for case in visits if case["template"] == key}
        assert {step["key"] for step in template["steps"]} <= walked, key
    types = {(key, step["key"]): step["type"] for key, template in TEMPLATES.items() for step in template["steps"]}
    walked_types = {types[case["template"], case["step"]] for case in visits if case["step"]}
    assert walked_types == set(engine.StepType)  # every kind of step
    fields = {
        spec["type"] for template in TEMPLATES.values() for step in template["steps"] for spec in step.get("fields", [])
    }
    assert fields == engine.FIELD_TYPES  # every kind of field
    assert {case["visit"]["outcome"] for case in visits} == set(engine.PATHS)
    missing = {(case["expect"]["missing"] or "none").split(":")[0] for case in visits if case["step"]}
    assert missing == {"none", "field", "one_of", "photos"}
    assert {case["expect"]["may_declare_unfixed"] for case in visits} == {True, False}


def test_the_reported_quote_difference_is_a_case_and_rounds_up():
    (case,) = [case for case in CASES["quotes"] if case["fields"] == {"qty_LAB-DIAG": "0.5"}]
    assert case["prices"]["LAB-DIAG"] == "150.05" and case["expect"]["total"] == "75.03"
