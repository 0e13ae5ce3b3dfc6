"""The service worker's precache holds every script a page needs, so that a page opened offline runs.

A module missing from it fails the whole import graph with no network: the page then has no outbox, and a
form would post straight to a server that cannot be reached.
"""

import re
from pathlib import PurePosixPath

from app.core.settings import ROOT
from app.pwa.routes import SHELL_ASSETS, SHELL_MODULES

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
