"""photo_12mp_ms (median time to normalise a 12 MP phone JPEG), photo_heic_12mp_ms (the same for a 12 MP iPhone
HEIC, as phones send them) and photo_12mp_peak_mb (the memory the JPEG takes)."""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops

from app.media.images import normalise_photo
from bench.harness import emit, twice

ROOT = Path(__file__).resolve().parents[1]
IPHONE_HEIC = ROOT.parent / "shared" / "fixtures" / "photos" / "iphone_13_pro_max.HEIC"  # 3024x4032
LIMITS = {"max_bytes": 15_000_000, "max_pixels": 50_000_000}
RUNS = 10
# Pillow allocates in C, out of tracemalloc's sight, so a fresh process measures its resident memory instead.
# Not getrusage's ru_maxrss: Linux carries it over from the parent process, and it would include the imports'
# passing peak (about 110 MB against 45 MB resident after them). The child restarts its high-water mark once
# the photo is read and reports how far processing raised it (KiB).
CHILD = r"""
import re, sys
from pathlib import Path
from app.media.images import normalise_photo

def kib(field):
    return int(re.search(field + r":\s+(\d+) kB", Path("/proc/self/status").read_text())[1])

data = Path(sys.argv[1]).read_bytes()
Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
before = kib("VmRSS")
normalise_photo(data, max_bytes=15_000_000, max_pixels=50_000_000)
print(kib("VmHWM") - before)
"""


def phone_photo() -> bytes:
    """A 4000x3000 JPEG at quality 90 (about 4 MB, like a phone's), turned by an EXIF orientation of 6."""
    noise = Image.effect_noise((4000, 3000), 24)
    across = Image.linear_gradient("L").resize((4000, 3000))
    around = Image.radial_gradient("L").resize((4000, 3000))
    scene = Image.merge(
        "RGB", (ImageChops.add(noise, across, 2), ImageChops.blend(noise, around, 0.6), across.rotate(180))
    )
    exif = Image.Exif()
    exif[274] = 6
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def extra_kib(photo: Path) -> int:
    """How much a fresh process's resident memory peaks above its size before normalising ``photo``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(photo)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return int(result.stdout)


def median_ms(data: bytes) -> float:
    normalise_photo(data, **LIMITS)  # warm up: libraries load their tables once
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        normalise_photo(data, **LIMITS)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run() -> None:
    data = phone_photo()
    emit("photo_12mp_ms", twice(lambda: median_ms(data)), "ms")
    heic = IPHONE_HEIC.read_bytes()
    emit("photo_heic_12mp_ms", twice(lambda: median_ms(heic)), "ms")
    with tempfile.TemporaryDirectory(prefix="onsite-bench-") as folder:
        photo = Path(folder) / "phone.jpg"
        photo.write_bytes(data)
        emit("photo_12mp_peak_mb", extra_kib(photo) / 1024, "MB")
