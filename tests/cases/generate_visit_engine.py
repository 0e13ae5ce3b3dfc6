"""Writes tests/cases/visit_engine.json, the cases the server's and the phone's checklist engines must agree on.

    PYTHONPATH=$PWD .venv/bin/python -m tests.cases.generate_visit_engine

Walks: every built-in template along every path (fixed, not fixed declared at several points, quote declined),
with every branch a step's answer opens (not reproduced → observation, data at risk → consent, new problem →
extra quote, paid by flag or by classification, training declined, a step marked not applicable). At each
current step it records three cases: the form left blank, filled in without photos, filled in with them. The
expected answers of walked cases come from the Python engine, reviewed; the hand-written cases below (the
"not fixed" window and money) carry expectations worked out by hand, and the generator refuses to write the
file if the engine disagrees with one of them.
"""

import copy
import json
from pathlib import Path

from app.visits import engine, pricing
from app.visits.checklists import BUILT_IN_CHECKLISTS

OUT = Path(__file__).with_name("visit_engine.json")
# A template of the file's own, for what the built-in ones do not use: number fields, and conditions on a
# ticked box and on a number (a manager's edited template may have them).
CONDITIONS = {
    "key": "conditions",
    "version": 1,
    "name": "Conditions on boxes and numbers",
    "phases": [{"key": "work", "title": "Work"}, {"key": "signoff", "title": "Sign-off"}],
    "steps": [
        {
            "key": "measure",
            "phase": "work",
            "type": "number",
            "title": "Measure",
            "fields": [
                {"name": "volts", "type": "number", "label": "Volts"},
                {"name": "rerun", "type": "check", "label": "Run it again", "required": False},
                {"name": "why", "type": "text", "label": "Why", "when": {"field": "volts", "in": ["0"]}},
            ],
        },
        {
            "key": "rerun",
            "phase": "work",
            "type": "number",
            "title": "Measure again",
            "when": {"step": "measure", "field": "rerun", "in": ["on"]},
            "fields": [{"name": "volts", "type": "number", "label": "Volts"}],
        },
        {
            "key": "low",
            "phase": "work",
            "type": "photo",
            "title": "Low voltage",
            "when": {"step": "measure", "field": "volts", "in": ["12", "12.5"]},
            "min_photos": 1,
        },
        {"key": "signature", "phase": "signoff", "type": "signature", "title": "Signature", "purpose": "report"},
    ],
}
TEMPLATES = {**BUILT_IN_CHECKLISTS, "conditions": CONDITIONS}
SIGNER = {"signer_name": "Li Na", "decision": ""}


def form_values(visit: engine.Visit, step: dict, answers: dict) -> dict:
    """A complete form as an engineer would fill it in: required fields, plus the given answers."""
    values: dict[str, str] = {}
    for spec in step.get("fields", []):
        name = spec["name"]
        if name in answers:
            values[name] = answers[name]
        elif spec["type"] == "choice":
            values[name] = next(iter(spec["options"]))
    for spec in step.get("fields", []):
        name = spec["name"]
        if name in values or not engine.field_required(visit, spec, values):
            continue
        values[name] = {"check": "on", "date": "2027-03-15", "number": "2", "part_scan": "PSU-0001"}.get(
            spec["type"], f"{spec['label']} noted"
        )
    return values


def expected(visit: engine.Visit, step_key: str | None, values: dict) -> dict:
    current = engine.current_step(visit)
    missing = None
    if step_key:
        step = visit.step(step_key)
        missing = engine.missing_evidence(visit, step, engine.clean_values(visit, step, values))
    return {
        "current": current["key"] if current else None,
        "applicable": [step["key"] for step in engine.applicable_steps(visit)],
        "missing": missing,
        "may_declare_unfixed": engine.may_declare_unfixed(visit),
    }


def case(name: str, template: str, visit: engine.Visit, step_key: str | None, values: dict) -> dict:
    state = {
        "outcome": visit.outcome,
        "paid": visit.paid,
        "results": copy.deepcopy(visit.results),
        "photos": dict(visit.photos),
    }
    return {
        "name": name,
        "template": template,
        "visit": state,
        "step": step_key,
        "values": values,
        "expect": expected(visit, step_key, values),
    }


