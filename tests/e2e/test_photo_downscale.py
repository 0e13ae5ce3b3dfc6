"""static/js/photo.js in Chromium, under the app's CSP: photos shrink upright before upload."""

import io
from pathlib import Path

import pytest
from PIL import Image

from app.core.security import CONTENT_SECURITY_POLICY

STATIC = Path(__file__).resolve().parents[2] / "static"
ORIGIN = "http://onsite.test"
# Runs in the page: downscales the sample, then describes the result (and the colour at a point of it).
DOWNSCALE = """async ([name, x, y]) => {
  const { downscalePhoto } = await import("/static/js/photo.js");
  const response = await fetch(`/samples/${name}`);
  const file = new File([await response.blob()], name, { type: response.headers.get("content-type") });
  const result = await downscalePhoto(file);
  if (result === file) return { untouched: true };
  const bitmap = await createImageBitmap(result);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const colour = Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
  return { type: result.type, width: bitmap.width, height: bitmap.height, colour };
}"""


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def samples() -> dict[str, bytes]:
    rotated = Image.new("RGB", (4000, 3000), "blue")
    rotated.paste("red", (0, 0, 2000, 3000))  # EXIF orientation 6: the left half is the top of the scene
    exif = Image.Exif()
    exif[274] = 6
    transparent = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    return {
        "rotated.jpg": encode(rotated, "JPEG", exif=exif.tobytes()),
        "small.jpg": encode(Image.new("RGB", (800, 600), "green"), "JPEG"),
        "transparent.png": encode(transparent, "PNG"),
        "notes.jpg": b"Just some notes, renamed to notes.jpg\n",
    }


@pytest.fixture
def photo_page(page):
    """A blank page of the app's origin and CSP that can import this checkout's ES modules."""
    files = samples()

    def serve(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            route.fulfill(
                body="<!doctype html><title>Photos</title>",
                content_type="text/html",
                headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
            )
        elif path.startswith("/static/js/"):
            route.fulfill(path=STATIC / path.removeprefix("/static/"), content_type="text/javascript")
        else:
            route.fulfill(body=files[path.removeprefix("/samples/")], content_type="image/jpeg")

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    return page


def test_it_shrinks_a_large_photo_to_2048_pixels_upright(photo_page, console_errors):
    result = photo_page.evaluate(DOWNSCALE, ["rotated.jpg", 768, 100])

    assert (result["type"], result["width"], result["height"]) == ("image/jpeg", 1536, 2048)
    red, green, blue = result["colour"]  # near the top: the red half
    assert red > 200 and blue < 60
    assert console_errors == []


def test_it_hands_back_a_small_jpeg_untouched(photo_page):
    assert photo_page.evaluate(DOWNSCALE, ["small.jpg", 0, 0]) == {"untouched": True}


def test_it_lays_a_transparent_picture_onto_white(photo_page):
    result = photo_page.evaluate(DOWNSCALE, ["transparent.png", 50, 50])

    assert (result["type"], result["width"], result["height"]) == ("image/jpeg", 100, 100)
    assert min(result["colour"]) > 245


def test_it_hands_back_what_the_browser_cannot_decode(photo_page):
    assert photo_page.evaluate(DOWNSCALE, ["notes.jpg", 0, 0]) == {"untouched": True}
