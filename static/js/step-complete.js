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

// A form the outbox took is disabled and says "Saved on this phone"; made usable again for the next answer.
function usableAgain(form) {
  form.querySelectorAll("button, input, select, textarea").forEach((field) => { field.disabled = false; });
  form.querySelectorAll('[data-testid="saved-on-phone"]').forEach((note) => note.remove());
}

// "Undo" under a step that just finished itself, until another step is touched. ``undoable``: the steps
// the server would reopen (app/visits/reopen.py). Returns the undo line, or null.
const WITHDRAW_ON = ["pointerdown", "focusin", "outbox:queued"];
let withdrawOffer = () => {};

export function offerUndo(form, undoable) {
  const li = form.closest("li[data-step]");
  const undo = li?.querySelector("[data-undo]");
  if (!undo || !form.hasAttribute("data-completing") || !undoable.includes(li.dataset.step)) return null;
  withdrawOffer();
  usableAgain(undo);
  undo.querySelector('input[name="result"]').value = form.querySelector('input[name="id"]').value;
  undo.hidden = false;
  // Touching another step withdraws the offer; its line keeps its room until the next step is queued, so that
  // nothing moves under the finger.
  const touched = (event) => {
    if (undo.contains(event.target)) return;
    if (event.type === "outbox:queued") withdrawOffer();
    else if (!li.contains(event.target)) undo.classList.add("is-withdrawn");
  };
  withdrawOffer = () => {
    undo.hidden = true;
    undo.classList.remove("is-withdrawn");
    WITHDRAW_ON.forEach((type) => document.removeEventListener(type, touched, true));
    withdrawOffer = () => {};
  };
  WITHDRAW_ON.forEach((type) => document.addEventListener(type, touched, true));
  return undo;
}

// The step opens again with the answer as it was given; the next answer is a new version (a new result id).
export function reopen(li) {
  const form = li.querySelector("[data-step-form]");
  withdrawOffer();
  li.querySelector("[data-undo]")?.setAttribute("hidden", "");
  li.querySelector(":scope > .evidence")?.remove();
  if (!form) return;
  form.removeAttribute("data-completing");
  usableAgain(form);
  form.querySelector('input[name="id"]').value = crypto.randomUUID();
}
