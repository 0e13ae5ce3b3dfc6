// The outbox: forms marked data-outbox are saved on the phone at once and sent when the server answers.
// Each item keeps its idempotency key and device time, so a resend is never applied twice.
import { allItems, deleteItem, getItem, getMeta, putItem, setMeta } from "./outbox-store.js";
import { csrfToken } from "./csrf.js";

const RETRYABLE = new Set([408, 409, 425, 429]);
const MAX_WAITS = 5;  // in-flight answers waited for within one flush
const MAX_WAIT_S = 10;
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
  return enqueueItem({
    url: form.getAttribute("action"), fields, files, jobId: form.dataset.job || "", jobNumber: form.dataset.jobNumber || "",
    label: form.dataset.outboxLabel || form.getAttribute("action"), source: form,
  });
}

// Items replay in the order they were made: two made within the same millisecond still get distinct times.
let lastStamp = 0;

function nextStamp() {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

// Saves one action (url, fields as [name, value] pairs, files as Blobs) for sending when the server answers,
// then announces it from `source` (the form or input it came from) as the bubbling event "outbox:queued".
export async function enqueueItem({ url, fields, files = [], jobId = "", jobNumber = "", label = url, source = document }) {
  const item = {
    id: crypto.randomUUID(), key: crypto.randomUUID(), url, method: "POST", fields, files, jobId, jobNumber, label,
    createdAt: nextStamp(), status: "pending", attempts: 0, error: "",
  };
  await putItem(item);
  await changed();
  source.dispatchEvent(new CustomEvent("outbox:queued", { bubbles: true, detail: { item } }));
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

// A page kept offline may carry an old CSRF token: ask the server for the current one.
async function freshToken() {
  const page = await fetch("/offline", { credentials: "same-origin", cache: "no-store" });
  const doc = new DOMParser().parseFromString(await page.text(), "text/html");
  return doc.querySelector('meta[name="csrf-token"]')?.content || csrfToken();
}

function headers(item, token) {
  return { "Idempotency-Key": item.key, "X-Device-Time": item.createdAt, "x-csrftoken": token, "X-Outbox": "1" };
}

// URL-encoded like the form itself, or multipart when it carries files.
async function send(item, token = csrfToken()) {
  if (item.files.length) return sendWithProgress(item, token);
  return fetch(item.url, {
    method: item.method, body: new URLSearchParams(item.fields), redirect: "manual", credentials: "same-origin",
    headers: headers(item, token),
  });
}

// Photos go as multipart with upload progress (window event "outbox:progress"); the answer is read like fetch's.
function sendWithProgress(item, token) {
  const body = new FormData();
  item.fields.forEach(([name, value]) => body.append(name, value));
  item.files.forEach((file) => body.append(file.name, file.blob, file.filename));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(item.method, item.url);
    Object.entries(headers(item, token)).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        window.dispatchEvent(new CustomEvent("outbox:progress", { detail: { item, percent: Math.round((event.loaded / event.total) * 100) } }));
      }
    });
    xhr.addEventListener("load", () => {
      const kept = {};
      for (const name of ["Retry-After", "X-Onsite-Refused"]) {
        if (xhr.getResponseHeader(name)) kept[name] = xhr.getResponseHeader(name);
      }
      const empty = [204, 205, 304].includes(xhr.status);
      resolve(new Response(empty ? null : xhr.responseText, { status: xhr.status, headers: kept }));
    });
    xhr.addEventListener("error", () => reject(new TypeError("network error")));
    xhr.addEventListener("abort", () => reject(new TypeError("aborted")));
    xhr.send(body);
  });
}

// Sends pending items oldest first; a job's later items wait while an earlier one is unsent or refused.
// Work queued while a flush runs is sent by another pass of the same flush, not left for the timer.
let queuedDuringFlush = false;

export function flush() {
  if (flushing) {
    queuedDuringFlush = true;
    return flushing;
  }
  flushing = (async () => {
    const sentJobs = new Set();
    let result;
    do {
      queuedDuringFlush = false;
      result = await flushOnce();
      result.sentJobs.forEach((job) => sentJobs.add(job));
    } while (queuedDuringFlush && !result.offline);
    return { ...result, sentJobs };
  })().finally(() => { flushing = null; });
  return flushing;
}

// How long the server asks us to wait before sending again (Retry-After in seconds), or null.
function retryAfterMs(response) {
  const seconds = Number(response.headers.get("Retry-After"));
  return RETRYABLE.has(response.status) && Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_WAIT_S ? seconds * 1000 : null;
}

// Sends one item; an answer "the same change is still being saved" (409 + Retry-After: another delivery of
// the same key is in flight) is waited for and asked again, a few times, before the item waits for the next flush.
async function sendWaiting(item) {
  let response;
  for (let attempt = 0; attempt <= MAX_WAITS; attempt += 1) {
    response = await send(item);
    if (response.status === 403 && response.headers.get("X-Onsite-Refused") === "csrf") {
      response = await send(item, await freshToken());
    }
    const wait = retryAfterMs(response);
    if (wait === null || attempt === MAX_WAITS) break;
    window.dispatchEvent(new CustomEvent("outbox:waiting", { detail: { item, ms: wait } }));
    await new Promise((resolve) => { setTimeout(resolve, wait); });
  }
  return response;
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
      response = await sendWaiting(item);
    } catch {
      offline = true;
      break;  // the server cannot be reached: try again later, in order
    }
    if (response.type === "opaqueredirect" || response.ok) {
      await deleteItem(item.id);
      sentAny = true;
      sentJobs.add(item.jobId);
      window.dispatchEvent(new CustomEvent("outbox:sent", { detail: { item } }));
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

function countByJob(items) {
  const counts = {};
  items.filter((item) => item.jobId).forEach((item) => { counts[item.jobId] = (counts[item.jobId] || 0) + 1; });
  return counts;
}

async function reportStatus(items) {
  if (document.body.dataset.role !== "engineer") return;
  const lastSync = await getMeta("lastSync");
  fetch("/sync/status", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "x-csrftoken": csrfToken() },
    body: JSON.stringify({ pending: items.length, jobs: countByJob(items), last_sync_at: lastSync || null }),
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
