// The engineer's briefcase: every assigned job's pages kept on the phone, from the server's manifest.
import { BRIEFCASE } from "./cache-names.js";
import { formatWhen } from "./formats.js";
import { getMeta, setMeta } from "./outbox-store.js";

const FETCHES_AT_ONCE = 4;

async function show(root) {
  const meta = await getMeta("briefcase");
  const label = root.querySelector("[data-briefcase-label]");
  if (!meta) { label.textContent = root.dataset.empty; return; }
  const when = formatWhen(meta.updatedAt, { timeStyle: "short" });
  label.textContent = (meta.jobs === 1 ? root.dataset.readyOne : root.dataset.ready).replace("{n}", String(meta.jobs)).replace("{t}", when);
  root.dataset.jobs = String(meta.jobs);
  root.dataset.syncedAt = meta.updatedAt;
}

// Fetches only what changed since the last refresh (each entry has a version); drops what left the list.
// The copy is as new as the manifest it follows, so a refresh is stamped with the time the manifest was asked
// for, not the time it ended: a change saved while a refresh runs is in the copy only if the stamp is later.
export async function refreshBriefcase(root, { force = false } = {}) {
  const askedAt = new Date().toISOString();
  const response = await fetch("/sync/briefcase", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return;
  const manifest = await response.json();
  const cache = await caches.open(BRIEFCASE);
  const known = force ? {} : (await getMeta("briefcase"))?.versions || {};
  const kept = new Set((await cache.keys()).map((request) => request.url));  // one read, not one per page
  const versions = {};
  const wanted = [];
  for (const entry of manifest.entries) {
    const url = new URL(entry.url, location.origin).href;
    if (url === location.href && (await caches.match(url))) {
      // This page: the service worker kept it as it loaded, so it is not fetched again now. But it may be older
      // than the manifest (a change sent as it loaded, by this phone or anyone), so it keeps the version last
      // fetched: the next refresh, on another page, fetches it if it changed.
      versions[url] = known[url] ?? "";
      continue;
    }
    versions[url] = entry.version;
    if (known[url] === entry.version && kept.has(url)) continue;
    wanted.push(url);
  }
  const keep = async (url) => {
    const copy = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (copy.ok && !copy.redirected) await cache.put(url, copy);
  };
  // A few at once: the server renders one page while the phone stores the one before.
  await Promise.all(Array.from({ length: FETCHES_AT_ONCE }, async () => {
    while (wanted.length) await keep(wanted.shift());
  }));
  for (const url of kept) {
    if (!(url in versions)) await cache.delete(url);  // jobs no longer assigned leave the phone
  }
  await setMeta("briefcase", { jobs: manifest.jobs.length, updatedAt: askedAt, versions });
  await show(root);
}

export async function startBriefcase(root) {
  if (!root || !("caches" in window)) return;
  await show(root);
  root.querySelector("[data-briefcase-refresh]")?.addEventListener("click", () => refreshBriefcase(root, { force: true }));
  if (navigator.onLine) refreshBriefcase(root).catch(() => {});
}
