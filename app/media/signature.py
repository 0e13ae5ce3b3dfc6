"""Drawn signatures: only a real PNG of a sensible size is kept, decoded and re-encoded by the server.

The signature pad sends ``data:image/png;base64,…``; what is inside is whatever the sender chose (an SVG
that makes the PDF renderer fetch URLs, a 9000×9000 picture that makes every report slow). So the bytes
are decoded here, checked to be one PNG frame within ``MAX_WIDTH`` × ``MAX_HEIGHT``, and drawn again
into a new PNG with no metadata: the stored image is always ours.
"""

import base64
import binascii
import io

from PIL import Image, UnidentifiedImageError

from app.core.errors import DomainError
from app.core.i18n import _

PREFIX = "data:image/png;base64,"
MAX_WIDTH, MAX_HEIGHT = 2000, 1000
MAX_CHARS = 600_000
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, Image.DecompressionBombError)


class SignatureRejected(DomainError):
    """The signature image is not one we keep; ``message`` asks the customer to sign again."""

    code = "signature_rejected"


def normalise_signature(data_url: str) -> str:
    """The signature as a data URL of a PNG re-encoded by the server; SignatureRejected otherwise."""
    if not data_url.startswith(PREFIX):
        raise SignatureRejected(_("The signature image is missing. Please sign again."))
    if len(data_url) > MAX_CHARS:
        raise _too_large()
    try:
        data = base64.b64decode(data_url.removeprefix(PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise _unreadable() from None
    try:
        image = Image.open(io.BytesIO(data), formats=["PNG"])  # the header only: the size is known first
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        raise _unreadable() from None
    if image.width > MAX_WIDTH or image.height > MAX_HEIGHT:
        raise _too_large()
    if getattr(image, "n_frames", 1) != 1:
        raise _unreadable()  # an animated PNG is not a signature
    try:
        image.load()
        if image.mode.startswith("I"):  # 16-bit greys: keep the high byte
            image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        pixels = image.convert("LA" if image.mode in {"1", "L", "LA"} else "RGBA")
    except _DECODE_ERRORS:
        raise _unreadable() from None
    buffer = io.BytesIO()
    pixels.save(buffer, "PNG", optimize=True)
    return PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")


def _unreadable() -> SignatureRejected:
    return SignatureRejected(_("The signature could not be read. Please clear it and sign again."))


def _too_large() -> SignatureRejected:
    return SignatureRejected(
        _(
            "The signature picture is larger than %(width)s × %(height)s pixels. Please clear it and sign again.",
            width=MAX_WIDTH,
            height=MAX_HEIGHT,
        )
    )
