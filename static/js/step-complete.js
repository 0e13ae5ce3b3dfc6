// Fewer taps on the checklist, the same evidence. A step whose last missing input is a tick or a choice completes
// on it ("Data risk: No", "Satisfied"); "All of the above hold" ticks a list of checks at once, each check staying on
// screen in the manual's words and recorded one by one; a field the visit already knows starts filled in. Nothing
// here decides anything the server does not check again: the step goes through the outbox like a tap on "Done".
import { conditionHolds, formValues, missingEvidence } from "./visit-engine.js";

// An input the engineer may still want to give: a field that applies now and is empty, or an unticked box
// (an optional box is a statement of its own: "A barcode does not match"). Either-or fields are checked as a pair.
function stillOpen(visit, step, spec, values) {
  if (spec.when) return conditionHolds(visit, spec.when, values) && !values[spec.name];
  if (step.one_of?.fields.includes(spec.name)) return false;
  if (spec.type === "check") return !values[spec.name];
  return spec.required !== false && !values[spec.name];
}

export function completesOnIt(visit, step, values, input) {
  if (!["checkbox", "radio"].includes(input.type) || !input.checked) return false;
  if (missingEvidence(visit, step, values)) return false;
  return !(step.fields || []).some((spec) => stillOpen(visit, step, spec, values));
}

// ``state``: the checklist's walker (stepOf, visit). The form is marked data-completing before it is submitted.
export function completeOnLastInput(list, state) {
  list.addEventListener("change", (event) => {
    const input = event.target;
    const form = input.form;
    if (!form?.matches("[data-step-form]") || form.hasAttribute("data-completing")) return;
    const step = state.stepOf(form.closest("li[data-step]").dataset.step);
    const values = formValues(step, [...new FormData(form).entries()]);
    if (!form.checkValidity() || !completesOnIt(state.visit, step, values, input)) return;
    form.setAttribute("data-completing", "");
    form.requestSubmit();
  });
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-check-all]");
    if (!button) return;
    const boxes = [...button.form.querySelectorAll('input[type="checkbox"][required]')];
    boxes.forEach((box) => { box.checked = true; });
    boxes.at(-1)?.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

// Fills the current step's empty fields that name an earlier step's value (data-prefill-from="step.field").
export function prefill(li, visit) {
  for (const field of li.querySelectorAll("[data-prefill-from]")) {
    const [step, name] = field.dataset.prefillFrom.split(".");
    const known = visit.results[step]?.values?.[name];
    if (!field.value && known) field.value = known;
  }
}
