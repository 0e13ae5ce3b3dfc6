// What the customer reads before signing, in plain words, from the visit as the phone knows it (so that it works
// with no signal): what was done, the parts fitted by name and serial, the photos, when the engineer arrived and
// any charge. A scanned label names the unit the way the server will record it: its serial, not the label's URL.

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

// In the office's time zone, as the service report shows it.
function formatTime(iso, timeZone) {
  if (!iso) return "";
  const options = { dateStyle: "medium", timeStyle: "short", timeZone: timeZone || undefined };
  return new Date(iso).toLocaleString(document.documentElement.lang || undefined, options);
}

// ``visit``: the walker's visit; ``data``: the page's visit data (units, arrival); ``quotes``: step -> total.
export function fillSummary(summary, visit, data, quotes, arrivedAt) {
  const values = (key) => visit.results[key]?.values || {};
  const set = (name, text) => { summary.querySelector(`[data-summary="${name}"]`).textContent = text || summary.dataset.none; };
  const unfixed = values("unresolved");
  const nextSteps = JSON.parse(summary.dataset.nextSteps);
  const next = unfixed.next_step ? (nextSteps[unfixed.next_step] || "").replace("{day}", unfixed.revisit_date || "") : "";
  set("work", [values("repair").work_done, unfixed.reason, next].filter(Boolean).join(" "));
  const fitted = values("repair").fitted_serial;
  const unit = fitted ? unitFor(data.units || [], fitted) : null;
  set("parts", unit ? `${unit.name} · ${unit.serial}` : fitted);
  set("arrival", formatTime(data.arrival || arrivedAt, data.time_zone));
  const accepted = Object.entries(quotes).filter(([step]) => visit.results[step]?.status === "done" && visit.outcome !== "declined");
  const total = accepted.reduce((sum, [, amount]) => sum + Math.round(Number(amount) * 100), 0);
  summary.querySelector('[data-summary="charge"]').textContent = total ? (total / 100).toFixed(2) : summary.dataset.noCharge;
  const photos = summary.parentElement.querySelector('[data-summary="photos"]');
  const shown = document.querySelectorAll(".steps li[data-step] [data-thumbs] :is(img, .thumb-placeholder)");
  photos.replaceChildren(...[...shown].map((image) => {
    const item = document.createElement("li");
    item.append(image.cloneNode(true));
    return item;
  }));
}
