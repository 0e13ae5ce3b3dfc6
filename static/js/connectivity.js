// The online/offline indicator in the top bar. The sync status builds on it (offline issue).
export function watchConnectivity(root) {
  const badge = root.querySelector("[data-connectivity]");
  if (!badge) return;
  const label = badge.querySelector("[data-connectivity-label]");
  const render = () => {
    const online = navigator.onLine;
    badge.classList.toggle("is-offline", !online);
    label.textContent = online ? label.dataset.online : label.dataset.offline;
  };
  window.addEventListener("online", render);
  window.addEventListener("offline", render);
  render();
}
