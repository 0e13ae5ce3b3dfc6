// What the engineer sees of the outbox: pending count, last sync, refused items with the server's reason,
// "Sync now", and the sync triggers (load, online, visible again, timer, Background Sync).
import { discard, enqueue, flush, isFlushing, nextDelay, onOutboxChange, refresh, retry } from "./outbox.js";
import { formatWhen } from "./formats.js";
import { getMeta } from "./outbox-store.js";

const TIMER_MS = window.__OUTBOX_INTERVAL_MS || 30000;

function formatTime(iso) {
  return formatWhen(iso);
}

function itemRow(item, text) {
  const li = document.createElement("li");
  li.className = `outbox-item is-${item.status}`;
  li.dataset.outboxItem = item.id;
  const label = document.createElement("span");
  label.textContent = `${item.label} · ${formatTime(item.createdAt)}`;
  li.append(label);
  if (item.status === "failed") {
    const reason = document.createElement("p");
    reason.className = "field-error";
    reason.textContent = item.error;
    const again = Object.assign(document.createElement("button"), { type: "button", className: "button secondary", textContent: text.retry });
    again.addEventListener("click", () => retry(item.id));
    const drop = Object.assign(document.createElement("button"), { type: "button", className: "button danger", textContent: text.discard });
    drop.addEventListener("click", () => { if (window.confirm(text.confirmDiscard)) discard(item.id); });
    li.append(reason, again, drop);
  }
  return li;
}

async function render(root, items) {
  const text = root.dataset;
  const failed = items.filter((item) => item.status === "failed").length;
  root.querySelector("[data-sync-count]").textContent = String(items.length);
  root.classList.toggle("has-pending", items.length > 0);
  root.classList.toggle("has-failed", failed > 0);
  const lastSync = await getMeta("lastSync");
  root.querySelector("[data-sync-last]").textContent = lastSync ? `${text.lastSync} ${formatTime(lastSync)}` : text.neverSynced;
  const list = root.querySelector("[data-sync-items]");
  list.replaceChildren(...items.map((item) => itemRow(item, { retry: text.retry, discard: text.discard, confirmDiscard: text.confirmDiscard })));
  document.querySelectorAll("[data-outbox-pending]").forEach((area) => {
    const mine = items.filter((item) => item.jobId === area.dataset.job);
    area.hidden = mine.length === 0;
    area.querySelector("ul")?.replaceChildren(...mine.map((item) => itemRow(item, { retry: text.retry, discard: text.discard, confirmDiscard: text.confirmDiscard })));
  });
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
      await Promise.all(["pages", "briefcase"].map((name) => caches.delete(name)));
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
