"""Photos on the server: refuse what is not a readable photo; make the rest upright, small and anonymous.

F25 and §12.1: every accepted photo is re-encoded as a JPEG of at most ``MAX_SIDE`` pixels with no
metadata at all (no EXIF, GPS, XMP, ICC profile or comment), plus a thumbnail.
"""

import asyncio
import hashlib
import io
import logging
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from app.core.errors import DomainError
from app.core.i18n import _
from app.core.metrics import QUEUE_LENGTH
from app.media.heif import heif_is_complete
from app.media.jpeg import jpeg_is_intact

pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MAX_SIDE = 2048
DRAFT_SIDE = 0.95  # a JPEG may be decoded down to this share of MAX_SIDE: 2000 px rather than 2048
THUMBNAIL_SIDE = 320
QUALITY = 85
MAX_DECODED_BYTES = 80_000_000
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# What a decoder raises on damaged data (pillow-heif raises ValueError or RuntimeError).
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, RuntimeError)

log = logging.getLogger("onsite.media")


class PhotoRejected(DomainError):
    """The upload is not a photo we accept; ``message`` tells the user why, ``reason`` tells the log."""

    code = "photo_rejected"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str  # hex digest of ``image``: the photo's name in the store
    original_format: str  # "JPEG", "PNG", "WEBP" or "HEIF"


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def decode_pool(concurrent: int) -> ThreadPoolExecutor:
    """The process's photo decoders: ``concurrent`` threads, so that a burst of uploads waits in line instead
    of decoding more photos at once than the memory allows. Always the same threads, as each thread's
    allocator keeps the memory it freed: a photo decoded on a new thread would take new memory."""
    with _pools_lock:
        if concurrent not in _pools:
            _pools[concurrent] = ThreadPoolExecutor(max(1, concurrent), thread_name_prefix="photo-decode")
        return _pools[concurrent]


def normalise_photo(
    data: bytes, *, max_bytes: int, max_pixels: int, max_decoded_bytes: int = MAX_DECODED_BYTES
) -> ProcessedPhoto:
    """Checks that ``data`` is a whole JPEG, PNG, WebP or HEIC photo within the limits, whatever its name
    or declared type, and returns it upright, in sRGB, flattened onto white, at most ``MAX_SIDE`` pixels
    on its long side and stripped of metadata, with a thumbnail. Raises ``PhotoRejected`` otherwise.
    """
    try:
        image = _decode(data, max_bytes=max_bytes, max_pixels=max_pixels, max_decoded_bytes=max_decoded_bytes)
    except PhotoRejected as refusal:
        log.info("photo refused", extra={"fields": {"reason": refusal.reason, "bytes": len(data)}})
        raise
    original_format = "JPEG" if image.format == "MPO" else image.format
    icc_profile = image.info.get("icc_profile")
    image = _shrink(image)  # before any conversion, so that no second full-size copy is ever made
    image = _flatten(image)
    _turn_upright(image)
    image = _to_srgb(image, icc_profile)
    image.info = {}  # nothing of the original travels into the new file
    encoded = _encode(image)
    return ProcessedPhoto(
        image=encoded,
        thumbnail=_encode(_thumbnail(image)),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(encoded).hexdigest(),
        original_format=original_format,
    )


def normalise_upload(settings, data: bytes) -> ProcessedPhoto:
    """``normalise_photo`` within the settings' limits: every feature that takes photos uses this one."""
    return normalise_photo(
        data,
        max_bytes=settings.photo_max_bytes,
        max_pixels=settings.photo_max_pixels,
        max_decoded_bytes=settings.photo_max_decoded_bytes,
    )


async def normalise_uploads(settings, uploads: list[bytes]) -> list[ProcessedPhoto]:
    """``normalise_upload`` for each upload on the process's photo decoders, in line with every other upload;
    the first upload that is not an accepted photo refuses them all (``PhotoRejected``)."""
    pool, waiting = decode_pool(settings.photo_decodes), QUEUE_LENGTH.labels("photo_decode")
    processed = []
    for data in uploads:
        waiting.inc()
        try:
            processed.append(await asyncio.get_running_loop().run_in_executor(pool, normalise_upload, settings, data))
        finally:
            waiting.dec()
    return processed


def decoded_bytes(image: Image.Image) -> int:
    """Pixels × bands × bytes per band of an opened (not yet decoded) image: what decoding it costs.

    A palette counts as the four bands it is expanded into; 16-bit samples count two bytes each.
    """
    bands = 4 if image.mode in {"P", "PA"} else len(image.getbands())
    rawmode = image.tile[0].args if image.tile and isinstance(image.tile[0].args, str) else ""
    if image.mode in {"I", "F"}:
        depth = 4
    elif ";16" in rawmode or image.mode.startswith("I;16") or image.info.get("bit_depth", 8) > 8:
        depth = 2
    else:
        depth = 1
    return image.width * image.height * bands * depth


