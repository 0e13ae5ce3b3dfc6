"""QR labels decoded by an independent decoder (zxing-cpp): content, mode, error correction, quiet zone, size."""

import re

import numpy as np
import pytest
import zxingcpp

from app.core import qr
from app.core.codes import ALPHABET
from app.core.errors import DomainError
from app.parts import labels
from app.parts.idempotency import new_code

PX_PER_MODULE = 6


def rasterize(svg: str) -> tuple[np.ndarray, int]:
    """Paints the label's SVG (one path of ``M x y h w v1 h-w z`` runs) as a grey image; returns it and its side."""
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    modules = np.zeros((side, side), dtype=np.uint8)
    path = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        modules[int(y), int(x) : int(x) + int(w)] = 1
    assert len(re.findall(r"M", path)) == len(re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path))
    image = ((1 - modules) * 255).astype(np.uint8)
    return np.kron(image, np.ones((PX_PER_MODULE, PX_PER_MODULE), dtype=np.uint8)), side


def test_it_encodes_an_uppercase_https_url_with_an_opaque_id():
    code = new_code()
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert labels.label_url("https://onsite.example.com/", code) == f"HTTPS://ONSITE.EXAMPLE.COM/U/{code}"


@pytest.mark.parametrize("stock_name", sorted(labels.STOCKS))
def test_it_makes_qr_codes_that_an_independent_decoder_reads_in_alphanumeric_mode_at_level_q(stock_name):
    stock = labels.STOCKS[stock_name]
    text = labels.label_url("https://onsite.example.com", new_code())
    svg = str(labels.qr_svg(text, stock.qr_size))
    image, side = rasterize(svg)
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    result = results[0]
    assert result.text == text
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level == "Q" and result.extra["ECLevel"] == "Q"
    version = int(result.extra["Version"])
    # Alphanumeric mode: the symbol is smaller than the same text would need in byte mode.
    byte_version = qr.symbol(text, error="Q").version
    assert version < byte_version
    assert side == 17 + 4 * version + 2 * labels.QUIET_ZONE
    assert f'width="{stock.qr_size}mm"' in svg and f'height="{stock.qr_size}mm"' in svg
    module_mm = stock.qr_size / side
    assert 0.3 <= module_mm <= 1.0  # printable on an office laser and readable by a phone
    assert stock.qr_size <= stock.label_height and stock.qr_size <= stock.label_width


def test_it_keeps_a_quiet_zone_of_four_modules():
    image, side = rasterize(str(labels.qr_svg("HTTPS://A.EXAMPLE/U/ABCDEFGH", 20)))
    border = labels.QUIET_ZONE * PX_PER_MODULE
    assert image[:border].min() == 255 and image[-border:].min() == 255
    assert image[:, :border].min() == 255 and image[:, -border:].min() == 255
    assert image[border : border + PX_PER_MODULE, border : border + PX_PER_MODULE].max() == 0  # finder pattern starts


def test_it_refuses_an_address_that_does_not_fit_alphanumeric_mode():
    with pytest.raises(DomainError):
        labels.qr_svg("https://onsite.example.com/u/abc?x=1", 20)


def test_it_renders_a_sheet_of_labels_to_pdf_in_the_stocks_page_size():
    stock = labels.STOCKS["a4-3x8"]
    items = [(new_code(), "Power supply 450 W", f"PSU-450 · SER-{i}") for i in range(30)]
    made = labels.make_labels("https://onsite.example.com", items, stock, raster=True)
    pages = labels.pages(made, stock)
    assert [len(page) for page in pages] == [24, 6]
    html = "".join(f'<div class="sheet-page">{"".join(str(label.svg) for label in page)}</div>' for page in pages)
    assert html.count("data:image/png;base64,") == 30
    pdf = labels.render_pdf(html, labels.sheet_css(stock), "https://onsite.example.com/")
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    from weasyprint import CSS, HTML

    document = HTML(string=html).render(stylesheets=[CSS(string=labels.sheet_css(stock))])
    assert len(document.pages) == 2
    page = document.pages[0]  # CSS pixels: 96 per inch
    assert round(page.width / 96 * 25.4) == 210 and round(page.height / 96 * 25.4) == 297


def test_it_draws_the_same_symbol_as_a_sharp_png_for_the_pdf():
    import base64
    import io

    from PIL import Image

    text = labels.label_url("https://onsite.example.com", new_code())
    img = str(labels.qr_png(text, 26))
    assert 'width="26mm"' in img
    png = base64.b64decode(img.split("base64,", 1)[1].split('"', 1)[0])
    image = Image.open(io.BytesIO(png)).convert("L")
    result = zxingcpp.read_barcodes(image)[0]
    assert result.text == text and result.ec_level == "Q"
    side = len(qr.modules(text, error="Q", alphanumeric=True)) + 2 * labels.QUIET_ZONE
    assert image.width == image.height == side * 4
    assert np.asarray(image)[: labels.QUIET_ZONE * 4].min() == 255  # quiet zone
    assert "image-rendering: pixelated" in labels.sheet_css(labels.STOCKS["a4-3x8"])
