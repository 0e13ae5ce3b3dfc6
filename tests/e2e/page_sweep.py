"""Opens every page a role can reach by following links from its navigation, at a given viewport.

Pages are grouped by their path with numbers replaced by ``{n}``, and one page per group is opened, so the
sweep covers each kind of page once. Links that change state (sign-out forms) are never followed: only
``<a href>`` links are. Files that are not HTML (PDF, CSV, images) are skipped."""

import re
from urllib.parse import urlsplit

SKIP = re.compile(r"^/(static|sw\.js|manifest|favicon|logout|u/|media/)|\.(pdf|csv|png|jpg|svg|zip|json)$")
NUMBER = re.compile(r"/[^/]*\d[^/]*")
WIDTH = "() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth})"
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def page_kind(url: str) -> str:
    return NUMBER.sub("/{n}", urlsplit(url).path)


def sweep(page, base_url: str, start: list[str], limit: int = 80):
    """Yields (path, scrollWidth, innerWidth) for one page of each kind reachable from ``start``."""
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        kind = page_kind(path)
        if kind in seen or SKIP.search(urlsplit(path).path):
            continue
        seen.add(kind)
        response = page.goto(base_url + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        measured = page.evaluate(WIDTH)
        yield path, measured["width"], measured["viewport"]
        for href in page.evaluate(LINKS):
            parts = urlsplit(href)
            if parts.netloc == urlsplit(base_url).netloc and parts.path not in queue:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
