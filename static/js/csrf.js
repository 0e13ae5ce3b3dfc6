// Every htmx request carries the CSRF token from <meta name="csrf-token">.
export function installCsrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta) return;
  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["x-csrftoken"] = meta.content;
  });
}

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}
