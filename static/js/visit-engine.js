// The checklist rules the phone needs to walk a visit offline: which steps apply, which one is next, the
// evidence a step still needs, when "not fixed" may be declared, and a quote's total. A port of
// app/visits/engine.py and app/visits/pricing.py; tests/cases/visit_engine.json holds the cases both must agree
// on (run against this file in a browser by tests/e2e/test_visit_engine_cases.py). The server checks it all
// again when the outbox replays, so a disagreement shows as a refused item, never as a silently wrong record.

export function isPaid(visit) {
  return visit.paid || ["software", "man_made"].includes(value(visit, "classify", "fault_class"));
}

function value(visit, stepKey, name) {
  return visit.results[stepKey]?.values?.[name];
}

export function conditionHolds(visit, condition, ownValues) {
  if (!condition) return true;
  if ("flag" in condition) return condition.flag === "paid" ? isPaid(visit) : false;
  const source = ownValues && !("step" in condition) ? ownValues : visit.results[condition.step || ""]?.values || {};
  return condition.in.includes(conditionText(source[condition.field]));
}

// An answer as a condition reads it, as the server does: a ticked box is "on", an unticked one "".
function conditionText(answer) {
  if (typeof answer === "boolean") return answer ? "on" : "";
  return answer == null ? "" : String(answer);
}

export function applies(visit, step) {
  return (step.paths || ["fixed"]).includes(visit.outcome) && conditionHolds(visit, step.when);
}

export function isDone(visit, key) {
  return ["done", "na"].includes(visit.results[key]?.status);
}

export function applicableSteps(visit) {
  return visit.steps.filter((step) => applies(visit, step));
}

export function currentStep(visit) {
  return applicableSteps(visit).find((step) => !isDone(visit, step.key)) || null;
}

// A page kept offline from before the fields' rules were sent says nothing of "required": the form's own
// required attributes then stand alone, and the server checks the rest on replay.
function fieldRequired(visit, spec, values) {
  return spec.required === true && conditionHolds(visit, spec.when, values);
}

// The first missing piece of a step's evidence: "field:<name>" (a required field left blank), "one_of" (an
// either-or pair with neither filled in) or "photos"; null when the step may be done.
export function missingEvidence(visit, step, values) {
  for (const spec of step.fields || []) {
    const given = values[spec.name];
    if (fieldRequired(visit, spec, values) && (given === false || given === "" || given == null)) return `field:${spec.name}`;
  }
  const either = step.one_of;
  if (either && conditionHolds(visit, either.when, values) && !either.fields.some((name) => values[name])) {
    return "one_of";
  }
  const needed = step.min_photos || 0;
  if (needed && conditionHolds(visit, step.photos_when, values)) {
    const waived = step.photos_unless && values[step.photos_unless];
    if (!waived && (visit.photos[step.key] || 0) < needed) return "photos";
  }
  return null;
}

// "Not fixed" may be declared while the job is diagnosing, repairing or verifying (T15), read from the
// checklist: from the first step after arrival until the report is signed, except while the customer decides
// on the paid-service quote. The same rule as engine.may_declare_unfixed.
const UNFIXED_FROM_PHASES = ["reproduce", "repair", "verify", "signoff"];

export function mayDeclareUnfixed(visit) {
  const offersUnfixed = visit.steps.some((step) => (step.paths || []).includes("unfixed") && !(step.paths || []).includes("fixed"));
  const current = currentStep(visit);
  if (visit.outcome !== "fixed" || !offersUnfixed || !current) return false;
  const reportSigned = visit.steps.some((step) => step.purpose === "report" && isDone(visit, step.key));
  const decidingQuote = current.key === "quote" && current.purpose === "quote";
  return UNFIXED_FROM_PHASES.includes(current.phase) && !reportSigned && !decidingQuote;
}

const NUMBER = /^[-+]?\d{1,15}(?:[.,]\d{1,6})?$/;

// A step form's values as the server reads them: a ticked box is true, an unticked one false, a number a number.
export function formValues(step, fields) {
  const values = Object.fromEntries(fields);
  for (const spec of step.fields || []) {
    const raw = String(values[spec.name] ?? "").trim();
    if (spec.type === "check") values[spec.name] = ["on", "1", "true", "yes"].includes(raw.toLowerCase());
    else if (spec.type === "number" && NUMBER.test(raw)) values[spec.name] = Number(raw.replace(",", "."));
    else values[spec.name] = raw;
  }
  return values;
}

// Money is integer cents (BigInt here, so that nothing is ever a binary fraction). One rounding rule, as in
// app/visits/pricing.py: each line (price × quantity) is rounded to the cent half up; the total is their sum.
const AMOUNT = /^\s*(\d{1,9})(?:\.(\d{0,6}))?\s*$/;
const QUANTITY = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$/;

// "12.5" → [125n, 10n]: the exact decimal as a fraction.
function fraction(match) {
  const decimals = match[2] || "";
  return [BigInt(match[1] + decimals), 10n ** BigInt(decimals.length)];
}

function halfUp(numerator, denominator) {
  return (2n * numerator + denominator) / (2n * denominator);
}

export function centsOf(text) {
  const match = AMOUNT.exec(String(text));
  if (!match) throw new RangeError(`not an amount: ${text}`);
  const [units, scale] = fraction(match);
  return halfUp(units * 100n, scale);
}

export function formatCents(cents) {
  const sign = cents < 0n ? "-" : "";
  const size = cents < 0n ? -cents : cents;
  return `${sign}${size / 100n}.${String(size % 100n).padStart(2, "0")}`;
}

// A line's quantity as a fraction, null when blank or 0, undefined when the server would refuse it.
function quantityOf(raw) {
  const text = String(raw ?? "").trim();
  if (text === "" || text === "0") return null;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [units, scale] = fraction(match);
  const valid = units > 0n && units <= 100n * scale && (2n * units) % scale === 0n;
  return valid ? [units, scale] : undefined;
}

// The quote's total from the price list ({code: price}) and the form's quantities ("qty_<code>"), as the server
// will compute it; null when the server would refuse the quote (a bad quantity, or no line at all).
export function quoteTotal(prices, fields) {
  let total = 0n;
  let lines = 0;
  for (const [code, price] of Object.entries(prices)) {
    const quantity = quantityOf(fields[`qty_${code}`]);
    if (quantity === undefined) return null;
    if (quantity === null) continue;
    total += halfUp(centsOf(price) * quantity[0], quantity[1]);
    lines += 1;
  }
  const unknown = Object.keys(fields).some((name) => name.startsWith("qty_") && !Object.hasOwn(prices, name.slice(4)));
  return lines && !unknown ? formatCents(total) : null;
}
