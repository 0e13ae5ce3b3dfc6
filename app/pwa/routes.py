"""What makes Onsite an installable, offline-capable web app: manifest, service worker, offline page,
plus the health check."""

import hashlib
import json
from functools import cache

from litestar import MediaType, Response, get
from litestar.response import File, Template

from app.core.i18n import LANGUAGES, N_, _, get_locale, gettext_in
from app.core.settings import ROOT
from app.core.templates import html_lang, static_url

SW_SOURCE = ROOT / "sw" / "sw.js"
# The app shell: enough to render the offline page and the layout without a network.
# The visit checklist and its camera scanner come too: an engineer may open a job's checklist for the first
# time in a basement (the scanner's decoder is about 1 MB, the price of scanning parts with no signal).
SHELL_ASSETS = [
    "css/app.css",
    "js/app.js",
    "vendor/htmx-2.0.11.min.js",
    "icons/icon-192.png",
    "js/checklist.js",
    "js/scanner.js",
    "vendor/barcode-detector-3.2.2/ponyfill.js",
    "vendor/barcode-detector-3.2.2/zxing_reader.wasm",
]
# ES modules are imported by plain URL (no version in the name), so they are cached by that URL.
SHELL_MODULES = [
    "js/cache-names.js",
    "js/csrf.js",
    "js/connectivity.js",
    "js/messages.js",
    "js/formats.js",
    "js/outbox-store.js",
    "js/outbox.js",
    "js/sync-status.js",
    "js/briefcase.js",
    "js/updates.js",
    "js/layout.js",
    "js/photo.js",
    "js/signature.js",
    "js/visit-engine.js",
    "js/step-complete.js",
    "js/customer-summary.js",
    "js/upload.js",
    "vendor/signature_pad-5.1.4.js",
    "vendor/barcode-detector-3.2.2/zxing-exported.js",
]


@cache
def service_worker_source() -> str:
    precache = ["/offline", *(static_url(p) for p in SHELL_ASSETS), *(f"/static/{p}" for p in SHELL_MODULES)]
    body = SW_SOURCE.read_text().replace("__PRECACHE__", json.dumps(precache))
    fingerprint = body + "".join(static_url(p) for p in SHELL_MODULES)
    return body.replace("__VERSION__", hashlib.sha256(fingerprint.encode()).hexdigest()[:12])


@get("/sw.js", sync_to_thread=False, include_in_schema=False)
def service_worker() -> Response:
    # Served from the root so its scope covers the whole app; never cached, so updates are seen.
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@get("/manifest.webmanifest", sync_to_thread=False, include_in_schema=False)
def manifest() -> Response:
    icons = [
        {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": static_url("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": _("Onsite field service"),
        "short_name": _("Onsite"),
        "lang": html_lang(),
        "description": _("Field service for branch offices"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": icons,
    }
    return Response(body, media_type="application/manifest+json", headers={"Cache-Control": "no-cache"})


OFFLINE_TEXTS = (
    N_("You are offline"),
    N_("Onsite cannot reach the server right now, and this page was not saved on your phone."),
    N_("Pages you opened before still work. Try again when you have signal."),
)


@get("/offline", sync_to_thread=False, include_in_schema=False)
def offline_page() -> Template:
    """Kept by the service worker when it installs: the reader's language first, then every other language,
    so the page still speaks the user's language after they switch it."""
    others = [
        {"lang": "zh-Hans" if code == "zh_Hans" else code, "texts": [gettext_in(code, text) for text in OFFLINE_TEXTS]}
        for code in LANGUAGES
        if code != get_locale()
    ]
    return Template("pwa/offline.html", context={"other_languages": others})


@get("/favicon.ico", sync_to_thread=False, include_in_schema=False)
def favicon() -> File:
    return File(
        ROOT / "static" / "icons" / "favicon.ico",
        content_disposition_type="inline",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@get("/livez", sync_to_thread=False, media_type=MediaType.TEXT, include_in_schema=False)
def livez() -> str:
    """Liveness: the process answers. Also the floor that benchmarks compare other pages with."""
    return "ok"


ROUTES = [service_worker, manifest, offline_page, favicon, livez]
