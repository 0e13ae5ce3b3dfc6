"""Every page of every role, in Chinese on a 360 px phone: no English message of the catalogue shows, and no page
is wider than the screen. Screenshots go to /tmp/zh-shots/ for a person to look at."""

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from babel.messages.pofile import read_po

from app.core.settings import ROOT
from tests.helpers.browser import DEMO_PASSWORD
from tests.helpers.servers import LiveServer

SHOTS = Path("/tmp/zh-shots")
NARROW_PHONE = {"width": 360, "height": 780}
ROLES = ["engineer", "coordinator", "clerk", "reception", "followup", "manager", "specialist", "admin", "regional"]
MAX_PAGES_PER_ROLE = 45
PER_KIND = 3  # e.g. three job pages, in different states
# Not pages: files, streams, and what would end the session.
SKIP = re.compile(r"^/(logout|static/|sw\.js|manifest|favicon|board/events|livez|healthz)|\.(pdf|csv|svg|png|jpe?g)$")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CODE = re.compile(r"/[A-Z0-9][A-Za-z0-9._-]*\d[A-Za-z0-9._-]*(?=/|$)")

VISIBLE_TEXTS = """() => {
  const seen = new Set();
  const shown = (el) => el && el.getClientRects().length && getComputedStyle(el).visibility !== "hidden";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("script, style, template, [data-untranslated]")) continue;
    if (shown(node.parentElement) && node.textContent.trim()) seen.add(node.textContent.trim());
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], input[type=submit]")) {
    for (const name of ["placeholder", "aria-label", "title", "value"]) {
      const wanted = el.hasAttribute(name) && (name !== "value" || el.type === "submit");
      if (wanted && shown(el)) seen.add(el.getAttribute(name));
    }
  }
  return [...seen];
}"""


def _english_messages() -> tuple[set[str], list[re.Pattern]]:
    """The catalogue's English messages that read differently in Chinese: plain ones, and patterns for those with
    placeholders (only where enough English words surround them to be unmistakable)."""
    with (ROOT / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    plain, patterns = set(), []
    for message in catalogue:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        for english in ids:
            if english in strings or not re.search(r"[A-Za-z]{2}", english):
                continue
            parts = re.split(r"%\([a-z_]+\)s|\{[a-z_]+\}", english)
            if len(parts) == 1:
                plain.add(english.strip())
            elif sum(len(re.findall(r"[A-Za-z]{3,}", part)) for part in parts) >= 2:
                patterns.append(re.compile(".+?".join(re.escape(part) for part in parts)))
    return plain, patterns


def _pattern_of(url: str) -> str:
    """One page per kind: ids and codes in the path, and the query's values, do not make another page."""
    split = urlsplit(url)
    path = CODE.sub("/{code}", UUID.sub("{id}", split.path))
    keys = sorted({key for key, _value in parse_qsl(split.query)})
    return path + ("?" + "&".join(keys) if keys else "")


def _english_on(texts: list[str], plain: set[str], patterns: list[re.Pattern]) -> list[str]:
    found = []
    for text in texts:
        for piece in re.split(r"\s*[·\n|]\s*", text):
            piece = piece.strip().rstrip(":：").strip()
            if piece and (piece in plain or any(p.fullmatch(piece) for p in patterns)):
                found.append(piece)
    return found


@pytest.fixture(scope="module")
def chinese_office(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("zh"), ONSITE_DEFAULT_LOCALE="zh_Hans")
    live.start()
    yield live
    live.stop()


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_every_role_is_chinese_and_fits_a_360_px_phone(browser, chinese_office, username):
    plain, patterns = _english_messages()
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=NARROW_PHONE, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
    base = chinese_office.url
    page.goto(f"{base}/login?lang=en")  # the sweep must see English where there is some
    assert "Sign in to Onsite" in _english_on(page.evaluate(VISIBLE_TEXTS), plain, patterns)
    page.goto(f"{base}/login?lang=zh_Hans")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
    queue, seen, problems, checked = [urlsplit(page.url).path], {}, [], []
    while queue and len(checked) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        kind = _pattern_of(path)
        if path in checked or seen.get(kind, 0) >= PER_KIND:
            continue
        seen[kind] = seen.get(kind, 0) + 1
        response = page.goto(base + path)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        checked.append(path)
        name = re.sub(r"[^A-Za-z0-9]+", "-", f"{kind}-{seen[kind]}").strip("-")
        page.screenshot(path=str(SHOTS / f"{username}--{name}.png"), full_page=True)
        english = _english_on(page.evaluate(VISIBLE_TEXTS), plain, patterns)
        if english:
            problems.append(f"{path}: English {sorted(set(english))}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: {overflow} px wider than the 360 px screen")
        links = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
        queue.extend(link.split("#")[0] for link in links if not SKIP.search(link.split("?")[0]))
    context.close()
    (SHOTS / f"{username}--pages.txt").write_text("\n".join(checked) + "\n")
    assert len(checked) >= 2, checked
    assert problems + script_errors == [], "\n".join(problems + script_errors)
