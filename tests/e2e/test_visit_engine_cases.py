"""The phone's checklist engine (static/js/visit-engine.js, loaded in Chromium from the running app) against
tests/cases/visit_engine.json, the cases the server's engine passes too (tests/unit/test_visit_engine_cases.py)."""

import json
from pathlib import Path

from app.visits.checklists import BUILT_IN_CHECKLISTS
from app.visits.pages import phone_rules

CASES = json.loads((Path(__file__).parents[1] / "cases" / "visit_engine.json").read_text())

RUN_CASES = """async ({ cases, quotes, rules }) => {
  const engine = await import("/static/js/visit-engine.js");
  const visits = cases.map((one) => {
    const visit = { steps: rules[one.template], ...structuredClone(one.visit) };
    const current = engine.currentStep(visit);
    const step = one.step ? visit.steps.find((s) => s.key === one.step) : null;
    return {
      name: one.name,
      answer: {
        current: current ? current.key : null,
        applicable: engine.applicableSteps(visit).map((s) => s.key),
        missing: step ? engine.missingEvidence(visit, step, engine.formValues(step, Object.entries(one.values))) : null,
        may_declare_unfixed: engine.mayDeclareUnfixed(visit),
      },
    };
  });
  const totals = quotes.map((one) => ({ name: one.name, total: engine.quoteTotal(one.prices, one.fields) }));
  return { visits, totals };
}"""


def test_the_phones_engine_answers_every_case_like_the_server(page, server, console_errors):
    page.goto(f"{server.url}/login")  # any page of the app: the module is imported from the same origin
    templates = {**BUILT_IN_CHECKLISTS, **CASES["templates"]}
    rules = {key: phone_rules(template["steps"]) for key, template in templates.items()}
    result = page.evaluate(RUN_CASES, {"cases": CASES["visits"], "quotes": CASES["quotes"], "rules": rules})
    expected = {case["name"]: case["expect"] for case in CASES["visits"]}
    wrong = [(one["name"], one["answer"]) for one in result["visits"] if one["answer"] != expected[one["name"]]]
    assert wrong == []
    assert len(result["visits"]) == len(CASES["visits"]) > 150
    totals = {case["name"]: case["expect"]["total"] for case in CASES["quotes"]}
    assert {one["name"]: one["total"] for one in result["totals"]} == totals
    assert console_errors == []
