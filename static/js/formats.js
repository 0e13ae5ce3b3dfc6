// Times and money the way the server writes them (app/core/formats.py): the page's language (or ``lang``, the
// language of the part of the page they are shown in), the office's zone.
const root = document.documentElement;
const locale = (lang = root.lang) => (lang === "zh-Hans" ? "zh-Hans-CN" : "en-GB");
const timeZone = () => document.querySelector("meta[name=office-time-zone]")?.content || undefined;

export function formatWhen(value, options = { dateStyle: "short", timeStyle: "short" }, lang = undefined) {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale(lang), { ...options, timeZone: timeZone() }).format(new Date(value));
}

export function formatMoney(amount, lang = undefined) {
  return new Intl.NumberFormat(locale(lang), { style: "currency", currency: "CNY" }).format(Number(amount));
}
