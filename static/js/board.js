// The live board's stream (htmx's SSE extension): every event carries its number as the SSE id. The browser
// sends the last one back (Last-Event-ID) when it reconnects by itself; when htmx opens a new stream instead
// (after an error answer), it starts after the newest number seen. "refresh" (too much missed) redraws the board.
let lastSeen = null;
const NUMBERED = ["board", "engineers", "refresh"];

function resumeUrl(url) {
  if (lastSeen === null) return url;
  const next = new URL(url, window.location.href);
  if (lastSeen > Number(next.searchParams.get("after") || -1)) next.searchParams.set("after", String(lastSeen));
  return next.pathname + next.search;
}

function redraw() {
  window.htmx.ajax("GET", window.location.pathname + window.location.search, {
    target: "[data-board-live]", select: "[data-board-live]", swap: "outerHTML",
  });
}

window.htmx.createEventSource = (url) => {
  const source = new EventSource(resumeUrl(url), { withCredentials: true });
  const note = (event) => {
    if (event.lastEventId) lastSeen = Math.max(lastSeen ?? 0, Number(event.lastEventId));
  };
  NUMBERED.forEach((name) => source.addEventListener(name, note));
  source.addEventListener("refresh", redraw);
  return source;
};
