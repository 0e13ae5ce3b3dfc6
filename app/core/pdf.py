"""HTML to PDF with WeasyPrint, imported on first use (it is heavy and loads system libraries).

WeasyPrint fetches every URL a page names (images, stylesheets, fonts, and the references inside SVG
images), over http, https, ftp and file. Pages rendered here carry user content, so every call gets a URL
fetcher that refuses all of that: the only resources are the app's own, in memory, as ``data:`` URLs of
PNG or JPEG pictures of a bounded size, which it checks by their content rather than their declared type.
"""

import base64
import binascii
import io
import logging
from urllib.parse import unquote_to_bytes

MAX_EMBEDDED_PIXELS = 4_000_000
_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}

log = logging.getLogger("onsite.pdf")


def embedded_image(url: str) -> tuple[str, bytes]:
    """(MIME type, bytes) of a ``data:`` URL holding a PNG or JPEG of at most ``MAX_EMBEDDED_PIXELS``;
    ValueError for anything else."""
    from PIL import Image, UnidentifiedImageError

    header, comma, payload = url.partition(",")
    if not comma or not header.lower().startswith("data:"):
        raise ValueError("only data: URLs are embedded")
    media_type, *parameters = header[5:].split(";")
    if media_type.lower() not in _TYPES:
        raise ValueError(f"refused data: URL of type {media_type[:40]!r}")
    try:
        data = base64.b64decode(payload, validate=True) if "base64" in parameters else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise ValueError("undecodable data: URL") from None
    try:
        image = Image.open(io.BytesIO(data), formats=[_TYPES[media_type.lower()]])
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValueError(f"data: URL is not a {media_type}") from None
    if image.width * image.height > MAX_EMBEDDED_PIXELS:
        raise ValueError("embedded picture too large")
    return media_type.lower(), data


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class InMemoryOnly(URLFetcher):
        """Answers data: URLs of small PNG and JPEG pictures; refuses every other URL without opening it."""

        def fetch(self, url, headers=None):
            try:
                media_type, data = embedded_image(url)
            except ValueError as refusal:
                log.warning("pdf resource refused", extra={"fields": {"url": url[:80], "why": str(refusal)}})
                raise
            return URLFetcherResponse(url, data, {"Content-Type": media_type})

    return InMemoryOnly()


# Chinese in simplified glyphs first (Debian's fonts-noto-cjk, installed by `make system-deps`), then Latin.
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", sans-serif'


def html_to_pdf(html: str, base_url: str, css: str = "") -> bytes:
    import weasyprint
    from PIL import ImageFile

    # Importing WeasyPrint makes Pillow accept truncated images in the whole process; a damaged photo must
    # still be refused (app/media/images.py), so Pillow's default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    fetcher = _fetcher()
    stylesheets = [weasyprint.CSS(string=css, url_fetcher=fetcher)] if css else []
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets)
