"""F25 and §12.1: the server refuses what is not a readable photo and normalises the rest."""

import hashlib
import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageOps, ImageStat

from app.core.i18n import set_locale
from app.media.images import PhotoRejected, normalise_photo
from tests.helpers.env import shared_photos

LIMITS = {"max_bytes": 15_000_000, "max_pixels": 50_000_000}
NOT_A_PHOTO = "This file is not a photo we can read. Use a JPEG, PNG, WebP or HEIC picture."
DAMAGED = "This photo is damaged or incomplete and cannot be read. Take it again or choose another one."
GPS_IFD = 0x8825
ORIENTATION = 274


@pytest.fixture
def photos() -> Path:
    """The shared sample photos: a run without them skips here, but fails in CI."""
    return shared_photos()


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size but holds almost no data, as decompression bombs do."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def jpeg_segments(data: bytes) -> set[int]:
    """The marker codes of a JPEG's header segments, up to its first scan."""
    markers, position = set(), 2
    while data[position + 1] != 0xDA:
        markers.add(data[position + 1])
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


def reopen(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=["JPEG"])


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean difference per channel, 0-255, of two images brought to the same small size."""
    a, b = (image.convert("RGB").resize((64, 64)) for image in (a, b))
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_it_strips_gps_and_all_exif_from_a_camera_photo(photos):
    original = (photos / "DSCN0010.jpg").read_bytes()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the sample does carry a location

    photo = normalise_photo(original, **LIMITS)

    output = reopen(photo.image)
    assert dict(output.getexif()) == {}
    assert not output.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in photo.image and b"GPS" not in photo.image


@pytest.mark.parametrize(
    "name",
    [
        "DSCN0010.jpg",
        "HMD_Nokia_8.3_5G.jpg",
        "image00971.jpg",
        "landscape_3.jpg",
        "portrait_6.jpg",
        "iphone_13_pro_max.HEIC",
    ],
)
def test_it_keeps_no_metadata_at_all(photos, name):
    photo = normalise_photo((photos / name).read_bytes(), **LIMITS)

    for data in (photo.image, photo.thumbnail):
        # JFIF (APP0) only: no APP1 EXIF or XMP, no APP2 ICC profile, no other APPn, no comment
        assert not jpeg_segments(data) & {*range(0xE1, 0xF0), 0xFE}
        assert set(reopen(data).info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density"}


@pytest.mark.parametrize(("name", "size"), [("portrait_6.jpg", (450, 600)), ("landscape_3.jpg", (600, 450))])
def test_it_turns_rotated_photos_upright(photos, name, size):
    original = Image.open(photos / name)
    assert original.getexif()[ORIENTATION] in {3, 6} and original.size == (600, 450)

    photo = normalise_photo((photos / name).read_bytes(), **LIMITS)

    output, upright = reopen(photo.image), ImageOps.exif_transpose(original)
    assert (photo.width, photo.height) == size == output.size
    # colours differ a little (the sample's colour profile is applied), the turn must be the right one
    assert difference(output, upright) < difference(output, upright.transpose(Image.Transpose.ROTATE_180)) / 3


def test_it_turns_a_photo_with_orientation_6_a_quarter_clockwise():
    stored = Image.new("RGB", (300, 200), "blue")
    stored.paste("red", (0, 0, 150, 200))  # the left half is the top of the scene
    exif = Image.Exif()
    exif[ORIENTATION] = 6

    photo = normalise_photo(encode(stored, "JPEG", exif=exif.tobytes()), **LIMITS)

    upright = reopen(photo.image).convert("RGB")
    assert upright.size == (200, 300)
    assert upright.getpixel((100, 40))[0] > 200 and upright.getpixel((100, 260))[2] > 200
    assert ORIENTATION not in upright.getexif()


def test_it_converts_colours_to_srgb_as_it_drops_the_colour_profile(photos):
    generic_rgb = Image.open(photos / "portrait_6.jpg").info["icc_profile"]  # Apple's "Generic RGB", gamma 1.8
    data = encode(Image.new("RGB", (50, 50), (107, 115, 56)), "PNG", icc_profile=generic_rgb)

    colour = reopen(normalise_photo(data, **LIMITS).image).getpixel((25, 25))

    assert colour == pytest.approx((126, 132, 72), abs=4)  # what a colour-managed browser showed


def test_it_reads_an_iphone_heic(photos):
    photo = normalise_photo((photos / "iphone_13_pro_max.HEIC").read_bytes(), **LIMITS)

    assert photo.original_format == "HEIF"
    assert (photo.width, photo.height) == (1536, 2048)  # 3024x4032, scaled to 2048 on the long side
    assert reopen(photo.image).format == "JPEG"


def test_it_downscales_a_large_phone_photo_and_drops_its_location(photos):
    original = (photos / "HMD_Nokia_8.3_5G.jpg").read_bytes()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    photo = normalise_photo(original, **LIMITS)

    assert (photo.width, photo.height) == (2048, 878)  # from 4608x1976
    assert max(reopen(photo.thumbnail).size) == 320
    assert not reopen(photo.image).getexif().get_ifd(GPS_IFD)


def test_it_accepts_a_photo_whose_exif_is_broken(photos):
    photo = normalise_photo((photos / "image00971.jpg").read_bytes(), **LIMITS)

    assert (photo.width, photo.height) == (636, 227)


def test_it_refuses_a_damaged_jpeg_with_a_clear_message(photos):
    with pytest.raises(PhotoRejected) as refusal:
        normalise_photo((photos / "corrupted.jpg").read_bytes(), **LIMITS)

    assert refusal.value.message == DAMAGED
    assert refusal.value.status_code == 422


def test_it_flattens_a_transparent_png_onto_white():
    image = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (50, 0, 100, 50))

    photo = normalise_photo(encode(image, "PNG"), **LIMITS)

    output = reopen(photo.image)
    assert photo.original_format == "PNG" and output.mode == "RGB"
    assert min(output.getpixel((10, 25))) > 245  # transparent became white, not black
    assert output.getpixel((90, 25))[0] > 180


def test_it_keeps_the_greys_of_a_16_bit_png():
    ramp = Image.frombytes("I;16", (256, 1), b"".join((value * 257).to_bytes(2, "little") for value in range(256)))

    photo = normalise_photo(encode(ramp.resize((256, 16)), "PNG"), **LIMITS)

    output = reopen(photo.image).convert("L")
    assert [output.getpixel((x, 8)) for x in (16, 128, 240)] == pytest.approx([16, 128, 240], abs=3)


def test_it_reads_a_webp():
    photo = normalise_photo(encode(Image.new("RGB", (640, 480), "green"), "WEBP"), **LIMITS)

    assert photo.original_format == "WEBP" and (photo.width, photo.height) == (640, 480)


def test_it_keeps_a_tiny_image_at_its_size():
    photo = normalise_photo(encode(Image.new("RGB", (10, 10), "white"), "PNG"), **LIMITS)

    assert (photo.width, photo.height) == (10, 10) == reopen(photo.thumbnail).size


def test_it_keeps_the_long_side_within_2048_and_the_thumbnail_within_320():
    wide = Image.linear_gradient("L").resize((3000, 600)).convert("RGB")

    photo = normalise_photo(encode(wide, "JPEG"), **LIMITS)

    assert (photo.width, photo.height) == (2048, 410) == reopen(photo.image).size
    assert reopen(photo.thumbnail).size == (320, 64)


def test_it_gives_the_same_photo_the_same_sha256():
    data = encode(Image.effect_noise((800, 600), 30), "JPEG")

    first, second = normalise_photo(data, **LIMITS), normalise_photo(data, **LIMITS)

    assert first == second
    assert first.sha256 == hashlib.sha256(first.image).hexdigest()


@pytest.mark.parametrize(
    "data",
    [
        b"Just some notes, renamed to notes.jpg\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        b"",
        encode(Image.new("P", (20, 20)), "GIF"),
    ],
    ids=["text", "pdf", "svg", "empty", "gif"],
)
def test_it_refuses_files_that_are_not_photos(data):
    with pytest.raises(PhotoRejected, match=NOT_A_PHOTO):
        normalise_photo(data, **LIMITS)


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_it_refuses_a_truncated_photo(format):
    data = encode(Image.effect_noise((400, 300), 40).convert("RGB"), format)

    with pytest.raises(PhotoRejected, match=DAMAGED):
        normalise_photo(data[: len(data) // 2], **LIMITS)


def test_it_refuses_a_photo_over_the_byte_limit_before_reading_it():
    with pytest.raises(PhotoRejected, match="This photo is larger than 0.001 MB."):
        normalise_photo(b"x" * 1001, max_bytes=1000, max_pixels=LIMITS["max_pixels"])


@pytest.mark.parametrize(("width", "height"), [(40_000, 40_000), (8_000, 8_000)])
def test_it_refuses_a_decompression_bomb_from_its_header(width, height):
    started = time.perf_counter()

    with pytest.raises(PhotoRejected, match="This photo has more than 50 megapixels."):
        normalise_photo(png_header(width, height), **LIMITS)

    assert time.perf_counter() - started < 0.5  # refused without decoding 64 or 1,600 megapixels


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_it_refuses_what_pillow_calls_a_bomb_even_under_a_higher_limit():
    with pytest.raises(PhotoRejected, match="This photo has more than 89 megapixels."):
        normalise_photo(png_header(10_000, 10_000), max_bytes=LIMITS["max_bytes"], max_pixels=10**9)


def test_it_words_refusals_in_the_users_language():
    set_locale("zh_Hans")
    try:
        with pytest.raises(PhotoRejected) as refusal:
            normalise_photo(b"not a photo", **LIMITS)
    finally:
        set_locale("en")

    assert refusal.value.message == "无法读取此文件，它不是照片。请使用 JPEG、PNG、WebP 或 HEIC 格式的图片。"


SAMPLES = [
    encode(Image.effect_noise((64, 48), 40).convert("RGB"), format) for format in ("JPEG", "PNG", "WEBP", "HEIF")
]


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(SAMPLES), position=st.integers(0, 2000), junk=st.binary(min_size=1, max_size=8))
def test_it_either_refuses_or_normalises_damaged_bytes(sample, position, junk):
    damaged = sample[:position] + junk + sample[position + len(junk) :]

    try:
        photo = normalise_photo(damaged, **LIMITS)
    except PhotoRejected as refusal:
        assert refusal.message
    else:
        assert reopen(photo.image).size == (photo.width, photo.height)  # a whole JPEG, whatever survived


def test_it_refuses_a_truncated_photo_after_a_pdf_was_made():
    from app.core.pdf import html_to_pdf

    assert html_to_pdf("<p>Label</p>", base_url=".").startswith(b"%PDF")  # WeasyPrint loaded in this process
    data = encode(Image.effect_noise((400, 300), 40).convert("RGB"), "PNG")
    with pytest.raises(PhotoRejected, match=DAMAGED):
        normalise_photo(data[: len(data) // 2], **LIMITS)


TOO_MUCH_MEMORY = "This photo has too many pixels or colours to process."


def test_it_refuses_a_16_bit_rgba_png_by_its_decoded_bytes_before_decoding():
    from tests.helpers.hostile_files import png

    data = png(7000, 7000, bit_depth=16, colour_type=6, rows=1)  # 49 MP, under the pixel limit: 392 MB decoded
    started = time.perf_counter()

    with pytest.raises(PhotoRejected, match=TOO_MUCH_MEMORY):
        normalise_photo(data, **LIMITS)

    assert time.perf_counter() - started < 0.5


def test_it_counts_a_palette_as_four_bands_and_16_bits_as_two_bytes():
    from app.media.images import decoded_bytes

    palette = Image.open(io.BytesIO(encode(Image.new("P", (100, 10)), "PNG")))
    grey16 = Image.open(io.BytesIO(encode(Image.new("I;16", (100, 10)), "PNG")))

    assert decoded_bytes(palette) == 100 * 10 * 4 and decoded_bytes(grey16) == 100 * 10 * 2


def test_it_decodes_no_more_photos_at_once_than_the_process_allows():
    import threading

    from app.media.images import decode_pool

    pool = decode_pool(2)
    threads = {pool.submit(lambda: threading.get_ident()).result() for _ in range(20)}

    assert pool is decode_pool(2) and len(threads) <= 2


@pytest.mark.parametrize("kept", [0.5, 0.7, 0.99])
def test_it_refuses_a_cut_iphone_heic(photos, kept):
    data = (photos / "iphone_13_pro_max.HEIC").read_bytes()

    with pytest.raises(PhotoRejected, match=DAMAGED):
        normalise_photo(data[: int(len(data) * kept)], **LIMITS)


def test_it_refuses_a_heic_cut_between_two_boxes(photos):
    data = (photos / "iphone_13_pro_max.HEIC").read_bytes()
    ftyp = int.from_bytes(data[:4], "big")
    mdat = ftyp + int.from_bytes(data[ftyp : ftyp + 4], "big")  # after ftyp and meta: the tiles' box starts

    with pytest.raises(PhotoRejected, match=DAMAGED):
        normalise_photo(data[:mdat], **LIMITS)


def test_it_decodes_a_jpeg_about_twice_the_long_side_at_half_size_with_no_resampling():
    photo = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")

    normalised = normalise_photo(encode(photo, "JPEG"), **LIMITS)

    assert (normalised.width, normalised.height) == (2000, 1500) == reopen(normalised.image).size