def walk(name: str, template: str, answers=None, paid=False, unfixed_at=None, decline=False, skip=()):
    """Cases along one walk of a template; ``answers`` maps a step key to its non-default answers."""
    answers = answers or {}
    visit = engine.Visit(template=copy.deepcopy(TEMPLATES[template]), paid=paid)
    cases = []
    while (current := engine.current_step(visit)) is not None:
        key = current["key"]
        if key == unfixed_at and visit.outcome == "fixed":
            cases.append(case(f"{name}: not fixed may be declared at {key}", template, visit, None, {}))
            visit.outcome = "unfixed"
            continue
        values = form_values(visit, current, answers.get(key, {}))
        cases.append(case(f"{name}: {key} left blank", template, visit, key, {}))
        cases.append(case(f"{name}: {key} filled in", template, visit, key, values))
        for spec in current.get("fields", []):
            if spec.get("when") and values.get(spec["name"]):  # required by another answer: left out
                without = {k: v for k, v in values.items() if k != spec["name"]}
                cases.append(case(f"{name}: {key} without {spec['name']}", template, visit, key, without))
        if current.get("one_of"):
            neither = {k: v for k, v in values.items() if k not in current["one_of"]["fields"]}
            cases.append(case(f"{name}: {key} with neither of the either-or fields", template, visit, key, neither))
        if (
            current.get("min_photos")
            and engine.missing_evidence(visit, current, engine.clean_values(visit, current, values)) == "photos"
        ):
            visit.photos[key] = current["min_photos"]
            cases.append(case(f"{name}: {key} with its photos", template, visit, key, values))
        if key in skip:
            visit.results[key] = {"status": "na", "values": {}}
        elif current["type"] == "signature":
            decision = ("declined" if decline else "accepted") if current.get("purpose") == "quote" else ""
            visit.results[key] = {"status": "done", "values": {**SIGNER, "decision": decision}}
            if key == "quote" and decline:
                visit.outcome = "declined"
        else:
            visit.results[key] = {"status": "done", "values": engine.clean_values(visit, current, values)}
    cases.append(case(f"{name}: finished", template, visit, None, {}))
    return cases


WALKS = [
    walk("repair, fixed, straight", "repair"),
    walk(
        "repair, every branch",
        "repair",
        {
            "warranty": {"lookup_result": "in_warranty", "lookup_reason": "Card lost"},
            "reproduce": {"outcome": "not_reproduced"},
            "data_risk": {"at_risk": "yes", "backup_location": "USB drive"},
            "new_problem": {"found": "yes"},
        },
    ),
    walk("repair, paid by flag", "repair", paid=True),
    walk(
        "repair, software fault, quote declined",
        "repair",
        {"classify": {"fault_class": "software"}},
        decline=True,
    ),
    walk(
        "repair, man-made, data waiver",
        "repair",
        {"classify": {"fault_class": "man_made"}, "data_risk": {"at_risk": "yes", "waiver": "on"}},
    ),
    walk(
        "repair, not fixed at once, take back",
        "repair",
        {"unresolved": {"next_step": "take_back"}},
        unfixed_at="reproduce",
    ),
    walk(
        "repair, not fixed while repairing, revisit",
        "repair",
        {"unresolved": {"next_step": "revisit"}},
        unfixed_at="repair",
    ),
    walk("repair, not fixed at the evaluation", "repair", unfixed_at="evaluation"),
    walk("installation, training given", "installation", skip={"cross_check"}),
    walk("installation, training declined", "installation", {"training": {"offered": "declined"}}),
    walk("conditions, a whole number", "conditions", {"measure": {"volts": "12.0", "rerun": "on"}}),
    walk("conditions, a decimal comma", "conditions", {"measure": {"volts": "12,50"}}),
    walk("conditions, zero volts", "conditions", {"measure": {"volts": "0"}}),
    walk("conditions, box not ticked", "conditions", {"measure": {"volts": "230"}}),
]


def by_hand() -> list[dict]:
    """The "not fixed" window (T15) with expectations worked out by hand from the job states it stands for."""
    done = {"status": "done", "values": {}}
    arrival = {key: done for key in ("arrive", "enter", "warranty")}
    cases = []

    def add(name, results, outcome="fixed", paid=False, may=False, template="repair"):
        visit = engine.Visit(
            template=copy.deepcopy(BUILT_IN_CHECKLISTS[template]), results=results, outcome=outcome, paid=paid
        )
        made = case(name, template, visit, None, {})
        assert made["expect"]["may_declare_unfixed"] is may, name
        cases.append(made)

    add("by hand: on site, repair order not taken (ON_SITE)", arrival)
    add("by hand: reproducing (DIAGNOSING)", {**arrival, "repair_order": done}, may=True)
    quote_due = {**arrival, "repair_order": done, "reproduce": done, "classify": done}
    add("by hand: customer deciding on the quote (AWAITING_CUSTOMER_DECISION)", quote_due, paid=True)
    add("by hand: quote accepted, explaining (REPAIRING)", {**quote_due, "quote": done}, paid=True, may=True)
    add("by hand: quote declined (DECLINED)", {**quote_due, "quote": done}, outcome="declined", paid=True)
    fixed = {key: done for key in [s["key"] for s in BUILT_IN_CHECKLISTS["repair"]["steps"]][:17]}
    add("by hand: customer's evaluation (VERIFYING)", fixed, may=True)
    add("by hand: report about to be signed (VERIFYING)", {**fixed, "evaluation": done}, may=True)
    add("by hand: report signed (SIGNED_OFF)", {**fixed, "evaluation": done, "signature": done})
    add("by hand: already declared not fixed (no second time)", {**arrival, "repair_order": done}, outcome="unfixed")
    add("by hand: installations have no not-fixed path", {}, template="installation")
    add("by hand: installation steps for every path", {"calls": done}, outcome="declined", template="installation")
    return cases


