// A new app version takes over only when no sync is running, and tells the user.
import { isFlushing } from "./outbox.js";

function whenIdle(callback) {
  if (!isFlushing()) callback();
  else setTimeout(() => whenIdle(callback), 500);
}

export function watchForUpdates(messages) {
  if (!("serviceWorker" in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" }).then((registration) => {
    const activate = (worker) => whenIdle(() => worker.postMessage("skip-waiting"));
    if (registration.waiting) activate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => { if (worker.state === "installed" && hadController) activate(worker); });
    });
  }).catch((error) => console.warn("Service worker registration failed", error));
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!hadController || !messages) return;
    const note = document.createElement("p");
    note.className = "message message-info";
    note.dataset.testid = "app-updated";
    note.textContent = messages.dataset.updated;
    messages.append(note);
  });
}
