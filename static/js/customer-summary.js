// What the customer reads before signing, in plain words, from the visit as the phone knows it (so that it works
// with no signal): what was done, the parts fitted by name and serial, the photos, when the engineer arrived and
// any charge. A scanned label names the unit the way the server will record it: its serial, not the label's URL.
import { formatMoney, formatWhen } from "./formats.js";

// The unit a scanned label (HTTPS://HOST/U/<ID>), a typed ID or a serial names, among those lent for the job.
export function unitFor(units, text) {
  const raw = String(text || "").trim().toUpperCase();
  const code = raw.match(/\/U\/([0-9A-Z]{8})$/)?.[1] || raw;
  return units.find((unit) => unit.code === code || unit.serial.toUpperCase() === raw) || null;
}

// A scanned or typed part code becomes the unit's serial in the field, with the part's name under it.
export function wirePartFields(root, units) {
  for (const field of root.querySelectorAll("[data-part-scan]")) {  // made now, so that nothing moves later
    const note = Object.assign(document.createElement("p"), { className: "hint part-name" });
    note.dataset.partNameFor = field.id;
    note.setAttribute("aria-live", "polite");
    field.after(note);
  }
  const show = (field) => {
    const unit = unitFor(units, field.value);
    if (unit && field.value !== unit.serial) field.value = unit.serial;
    const note = root.querySelector(`[data-part-name-for="${field.id}"]`);
    if (note) note.textContent = unit ? `${unit.name} · ${unit.serial}` : "";
  };
  root.addEventListener("change", (event) => { if (event.target.matches?.("[data-part-scan]")) show(event.target); });
  root.addEventListener("input", (event) => { if (event.target.matches?.("[data-part-scan]") && /\/U\//i.test(event.target.value)) show(event.target); });
}

// ``summary``: the panel's summary, rendered by the server from the same template as the customer's page
// (templates/visits/_signing_summary.html); its marked values are written again from the phone's ``visit``, with
// the template's words and the server's formats. ``data``: the page's visit data (units, arrival);
// ``quotes``: step -> total.
export function fillSummary(summary, visit, data, quotes, arrivedAt) {
  if (!summary.querySelector('[data-summary="work"]')) return;  // a quote or a data-risk consent: nothing to refill
  const lang = summary.closest("[lang]")?.lang;
  const values = (key) => visit.results[key]?.values || {};
  const set = (name, text) => { summary.querySelector(`[data-summary="${name}"]`).textContent = text || summary.dataset.none; };
  const unfixed = values("unresolved");
  const next = (JSON.parse(summary.dataset.nextSteps)[unfixed.next_step] || "").replace("{day}", unfixed.revisit_date || "");
  set("work", [values("repair").work_done, unfixed.reason, next].filter(Boolean).join(" "));
  const fitted = visit.steps.map((step) => values(step.key).fitted_serial).filter(Boolean);
  set("parts", fitted.map((serial) => {
    const unit = unitFor(data.units || [], serial);
    return unit ? `${unit.name} · ${unit.serial}` : serial;
  }).join("; "));
  set("arrival", formatWhen(data.arrival || arrivedAt, undefined, lang));
  const accepted = Object.entries(quotes).filter(([step]) => visit.results[step]?.status === "done" && visit.outcome !== "declined");
  const total = accepted.reduce((sum, [, amount]) => sum + Math.round(Number(amount) * 100), 0);
  set("charge", total ? formatMoney(total / 100, lang) : summary.dataset.noCharge);
  const shown = document.querySelectorAll(".steps li[data-step] [data-thumbs] :is(img, .thumb-placeholder)");
  summary.querySelector('[data-summary="photos"]').replaceChildren(...[...shown].map((image, index) => {
    const copy = image.cloneNode(true);
    if (copy.tagName === "IMG") Object.assign(copy, { alt: summary.dataset.photoAlt.replace("{n}", String(index + 1)), width: 96, height: 96 });
    const item = document.createElement("li");
    item.append(copy);
    return item;
  }));
}
