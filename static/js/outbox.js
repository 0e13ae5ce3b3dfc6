// The outbox: forms marked data-outbox are saved on the phone at once and sent when the server answers.
// Each item keeps its idempotency key and device time, so a resend is never applied twice (issue #7).
import { allItems, deleteItem, getItem, getMeta, putItem, setMeta } from "./outbox-store.js";
import { csrfToken } from "./csrf.js";

const RETRYABLE = new Set([408, 409, 425, 429]);
const listeners = new Set();
let flushing = null;
let failures = 0;  // consecutive flushes that could not reach the server

export function onOutboxChange(listener) {
  listeners.add(listener);
}

async function changed() {
  const items = await allItems();
  listeners.forEach((listener) => listener(items));
  return items;
}

export function isFlushing() {
  return flushing !== null;
}

// Saves the form as an outbox item. Files are read into Blobs before the IndexedDB transaction opens.
export async function enqueue(form) {
  const fields = [];
  const files = [];
  for (const [name, value] of new FormData(form).entries()) {
    if (value instanceof File) {
      if (value.size) files.push({ name, filename: value.name, type: value.type, blob: new Blob([await value.arrayBuffer()], { type: value.type }) });
    } else if (name !== "_csrf_token") {
      fields.push([name, value]);
    }
  }
  const item = {
    id: crypto.randomUUID(), key: crypto.randomUUID(), url: form.getAttribute("action"), method: "POST",
    fields, files, jobId: form.dataset.job || "", label: form.dataset.outboxLabel || form.getAttribute("action"),
    createdAt: new Date().toISOString(), status: "pending", attempts: 0, error: "",
  };
  await putItem(item);
  await changed();
  requestBackgroundSync();
  return item;
}

function requestBackgroundSync() {
  navigator.serviceWorker?.ready.then((registration) => registration.sync?.register("outbox")).catch(() => {});
}

function serverReason(html, status) {
  const doc = new DOMParser().parseFromString(html || "", "text/html");
  for (const selector of ["[data-testid='form-error']", ".field-error", ".message-error", ".error-page p"]) {
    const message = doc.querySelector(selector);
    if (message?.textContent.trim()) return message.textContent.trim();
  }
  return `HTTP ${status}`;
}

// URL-encoded like the form itself, or multipart when it carries files.
// A page kept offline may carry an old CSRF token: ask the server for the current one.
async function freshToken() {
  const page = await fetch("/offline", { credentials: "same-origin", cache: "no-store" });
  const doc = new DOMParser().parseFromString(await page.text(), "text/html");
  return doc.querySelector('meta[name="csrf-token"]')?.content || csrfToken();
}

async function send(item, token = csrfToken()) {
  let body = new URLSearchParams(item.fields);
  if (item.files.length) {
    body = new FormData();
    item.fields.forEach(([name, value]) => body.append(name, value));
    item.files.forEach((file) => body.append(file.name, file.blob, file.filename));
  }
  return fetch(item.url, {
    method: item.method, body, redirect: "manual", credentials: "same-origin",
    headers: { "Idempotency-Key": item.key, "X-Device-Time": item.createdAt, "x-csrftoken": token, "X-Outbox": "1" },
  });
}

// Sends pending items oldest first; a job's later items wait while an earlier one is unsent or refused.
export function flush() {
  if (!flushing) flushing = flushOnce().finally(() => { flushing = null; });
  return flushing;
}

async function flushOnce() {
  const blocked = new Set();
  const sentJobs = new Set();
  let sentAny = false;
  let offline = false;
  for (const item of await allItems()) {
    const group = item.jobId || item.url;
    if (blocked.has(group)) continue;
    if (item.status === "failed") { blocked.add(group); continue; }
    let response;
    try {
      response = await send(item);
      if (response.status === 403 && response.headers.get("X-Onsite-Refused") === "csrf") {
        response = await send(item, await freshToken());
      }
    } catch (error) {
      offline = true;
      break;  // the server cannot be reached: try again later, in order
    }
    if (response.type === "opaqueredirect" || response.ok) {
      await deleteItem(item.id);
      sentAny = true;
      sentJobs.add(item.jobId);
    } else if (response.status >= 500 || (RETRYABLE.has(response.status) && (response.status !== 409 || response.headers.has("Retry-After")))) {
      await putItem({ ...item, attempts: item.attempts + 1, error: serverReason(await response.text(), response.status) });
      blocked.add(group);
    } else {
      // Refused by a rule: kept, visible, with the server's reason, until a person retries or discards it.
      await putItem({ ...item, status: "failed", attempts: item.attempts + 1, error: serverReason(await response.text(), response.status) });
      blocked.add(group);
    }
  }
  if (sentAny) await setMeta("lastSync", new Date().toISOString());
  failures = offline ? failures + 1 : 0;
  const items = await changed();
  if (!offline) reportStatus(items);
  return { offline, pending: items.length, sentJobs };
}

async function reportStatus(items) {
  if (document.body.dataset.role !== "engineer") return;
  const lastSync = await getMeta("lastSync");
  fetch("/sync/status", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "x-csrftoken": csrfToken() },
    body: JSON.stringify({ pending: items.length, last_sync_at: lastSync || null }),
  }).catch(() => {});
}

export async function retry(id) {
  const item = await getItem(id);
  if (item) await putItem({ ...item, status: "pending", error: "" });
  await changed();
  return flush();
}

export async function discard(id) {
  await deleteItem(id);
  return changed();
}

// Backoff: the timer's interval doubles while the server cannot be reached, up to ten times the interval.
export function nextDelay(baseMs) {
  return Math.min(baseMs * 2 ** failures, baseMs * 10);
}

export function refresh() {
  return changed();
}
