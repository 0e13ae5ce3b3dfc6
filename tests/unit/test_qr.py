"""The QR codes other than labels, read back by an independent decoder (zxing-cpp)."""

import base64
import io

import zxingcpp
from PIL import Image

from app.core import qr


def test_it_draws_the_report_footers_code_as_a_png_that_reads_back_at_level_m():
    url = "https://onsite.example.com/r/4bKq1v0-the-customer-copy-token"
    uri = qr.png_data_uri(url, error="M", px_per_module=4)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    # a white margin around the symbol for the decoder (the footer's own margin gives it on paper)
    framed = Image.new("L", (image.width + 32, image.height + 32), 255)
    framed.paste(image.convert("L"), (16, 16))
    result = zxingcpp.read_barcodes(framed)[0]
    assert result.text == url and result.ec_level == "M"
    assert image.width == image.height == len(qr.modules(url, error="M")) * 4


def test_it_draws_an_svg_with_its_accessible_name():
    svg = str(qr.svg("https://onsite.example.com/carry-in/v/ABCDEFGHJK", "Pickup <QR>"))
    assert svg.startswith('<svg role="img" aria-label="Pickup &lt;QR&gt;" class="qr" ')
