"""A corpus of bad and unusual files, made on the fly: what phones, attackers and mistakes upload."""

import io
import struct
import zlib

from PIL import Image


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, bit_depth: int = 8, colour_type: int = 2, rows: int | None = None) -> bytes:
    """A PNG declaring ``width`` × ``height``; only ``rows`` rows of (black) data unless all of them."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\0" * (1 + width * channels * bit_depth // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _noise(format: str) -> bytes:
    return encode(Image.effect_noise((400, 300), 40).convert("RGB"), format)


def _gif_animation() -> bytes:
    frames = [Image.new("P", (30, 30), colour) for colour in (1, 2, 3)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _apng() -> bytes:
    frames = [Image.new("RGBA", (30, 30), colour) for colour in ("red", "blue")]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:])


def refused() -> dict[str, bytes]:
    """Files that neither a photo step nor a signature may accept."""
    files = {f"truncated-{f.lower()}": _noise(f)[: len(_noise(f)) // 2] for f in ("JPEG", "PNG", "WEBP", "HEIF")}
    files |= {
        "empty": b"",
        "bomb-40000x40000": png(40_000, 40_000, rows=1),
        "bomb-16-bit-rgba-7000x7000": png(7000, 7000, bit_depth=16, colour_type=6, rows=1),
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
        "html": b"<!doctype html><script>alert(1)</script>",
        "polyglot-gif-js": b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);//" + b"\x00" * 20,
        "polyglot-png-then-html": _noise("PNG")[:200] + b"<html><script>alert(1)</script></html>",
        "gif-animation": _gif_animation(),
        "tiff": encode(Image.new("RGB", (50, 50), "red"), "TIFF"),
        "pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    }
    return files


def cmyk_jpeg() -> bytes:
    return encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG")  # pure red in print colours


def grey_16_bit_png() -> bytes:
    ramp = Image.frombytes("I;16", (256, 1), b"".join((v * 257).to_bytes(2, "little") for v in range(256)))
    return encode(ramp.resize((256, 16)), "PNG")


def animated_png() -> bytes:
    return _apng()
