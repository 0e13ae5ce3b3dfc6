// Onsite service worker (version __VERSION__). Source in sw/, served at /sw.js so its scope is the whole app.
// App shell precached; pages network-first, falling back to the last copy (visited pages and the engineer's
// briefcase) or the offline page. A new version waits until the page says no sync is running.
import { BRIEFCASE, PAGES, SHELL_PREFIX } from "/static/js/cache-names.js";

const VERSION = "__VERSION__";
const SHELL = `${SHELL_PREFIX}${VERSION}`;
const PRECACHE = __PRECACHE__;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
    if (!self.registration.active) await self.skipWaiting();  // first install: nothing to interrupt
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(SHELL_PREFIX) && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Background Sync: wake a page so it replays its outbox.
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((clients) => clients.forEach((c) => c.postMessage("flush"))));
});

async function networkFirstPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
    }
    return response;
  } catch {
    return (await caches.match(request, { ignoreVary: true })) || (await caches.match("/offline"));
  }
}

async function cacheFirstStatic(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") {
    // Signing out removes every page kept for offline use: nothing personal stays on the phone.
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(BRIEFCASE)]));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirstStatic(request));
  }
});