def _decode(data: bytes, *, max_bytes: int, max_pixels: int, max_decoded_bytes: int) -> Image.Image:
    """The fully decoded image, checked against the limits before any pixel is decoded."""
    if len(data) > max_bytes:
        raise _refusal("too_large", max_bytes=max_bytes)
    # Pillow's own bomb threshold counts too: beyond it, Pillow only warns (and beyond twice it, refuses).
    max_pixels = min(max_pixels, Image.MAX_IMAGE_PIXELS)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)  # reads the header only
    except Image.DecompressionBombError:
        raise _refusal("too_many_pixels", max_pixels=max_pixels) from None
    except UnidentifiedImageError:
        raise _refusal("damaged" if _starts_like_a_photo(data) else "unsupported") from None
    except _DECODE_ERRORS:
        raise _refusal("damaged") from None
    if image.width * image.height > max_pixels:
        raise _refusal("too_many_pixels", max_pixels=max_pixels)
    if image.format in {"JPEG", "MPO"}:
        if not jpeg_is_intact(data):
            raise _refusal("damaged")
        # DCT-scaled decoding (1/2, 1/4, 1/8) when the output is about half the input or less: a 4000 px
        # photo decodes straight to 2000 px, with no full-size decode and no resampling after it.
        scale = MAX_SIDE * DRAFT_SIDE / max(image.size)
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    if image.format == "HEIF" and not heif_is_complete(data):
        raise _refusal("damaged")
    if decoded_bytes(image) > max_decoded_bytes:
        raise _refusal("too_much_memory")
    try:
        image.load()
    except _DECODE_ERRORS:
        raise _refusal("damaged") from None
    return image


def _starts_like_a_photo(data: bytes) -> bool:
    """Whether ``data`` begins as a JPEG, PNG, WebP or HEIF does (so a file that fails to open is damaged)."""
    return (
        data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or data[4:8] == b"ftyp"
    )


def _refusal(reason: str, *, max_bytes: int = 0, max_pixels: int = 0) -> PhotoRejected:
    """The refusal for ``reason``, worded for the user in their language."""
    messages = {
        "too_large": lambda: _(
            "This photo is larger than %(limit)s MB. Take it again at a lower resolution or choose a smaller one.",
            limit=f"{max_bytes / 1_000_000:g}",
        ),
        "too_many_pixels": lambda: _(
            "This photo has more than %(limit)s megapixels. Take it again at a lower resolution.",
            limit=max_pixels // 1_000_000,
        ),
        "too_much_memory": lambda: _(
            "This photo has too many pixels or colours to process. Take it again at a lower resolution."
        ),
        "damaged": lambda: _(
            "This photo is damaged or incomplete and cannot be read. Take it again or choose another one."
        ),
        "unsupported": lambda: _("This file is not a photo we can read. Use a JPEG, PNG, WebP or HEIC picture."),
    }
    return PhotoRejected(messages[reason](), reason=reason)


def _shrink(image: Image.Image) -> Image.Image:
    """At most ``MAX_SIDE`` pixels on the long side, reduced by whole factors first (one small copy)."""
    if max(image.size) <= MAX_SIDE:
        return image
    if image.mode in {"P", "1"}:  # palettes cannot be resampled
        image = _flatten(image)
    if image.mode.startswith("I;16"):  # resampled as it is, since it cannot be reduced
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=None)
        return image
    if (factor := max(image.size) // MAX_SIDE) >= 2:
        info, image = image.info, image.reduce(factor)
        image.info = info  # the EXIF orientation is applied later
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid onto white (a JPEG has none)."""
    if image.mode == "RGB":
        return image
    if image.mode.startswith("I"):  # 16-bit greys (PNG): keep the high byte, as convert() would clip to white
        image = image.convert("I").point(lambda value: value * (1 / 256))
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.info = image.info
        return flat
    return image.convert("RGB")


def _turn_upright(image: Image.Image) -> None:
    """Applies the EXIF orientation; a photo whose EXIF cannot be parsed is kept as it was taken."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except (SyntaxError, ValueError, TypeError, KeyError, IndexError, OSError):
        log.info("photo orientation unreadable")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Converts colours from an embedded RGB profile to sRGB, since the profile itself is dropped."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if source.profile.xcolor_space.strip() != "RGB":
            return image
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _thumbnail(image: Image.Image) -> Image.Image:
    """At most ``THUMBNAIL_SIDE`` pixels, resampled straight from the photo (no full-size copy first)."""
    scale = min(1.0, THUMBNAIL_SIDE / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Baseline with optimised Huffman tables: progressive made the file 1 % smaller for 5 × the encoding time.
    image.save(buffer, "JPEG", quality=QUALITY, optimize=True)
    return buffer.getvalue()
