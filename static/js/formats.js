// Times and money the way the server writes them (app/core/formats.py): the page's language, the office's zone.
const root = document.documentElement;
const locale = () => (root.lang === "zh-Hans" ? "zh-Hans-CN" : "en-GB");
const timeZone = () => document.querySelector("meta[name=office-time-zone]")?.content || undefined;

export function formatWhen(value, options = { dateStyle: "short", timeStyle: "short" }) {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: timeZone() }).format(new Date(value));
}

export function formatMoney(amount) {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "CNY" }).format(Number(amount));
}
