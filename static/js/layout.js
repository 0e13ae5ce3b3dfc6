// Page layout helpers: the scrolling tab bar's hints and the form error summary's focus.

// The main navigation scrolls sideways on a phone. The current tab is scrolled into view, and the bar says
// which side has more tabs (a fade and an arrow button on that side), so no tab is hidden without a hint.
export function installTabBar(nav) {
  if (!nav) return;
  const list = nav.querySelector("ul");
  const update = () => {
    const more = list.scrollWidth - list.clientWidth;
    nav.classList.toggle("has-more-start", list.scrollLeft > 2);
    nav.classList.toggle("has-more-end", list.scrollLeft < more - 2);
  };
  const current = list.querySelector('[aria-current="page"]');
  if (current) {
    const li = current.parentElement;
    list.scrollLeft = Math.max(0, li.offsetLeft - (list.clientWidth - li.offsetWidth) / 2);
  }
  for (const button of nav.querySelectorAll("[data-tabs-scroll]")) {
    button.addEventListener("click", () => {
      list.scrollBy({ left: pageStep(list, button.offsetWidth, button.dataset.tabsScroll === "end"), behavior: "smooth" });
    });
  }
  list.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
}

// One tap of a hint button pages the bar so that the first tab that was cut off (or under the hint) on that
// side lands whole just inside the other hint: no tab is skipped past, whatever the tabs' widths.
function pageStep(list, hintWidth, forward) {
  const box = list.getBoundingClientRect();
  const tabs = [...list.querySelectorAll("li")].map((li) => li.getBoundingClientRect());
  if (forward) {
    const next = tabs.find((tab) => tab.right > box.right - hintWidth + 1);
    return next ? next.left - (box.left + hintWidth) : 0;
  }
  const previous = tabs.findLast((tab) => tab.left < box.left + hintWidth - 1);
  return previous ? previous.right - (box.right - hintWidth) : 0;
}

// A form came back with errors: the summary at its top takes the focus, so it is read and seen first, unless
// the form keeps the focus in its first wrong field (a field fed by a scanner: autofocus on it).
export function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (!summary) return;
  (root.querySelector("[autofocus][aria-invalid='true']") || summary).focus();
  // A link in the summary puts the focus in its field, not only the scroll position.
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
}
