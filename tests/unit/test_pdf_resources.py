"""The PDF renderer embeds only the app's own in-memory pictures: no URL is ever opened."""

import base64
import io
import socket
import threading

import pytest
from PIL import Image

from app.core.pdf import html_to_pdf


@pytest.fixture
def listener():
    """A local TCP server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connections.append(connection.recv(1024))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def images_in(pdf: bytes) -> int:
    return pdf.count(b"/Subtype /Image")


def png_url(size=(40, 20)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_it_opens_no_http_url_a_page_names(listener):
    port, connections = listener
    base = f"http://127.0.0.1:{port}"
    html = (
        f'<link rel="stylesheet" href="{base}/style.css"><style>@import url("{base}/import.css");</style>'
        f'<p style="background: url({base}/background.png)">x</p><img src="{base}/secret.png">'
    )

    pdf = html_to_pdf(html, base_url=f"{base}/")

    assert pdf.startswith(b"%PDF") and images_in(pdf) == 0
    assert connections == []


def test_it_follows_no_url_inside_an_svg_posing_as_a_png(listener):
    port, connections = listener
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        f'<image xlink:href="http://127.0.0.1:{port}/leak.png" width="10" height="10"/></svg>'
    )
    url = "data:image/png;base64," + base64.b64encode(svg.encode()).decode()

    pdf = html_to_pdf(f'<img src="{url}"><img src="data:image/svg+xml;base64,{url.split(",")[1]}">', base_url=".")

    assert images_in(pdf) == 0 and connections == []


def test_it_does_not_embed_a_file_on_disk(tmp_path):
    photo = tmp_path / "another-jobs-photo.png"
    photo.write_bytes(base64.b64decode(png_url().split(",")[1]))

    pdf = html_to_pdf(f'<img src="file://{photo}"><img src="{photo.name}">', base_url=f"{tmp_path}/")

    assert images_in(pdf) == 0


def test_it_embeds_the_apps_own_small_pictures_and_refuses_huge_ones():
    huge = png_url((2500, 2000))  # 5 MP: more than any picture the app embeds

    assert images_in(html_to_pdf(f'<img src="{png_url()}">', base_url=".")) == 1
    assert images_in(html_to_pdf(f'<img src="{huge}">', base_url=".")) == 0