# Money, worked out by hand: each line is price × quantity rounded to the cent half up; the total is their sum.
PRICES = {"LAB-DIAG": "150.05", "LAB-HOUR": "200.00", "PART-PSU": "420.00"}
QUOTES = [
    ("the reported difference: 150.05 × 0.5 = 75.025", PRICES, {"qty_LAB-DIAG": "0.5"}, "75.03"),
    ("150.05 × 1.5 = 225.075", PRICES, {"qty_LAB-DIAG": "1.5"}, "225.08"),
    ("three lines", PRICES, {"qty_LAB-DIAG": "0.5", "qty_LAB-HOUR": "1.5", "qty_PART-PSU": "1"}, "795.03"),
    (
        "lines are rounded before the sum: 3 × 16.665",
        {"A": "33.33", "B": "33.33", "C": "33.33"},
        {"qty_A": "0.5", "qty_B": "0.5", "qty_C": "0.5"},
        "50.01",
    ),
    ("half a cent goes up: 0.01 × 0.5", {"A": "0.01"}, {"qty_A": "0.5"}, "0.01"),
    ("0.15 × 0.5 = 0.075, not a binary fraction", {"A": "0.15"}, {"qty_A": "0.5"}, "0.08"),
    ("2.675 as a price rounds half up to 2.68", {"A": "2.675"}, {"qty_A": "1"}, "2.68"),
    ("1.005 as a price rounds to 1.01, × 1.5 = 1.515", {"A": "1.005"}, {"qty_A": "1.5"}, "1.52"),
    ("a price with one decimal", {"A": "19.9"}, {"qty_A": "3"}, "59.70"),
    ("the largest quantity", {"A": "1250.00"}, {"qty_A": "100"}, "125000.00"),
    ("a quantity written 1.50", {"A": "0.33"}, {"qty_A": "1.50"}, "0.50"),
    (
        "blank and 0 lines are left out",
        PRICES,
        {"qty_LAB-DIAG": "", "qty_LAB-HOUR": "0", "qty_PART-PSU": "2"},
        "840.00",
    ),
    ("a free line", {"A": "0.00", "B": "10.00"}, {"qty_A": "1", "qty_B": "1"}, "10.00"),
    ("refused: not a multiple of 0.5", PRICES, {"qty_LAB-DIAG": "1.3"}, None),
    ("refused: a quarter", PRICES, {"qty_LAB-DIAG": "0.25"}, None),
    ("refused: more than 100", PRICES, {"qty_LAB-DIAG": "100.5"}, None),
    ("refused: negative", PRICES, {"qty_LAB-DIAG": "-1"}, None),
    ("refused: not a number", PRICES, {"qty_LAB-DIAG": "two"}, None),
    ("refused: an exponent", PRICES, {"qty_LAB-DIAG": "1e1"}, None),
    ("refused: no line at all", PRICES, {"qty_LAB-DIAG": "0"}, None),
    ("refused: a line not on the price list", PRICES, {"qty_LAB-DIAG": "1", "qty_GOLD": "1"}, None),
]


def quote_cases() -> list[dict]:
    cases = []
    for name, prices, fields, total in QUOTES:
        lines = [{"code": code, "label": code, "kind": "labour", "price": price} for code, price in prices.items()]
        try:
            computed = pricing.build_quote(1, lines, fields)["total"]
        except engine.ChecklistRefused:
            computed = None
        assert computed == total, f"{name}: the engine says {computed}, worked out by hand {total}"
        cases.append({"name": name, "prices": prices, "fields": fields, "expect": {"total": total}})
    return cases


def unique(cases: list[dict]) -> list[dict]:
    """Walks share their first steps: each situation is kept once, under the first walk's name."""
    seen, kept = set(), []
    for one in cases:
        key = json.dumps({k: v for k, v in one.items() if k != "name"}, sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(one)
    return kept


def main() -> None:
    visits = unique([one for cases in WALKS for one in cases] + by_hand())
    lines = ",\n".join(json.dumps(one, ensure_ascii=False) for one in visits)
    own = json.dumps({"conditions": CONDITIONS}, ensure_ascii=False)
    quotes = ",\n".join(json.dumps(one, ensure_ascii=False) for one in quote_cases())
    OUT.write_text(f'{{"templates": {own},\n"visits": [\n{lines}\n],\n"quotes": [\n{quotes}\n]}}\n')
    print(f"{OUT}: {len(visits)} visit cases, {len(QUOTES)} quote cases")


if __name__ == "__main__":
    main()
