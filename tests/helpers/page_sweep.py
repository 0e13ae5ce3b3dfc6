"""Opens every page a role can reach by following links from its navigation, at a given viewport.

Pages are grouped by their path with every segment holding a digit replaced by ``{n}`` (ids, codes, tokens),
and up to ``per_kind`` pages of each group are opened (different jobs link to different pages: a signed visit
to its report, a part to its units). Links that change state (sign-out forms) are never followed: only
``<a href>`` links are. Files that are not HTML (PDF, CSV, images) are skipped."""

import re
from urllib.parse import urlsplit

SKIP = re.compile(r"^/(static|sw\.js|manifest|favicon|logout|media/)|\.(pdf|csv|png|jpg|svg|zip|json)$")
NUMBER = re.compile(r"/[^/]*\d[^/]*")
WIDTH = "() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth})"
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def page_kind(url: str) -> str:
    return NUMBER.sub("/{n}", urlsplit(url).path)


def sweep(page, base_url: str, start: list[str], limit: int = 120, per_kind: int = 3):
    """Yields (path, scrollWidth, innerWidth) for the pages reachable from ``start``, up to ``per_kind`` of each
    kind and ``limit`` in all."""
    seen: dict[str, int] = {}
    opened: set[str] = set()
    queue = list(start)
    while queue and len(opened) < limit:
        path = queue.pop(0)
        kind = page_kind(path)
        if seen.get(kind, 0) >= per_kind or path in opened or SKIP.search(urlsplit(path).path):
            continue
        seen[kind] = seen.get(kind, 0) + 1
        opened.add(path)
        response = page.goto(base_url + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        measured = page.evaluate(WIDTH)
        yield path, measured["width"], measured["viewport"]
        for href in page.evaluate(LINKS):
            parts = urlsplit(href)
            if parts.netloc == urlsplit(base_url).netloc and parts.path not in queue:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
