// Shows the server's message when an htmx request is refused (htmx 2 does not swap 4xx/5xx). Background
// refreshes (marked data-quiet: the bell, a job's message list) stay silent; the next one tries again.
export function showServerMessages(root) {
  const area = root.getElementById("messages");
  if (!area) return;
  const show = (html) => {
    area.innerHTML = html;
    area.scrollIntoView({ block: "nearest" });
  };
  const quiet = (event) => event.detail.elt && event.detail.elt.closest("[data-quiet]");
  document.addEventListener("htmx:responseError", (event) => {
    if (quiet(event)) return;
    const xhr = event.detail.xhr;
    const isHtml = (xhr.getResponseHeader("content-type") || "").startsWith("text/html");
    if (isHtml && xhr.responseText) show(xhr.responseText);
    else show(`<p class="message message-error" role="alert">${area.dataset.genericError || "Error"}</p>`);
  });
  document.addEventListener("htmx:sendError", (event) => {
    if (quiet(event)) return;
    show(`<p class="message message-error" role="alert">${area.dataset.sendError || "Offline"}</p>`);
  });
}
