"""The service worker's precache holds every script a page needs, so that a page opened offline runs.

A module missing from it fails the whole import graph with no network: the page then has no outbox, and a
form would post straight to a server that cannot be reached.
"""

import re
from pathlib import PurePosixPath

from app.core.settings import ROOT
from app.pwa.routes import SHELL_ASSETS, SHELL_MODULES, service_worker_source

STATIC = ROOT / "static"
IMPORT = re.compile(r"""(?:^|\s)(?:import|export)\s[^"']*?from\s*["']([^"']+)["']""", re.MULTILINE)


def imports(path: str) -> set[str]:
    folder = PurePosixPath(path).parent
    found = set()
    for target in IMPORT.findall((STATIC / path).read_text()):
        parts = []
        for part in (folder / target).parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        found.add("/".join(parts))
    return found


def test_every_module_a_precached_script_imports_is_precached_too():
    precached = set(SHELL_MODULES)
    entries = [p for p in SHELL_ASSETS if p.endswith(".js")] + SHELL_MODULES
    missing = {f"{path} imports {target}" for path in entries for target in imports(path) if target not in precached}
    assert missing == set()


def test_the_checklist_and_its_scanner_are_precached():
    assert {"js/checklist.js", "js/scanner.js", "vendor/barcode-detector-3.2.2/zxing_reader.wasm"} <= set(SHELL_ASSETS)


CACHE_NAMES = "js/cache-names.js"
NAME = re.compile(r'^export const (\w+) = "([^"]+)";', re.MULTILINE)
QUOTED = re.compile(r"""["'`]([^"'`]*)["'`]""")


def cache_names() -> dict[str, str]:
    return dict(NAME.findall((STATIC / CACHE_NAMES).read_text()))


def scripts_using_caches() -> dict[str, str]:
    """Every hand-written script that opens or deletes caches: the service worker and the page modules."""
    sources = {"sw/sw.js": (ROOT / "sw" / "sw.js").read_text()}
    sources.update({f"static/{p.relative_to(STATIC)}": p.read_text() for p in (STATIC / "js").glob("*.js")})
    return {path: text for path, text in sources.items() if "caches." in text}


def test_the_cache_names_are_distinct_and_named_once():
    names = cache_names()
    assert set(names) == {"SHELL_PREFIX", "PAGES", "BRIEFCASE"} and len(set(names.values())) == len(names)


def test_the_service_worker_and_the_pages_take_their_cache_names_from_one_module():
    names = set(cache_names().values())
    for path, text in scripts_using_caches().items():
        assert "cache-names.js" in text, f"{path} uses caches without importing their names"
        for line in (line for line in text.splitlines() if "caches." in line):
            written = {literal for literal in QUOTED.findall(line) if literal in names}
            assert not written, f"{path} writes a cache name out: {line.strip()}"


def test_the_served_worker_imports_the_precached_names_module():
    source = service_worker_source()
    assert 'from "/static/js/cache-names.js"' in source and "/static/js/cache-names.js" in source.split("PRECACHE")[1]
    assert CACHE_NAMES in SHELL_MODULES
