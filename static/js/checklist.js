// The visit checklist page. Every step, photo and signature goes through the outbox (saved on the phone at
// once, sent when the server answers), and the page walks on by itself with the same rules as the server:
// with no signal the engineer finishes the visit and the customer signs; nothing waits for the network.
import { allItems } from "./outbox-store.js";
import { formatMoney } from "./formats.js";
import { wirePhotoInputs } from "./upload.js";
import { fillSummary, wirePartFields } from "./customer-summary.js";
import { completeOnLastInput, offerUndo, prefill, reopen } from "./step-complete.js";
import { applicableSteps, applies, currentStep, formValues, isDone, mayDeclareUnfixed, missingEvidence, quoteTotal } from "./visit-engine.js";

const dataTag = document.getElementById("visit-data");
const list = document.querySelector(".steps");

function stampDeviceTime(root) {
  root.addEventListener("submit", (event) => {
    const field = event.target.querySelector?.('input[name="device_time"]');
    if (field) field.value = new Date().toISOString();
  }, true);
}

function runTimers(root) {
  for (const timer of root.querySelectorAll("[data-timer-start]:not([data-running])")) {
    timer.dataset.running = "";
    const end = new Date(timer.dataset.timerStart).getTime() + Number(timer.dataset.timerMinutes) * 60_000;
    const output = document.createElement("strong");
    output.className = "countdown";
    timer.append(" ", output);
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      output.textContent = left
        ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`
        : timer.dataset.doneText;
      if (left) setTimeout(tick, 1000);
    };
    tick();
  }
}

// An observation started on the phone: the countdown runs from the phone's time, the step's form opens.
function startTimer(stepKey, at) {
  const timer = document.querySelector(`[data-timer-for="${stepKey}"]`);
  if (!timer) return;
  timer.dataset.timerStart = at;
  timer.hidden = false;
  const step = timer.closest("li[data-step]");
  step.querySelector(`form[action$="/${stepKey}/timer"]`)?.setAttribute("hidden", "");
  step.querySelector("[data-step-form]")?.removeAttribute("hidden");
  runTimers(step);
}

// A form whose content waits in the outbox shows that content again after a reload or a restart.
function showAsFilled(item) {
  const form = [...document.querySelectorAll("form[data-visit-form]")].find((one) => one.getAttribute("action") === item.url);
  for (const [name, value] of form ? item.fields : []) {
    for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (field.type === "checkbox" || field.type === "radio") field.checked = field.value === value || (field.type === "checkbox" && value === "on");
      else if (field.type !== "hidden") field.value = value;
    }
  }
}

// The visit as the phone knows it: the server's results plus everything done here and not yet confirmed.
function walker(data) {
  const visit = { steps: data.steps, results: { ...data.results }, outcome: data.outcome, paid: data.paid, photos: { ...data.photos } };
  const pending = new Map();  // outbox item id -> step key it completed
  const times = {};  // step key -> when this phone completed it
  const quotes = { ...data.quotes };  // step key -> total, as the server will compute it from the price list
  let handover = data.handover;
  const jobPath = location.pathname.replace(/\/$/, "");

  function stepOf(key) {
    return visit.steps.find((step) => step.key === key);
  }

  // What one outbox item changes, read from its URL and fields (the same item the server will receive).
  function apply(item) {
    if (!item.url.startsWith(`${jobPath}/`)) return;
    showAsFilled(item);
    const parts = item.url.slice(jobPath.length + 1).split("/");
    const fields = Object.fromEntries(item.fields);
    if (parts[0] === "steps" && parts.length === 2 && stepOf(parts[1])) {
      visit.results[parts[1]] = { status: "done", values: formValues(stepOf(parts[1]), item.fields) };
      pending.set(item.id, parts[1]);
      times[parts[1]] = item.createdAt;
    } else if (parts[0] === "steps" && parts[2] === "not-applicable") {
      visit.results[parts[1]] = { status: "na", values: {} };
      pending.set(item.id, parts[1]);
    } else if (parts[0] === "steps" && parts[2] === "reopen") {
      delete visit.results[parts[1]];
      delete times[parts[1]];
      pending.forEach((key, id) => { if (key === parts[1]) pending.delete(id); });
      const li = list.querySelector(`li[data-step="${CSS.escape(parts[1])}"]`);
      if (li) reopen(li);
    } else if (parts[0] === "steps" && parts[2] === "timer") {
      startTimer(parts[1], item.createdAt);
    } else if (parts[0] === "steps" && parts[2] === "handover") {
      handover = parts[1];
    } else if (parts[0] === "sign") {
      visit.results[parts[1]] = { status: "done", values: { signer_name: fields.signer_name || "" } };
      pending.set(item.id, parts[1]);
      handover = "";
      if (fields.decision === "declined") visit.outcome = "declined";
    } else if (parts[0] === "quote") {
      quotes[fields.step] = quoteTotal(data.prices, fields);
    } else if (parts[0] === "photos" && parts.length === 1) {
      visit.photos[fields.step] = (visit.photos[fields.step] || 0) + 1;
    } else if (parts[0] === "photos" && parts[2] === "delete") {
      visit.photos[fields.step] = Math.max(0, (visit.photos[fields.step] || 0) - 1);
    } else if (parts[0] === "unfixed") {
      visit.outcome = "unfixed";
    }
  }

  return { visit, pending, quotes, times, data, apply, stepOf, phases: data.phases, handover: () => handover };
}

// What a step recorded, in words: the server's list for steps it has, else read from the form as filled in.
function evidenceOf(li) {
  const stored = li.querySelector(":scope > .evidence");
  if (stored) return stored.cloneNode(true);
  const dl = document.createElement("dl");
  dl.className = "evidence";
  const add = (term, value) => {
    const row = document.createElement("div");
    row.append(Object.assign(document.createElement("dt"), { textContent: term }), Object.assign(document.createElement("dd"), { textContent: value }));
    dl.append(row);
  };
  const form = li.querySelector("[data-step-form], [data-signature-form]");
  for (const field of form ? form.elements : []) {
    if (field.type === "hidden" || !field.name || field.type === "submit" || field.type === "button") continue;
    const label = field.labels?.[0]?.textContent.replace("*", "").trim() || "";
    if (field.type === "checkbox" && field.checked) add(label, "✓");
    else if (field.type === "radio" && field.checked) add(field.closest("fieldset")?.querySelector("legend")?.textContent.trim() || "", label);
    else if (!["checkbox", "radio"].includes(field.type) && field.value.trim()) add(label, field.value.trim());
  }
  return dl;
}

function render(state, text) {
  const { visit } = state;
  const steps = applicableSteps(visit);
  const current = currentStep(visit);
  const waiting = new Set(state.pending.values());
  for (const li of list.querySelectorAll("li[data-step]")) {
    const step = state.stepOf(li.dataset.step);
    const number = steps.indexOf(step) + 1;
    const done = isDone(visit, step.key);
    const isCurrent = current?.key === step.key;
    li.hidden = !applies(visit, step);
    li.querySelector(".step-number").textContent = number ? String(number) : "";
    li.classList.toggle("is-done", done);
    li.classList.toggle("is-current", isCurrent);
    li.classList.toggle("is-locked", !done && !isCurrent);
    li.classList.toggle("is-pending", waiting.has(step.key));
    li.id = isCurrent ? "current" : `step-${step.key}`;
    const badge = li.querySelector("[data-step-badge]");
    badge.hidden = isCurrent;
    badge.classList.toggle("ok", done);
    if (waiting.has(step.key)) badge.textContent = text.pendingText;
    else if (done) badge.textContent = visit.results[step.key].status === "na" ? text.naText : text.doneText;
    else badge.textContent = text.lockedText;
    const body = li.querySelector("[data-step-body]");
    if (body) body.hidden = !isCurrent;
    if (isCurrent && body) prefill(li, visit);
    if (done && body && !li.querySelector(":scope > .evidence")) body.after(evidenceOf(li));
    if (step.type === "signature") renderSignature(li, state, isCurrent);
  }
  renderProgress(visit, steps, current, state.phases);
  renderWhatNext(visit, current);
  document.querySelector("details.unfixed")?.toggleAttribute("hidden", !mayDeclareUnfixed(visit));
}

function renderSignature(li, state, isCurrent) {
  const handedOver = isCurrent && state.handover() === li.dataset.step;
  const total = state.quotes[li.dataset.step];
  const needsQuote = state.stepOf(li.dataset.step).purpose === "quote" && !total;
  li.querySelector("[data-handover]")?.toggleAttribute("hidden", handedOver || needsQuote);
  li.querySelectorAll("[data-quote-total]").forEach((line) => {
    line.hidden = !total;
    if (total) line.textContent = line.dataset.quoteTotal.replace("{total}", formatMoney(total));
  });
  const panel = li.querySelector("[data-customer-panel]");
  if (!panel) return;
  panel.hidden = !handedOver;
  panel.querySelector("[data-stamp-form]")?.toggleAttribute("hidden", !(state.visit.photos[li.dataset.step] > 0));
  const summary = panel.querySelector("[data-customer-summary]");
  if (handedOver && summary) fillSummary(summary, state.visit, state.data, state.quotes, state.times.arrive);
}

// Once the service report is signed: the report link and the next thing to do.
function renderWhatNext(visit, current) {
  const area = document.querySelector("[data-what-next]");
  const signed = visit.steps.some((step) => step.purpose === "report" && isDone(visit, step.key));
  if (!area || !signed) return;
  area.hidden = false;
  const step = visit.steps.find((one) => one.purpose === "report" && isDone(visit, one.key));
  const li = list.querySelector(`li[data-step="${step.key}"]`);
  if (area.parentElement !== li) li.append(area);  // right above the step it names
  const title = current && list.querySelector(`li[data-step="${current.key}"] .step-name`)?.textContent;
  area.querySelector("[data-next-action]").textContent = title || area.dataset.finishedText;
}

function renderProgress(visit, steps, current, phases) {
  const area = document.querySelector("[data-progress]");
  const done = steps.filter((step) => isDone(visit, step.key)).length;
  const line = area.querySelector("[data-testid='visit-progress']");
  if (current) {
    line.textContent = `${area.dataset.stepText.replace("{n}", String(Math.min(done + 1, steps.length))).replace("{m}", String(steps.length))} · `;
    line.append(Object.assign(document.createElement("strong"), { textContent: phases[current.phase] }));
  } else {
    line.textContent = (steps.length === 1 ? area.dataset.finishedOne : area.dataset.finishedText).replace("{n}", String(steps.length));
  }
  const bar = area.querySelector("progress");
  bar.max = steps.length;
  bar.value = done;
  area.querySelectorAll("[data-phase]").forEach((phase) => {
    if (current?.phase === phase.dataset.phase) phase.setAttribute("aria-current", "step");
    else phase.removeAttribute("aria-current");
  });
}

function showError(message) {
  const area = document.querySelector("[data-local-error]");
  area.textContent = message;
  area.hidden = !message;
  if (message) area.scrollIntoView({ block: "center" });
}

// A field required only by another answer ("Revisit date" once a revisit is chosen), named as the form shows it.
function fieldText(form, name, text) {
  const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
  const label = field?.type === "radio" ? field.closest("fieldset")?.querySelector("legend")?.textContent : field?.labels?.[0]?.textContent;
  return text.fieldText.replace("{label}", (label || name).replace("*", "").trim());
}

// The evidence a form cannot require by itself (photos, one of two fields) is checked before queueing,
// so that the outbox does not hold a step the server is bound to refuse.
function checkBeforeQueueing(state, text) {
  list.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("[data-step-form]")) return;
    const step = state.stepOf(form.closest("li[data-step]").dataset.step);
    const missing = missingEvidence(state.visit, step, formValues(step, [...new FormData(form).entries()]));
    showError(missing === "photos" ? text.photosText : missing === "one_of" ? text.oneOfText : missing ? fieldText(form, missing.slice(6), text) : "");
    if (missing) event.preventDefault();
  });
}

// Everything done here reached the server: show the job's state (and the report link) as the server has them.
async function refreshHead() {
  const response = await fetch(location.pathname, { credentials: "same-origin", cache: "no-store" }).catch(() => null);
  if (!response?.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").querySelector(".page-head");
  if (fresh) document.querySelector(".page-head").replaceWith(fresh);
}

async function start() {
  if (!dataTag || !list) return;
  const state = walker(JSON.parse(dataTag.textContent));
  const text = list.dataset;
  const jobId = document.querySelector("[data-outbox-pending]")?.dataset.job;
  for (const item of await allItems()) {
    if (item.jobId === jobId && item.status !== "failed") state.apply(item);
  }
  render(state, text);
  checkBeforeQueueing(state, text);
  completeOnLastInput(list, state);
  wirePartFields(list, state.data.units || []);
  document.addEventListener("outbox:queued", (event) => {
    const before = currentStep(state.visit)?.key;
    state.apply(event.detail.item);
    render(state, text);
    const now = currentStep(state.visit)?.key;
    const undo = event.target instanceof HTMLFormElement ? offerUndo(event.target, state.data.undoable || []) : null;
    if (now === before) return;
    const signedNow = state.stepOf(before)?.purpose === "report";
    const target = signedNow ? document.querySelector("[data-what-next]") : undo?.closest("li") || document.getElementById("current");
    target?.scrollIntoView({ block: "start" });
  });
  document.addEventListener("photo:removed", (event) => {
    state.visit.photos[event.detail.step] = Math.max(0, (state.visit.photos[event.detail.step] || 0) - 1);
    render(state, text);
  });
  window.addEventListener("outbox:sent", (event) => {
    if (event.detail.item.files?.length) setTimeout(() => render(state, text));  // a photo's server thumbnail
    if (!state.pending.delete(event.detail.item.id)) return;
    render(state, text);
    if (!state.pending.size) refreshHead();
  });
}

stampDeviceTime(document);
runTimers(document);
wirePhotoInputs(document);
start().then(() => {
  const current = document.getElementById("current");
  if (current && !location.hash) current.scrollIntoView({ block: "start" });
});
