"""QR codes, all made with one library (qrcode): the symbol's modules, a PNG data URI and an inline SVG."""

import base64
import io

import qrcode
import qrcode.image.svg
from markupsafe import Markup
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM, QRData

LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}


def symbol(text: str, *, error: str, alphanumeric: bool = False, border: int = 0) -> qrcode.QRCode:
    """The smallest symbol holding ``text`` at error correction ``error`` (``L``, ``M`` or ``Q``), in byte mode
    or, with ``alphanumeric``, in QR alphanumeric mode. Raises ``ValueError`` when the text does not fit."""
    code = qrcode.QRCode(error_correction=LEVELS[error], border=border)
    code.add_data(QRData(text, mode=MODE_ALPHA_NUM if alphanumeric else MODE_8BIT_BYTE))
    code.make(fit=True)
    return code


def modules(text: str, *, error: str, alphanumeric: bool = False) -> list[list[bool]]:
    """The symbol's dark (True) and light modules, row by row, without a quiet zone."""
    return symbol(text, error=error, alphanumeric=alphanumeric).get_matrix()


def png_data_uri(text: str, *, error: str, px_per_module: int, border: int = 0) -> str:
    """The symbol as a ``data:image/png`` URI, ``px_per_module`` pixels per module."""
    code = symbol(text, error=error, border=border)
    code.box_size = px_per_module
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def svg(text: str, label: str, *, border: int = 2) -> Markup:
    """The symbol as inline SVG of one path, scaling to its box (no inline styles, so it passes the strict CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=border)
    markup = image.to_string(encoding="unicode")
    return Markup(markup.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" class="qr" ', 1))
