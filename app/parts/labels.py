"""QR labels: an SVG per unit or part number, a sheet for common label stock, and the same sheet as PDF.

The QR code holds ``HTTPS://HOST/U/ID`` in uppercase, so the whole text is in QR alphanumeric mode (smaller
symbol, easier to read), with error correction Q and a quiet zone of 4 modules. Any phone camera app opens it.
"""

import base64
import io
from dataclasses import dataclass

from markupsafe import Markup, escape
from PIL import Image

from app.core import qr
from app.core.errors import DomainError
from app.core.i18n import _
from app.core.pdf import FONT_STACK, html_to_pdf

QUIET_ZONE = 4


@dataclass(frozen=True)
class Stock:
    """A label sheet: sizes in millimetres."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_top: float
    margin_left: float
    gap_x: float = 0
    gap_y: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def qr_size(self) -> float:
        """The QR symbol's side, quiet zone included: what fits above the two lines of text on the label."""
        return round(min(self.label_height - 11, self.label_width - 3), 1)


STOCKS = {
    "a4-3x8": Stock("A4, 3 × 8 (70 × 37 mm)", 210, 297, 3, 8, 70, 37, 0.5, 0),
    "a4-2x7": Stock("A4, 2 × 7 (99.1 × 38.1 mm)", 210, 297, 2, 7, 99.1, 38.1, 15.1, 4.65, 2.5, 0),
    "a4-4x10": Stock("A4, 4 × 10 (48.5 × 25.4 mm)", 210, 297, 4, 10, 48.5, 25.4, 21.5, 8, 0, 0),
    "letter-3x10": Stock("Letter, 3 × 10 (66.7 × 25.4 mm)", 215.9, 279.4, 3, 10, 66.7, 25.4, 12.7, 4.8, 3.2, 0),
}
DEFAULT_STOCK = "a4-3x8"


def label_url(public_url: str, code: str) -> str:
    """The text in the QR code: uppercase so that QR alphanumeric mode covers all of it."""
    return f"{public_url.rstrip('/')}/U/{code}".upper()


def qr_svg(text: str, size_mm: float) -> Markup:
    """An SVG QR code ``size_mm`` wide (quiet zone included), one path of horizontal runs, 1 unit = 1 module."""
    try:
        matrix = qr.modules(text, error="Q", alphanumeric=True)
    except ValueError:
        raise DomainError(
            _(
                "This address is too long or has characters a QR label cannot hold in "
                "alphanumeric mode: check ONSITE_PUBLIC_URL."
            )
        ) from None
    side = len(matrix) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" width="{size_mm}mm" height="{size_mm}mm" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges" role="img" aria-label="{escape(text)}">'
        f'<rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(text: str, size_mm: float, px_per_module: int = 4) -> Markup:
    """The same symbol as a small lossless PNG for the PDF: WeasyPrint draws 500 of these in a fraction of the time
    it takes for 500 SVGs; ``image-rendering: pixelated`` keeps the module edges sharp (PDF /Interpolate false)."""
    matrix = qr.modules(text, error="Q", alphanumeric=True)
    side = len(matrix) + 2 * QUIET_ZONE
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if dark else 1 for row in _with_quiet_zone(matrix, side) for dark in row])
    buffer = io.BytesIO()
    image.resize((side * px_per_module, side * px_per_module), Image.Resampling.NEAREST).save(buffer, "PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    return Markup(
        f'<img class="qr" src="data:image/png;base64,{data}" width="{size_mm}mm" height="{size_mm}mm" '
        f'alt="{escape(text)}">'
    )


def _with_quiet_zone(matrix, side: int):
    blank = [0] * side
    margin = [0] * QUIET_ZONE
    rows = [blank] * QUIET_ZONE
    return rows + [margin + list(row) + margin for row in matrix] + rows


@dataclass(frozen=True)
class Label:
    code: str
    title: str  # the part's name
    detail: str  # part number and serial
    svg: Markup


def make_labels(
    public_url: str, items: list[tuple[str, str, str]], stock: Stock, *, raster: bool = False
) -> list[Label]:
    """``items``: (code, part name, detail) → labels with their QR codes (SVG; PNG for the PDF with ``raster``)."""
    draw = qr_png if raster else qr_svg
    return [
        Label(code, title, detail, draw(label_url(public_url, code), stock.qr_size)) for code, title, detail in items
    ]


def pages(labels: list[Label], stock: Stock) -> list[list[Label]]:
    return [labels[i : i + stock.per_page] for i in range(0, len(labels), stock.per_page)] or [[]]


def sheet_css(stock: Stock) -> str:
    """The sheet's geometry: served as a stylesheet (the CSP forbids inline styles) and given to WeasyPrint."""
    s = stock
    return f"""
@page {{ size: {s.page_width}mm {s.page_height}mm; margin: 0; }}
.sheet-page {{ width: {s.page_width}mm; height: {s.page_height}mm; padding: {s.margin_top}mm 0 0 {s.margin_left}mm;
  box-sizing: border-box; font-size: 0; page-break-after: always; break-after: page; overflow: hidden;
  background: #fff; }}
.label {{ display: inline-block; vertical-align: top; width: {s.label_width}mm; height: {s.label_height}mm;
  margin: 0 {s.gap_x}mm {s.gap_y}mm 0; box-sizing: border-box; padding: 1.5mm; overflow: hidden;
  text-align: center; font-family: {FONT_STACK}; }}
.label:nth-child({s.columns}n) {{ margin-right: 0; }}
.label .qr {{ display: block; margin: 0 auto; width: {s.qr_size}mm; height: {s.qr_size}mm;
  image-rendering: pixelated; }}
.label-text {{ font-size: 2.4mm; line-height: 1.2; white-space: nowrap; overflow: hidden; }}
.label-code {{ font-family: "DejaVu Sans Mono", {FONT_STACK}; font-weight: bold; font-size: 3mm;
  letter-spacing: .3mm; }}
@media screen {{ .sheet-page {{ outline: 1px dashed #999; margin: 0 auto 1rem; }}
  .label {{ outline: 1px dotted #ccc; }} }}
@media print {{ .no-print {{ display: none; }} body {{ margin: 0; }} }}
"""


def render_pdf(html: str, css: str, base_url: str) -> bytes:
    """The sheet as PDF."""
    return html_to_pdf(html, base_url, css)
