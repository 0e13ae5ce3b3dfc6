"""The pickup voucher: a short code and its QR code (domain.md §7.1 step 6, §7.3; F36, F39)."""

import secrets

import qrcode
import qrcode.image.svg
from markupsafe import Markup

# No 0/O, 1/I/L: the code is also typed by hand at the counter.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def voucher_path(code: str) -> str:
    """What the QR code opens: the pickup page of the job (reception must be signed in)."""
    return f"/carry-in/v/{code}"


def qr_svg(url: str, label: str) -> Markup:
    """The QR code as inline SVG (no inline styles, so it passes the strict CSP)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" class="qr" ', 1)
    return Markup(svg)
