// What the engineer sees of the outbox: the ⇅ counter (its name says how many changes wait), the list of waiting
// items (what, which job, when queued, refused ones with the server's reason), last sync, "Sync now", "All changes
// sent" after a flush, and the sync triggers (load, online, visible again, timer, Background Sync).
import { discard, enqueue, flush, isFlushing, nextDelay, onOutboxChange, refresh, retry } from "./outbox.js";
import { BRIEFCASE, PAGES } from "./cache-names.js";
import { formatWhen } from "./formats.js";
import { getMeta } from "./outbox-store.js";

const TIMER_MS = window.__OUTBOX_INTERVAL_MS || 30000;

function formatTime(iso) {
  return formatWhen(iso);
}

// One waiting item: what it is, which job, when it was queued, and where it stands (refused: the server's reason).
function itemRow(item, text) {
  const li = document.createElement("li");
  li.className = `outbox-item is-${item.status}`;
  li.dataset.outboxItem = item.id;
  const what = Object.assign(document.createElement("strong"), { className: "outbox-what", textContent: item.label });
  const meta = document.createElement("span");
  meta.className = "outbox-meta";
  if (item.jobId) {
    const job = Object.assign(document.createElement("a"), { href: `/jobs/${item.jobId}` });
    job.textContent = text.jobText.replace("{number}", item.jobNumber || "…");
    meta.append(job, " · ");
  }
  meta.append(text.queuedText.replace("{when}", formatTime(item.createdAt)));
  const state = Object.assign(document.createElement("p"), { className: "outbox-state" });
  if (item.status === "failed") state.className = "field-error";
  state.textContent = item.status === "failed" ? `${text.stateRefused} ${item.error}`
    : item.error ? `${text.stateRetrying} ${item.error}` : text.stateWaiting;
  li.append(what, meta, state);
  if (item.status === "failed") {
    const again = Object.assign(document.createElement("button"), { type: "button", className: "button secondary", textContent: text.retry });
    again.addEventListener("click", () => retry(item.id));
    const drop = Object.assign(document.createElement("button"), { type: "button", className: "button danger", textContent: text.discard });
    drop.addEventListener("click", () => { if (window.confirm(text.confirmDiscard)) discard(item.id); });
    li.append(again, drop);
  }
  return li;
}

// "3 changes waiting to be sent": the counter's accessible name, in the form the server translated for this count.
function waitingLabel(text, count) {
  return (count === 1 ? text.waitingOne : text.waitingOther).replace("{n}", String(count));
}

async function render(root, items) {
  const text = root.dataset;
  const failed = items.filter((item) => item.status === "failed").length;
  root.querySelector("[data-sync-count]").textContent = String(items.length);
  root.querySelector("[data-sync-label]").textContent = waitingLabel(text, items.length);
  root.querySelector("[data-sync-empty]").hidden = items.length > 0;
  root.classList.toggle("has-pending", items.length > 0);
  root.classList.toggle("has-failed", failed > 0);
  const lastSync = await getMeta("lastSync");
  root.querySelector("[data-sync-last]").textContent = lastSync ? `${text.lastSync} ${formatTime(lastSync)}` : text.neverSynced;
  root.querySelector("[data-sync-items]").replaceChildren(...items.map((item) => itemRow(item, text)));
  document.querySelectorAll("[data-outbox-pending]").forEach((area) => {
    const mine = items.filter((item) => item.jobId === area.dataset.job);
    area.hidden = mine.length === 0;
    area.querySelector("ul")?.replaceChildren(...mine.map((item) => itemRow(item, text)));
  });
}

// After a flush that emptied the outbox, "All changes sent" shows (and is read out) for a moment. A page that
// reloads right after (to show the server's view) shows it again for the rest of that moment.
const ALL_SENT_MS = 5000;
const ALL_SENT_KEY = "onsite-all-sent";

function announceAllSent(root, since = Date.now()) {
  const area = document.querySelector("[data-sync-done]");
  const left = since + ALL_SENT_MS - Date.now();
  if (!area || left <= 0) {
    sessionStorage.removeItem(ALL_SENT_KEY);
    return;
  }
  sessionStorage.setItem(ALL_SENT_KEY, String(since));
  area.textContent = root.dataset.allSent;
  clearTimeout(announceAllSent.timer);
  announceAllSent.timer = setTimeout(() => { area.textContent = ""; sessionStorage.removeItem(ALL_SENT_KEY); }, left);
}

function watchForAllSent(root) {
  let sent = false;
  window.addEventListener("outbox:sent", () => { sent = true; });
  onOutboxChange((items) => {
    if (sent && items.length === 0) announceAllSent(root);
    sent = false;
  });
  const since = Number(sessionStorage.getItem(ALL_SENT_KEY));
  if (since) announceAllSent(root, since);
}

function captureForms(root) {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-outbox]")) return;
    if (event.defaultPrevented) return;  // the page's own check refused it (an empty signature, say)
    event.preventDefault();
    if (!form.reportValidity()) return;
    await enqueue(form);
    form.removeAttribute("data-dirty");  // its content is safe in the outbox now
    form.querySelectorAll("button, input, select, textarea").forEach((field) => { field.disabled = true; });
    const note = document.createElement("p");
    note.className = "message message-info";
    note.dataset.testid = "saved-on-phone";
    note.textContent = root.dataset.savedOnPhone;
    form.append(note);
    flushAndRefresh();
  });
}

// Signing out clears the offline copies, but never unsent work without asking first.
function guardSignOut(root) {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-sign-out]")) return;
    event.preventDefault();
    (async () => {
      const items = await refresh();
      if (items.length && !window.confirm((items.length === 1 ? root.dataset.signOutWarningOne : root.dataset.signOutWarning).replace("{n}", String(items.length)))) return;
      await Promise.all([PAGES, BRIEFCASE].map((name) => caches.delete(name)));
      form.submit();
    })();
  }, true);
}

// Once this page's queued work has reached the server, show the server's view of the job (unless the page
// keeps its own view up to date, as the checklist does).
async function flushAndRefresh() {
  const result = await flush();
  const area = document.querySelector("[data-outbox-pending]");
  if (area && area.dataset.reload !== "off" && result.sentJobs?.has(area.dataset.job) && !document.querySelector("form[data-dirty]")) {
    location.reload();
  }
  return result;
}

function scheduleTimer() {
  setTimeout(async () => { await flushAndRefresh(); scheduleTimer(); }, nextDelay(TIMER_MS));
}

export function startSync(root) {
  if (!root || !("indexedDB" in window)) return;
  onOutboxChange((items) => render(root, items));
  watchForAllSent(root);
  captureForms(root);
  guardSignOut(root);
  root.querySelector("[data-sync-now]")?.addEventListener("click", () => flushAndRefresh());
  window.addEventListener("online", () => flushAndRefresh());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") flushAndRefresh(); });
  navigator.serviceWorker?.addEventListener("message", (event) => { if (event.data === "flush") flushAndRefresh(); });
  document.addEventListener("input", (event) => event.target.form?.setAttribute("data-dirty", ""));
  navigator.storage?.persist?.().catch(() => {});
  refresh().then(() => flushAndRefresh());
  scheduleTimer();
  window.onsiteOutbox = { flush, isFlushing, refresh };
}
