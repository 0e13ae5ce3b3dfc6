// The checklist rules the phone needs to walk a visit offline: which steps apply, which one is next, and the
// photo and either-or evidence a step needs. A port of app/visits/engine.py; the server checks it all again
// when the outbox replays, so a disagreement shows as a refused item, never as a silently wrong record.

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
  return condition.in.includes(String(source[condition.field] ?? ""));
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

// The first missing piece of evidence the form itself cannot require: "photos" or the either-or field.
export function missingEvidence(visit, step, values) {
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

// A step form's values as the server reads them: a ticked box is true, an unticked one false.
export function formValues(step, fields) {
  const values = Object.fromEntries(fields);
  for (const spec of step.fields || []) {
    if (spec.type === "check") values[spec.name] = ["on", "1", "true", "yes"].includes(String(values[spec.name] || "").toLowerCase());
    else values[spec.name] = String(values[spec.name] ?? "").trim();
  }
  return values;
}
