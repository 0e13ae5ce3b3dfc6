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
      const direction = button.dataset.tabsScroll === "end" ? 1 : -1;
      list.scrollBy({ left: direction * list.clientWidth * 0.7, behavior: "smooth" });
    });
  }
  list.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
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
